// Webcam recorder: a Streamlit components-v2 module (no build step). The camera code and
// UI it shares with the snapshot (`CameraFeed`, `CameraElement`, `mountCameraElement`,
// `newCaptureId`, ...) come from `components/webcam_common/{camera,element}.js`, put in
// front of this file by Python.
// Python passes `data` = {strings, default_seconds, min_seconds, max_seconds, max_bytes,
// bits_per_second}; on "Use this clip" the module sends the trigger `clip` =
// {id, mime, seconds, size, data (base64)}.

const recorders = new WeakMap();

// The container formats to ask MediaRecorder for, best first.
const MIME_CANDIDATES = [
  "video/mp4;codecs=avc1",
  "video/mp4",
  "video/webm;codecs=vp8",
  "video/webm;codecs=vp9",
  "video/webm",
];

const COUNTDOWN_FROM = 3;
// How long past the chosen length a recording may wait for the camera's frames.
const STALL_MS = 10000;

// The first container this browser's MediaRecorder can write, or "" for its default.
function pickMimeType() {
  if (typeof MediaRecorder.isTypeSupported !== "function") return "";
  return MIME_CANDIDATES.find((type) => MediaRecorder.isTypeSupported(type)) || "";
}

class Recorder extends CameraElement {
  // Bind to the component's markup under `root`.
  constructor(root) {
    super(root, [
      ["start", true],
      ["record", true],
      ["replay", false],
      ["redo", false],
      ["use", true],
      ["retry", false],
    ]);
    Object.assign(this.el, {
      review: root.querySelector(".recorder-review"),
      countdown: root.querySelector(".recorder-countdown"),
      recLabel: root.querySelector(".recorder-badge-label"),
      progress: root.querySelector(".recorder-progress"),
      progressFill: root.querySelector(".recorder-progress-fill"),
      length: root.querySelector(".recorder-length"),
      lengthLabel: root.querySelector(".recorder-length-label"),
      lengthOptions: root.querySelector(".recorder-length-options"),
    });
    this.recorder = null;
    this.chunks = [];
    this.clip = null; // {id, blob, url, mime, seconds}
    this.timers = new Set();
    this.frame = 0;
    this.frames = 0; // camera frames seen during the current recording
    this.unwatchFrames = null;
    this.seconds = null;
    this.left = null;
  }

  // New data from Python: the length choice follows its limits.
  dataChanged() {
    if (this.seconds === null) this.seconds = Number(this.data.default_seconds) || 3;
    this.buildLengthOptions();
  }

  // One radio-like button per allowed length.
  buildLengthOptions() {
    const low = Number(this.data.min_seconds) || 2;
    const high = Number(this.data.max_seconds) || 5;
    this.seconds = Math.min(high, Math.max(low, this.seconds));
    const box = this.el.lengthOptions;
    box.replaceChildren();
    for (let n = low; n <= high; n += 1) {
      const option = document.createElement("button");
      option.type = "button";
      option.className = "cam-btn";
      option.setAttribute("role", "radio");
      option.dataset.seconds = String(n);
      option.setAttribute("data-testid", `recorder-length-${n}`);
      option.textContent = this.text("seconds_short", { n });
      box.appendChild(option);
    }
  }

  // Route the length choice and the recorder's own buttons.
  press(button) {
    if (button.dataset.seconds) {
      this.seconds = Number(button.dataset.seconds);
      this.render();
      return;
    }
    const action = button.dataset.action;
    if (action === "record") this.startCountdown();
    else if (action === "replay") this.replay();
    else if (action === "redo") this.redo();
    else if (action === "use") this.useClip();
    else super.press(button);
  }

  // The recorder's button labels: "Record another" once a clip was used.
  buttonLabel(action) {
    if (action === "start") return this.text("start_camera");
    if (action === "redo") return this.text(this.state === "sent" ? "record_another" : "redo");
    return this.text(action);
  }

  // The recorder's own parts of the redraw: badge, length choice, review, busy buttons.
  renderOwn() {
    const { el, state } = this;
    el.recLabel.textContent = this.text("rec");
    el.lengthLabel.textContent = this.text("length_label");
    el.length.setAttribute("aria-label", this.text("length_label"));
    el.review.setAttribute("aria-label", this.text("review_label"));
    const busy = state === "sending";
    el.buttons.use.disabled = busy;
    el.buttons.redo.disabled = busy;
    const lengthLocked = !(state === "idle" || state === "live");
    el.lengthOptions.querySelectorAll("button").forEach((option) => {
      option.textContent = this.text("seconds_short", { n: option.dataset.seconds });
      option.setAttribute("aria-checked", String(Number(option.dataset.seconds) === this.seconds));
      option.disabled = lengthLocked;
    });
  }

