"""Fixtures for the real-browser tests: a fake camera feed, the running app, and Chromium.

Every browser test is marked ``@pytest.mark.browser`` and drives Debian's Chromium
(``/usr/bin/chromium``) through Playwright's sync API. Playwright's own browsers are never
downloaded (never run ``playwright install``).

Fixtures
--------
``face_y4m`` (session)
    A ``Path`` to a Y4M file (640x480, 30 frames at 30 fps, 4:2:0 YUV) showing a real face:
    the public-domain astronaut photograph shipped with scikit-image
    (``skimage/data/astronaut.png``), panning a pixel per frame so the feed is alive and
    every frame differs (two snapshots are never the same bytes).
    Chromium plays it as its fake webcam (``--use-file-for-fake-video-capture``).

``streamlit_app`` (session)
    Starts ``python -m streamlit run app.py --server.headless true --server.port <free>``
    from the project root with a clean environment (no ``TENCENTCLOUD_*``/``TCCLI_*``
    variables, ``HOME`` a temporary folder), so the page runs on its built-in sandbox.
    Waits for ``/_stcore/health`` and yields the base URL (``http://127.0.0.1:<port>``);
    stops the server at the end of the session.

``open_page`` (function)
    A factory ``open_page(fake_video: Path | None = None, deny_camera: bool = False) -> Page``.
    Each call launches Chromium with a fake media device and returns a fresh Playwright
    ``Page`` (not yet navigated). Unless ``deny_camera``: the browser auto-accepts the
    camera prompt, plays ``fake_video`` (default: ``face_y4m``) as the camera, and the
    context is granted the ``camera`` permission. With ``deny_camera`` no permission is
    granted, so ``getUserMedia`` is refused. After the test every page opened this way is
    saved to ``artifacts/screenshots/<test>.png`` (``-2``, ``-3``... for further pages) and
    everything is closed.

Example::

    @pytest.mark.browser
    def test_title(streamlit_app, open_page):
        page = open_page()
        page.goto(streamlit_app)
        page.get_by_text("Check").first.wait_for()
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

__all__: list[str] = []

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SCREENSHOT_DIR = PROJECT_ROOT / "artifacts" / "screenshots"
FRAME_SIZE = (640, 480)
FRAME_COUNT = 30
SERVER_START_TIMEOUT_S = 90.0
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-device-for-media-stream",
]

OpenPage = Callable[..., "object"]


def _free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _astronaut_frame() -> object:
    """The astronaut photograph letterboxed onto a 640x480 RGB canvas (numpy array)."""
    import numpy as np
    import skimage.data
    from PIL import Image

    photo = Image.fromarray(skimage.data.astronaut()).resize((480, 480), Image.LANCZOS)
    canvas = Image.new("RGB", FRAME_SIZE, (128, 128, 128))
    canvas.paste(photo, ((FRAME_SIZE[0] - 480) // 2, 0))
    return np.asarray(canvas)


def write_face_y4m(path: Path, frames: int = FRAME_COUNT) -> Path:
    """Write a 640x480, 30 fps, 4:2:0 Y4M clip of the astronaut's face to `path`."""
    import cv2
    import numpy as np

    width, height = FRAME_SIZE
    base = _astronaut_frame()
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F30:1 Ip A1:1 C420jpeg\n".encode("ascii"))
        for index in range(frames):
            shift = index - frames // 2  # a slow pan: every frame differs from the others
            frame = np.roll(base, shift, axis=1)
            planes = cv2.cvtColor(np.ascontiguousarray(frame), cv2.COLOR_RGB2YUV_I420)
            out.write(b"FRAME\n")
            out.write(planes.tobytes())
    return path


@pytest.fixture(scope="session")
def face_y4m(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Y4M fake-camera clip (640x480, 30 frames, 4:2:0) with a real face in it."""
    return write_face_y4m(tmp_path_factory.mktemp("camera") / "face.y4m")


def _clean_env(home: Path) -> dict[str, str]:
    """The environment for the app: no Tencent credentials anywhere, a private HOME."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TENCENTCLOUD_", "TCCLI_", "STREAMLIT_"))
    }
    env["HOME"] = str(home)
    env["PYTHONUNBUFFERED"] = "1"
    env["ANTIDEEPFAKE_DATA_DIR"] = str(home / "data")  # budget, stores, session folders
    return env


def _wait_healthy(url: str, process: subprocess.Popen[bytes], timeout_s: float) -> None:
    """Block until `url`/_stcore/health answers 200; fail if the server dies or stalls."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"streamlit did not answer {url}/_stcore/health in {timeout_s:.0f} s")


@pytest.fixture(scope="session")
def streamlit_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served by `streamlit run` on a free port, on the sandbox; yields its URL."""
    home = tmp_path_factory.mktemp("home")
    port = _free_port()
    log_path = home / "streamlit.log"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=_clean_env(home), stdout=log, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, SERVER_START_TIMEOUT_S)
    except RuntimeError as exc:
        process.kill()
        process.wait(timeout=10)
        pytest.fail(f"{exc}\n--- streamlit log ---\n{log_path.read_text(errors='replace')}")
    yield url
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _screenshot_name(node_name: str, index: int) -> str:
    """A file-safe screenshot name for the `index`-th page of a test."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", node_name).strip("_") or "test"
    return f"{safe}.png" if index == 0 else f"{safe}-{index + 1}.png"


@pytest.fixture
def open_page(request: pytest.FixtureRequest, face_y4m: Path) -> Iterator[OpenPage]:
    """Factory: `open_page(fake_video=None, deny_camera=False)` -> a fresh Chromium page."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (scripts/test.sh installs it)")
    playwright = sync_playwright().start()
    browsers: list[object] = []
    pages: list[object] = []

    def _open(fake_video: Path | None = None, deny_camera: bool = False) -> object:
        """Launch Chromium with a fake camera and return a new page in a new context."""
        args = list(CHROMIUM_ARGS)
        if not deny_camera:
            video = fake_video or face_y4m
            args += ["--use-fake-ui-for-media-stream", f"--use-file-for-fake-video-capture={video}"]
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        browsers.append(browser)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        if not deny_camera:
            context.grant_permissions(["camera"])
        page = context.new_page()
        page.set_default_timeout(30_000)
        pages.append(page)
        return page

    try:
        yield _open
    finally:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        for index, page in enumerate(pages):
            with contextlib.suppress(Exception):  # a closed page has nothing left to save
                page.screenshot(  # type: ignore[attr-defined]
                    path=str(SCREENSHOT_DIR / _screenshot_name(request.node.name, index)),
                    full_page=True,
                )
        for browser in browsers:
            with contextlib.suppress(Exception):  # already gone
                browser.close()  # type: ignore[attr-defined]
        playwright.stop()
