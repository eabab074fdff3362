// Webcam snapshot: a Streamlit components-v2 module (no build step). The camera code and
// UI it shares with the recorder (`CameraFeed`, `CameraElement`, `mountCameraElement`,
// `newCaptureId`, ...) come from `components/webcam_common/{camera,element}.js`, put in
// front of this file by Python.
//
// Python passes `data` = {strings, long_side, short_side, quality}. The camera opens only
// when the user presses "Turn on camera" and is released after each photo, on "Turn off
// camera" and when the element leaves the page. "Take photo" draws the live frame on a
// canvas (centre-cropped to 3:4 or 4:3 as the camera gives, scaled to at most 640x480 or
// 480x640) and encodes a JPEG in the browser; it goes to Python as the trigger `photo` =
// {id, width, height, size, data (base64)}. "Clear" sends the trigger `clear` = id.

const snapshots = new WeakMap();

// The crop (sx, sy, sw, sh) and output size (width, height) for a `w`x`h` camera frame:
// the largest centred 4:3 (landscape) or 3:4 (portrait) part, scaled down to fit
// `long`x`short`, never up.
function captureGeometry(w, h, long, short) {
  const portrait = h > w;
  const aspect = portrait ? short / long : long / short;
  let sw = w;
  let sh = h;
  if (w / h > aspect) sw = Math.round(h * aspect);
  else sh = Math.round(w / aspect);
  const scale = Math.min(1, (portrait ? short : long) / sw);
  return {
    sx: Math.floor((w - sw) / 2),
    sy: Math.floor((h - sh) / 2),
    sw,
    sh,
    width: Math.round(sw * scale),
    height: Math.round(sh * scale),
  };
}

class Snapshot extends CameraElement {
  // Bind to the component's markup under `root`.
  constructor(root) {
    super(root, [
      ["start", true],
      ["take", true],
      ["retake", false],
      ["clear", false],
      ["stop", false],
      ["retry", false],
    ]);
    this.el.still = root.querySelector(".snapshot-still");
    this.canvas = document.createElement("canvas");
    this.photo = null; // {id, width, height, size}
    this.onFrames = () => this.render();
    this.el.live.addEventListener("loadeddata", this.onFrames);
    this.el.live.addEventListener("playing", this.onFrames);
  }

  // Route the snapshot's own buttons; "Retake" opens the camera again.
  press(button) {
    const action = button.dataset.action;
    if (action === "retake") this.openCamera();
    else if (action === "take") this.take();
    else if (action === "clear") this.clear();
    else if (action === "stop") this.stop();
    else super.press(button);
  }

  // The photo's label and whether "Take photo" can work yet (frames are showing).
  renderOwn() {
    this.el.still.setAttribute("alt", this.text("still_label"));
    this.el.buttons.take.disabled = !(this.state === "live" && this.camera.playing());
  }

  // The one-line status under the picture for the current state.
  statusText() {
    switch (this.state) {
      case "idle":
        return this.text("intro");
      case "starting":
        return this.text("starting");
      case "live":
        return this.text("ready");
      case "taken": {
        const photo = this.photo || { width: 0, height: 0, size: 0 };
        return this.text("taken", {
          width: photo.width,
          height: photo.height,
          size: humanSize(photo.size),
        });
      }
      default:
        return "";
    }
  }

  // Draw the live frame, encode it as JPEG, hand it to Python and release the camera.
  take() {
    if (this.state !== "live" || !this.camera.playing()) return;
    const video = this.el.live;
    const long = Number(this.data.long_side) || 640;
    const short = Number(this.data.short_side) || 480;
    const box = captureGeometry(video.videoWidth, video.videoHeight, long, short);
    const canvas = this.canvas;
    canvas.width = box.width;
    canvas.height = box.height;
    const context = canvas.getContext("2d");
    context.drawImage(video, box.sx, box.sy, box.sw, box.sh, 0, 0, box.width, box.height);
    const quality = Number(this.data.quality) || 0.9;
    const dataUrl = canvas.toDataURL("image/jpeg", quality);
    const base64 = dataUrl.slice(dataUrl.indexOf(",") + 1);
    const size = Math.floor((base64.length * 3) / 4);
    this.photo = { id: newCaptureId(), width: box.width, height: box.height, size };
    this.state = "taken"; // no second photo from a quick second press
    this.send("photo", { ...this.photo, data: base64 });
    // Streamlit sends the trigger in a task of its own (a 0 ms timer): that one goes
    // first, and the photo is shown and the camera released in the next.
    setTimeout(() => this.showTaken(dataUrl), 0);
  }

  // Show the photo just taken and release the camera.
  showTaken(dataUrl) {
    if (this.destroyed) return;
    this.el.still.src = dataUrl;
    this.camera.close();
    this.setState("taken");
  }

  // Forget the photo here and in Python; the camera stays off until asked again.
  clear() {
    const photo = this.photo;
    this.photo = null;
    this.el.still.removeAttribute("src");
    this.camera.close();
    if (photo) this.send("clear", photo.id);
    this.setState("idle");
  }

  // Turn the camera off without taking a photo.
  stop() {
    this.camera.close();
    this.setState(this.photo ? "taken" : "idle");
  }

  // The photo taken, while Python still holds it.
  keep() {
    if (this.state === "taken" && this.photo) {
      return { state: "taken", photo: this.photo, src: this.el.still.src };
    }
    return super.keep();
  }

  // Show the photo again if Python still holds it (`data.kept` is its id).
  restore(kept) {
    if (kept.state !== "taken") super.restore(kept);
    else if (kept.photo.id === this.data.kept) {
      this.photo = kept.photo;
      this.el.still.src = kept.src;
      this.state = "taken";
    }
  }

  // Release everything when the element leaves the page.
  destroy() {
    if (this.destroyed) return;
    super.destroy();
    this.el.live.removeEventListener("loadeddata", this.onFrames);
    this.el.live.removeEventListener("playing", this.onFrames);
  }
}

export default function webcamSnapshot(component) {
  return mountCameraElement(component, snapshots, Snapshot);
}
