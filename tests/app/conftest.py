"""Fixtures for the page tests: `streamlit.testing.v1.AppTest` against `app.py`.

The page runs in this process, so every test gets a clean environment: no Tencent
credentials in the environment and `HOME` a temporary folder (no profile files).
"""

from __future__ import annotations

import base64
import copy
import importlib
import io
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

APP_PATH = Path(__file__).resolve().parents[2] / "app.py"
RUN_TIMEOUT_S = 60


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No keys from the environment or profile files reach the page under test."""
    import os

    for name in list(os.environ):
        if name.startswith(("TENCENTCLOUD_", "TCCLI_")):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    # The app's data folder (call budget, passcode attempts, stores, session folders).
    monkeypatch.setenv("ANTIDEEPFAKE_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture(autouse=True)
def _no_hidden_failures(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """The page shows a short message for unexpected errors; a test must still notice them."""
    caplog.set_level(logging.ERROR)
    yield
    hidden = [
        r.getMessage()
        for r in caplog.records
        if r.name in ("app", "components.check_run") and r.levelno >= logging.ERROR
    ]
    assert not hidden, f"the page hid an unexpected error: {hidden}"


@pytest.fixture
def new_app() -> Callable[..., AppTest]:
    """Factory: `new_app(secrets={...})` -> an AppTest of app.py that has run once."""

    def _make(secrets: dict[str, Any] | None = None, run: bool = True) -> AppTest:
        at = AppTest.from_file(str(APP_PATH), default_timeout=RUN_TIMEOUT_S)
        for name, value in (secrets or {}).items():
            at.secrets[name] = value
        if run:
            at.run()
        return at

    return _make


@pytest.fixture(scope="session")
def face_jpeg() -> bytes:
    """The public-domain astronaut photograph (skimage) as a 640x480 JPEG with one face."""
    import skimage.data
    from PIL import Image

    photo = Image.fromarray(skimage.data.astronaut()).resize((480, 480))
    canvas = Image.new("RGB", (640, 480), (128, 128, 128))
    canvas.paste(photo, (80, 0))
    out = io.BytesIO()
    canvas.save(out, format="JPEG", quality=90)
    return out.getvalue()


@pytest.fixture
def own_sandbox() -> Iterator[Callable[..., Any]]:
    """Factory: `own_sandbox(**kwargs)` -> a started `sandbox.Sandbox` stopped after the test."""
    from sandbox import Sandbox

    started: list[Any] = []

    def _start(**kwargs: Any) -> Any:
        kwargs.setdefault("qps", 1000.0)
        box = Sandbox(**kwargs).start()
        started.append(box)
        return box

    yield _start
    for box in started:
        box.stop()


# --- reading what the page shows -------------------------------------------------------

_VERDICT = re.compile(r'class="adf-verdict"[^>]*data-level="([^"]+)"[^>]*data-colour="([^"]+)"')
_ERROR = re.compile(r'class="adf-error"[^>]*data-code="([^"]+)"')


def markdown_bodies(at: AppTest) -> list[str]:
    """The text of every markdown element (main area and sidebar)."""
    return [m.value for m in at.markdown] + [m.value for m in at.sidebar.markdown]


def verdicts(at: AppTest) -> list[tuple[str, str]]:
    """(level, colour) of every verdict card on the page."""
    return [m.groups() for body in markdown_bodies(at) if (m := _VERDICT.search(body))]


def error_codes_shown(at: AppTest) -> list[str]:
    """The code of every guidance card on the page."""
    return [m.group(1) for body in markdown_bodies(at) if (m := _ERROR.search(body))]


def error_cards(at: AppTest) -> list[str]:
    """The HTML of every "no verdict" card (service guidance or unusable input)."""
    return [body for body in markdown_bodies(at) if 'class="adf-error"' in body]


def _nodes(node: Any) -> Iterator[Any]:
    """Every node below `node`, depth first."""
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _nodes(child)


def all_protos_text(at: AppTest) -> str:
    """Everything the page would send to the browser, as text (every element's proto)."""
    parts = []
    for node in (*_nodes(at.main), *_nodes(at.sidebar)):
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
            parts.append(proto.SerializeToString().decode("utf-8", "replace"))
        value = getattr(node, "value", None)
        if isinstance(value, str):
            parts.append(value)
    return "\n".join(parts)


def choose_way_in(at: AppTest, way: str) -> AppTest:
    """Pick the Check tab's way in ("camera", "upload", "sample", "clip") and rerun."""
    return at.segmented_control(key="way_in").set_value(way).run()


# Each components-v2 element the page mounts: its module and mount function.
ELEMENT_MOUNTS = {
    "webcam_snapshot": ("components.webcam_snapshot", "_mount_snapshot"),
    "webcam_recorder": ("components.webcam_recorder", "_mount_recorder"),
}


@contextmanager
def element_sends(element_key: str, event: str, value: Any) -> Iterator[list[str]]:
    """While inside, the element whose key contains `element_key` answers `event` with
    `value`, as it does on the one run after the browser sent that trigger; yields the keys
    it was mounted under.

    AppTest cannot run an element's JavaScript, and its public API sets no trigger: the
    real mount still draws the element (the page gets the same proto), and its answer
    gets the trigger's value. The browser tests drive the real JavaScript."""
    module_name, name = ELEMENT_MOUNTS[element_key.split("~")[0]]
    module = importlib.import_module(module_name)
    real = getattr(module, name)
    mounted: list[str] = []

    def mount(*, key: str, **kwargs: Any) -> Any:
        result = real(key=key, **kwargs)
        if element_key not in key:
            return result
        mounted.append(key)
        answer = copy.copy(result)
        answer[event] = value
        return answer

    setattr(module, name, mount)
    try:
        yield mounted
    finally:
        setattr(module, name, real)


def send_component_event(at: AppTest, element_key: str, event: str, value: Any) -> AppTest:
    """Rerun as the browser does when a components-v2 element sends a trigger (see
    `element_sends`); the element must be on the page."""
    with element_sends(element_key, event, value) as mounted:
        at.run()
    assert len(mounted) == 1, f"expected one {element_key!r} element, found {len(mounted)}"
    return at


def take_snapshot(at: AppTest, jpeg: bytes, photo_id: str = "photo-1") -> AppTest:
    """Choose the snapshot way in (if needed) and hand the page `jpeg` as the webcam
    snapshot element does after "Take photo"."""
    if at.segmented_control(key="way_in").value != "camera":
        choose_way_in(at, "camera")
    payload = {"id": photo_id, "width": 640, "height": 480, "size": len(jpeg)}
    payload["data"] = base64.b64encode(jpeg).decode("ascii")
    return send_component_event(at, "webcam_snapshot", "photo", payload)


class PageReader:
    """The helpers above as one object, handed to tests by the `read` fixture."""

    markdown_bodies = staticmethod(markdown_bodies)
    verdicts = staticmethod(verdicts)
    error_codes_shown = staticmethod(error_codes_shown)
    error_cards = staticmethod(error_cards)
    all_protos_text = staticmethod(all_protos_text)
    choose_way_in = staticmethod(choose_way_in)
    take_snapshot = staticmethod(take_snapshot)
    send_component_event = staticmethod(send_component_event)


@pytest.fixture
def read() -> PageReader:
    """Helpers reading verdict cards, error cards and every element of an AppTest."""
    return PageReader()
