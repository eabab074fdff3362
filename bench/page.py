"""Page benchmark (Playwright + Debian's Chromium, sandbox): how much the page adds to a check.

    python bench/page.py [--runs 7] [--loads 3]

Starts `streamlit run app.py` on a free port (sandbox backend, clean environment) and a
Chromium whose fake camera plays the astronaut photograph. Measures, in the same run:

- verdict_s: median seconds from clicking "Take photo" to the verdict card on screen;
- direct_s:  median seconds for the same check straight through the libraries
             (`media.prepare` + `FaceIdClient.detect` against a sandbox in this process),
             each on a new frame of the same camera picture, as every snapshot is: the
             sandbox remembers work per content, so resending one JPEG would be faster
             than any real snapshot;
- ratio:     verdict_s / direct_s (the page's overhead; goal at most 3);
- load_s:    median seconds from navigation to an interactive page (the camera's
             "Take photo" button is ready).

A snapshot whose RequestId repeats an earlier one was answered from the session cache,
not sent: it is discarded and taken again. Final line: JSON
{"verdict_s", "direct_s", "ratio", "load_s"}.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

__all__ = ["main"]

TAKE_PHOTO = re.compile("Take photo", re.IGNORECASE)
TAKE_PHOTO_READY = (
    "() => [...document.querySelectorAll('button')]"
    ".some(b => /take photo/i.test(b.innerText) && !b.disabled)"
)
VERDICT_SHOWN = "() => document.querySelector('.adf-verdict') !== null"
CAMERA_PLAYING = (
    "() => [...document.querySelectorAll('video')].some(v => v.readyState >= 2 && v.videoWidth > 0)"
)
CLEAR_PHOTO = re.compile("Clear photo", re.IGNORECASE)


def _browser_fixtures() -> object:
    """The browser tests' helpers (free port, clean env, y4m writer, Chromium flags)."""
    spec = importlib.util.spec_from_file_location(
        "browser_conftest", ROOT / "tests" / "browser" / "conftest.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _snapshot_jpegs(y4m_helpers: object, count: int) -> list[bytes]:
    """`count` 640x480 JPEGs of the fake camera's picture, as the camera widget would send
    them: each frame panned a pixel further, like the fake camera's feed, so no two match."""
    import numpy as np
    from PIL import Image

    frame = y4m_helpers._astronaut_frame()  # type: ignore[attr-defined]
    jpegs = []
    for shift in range(count):
        out = io.BytesIO()
        Image.fromarray(np.roll(frame, shift, axis=1)).save(out, format="JPEG", quality=92)
        jpegs.append(out.getvalue())
    return jpegs


class DirectCheck:
    """The page's check straight through the libraries: `media.prepare` + `detect`, against
    a sandbox in this process with the same scenario."""

    def __init__(self, jpegs: list[bytes], latency_ms: float) -> None:
        from client import Credentials, FaceIdClient
        from components.backend import SCENARIO_PATH
        from sandbox import DEMO_SECRET_ID, DEMO_SECRET_KEY, Sandbox

        scenario = SCENARIO_PATH if SCENARIO_PATH.is_file() else None
        self.jpegs = iter(jpegs)  # a new snapshot for every check (encoded beforehand)
        self.sandbox = Sandbox(port=0, scenario=scenario, latency_ms=latency_ms).start()
        credentials = Credentials(DEMO_SECRET_ID, DEMO_SECRET_KEY, source="bench")
        self.api = FaceIdClient(credentials, endpoint=self.sandbox.url, language="en-US")

    def once(self) -> float:
        """Seconds for one prepare + detect of the next snapshot."""
        from media import PrepareOptions, prepare

        jpeg = next(self.jpegs)
        started = time.perf_counter()
        prepared = prepare(jpeg, "camera.jpg", PrepareOptions())
        self.api.detect(prepared.data, prepared.input_type)
        return time.perf_counter() - started

    def close(self) -> None:
        """Stop the client and the sandbox."""
        self.api.close()
        self.sandbox.stop()


def _start_app(
    helpers: object, home: Path, latency_ms: float
) -> tuple[subprocess.Popen[bytes], str]:
    """`streamlit run app.py` on a free port; returns the process and its URL."""
    port = helpers._free_port()  # type: ignore[attr-defined]
    secrets = home / "secrets.toml"
    secrets.write_text(f"sandbox_latency_ms = {latency_ms}\n", encoding="utf-8")
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    command += ["--secrets.files", str(secrets)]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=helpers._clean_env(home),  # type: ignore[attr-defined]
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    helpers._wait_healthy(url, process, 90.0)  # type: ignore[attr-defined]
    return process, url


def measure(
    helpers: object, url: str, y4m: Path, direct: DirectCheck, runs: int, loads: int
) -> tuple[list[float], list[float], list[float]]:
    """(snapshot-to-verdict s, direct-check s, navigation-to-interactive s).

    Each direct check runs right after a snapshot, while the browser shows the page with
    its live camera, so both figures see the same machine load."""
    from playwright.sync_api import sync_playwright

    args = list(helpers.CHROMIUM_ARGS)  # type: ignore[attr-defined]
    args += ["--use-fake-ui-for-media-stream", f"--use-file-for-fake-video-capture={y4m}"]
    verdicts: list[float] = []
    directs: list[float] = []
    load_times: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=helpers.CHROMIUM, args=args)  # type: ignore[attr-defined]
        for index in range(loads + 1):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.grant_permissions(["camera"])
            page = context.new_page()
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
            started = time.perf_counter()
            take.click()
            # Checked at every animation frame: Playwright's own waits poll ever more slowly.
            page.wait_for_function(VERDICT_SHOWN, polling="raf", timeout=60_000)
            elapsed = time.perf_counter() - started
            request_id = page.get_by_test_id("stCode").first.inner_text().strip()
            fresh = request_id not in seen
            if fresh:
                seen.add(request_id)
                verdicts.append(elapsed)
            page.get_by_role("button", name=CLEAR_PHOTO).click()
            page.wait_for_function(f"() => !({VERDICT_SHOWN})()", polling="raf", timeout=30_000)
            if fresh:
                time.sleep(0.5)
                directs.append(direct.once())
        browser.close()
    # The first of each warms up (imports, face models, connections).
    return verdicts[1:], directs[1:], load_times


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
    options = parser.parse_args()
    helpers = _browser_fixtures()
    with tempfile.TemporaryDirectory() as tmp:
        y4m = helpers.write_face_y4m(Path(tmp) / "face.y4m")  # type: ignore[attr-defined]
        # Enough snapshots for every attempt the measurement may make (runs * 3 at most).
        jpegs = _snapshot_jpegs(helpers, options.runs * 3 + 1)
        direct = DirectCheck(jpegs, options.latency_ms)
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
    figures = {"verdict_s": verdict_s, "direct_s": direct_s, "ratio": ratio, "load_s": load_s}
    print(json.dumps({name: round(value, 3) for name, value in figures.items()}))


if __name__ == "__main__":
    main()
