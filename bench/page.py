"""Page benchmark (Playwright + Debian's Chromium, sandbox): how much the page adds to a check.

    python bench/page.py [--runs 7] [--loads 3] [--latency-ms 0] [--floor]

Starts `streamlit run app.py` on a free port (sandbox backend, clean environment) and a
Chromium whose fake camera plays the astronaut photograph. Measures, in the same run:

- verdict_s: median seconds from clicking "Take photo" to the verdict card on screen,
             both ends timed by the page's own clock (the click's pointerdown, and the
             animation frame that first draws the card), so Playwright's own round trips
             are not counted;
- direct_s:  median seconds for the same check straight through the libraries
             (`media.prepare` + `FaceIdClient.detect` against a sandbox in this process)
             on the very JPEG that snapshot sent (the camera widget's canvas output, a
             quality-100 640x480 JPEG of about 280 KB), which this sandbox has not seen;
- ratio:     verdict_s / direct_s (the page's overhead; goal at most 3);
- load_s:    median seconds from navigation to an interactive page (the camera's
             "Take photo" button is ready).

With --floor it first times the same clicks on a page holding nothing but Streamlit's
camera widget (and a card once it has a photo): the part of verdict_s no page built on
`st.camera_input` can avoid on this machine.

A snapshot whose RequestId repeats an earlier one was answered from the session cache,
not sent: it is discarded and taken again. Final line: JSON
{"verdict_s", "direct_s", "ratio", "load_s"}.
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

from harness import browser as browser_harness

ROOT = Path(__file__).resolve().parents[1]

__all__ = ["main"]

TAKE_PHOTO = re.compile("Take photo", re.IGNORECASE)
TAKE_PHOTO_READY = (
    "() => [...document.querySelectorAll('button')]"
    ".some(b => /take photo/i.test(b.innerText) && !b.disabled)"
)
VERDICT_SHOWN = "() => document.querySelector('.adf-verdict') !== null"
# Before the page's own scripts: note when a pointer goes down and keep the last JPEG a
# canvas encodes (the camera widget takes its snapshot that way).
INSTRUMENT = """
document.addEventListener("pointerdown", () => { window.__benchClickAt = performance.now(); }, true);
const toDataURL = HTMLCanvasElement.prototype.toDataURL;
HTMLCanvasElement.prototype.toDataURL = function (...args) {
  const url = toDataURL.apply(this, args);
  window.__benchSnapshot = url;
  return url;
};
"""
# Resolves, in the animation frame that first draws a verdict card, to the milliseconds
# since the last pointerdown; fails if no card comes within 60 s.
VERDICT_DRAWN_MS = """
() => new Promise((resolve, reject) => {
  setTimeout(() => reject(new Error("no verdict card within 60 s")), 60000);
  const look = () => {
    if (document.querySelector(".adf-verdict")) resolve(performance.now() - window.__benchClickAt);
    else requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})
"""
CAMERA_PLAYING = (
    "() => [...document.querySelectorAll('video')].some(v => v.readyState >= 2 && v.videoWidth > 0)"
)
CLEAR_PHOTO = re.compile("Clear photo", re.IGNORECASE)


def _browser_fixtures() -> ModuleType:
    """The helpers shared with the browser tests (free port, clean env, y4m writer, Chromium)."""
    return browser_harness


class DirectCheck:
    """The page's check straight through the libraries: `media.prepare` + `detect`, against
    a sandbox in this process with the same scenario."""

    def __init__(self, latency_ms: float) -> None:
        from client import Credentials, FaceIdClient
        from samples import SCENARIO_PATH
        from sandbox import DEMO_SECRET_ID, DEMO_SECRET_KEY, Sandbox

        scenario = SCENARIO_PATH if SCENARIO_PATH.is_file() else None
        self.sandbox = Sandbox(port=0, scenario=scenario, latency_ms=latency_ms).start()
        credentials = Credentials(DEMO_SECRET_ID, DEMO_SECRET_KEY, source="bench")
        self.api = FaceIdClient(credentials, endpoint=self.sandbox.url, language="en-US")

    def once(self, jpeg: bytes) -> float:
        """Seconds for one prepare + detect of a snapshot."""
        from media import PrepareOptions, prepare

        started = time.perf_counter()
        prepared = prepare(jpeg, "camera.jpg", PrepareOptions())
        self.api.detect(prepared.data, prepared.input_type)
        return time.perf_counter() - started

    def close(self) -> None:
        """Stop the client and the sandbox."""
        self.api.close()
        self.sandbox.stop()


def _start_app(
    helpers: ModuleType, home: Path, latency_ms: float, script: Path = ROOT / "app.py"
) -> tuple[subprocess.Popen[bytes], str]:
    """`streamlit run <script>` (the app) on a free port; returns the process and its URL."""
    port = helpers.free_port()
    secrets = home / "secrets.toml"
    secrets.write_text(f"sandbox_latency_ms = {latency_ms}\n", encoding="utf-8")
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    command += ["--secrets.files", str(secrets)]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=helpers.clean_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    helpers.wait_healthy(url, process, 90.0)
    return process, url


def measure(
    helpers: ModuleType, url: str, y4m: Path, direct: DirectCheck | None, runs: int, loads: int
) -> tuple[list[float], list[float], list[float]]:
    """(snapshot-to-verdict s, direct-check s, navigation-to-interactive s).

    Each direct check runs right after a snapshot, while the browser shows the page with
    its live camera, so both figures see the same machine load."""
    from playwright.sync_api import sync_playwright

    args = list(helpers.CHROMIUM_ARGS)
    args += ["--use-fake-ui-for-media-stream", f"--use-file-for-fake-video-capture={y4m}"]
    verdicts: list[float] = []
    directs: list[float] = []
    load_times: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=helpers.CHROMIUM, args=args)
        for index in range(loads + 1):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.grant_permissions(["camera"])
            page = context.new_page()
            page.add_init_script(INSTRUMENT)
            started = time.perf_counter()
            page.goto(url)
            page.wait_for_function(TAKE_PHOTO_READY, polling="raf", timeout=90_000)
            if index:  # the first load warms the server's caches (sandbox start, imports)
                load_times.append(time.perf_counter() - started)
            if index < loads:
                context.close()
        seen: set[str] = set()
        attempts = 0
        while len(verdicts) < runs + 1 and attempts < runs * 3:
            attempts += 1
            time.sleep(1.2)  # a person's pace; the 1 s camera loop moves on to new frames
            take = page.get_by_role("button", name=TAKE_PHOTO)
            take.wait_for(timeout=30_000)
            page.wait_for_function(CAMERA_PLAYING, timeout=30_000)
            take.click()
            elapsed = page.evaluate(VERDICT_DRAWN_MS) / 1000
            request_id = page.get_by_test_id("stCode").first.inner_text().strip()
            fresh = request_id not in seen
            if fresh:
                seen.add(request_id)
                verdicts.append(elapsed)
            page.get_by_role("button", name=CLEAR_PHOTO).click()
            page.wait_for_function(f"() => !({VERDICT_SHOWN})()", polling="raf", timeout=30_000)
            if fresh and direct is not None:
                time.sleep(0.5)
                snapshot = page.evaluate("window.__benchSnapshot")
                directs.append(direct.once(base64.b64decode(snapshot.split(",", 1)[1])))
        browser.close()
    # The first of each warms up (imports, face models, connections).
    return verdicts[1:], directs[1:], load_times


# A page with nothing but Streamlit's camera widget and, once it has a photo, a card and a
# fresh id: what a snapshot costs before any check or drawing of the app's own.
CAMERA_ONLY_APP = """
import uuid

import streamlit as st

if st.camera_input("Camera", key="camera", resolution="480p"):
    st.markdown('<div class="adf-verdict">photo</div>', unsafe_allow_html=True)
    st.code(uuid.uuid4().hex)
"""


def _camera_floor(helpers: ModuleType, home: Path, runs: int) -> float:
    """Median seconds from the click to the card on the camera-only page."""
    script = home / "camera_only.py"
    script.write_text(CAMERA_ONLY_APP, encoding="utf-8")
    y4m = helpers.write_face_y4m(home / "floor.y4m")
    process, url = _start_app(helpers, home, 0.0, script)
    try:
        verdicts, _, _ = measure(helpers, url, y4m, None, runs, 0)
    finally:
        process.terminate()
        process.wait(timeout=30)
    return statistics.median(verdicts)


def main() -> None:
    """Run the benchmark and print its figures; the last line is JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=7, help="snapshots and direct checks")
    parser.add_argument("--loads", type=int, default=3, help="page loads to time")
    parser.add_argument(
        "--latency-ms",
        type=float,
        default=0.0,
        help="answer time added by both sandboxes, as a real service would take (default 0)",
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also time the same clicks on a page holding only Streamlit's camera widget",
    )
    options = parser.parse_args()
    helpers = _browser_fixtures()
    with tempfile.TemporaryDirectory() as tmp:
        floor = _camera_floor(helpers, Path(tmp), options.runs) if options.floor else None
        y4m = helpers.write_face_y4m(Path(tmp) / "face.y4m")
        direct = DirectCheck(options.latency_ms)
        process, url = _start_app(helpers, Path(tmp), options.latency_ms)
        try:
            verdicts, directs, loads = measure(
                helpers, url, y4m, direct, options.runs, options.loads
            )
        finally:
            process.terminate()
            process.wait(timeout=30)
            direct.close()
    verdict_s = statistics.median(verdicts)
    direct_s = statistics.median(directs)
    load_s = statistics.median(loads)
    ratio = verdict_s / direct_s
    print("snapshot -> verdict, each (s): " + " ".join(f"{v:.3f}" for v in verdicts))
    print("direct check, each (s):        " + " ".join(f"{v:.3f}" for v in directs))
    print(f"snapshot -> verdict on screen: median {verdict_s:.3f} s over {len(verdicts)} snapshots")
    print(f"same check through the client: median {direct_s:.3f} s over {len(directs)} calls")
    print(f"sandbox answer time added:     {options.latency_ms:.0f} ms on both sides")
    print(f"page overhead ratio:           {ratio:.2f} (goal <= 3)")
    print(f"navigation -> interactive:     median {load_s:.3f} s over {len(loads)} loads")
    if floor is not None:
        print(f"camera widget alone -> card:   median {floor:.3f} s (no check; Streamlit's floor)")
    figures = {"verdict_s": verdict_s, "direct_s": direct_s, "ratio": ratio, "load_s": load_s}
    print(json.dumps({name: round(value, 3) for name, value in figures.items()}))


if __name__ == "__main__":
    main()