  // The one-line status under the picture for the current state.
  statusText() {
    switch (this.state) {
      case "idle":
        return this.text("intro", { n: this.seconds });
      case "starting":
        return this.text("starting");
      case "live":
        return this.text("ready", { n: this.seconds });
      case "countdown":
        return this.text("get_ready");
      case "recording":
        return this.text("recording", { left: Math.max(0, Math.ceil(this.left ?? this.seconds)) });
      case "review":
      case "sending":
      case "sent": {
        const clip = this.clip;
        const summary = clip
          ? this.text("summary", {
              seconds: clip.seconds.toFixed(1),
              size: humanSize(clip.blob.size),
              format: clip.mime.split("/")[1].toUpperCase(),
            })
          : "";
        if (this.state === "sending") return this.text("sending");
        if (this.state === "sent") return this.text("sent", { summary });
        return summary;
      }
      default:
        return "";
    }
  }

  // Stop timers and any recording, and release the camera.
  release() {
    this.stopTimers();
    this.stopCamera();
  }

  // Ask for the camera (not without MediaRecorder), dropping a clip not yet used.
  async openCamera() {
    if (cameraAvailable() && typeof window.MediaRecorder === "undefined") {
      this.fail("norecorder", {}, false);
      return;
    }
    this.discardClip();
    await super.openCamera();
  }

  // Count 3-2-1 over the live picture, then record.
  startCountdown() {
    if (!this.camera.stream) return;
    let count = COUNTDOWN_FROM;
    this.el.countdown.textContent = String(count);
    this.setState("countdown");
    const tick = () => {
      count -= 1;
      if (count > 0) {
        this.el.countdown.textContent = String(count);
        this.later(tick, 1000);
      } else {
        this.startRecording();
      }
    };
    this.later(tick, 1000);
  }

  // Record `this.seconds` of the live stream with MediaRecorder. The length is measured
  // on the camera's own frames (their media time), not the wall clock: a camera that
  // starts late or a busy machine that delivers few frames still gives a clip of the
  // chosen length. Without a frame clock (no requestVideoFrameCallback) the wall clock
  // decides; a camera that stops delivering ends the recording after STALL_MS more.
  startRecording() {
    const mimeType = pickMimeType();
    let recorder;
    try {
      const options = { videoBitsPerSecond: Number(this.data.bits_per_second) || 2500000 };
      if (mimeType) options.mimeType = mimeType;
      recorder = new MediaRecorder(this.camera.stream, options);
    } catch (error) {
      this.fail("norecorder", { detail: (error && error.name) || "Error" }, false);
      return;
    }
    this.recorder = recorder;
    this.chunks = [];
    const target = this.seconds;
    let startedAt = 0;
    let recorded = 0; // seconds of media (or of wall clock, without a frame clock)
    const stop = () => {
      if (recorder.state !== "inactive") recorder.stop();
    };
    recorder.addEventListener("dataavailable", (event) => {
      if (event.data && event.data.size > 0) this.chunks.push(event.data);
    });
    recorder.addEventListener("error", (event) => {
      const name = (event.error && event.error.name) || "MediaRecorderError";
      this.fail("failed", { detail: name });
    });
    recorder.addEventListener("start", () => {
      startedAt = performance.now();
      this.left = target;
      this.frames = 0;
      this.root.dataset.frames = "0";
      this.setState("recording");
      let firstFrame = null;
      this.unwatchFrames = this.camera.watchFrames((mediaTime) => {
        if (firstFrame === null) firstFrame = mediaTime;
        recorded = mediaTime - firstFrame;
        this.frames += 1;
        this.root.dataset.frames = String(this.frames);
        this.showProgress(recorded, target);
        if (recorded >= target) stop();
      });
      if (!this.unwatchFrames) {
        const tick = () => {
          recorded = (performance.now() - startedAt) / 1000;
          this.showProgress(recorded, target);
          if (recorded >= target) stop();
          else if (this.state === "recording") this.frame = requestAnimationFrame(tick);
        };
        this.frame = requestAnimationFrame(tick);
      }
      this.later(stop, target * 1000 + STALL_MS);
    });
    recorder.addEventListener("stop", () => {
      if (this.recorder !== recorder || this.state !== "recording") return;
      this.finishRecording(recorder.mimeType || mimeType || "video/webm", recorded);
    });
    this.el.progressFill.style.width = "0%";
    recorder.start(500);
  }

