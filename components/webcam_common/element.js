// What the page's webcam elements (snapshot and recorder) share beyond the camera: the
// markup of webcam_common/element.html brought to life (buttons, status line, error
// card, placeholder), the camera button, data from Python and the element's lifetime.
// `components/webcam_assets.py` puts this file after camera.js and before the element's
// own script, which extends `CameraElement` and mounts it with `mountCameraElement`.

// What an element that left the page held (its photo, clip or error), by the element's
// Streamlit key (`data.key`): a language switch redraws the page's tabs and so mounts
// the element anew, and the new one takes this up. One entry per element module.
const remembered = new Map();

class CameraElement {
  // Bind to the markup under `root` and add one button per `[action, primary]` of
  // `actions` (their labels come from `buttonLabel`; the CSS shows them by state).
  constructor(root, actions) {
    this.root = root;
    const name = (root.dataset.testid || "cam-root").replace(/-root$/, "");
    this.el = {
      live: root.querySelector(".cam-live"),
      placeholderText: root.querySelector(".cam-placeholder-text"),
      status: root.querySelector(".cam-status"),
      errorTitle: root.querySelector(".cam-error-title"),
      errorBody: root.querySelector(".cam-error-body"),
      errorFallback: root.querySelector(".cam-error-fallback"),
      buttons: {},
    };
    const box = root.querySelector(".cam-buttons");
    for (const [action, primary] of actions) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = primary ? "cam-btn cam-primary" : "cam-btn";
      button.dataset.action = action;
      button.setAttribute("data-testid", `${name}-${action}`);
      box.appendChild(button);
      this.el.buttons[action] = button;
    }
    this.camera = new CameraFeed(this.el.live);
    this.generation = 0;
    this.destroyed = false;
    this.state = "idle";
    this.error = null; // {kind, values, retry}
    this.data = {};
    this.strings = {};
    this.onClick = (event) => {
      const target = event.target.closest("button");
      if (target && !target.disabled && root.contains(target)) this.press(target);
    };
    root.addEventListener("click", this.onClick);
  }

  // Take new data from Python; returns the generation its cleanup must match.
  attach(data, setTriggerValue) {
    this.data = data || {};
    this.strings = this.data.strings || {};
    this.send = setTriggerValue;
    this.generation += 1;
    this.dataChanged();
    const kept = remembered.get(this.data.key);
    if (this.generation === 1 && kept) this.restore(kept);
    remembered.delete(this.data.key);
    this.render();
    return this.generation;
  }

  // Hook: new data arrived (before the redraw).
  dataChanged() {}

  // Cleanup from one call of the default export: only the latest call may tear down.
  detach(generation) {
    if (generation === this.generation) this.destroy();
  }

  // A locale string, with placeholders filled.
  text(key, values = {}) {
    return format(this.strings[key] ?? key, values);
  }

  // The label of the button for `action` (its locale key by default).
  buttonLabel(action) {
    return this.text(action);
  }

  // A button was pressed: the camera buttons here, the element's own in its override.
  press(button) {
    const action = button.dataset.action;
    if (action === "start" || action === "retry") this.openCamera();
  }

  // Move to `state` and redraw.
  setState(state) {
    this.state = state;
    this.render();
  }

  // Put every string and flag of the current state on the page, then the element's own.
  render() {
    const { el, state } = this;
    this.root.dataset.state = state;
    el.placeholderText.textContent = this.text("placeholder");
    el.live.setAttribute("aria-label", this.text("live_label"));
    for (const [action, button] of Object.entries(el.buttons)) {
      button.textContent = this.buttonLabel(action);
    }
    el.status.textContent = this.statusText();
    const noRetry = state === "error" && this.error && this.error.retry === false;
    el.buttons.retry.style.display = noRetry ? "none" : "";
    if (state === "error" && this.error) {
      const kind = this.error.kind;
      el.errorTitle.textContent = this.text(`err_${kind}_title`);
      el.errorBody.textContent = this.text(`err_${kind}_body`, this.error.values || {});
      el.errorFallback.textContent = this.text("fallback");
    }
    this.renderOwn();
  }

  // Hook: the element's own parts of the redraw.
  renderOwn() {}

  // Hook: the one-line status under the picture for the current state.
  statusText() {
    return "";
  }

  // Show an error card of `kind` ("denied", "notfound", "busy", "insecure", "failed", ...).
  fail(kind, values = {}, retry = true) {
    this.release();
    this.error = { kind, values, retry };
    this.setState("error");
  }

  // Release the camera (its light goes off); elements also stop their own work here.
  release() {
    this.camera.close();
  }

  // Ask for the camera and show its live picture (the only place the camera is asked
  // for); a camera lost while open shows "busy".
  async openCamera() {
    if (!cameraAvailable()) {
      this.fail("insecure", {}, false);
      return;
    }
    this.setState("starting");
    let stream;
    try {
      stream = await this.camera.open(() => this.fail("busy"));
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

  // What a new mount of this element should take up (see `remembered`): here an error
  // card; the elements add their photo or clip. Null when nothing is worth keeping.
  keep() {
    return this.state === "error" ? { state: "error", error: this.error } : null;
  }

  // Take up what `keep()` gave before the element was mounted anew.
  restore(kept) {
    if (kept.state === "error") {
      this.error = kept.error;
      this.state = "error";
    }
  }

  // Release everything when the element leaves the page, remembering what it held.
  destroy() {
    if (this.destroyed) return;
    const kept = this.keep();
    remembered.clear();
    if (kept && this.data.key) remembered.set(this.data.key, kept);
    this.destroyed = true;
    this.release();
    this.root.removeEventListener("click", this.onClick);
  }
}

// The default export of an element's module: one `Element` (a CameraElement) lives per
// mount point in `registry` (a WeakMap). Streamlit calls the export again whenever `data`
// changes (a language switch) and runs only the latest call's cleanup when the element
// unmounts, so later calls just hand the living element the new data.
function mountCameraElement(component, registry, Element) {
  const { data, parentElement, setTriggerValue } = component;
  const root = parentElement.querySelector(".cam");
  if (!root) return undefined;
  let element = registry.get(parentElement);
  if (!element || element.destroyed || element.root !== root) {
    if (element) element.destroy();
    element = new Element(root);
    registry.set(parentElement, element);
  }
  const generation = element.attach(data, setTriggerValue);
  return () => element.detach(generation);
}
