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
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from harness.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    clean_env,
    free_port,
    stop_server,
    wait_healthy,
    write_face_y4m,
)

__all__: list[str] = []

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = PROJECT_ROOT / "artifacts" / "screenshots"
SERVER_START_TIMEOUT_S = 90.0

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

OpenPage = Callable[..., "Page"]


@pytest.fixture(scope="session")
def face_y4m(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Y4M fake-camera clip (640x480, 30 frames, 4:2:0) with a real face in it."""
    return write_face_y4m(tmp_path_factory.mktemp("camera") / "face.y4m")


@pytest.fixture(scope="session")
def streamlit_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served by `streamlit run` on a free port, on the sandbox; yields its URL."""
    home = tmp_path_factory.mktemp("home")
    port = free_port()
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
            command, cwd=PROJECT_ROOT, env=clean_env(home), stdout=log, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, SERVER_START_TIMEOUT_S)
    except RuntimeError as exc:
        process.kill()
        process.wait(timeout=10)
        pytest.fail(f"{exc}\n--- streamlit log ---\n{log_path.read_text(errors='replace')}")
    yield url
    stop_server(process)


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
    browsers: list[Browser] = []
    pages: list[Page] = []

    def _open(fake_video: Path | None = None, deny_camera: bool = False) -> Page:
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
                page.screenshot(
                    path=str(SCREENSHOT_DIR / _screenshot_name(request.node.name, index)),
                    full_page=True,
                )
        for browser in browsers:
            with contextlib.suppress(Exception):  # already gone
                browser.close()
        playwright.stop()
