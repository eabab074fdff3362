// Camera code shared by the page's components-v2 webcam elements (the snapshot and the
// clip recorder). `components/webcam_assets.py` puts this file in front of each element's
// own script, so both run the same camera code; it therefore has no exports of its own.
//
// The camera is opened only by `CameraFeed.open()`, which the elements call when the user
// presses their button, and released by `CameraFeed.close()` (also when an element
// leaves the page), so its light is on only while the user is using it.

// Fill `{name}` placeholders of a locale template.
function format(template, values) {
  return String(template ?? "").replace(/\{(\w+)\}/g, (whole, name) =>
    name in values ? String(values[name]) : whole,
  );
}

// A size in bytes as "1.2 MB" / "840 KB", 1024-based like Python's core.text.format_bytes
// (the page's preview says the same size the same way).
function humanSize(bytes) {
  if (bytes >= 1048576) return `${(bytes / 1048576).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

// A fresh id for one capture (a photo or a recording).
function newCaptureId() {
  if (globalThis.crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

// The error kind shown for a getUserMedia failure.
function cameraErrorKind(error) {
  switch (error && error.name) {
    case "NotAllowedError":
    case "SecurityError":
      return "denied";
    case "NotFoundError":
    case "OverconstrainedError":
    case "DevicesNotFoundError":
      return "notfound";
    case "NotReadableError":
    case "AbortError":
    case "TrackStartError":
      return "busy";
    default:
      return "failed";
  }
}

// Whether this page may ask for a camera at all (browsers hide it on plain-HTTP pages
// of hosts other than localhost).
function cameraAvailable() {
  return Boolean(
    window.isSecureContext && navigator.mediaDevices && navigator.mediaDevices.getUserMedia,
  );
}

// A camera error carrying the kind to show ("denied", "notfound", "busy", "failed",
// "insecure") and the browser's error name.
class CameraError extends Error {
  constructor(kind, detail) {
    super(kind);
    this.kind = kind;
    this.detail = detail || "Error";
  }
}

// One camera stream shown live in a <video>: opened on request, closed on request.
class CameraFeed {
  constructor(video) {
    this.video = video;
    this.stream = null;
    this.opening = 0;
  }

  // Ask for the front camera at about 640x480 and show it. Resolves to the stream, or
  // null when a later open() or close() superseded this one; rejects with CameraError.
  // `onEnded` runs if the camera goes away while open (unplugged, taken by another app).
  async open(onEnded) {
    if (!cameraAvailable()) throw new CameraError("insecure", "insecure");
    this.close();
    this.opening += 1;
    const opening = this.opening;
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: { width: { ideal: 640 }, height: { ideal: 480 }, facingMode: "user" },
      });
    } catch (error) {
      if (opening !== this.opening) return null;
      throw new CameraError(cameraErrorKind(error), error && error.name);
    }
    if (opening !== this.opening) {
      stream.getTracks().forEach((track) => track.stop());
      return null;
    }
    this.stream = stream;
    const [track] = stream.getVideoTracks();
    if (track && onEnded) {
      track.addEventListener("ended", () => {
        if (this.stream === stream) onEnded();
      });
    }
    this.video.srcObject = stream;
    this.video.play().catch(() => {}); // autoplay covers it; a superseded play() rejects.
    return stream;
  }

  // Whether frames are showing (a snapshot can be taken).
  playing() {
    return Boolean(this.stream) && this.video.readyState >= 2 && this.video.videoWidth > 0;
  }

  // Call `onFrame(mediaTime)` (seconds) for each camera frame the live picture shows,
  // until the returned function is called. Null where the browser cannot say when frames
  // arrive (no requestVideoFrameCallback): the caller then goes by the clock.
  watchFrames(onFrame) {
    const video = this.video;
    if (typeof video.requestVideoFrameCallback !== "function") return null;
    let handle = 0;
    let watching = true;
    const next = (now, metadata) => {
      if (!watching) return;
      onFrame(metadata.mediaTime);
      if (watching) handle = video.requestVideoFrameCallback(next);
    };
    handle = video.requestVideoFrameCallback(next);
    return () => {
      watching = false;
      video.cancelVideoFrameCallback(handle);
    };
  }

  // Release the camera (its light goes off) and cancel an open() under way.
  close() {
    this.opening += 1;
    if (this.stream) this.stream.getTracks().forEach((track) => track.stop());
    this.stream = null;
    this.video.srcObject = null;
  }
}
