"""Shared helpers for the evaluation tests: generated datasets and sandbox credentials."""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import skimage.data
from PIL import Image

from client import Credentials, FaceIdClient
from media import PrepareOptions, prepare
from sandbox import DEMO_SECRET_ID, DEMO_SECRET_KEY

BASES = (
    "astronaut.png",
    "coffee.png",
    "chelsea.png",
    "rocket.jpg",
    "motorcycle_left.png",
    "retina.jpg",
)
DATA_DIR = Path(skimage.data.__file__).parent
# Tests prepare without the face pre-flight: generated pictures need no faces and it is faster.
FAST = PrepareOptions(max_side=320, check_faces=False)


@cache
def _base(name: str) -> np.ndarray:
    """One of skimage's bundled photos, as RGB."""
    return np.asarray(Image.open(DATA_DIR / name).convert("RGB"))


def picture(index: int) -> bytes:
    """A distinct JPEG per index: one of the photos, turned, mirrored and cropped by the index."""
    base = _base(BASES[index % len(BASES)])
    step = index // len(BASES)
    h, w = base.shape[:2]
    side = min(h, w) * 3 // 4
    shift = (step // 8) * 13 % (min(h, w) - side)
    crop = np.rot90(base[shift : shift + side, shift : shift + side], k=step % 4)
    if (step // 4) % 2:
        crop = crop[:, ::-1]
    img = Image.fromarray(np.ascontiguousarray(crop)).resize((240, 240))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=88)
    return buf.getvalue()


def write_folder(root: Path, layout: dict[str, int], start: int = 0) -> dict[str, bytes]:
    """Write `count` pictures into each relative folder of `layout`; returns path -> bytes."""
    written: dict[str, bytes] = {}
    index = start
    for folder, count in layout.items():
        (root / folder).mkdir(parents=True, exist_ok=True)
        for _ in range(count):
            data = picture(index)
            rel = f"{folder}/img{index:03d}.jpg"
            (root / rel).write_bytes(data)
            written[rel] = data
            index += 1
    return written


def prepared_sha(data: bytes, name: str = "x.jpg") -> str:
    """The sha256 the sandbox sees for this file under the tests' preparation settings."""
    return prepare(data, name, FAST).sha256


@pytest.fixture
def demo_client() -> Callable[[str], Callable[[], FaceIdClient]]:
    """A factory of client factories for a sandbox URL, with the demo credentials."""
    creds = Credentials(DEMO_SECRET_ID, DEMO_SECRET_KEY, source="test")
    return lambda url: lambda: FaceIdClient(creds, endpoint=url, max_retries=0)


@pytest.fixture
def cli_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment for a CLI subprocess: demo credentials, an empty HOME, this repo on the path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TENCENTCLOUD_", "TCCLI_"))}
    env |= {
        "TENCENTCLOUD_SECRET_ID": DEMO_SECRET_ID,
        "TENCENTCLOUD_SECRET_KEY": DEMO_SECRET_KEY,
        "HOME": str(tmp_path / "home"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    yield env


class Kit:
    """The helpers above, handed to tests as a fixture (test modules cannot import conftest)."""

    FAST = FAST
    picture = staticmethod(picture)
    write_folder = staticmethod(write_folder)
    prepared_sha = staticmethod(prepared_sha)


@pytest.fixture
def kit() -> type[Kit]:
    """Dataset and scenario helpers."""
    return Kit


def wait_for_the_run(at: Any, timeout: float = 60) -> None:
    """Wait until the AppTest session's background evaluation run has ended, then draw the
    page again (without an exception)."""
    job = at.session_state["eval_job"]
    deadline = time.monotonic() + timeout
    while job.running and time.monotonic() < deadline:
        job.thread.join(0.1)
    assert not job.running, "the run ended"
    at.run()
    assert not at.exception, at.exception
