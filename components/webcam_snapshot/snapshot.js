// Webcam snapshot: a Streamlit components-v2 module (no build step). The camera code it
// shares with the clip recorder (`format`, `newCaptureId`, `CameraFeed`, ...) comes from
// `components/webcam_common/camera.js`, put in front of this file by Python.
//
// Python passes `data` = {strings, long_side, short_side, quality}. The camera opens only
// when the user presses "Turn on camera" and is released after each photo, on "Turn off
// camera" and when the element leaves the page. "Take photo" draws the live frame on a
// canvas (centre-cropped to 3:4 or 4:3 as the camera gives, scaled to at most 640x480 or
// 480x640) and encodes a JPEG in the browser; it goes to Python as the trigger `photo` =
// {id, width, height, size, data (base64)}. "Clear" sends the trigger `clear` = id.
//
// Streamlit calls the default export again whenever `data` changes (a language switch)
// and only runs the cleanup of the latest call when the element unmounts, so one
// snapshot lives per mount point and later calls just hand it the new data.

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

class Snapshot {
  // Bind to the component's markup under `root`.
  constructor(root) {
    this.root = root;
    this.el = {
      live: root.querySelector(".snap-live"),
      still: root.querySelector(".snap-still"),
      placeholderText: root.querySelector(".snap-placeholder-text"),
      status: root.querySelector(".snap-status"),
      errorTitle: root.querySelector(".snap-error-title"),
      errorBody: root.querySelector(".snap-error-body"),
      errorFallback: root.querySelector(".snap-error-fallback"),
      buttons: {},
    };
    root.querySelectorAll("[data-action]").forEach((button) => {
      this.el.buttons[button.dataset.action] = button;
    });
    this.camera = new CameraFeed(this.el.live);
    this.canvas = document.createElement("canvas");
    this.generation = 0;
    this.destroyed = false;
    this.state = "idle";
    this.photo = null; // {id, width, height, size}
    this.error = null; // {kind, values, retry}
    this.onClick = (event) => this.handleClick(event);
    this.onFrames = () => this.render();
    root.addEventListener("click", this.onClick);
    this.el.live.addEventListener("loadeddata", this.onFrames);
    this.el.live.addEventListener("playing", this.onFrames);
  }

  // Take new data from Python; returns the generation its cleanup must match.
  attach(data, setTriggerValue) {
    this.data = data || {};
    this.strings = this.data.strings || {};
    this.send = setTriggerValue;
    this.generation += 1;
    this.render();
    return this.generation;
  }

  // Cleanup from one call of the default export: only the latest call may tear down.
  detach(generation) {
    if (generation === this.generation) this.destroy();
  }

  // A locale string, with placeholders filled.
  text(key, values = {}) {
    return format(this.strings[key] ?? key, values);
  }

  // Route clicks on the action buttons.
  handleClick(event) {
    const target = event.target.closest("button");
    if (!target || target.disabled || !this.root.contains(target)) return;
    const action = target.dataset.action;
    if (action === "start" || action === "retry" || action === "retake") this.openCamera();
    else if (action === "take") this.take();
    else if (action === "clear") this.clear();
    else if (action === "stop") this.stop();
  }

  // Move to `state` and redraw.
  setState(state) {
    this.state = state;
    this.render();
  }

  // Put every string and flag of the current state on the page.
  render() {
    const { el, state } = this;
    this.root.dataset.state = state;
    el.placeholderText.textContent = this.text("placeholder");
    el.live.setAttribute("aria-label", this.text("live_label"));
    el.still.setAttribute("alt", this.text("still_label"));
    for (const action of ["start", "take", "retake", "clear", "stop", "retry"]) {
      el.buttons[action].textContent = this.text(action);
    }
    el.buttons.take.disabled = !(state === "live" && this.camera.playing());
    el.status.textContent = this.statusText();
    const noRetry = state === "error" && this.error && this.error.retry === false;
    el.buttons.retry.style.display = noRetry ? "none" : "";
    if (state === "error" && this.error) {
      const kind = this.error.kind;
      el.errorTitle.textContent = this.text(`err_${kind}_title`);
      el.errorBody.textContent = this.text(`err_${kind}_body`, this.error.values || {});
      el.errorFallback.textContent = this.text("fallback");
    }
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
          size: `${Math.max(1, Math.round(photo.size / 1e3))} KB`,
        });
      }
      default:
        return "";
    }
  }

  // Show an error card of `kind` ("denied", "notfound", "busy", "insecure", "failed").
  fail(kind, values = {}, retry = true) {
    this.camera.close();
    this.error = { kind, values, retry };
    this.setState("error");
  }

  // Ask for the camera and show its live picture (the only place the camera is asked for).
  async openCamera() {
    if (!cameraAvailable()) {
      this.fail("insecure", {}, false);
      return;
    }
    this.setState("starting");
    let stream;
    try {
      stream = await this.camera.open(() => {
        if (this.state === "live" || this.state === "starting") this.fail("busy");
      });
    } catch (error) {
      if (!this.destroyed) this.fail(error.kind || "failed", { detail: error.detail || "Error" });
      return;
    }
    if (!stream || this.destroyed) return;
    if (this.state !== "starting") {
      this.camera.close();
      return;
    }
    this.setState("live");
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
    this.send("photo", { ...this.photo, data: base64 });
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

  // Release everything when the element leaves the page.
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.camera.close();
    this.root.removeEventListener("click", this.onClick);
    this.el.live.removeEventListener("loadeddata", this.onFrames);
    this.el.live.removeEventListener("playing", this.onFrames);
  }
}

export default function webcamSnapshot(component) {
  const { data, parentElement, setTriggerValue } = component;
  const root = parentElement.querySelector(".snap");
  if (!root) return undefined;
  let snapshot = snapshots.get(parentElement);
  if (!snapshot || snapshot.destroyed || snapshot.root !== root) {
    if (snapshot) snapshot.destroy();
    snapshot = new Snapshot(root);
    snapshots.set(parentElement, snapshot);
  }
  const generation = snapshot.attach(data, setTriggerValue);
  return () => snapshot.detach(generation);
}