  // Show how much of `target` seconds is recorded: the bar and the seconds left.
  showProgress(recorded, target) {
    const share = Math.min(1, recorded / target);
    this.el.progressFill.style.width = `${(share * 100).toFixed(1)}%`;
    this.el.progress.setAttribute("aria-valuenow", String(Math.round(share * 100)));
    const left = Math.max(0, Math.ceil(target - recorded));
    if (left !== this.left) {
      this.left = left;
      this.el.status.textContent = this.statusText();
    }
  }

  // Wrap the recorded chunks as a clip and show it for review.
  finishRecording(recordedMime, seconds) {
    this.release();
    const mime = recordedMime.split(";")[0].trim() || "video/webm";
    const blob = new Blob(this.chunks, { type: mime });
    this.chunks = [];
    if (blob.size === 0) {
      this.fail("empty");
      return;
    }
    const maxBytes = Number(this.data.max_bytes) || Infinity;
    if (blob.size > maxBytes) {
      this.fail("too_large", { size: humanSize(blob.size), max: humanSize(maxBytes) });
      return;
    }
    const url = URL.createObjectURL(blob);
    this.clip = { id: newCaptureId(), blob, url, mime, seconds };
    this.el.review.src = url;
    this.setState("review");
    this.el.review.play().catch(() => {}); // muted-less autoplay may be refused; controls remain.
  }

  // Play the recorded clip again from the start.
  replay() {
    const video = this.el.review;
    video.currentTime = 0;
    video.play().catch(() => {});
  }

  // Drop the clip and go back to the live camera.
  redo() {
    this.discardClip();
    this.openCamera();
  }

  // Hand the clip to Python as base64 (component values travel as JSON).
  useClip() {
    const clip = this.clip;
    if (!clip || this.state !== "review") return;
    this.setState("sending");
    const reader = new FileReader();
    reader.addEventListener("load", () => {
      if (this.destroyed || this.clip !== clip) return;
      const dataUrl = String(reader.result || "");
      const base64 = dataUrl.slice(dataUrl.indexOf(",") + 1);
      this.send("clip", {
        id: clip.id,
        mime: clip.mime,
        seconds: Math.round(clip.seconds * 100) / 100,
        size: clip.blob.size,
        data: base64,
      });
      this.setState("sent");
    });
    reader.addEventListener("error", () => this.fail("failed", { detail: "FileReader" }));
    reader.readAsDataURL(clip.blob);
  }

  // setTimeout that is cancelled with the recorder.
  later(fn, ms) {
    const id = setTimeout(() => {
      this.timers.delete(id);
      if (!this.destroyed) fn();
    }, ms);
    this.timers.add(id);
  }

  // Cancel pending countdown/stop timers and the progress animation.
  stopTimers() {
    this.timers.forEach((id) => clearTimeout(id));
    this.timers.clear();
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (this.unwatchFrames) this.unwatchFrames();
    this.unwatchFrames = null;
  }

  // Stop any recording and release the camera (its light goes off).
  stopCamera() {
    const recorder = this.recorder;
    this.recorder = null;
    if (recorder && recorder.state !== "inactive") {
      try {
        recorder.stop();
      } catch (error) {
        // Already stopping: nothing left to release.
      }
    }
    this.camera.close();
  }

  // Forget the recorded clip and free its object URL.
  discardClip() {
    if (this.clip) URL.revokeObjectURL(this.clip.url);
    this.clip = null;
    this.el.review.pause();
    this.el.review.removeAttribute("src");
    this.el.review.load();
  }

  // The clip recorded (under review, or used while Python still holds it).
  keep() {
    const clip = this.clip;
    if (clip && ["review", "sending", "sent"].includes(this.state)) {
      const { id, blob, mime, seconds } = clip;
      return { state: this.state === "sent" ? "sent" : "review", clip: { id, blob, mime, seconds } };
    }
    return super.keep();
  }

  // Show the clip again: one under review always, a used one if Python still holds it
  // (`data.kept` is its id).
  restore(kept) {
    if (!kept.clip) {
      super.restore(kept);
      return;
    }
    if (kept.state === "sent" && kept.clip.id !== this.data.kept) return;
    const url = URL.createObjectURL(kept.clip.blob);
    this.clip = { ...kept.clip, url };
    this.el.review.src = url;
    this.state = kept.state;
  }

  // Release everything when the element leaves the page.
  destroy() {
    if (this.destroyed) return;
    super.destroy();
    this.discardClip();
  }
}

export default function webcamRecorder(component) {
  return mountCameraElement(component, recorders, Recorder);
}
