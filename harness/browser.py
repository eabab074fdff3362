"""What a real-browser run of the page needs: Chromium, a fake camera, a served app.

Used by the browser tests' fixtures (`tests/browser/conftest.py`) and `bench/page.py`,
so both start the app and Chromium the same way. Playwright's own browsers are never
downloaded: Debian's `/usr/bin/chromium` is driven instead.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "FRAME_COUNT",
    "FRAME_SIZE",
    "clean_env",
    "free_port",
    "stop_server",
    "wait_healthy",
    "write_face_y4m",
]

CHROMIUM = "/usr/bin/chromium"
FRAME_SIZE = (640, 480)
FRAME_COUNT = 30
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


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _astronaut_frame() -> Any:
    """The astronaut photograph letterboxed onto a 640x480 RGB canvas (numpy array)."""
    import numpy as np
    import skimage.data
    from PIL import Image

    photo = Image.fromarray(skimage.data.astronaut())
    photo = photo.resize((480, 480), Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", FRAME_SIZE, (128, 128, 128))
    canvas.paste(photo, ((FRAME_SIZE[0] - 480) // 2, 0))
    return np.asarray(canvas)


def write_face_y4m(path: Path, frames: int = FRAME_COUNT) -> Path:
    """Write a 640x480, 30 fps, 4:2:0 Y4M clip of the astronaut's face to `path`.

    The picture pans a pixel per frame, so the feed is alive and every frame differs
    (two snapshots are never the same bytes). Chromium plays it as its fake webcam
    (`--use-file-for-fake-video-capture`)."""
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


def clean_env(home: Path) -> dict[str, str]:
    """The environment for the app: no Tencent credentials anywhere, a private HOME, no
    file watcher."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TENCENTCLOUD_", "TCCLI_", "STREAMLIT_"))
    }
    env["HOME"] = str(home)
    env["PYTHONUNBUFFERED"] = "1"
    env["ANTIDEEPFAKE_DATA_DIR"] = str(home / "data")  # budget, stores, session folders
    # The served copy is never reloaded by an edit of the checkout during a run (a reload
    # swaps the classes under a live session: a test would see errors no user meets).
    env["STREAMLIT_SERVER_FILE_WATCHER_TYPE"] = "none"
    return env


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """Stop a served app: SIGTERM, then SIGKILL if it has not ended within 15 s."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def wait_healthy(url: str, process: subprocess.Popen[bytes], timeout_s: float) -> None:
    """Block until `url`/_stcore/health answers 200; RuntimeError if the server dies or stalls."""
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
        time.sleep(0.2)  # polling a server that is still starting, not synchronising tests
    raise RuntimeError(f"streamlit did not answer {url}/_stcore/health in {timeout_s:.0f} s")
