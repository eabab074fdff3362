"""The webcam recorder's Python side: what it mounts, what it accepts, and what it
answers across reruns (AppTest, no browser)."""

from __future__ import annotations

import base64
import json
import re
import textwrap
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.i18n import LANGUAGES, load_strings
from components.webcam_assets import element_assets
from components.webcam_recorder import (
    DEFAULT_SECONDS,
    JS_STRING_KEYS,
    ClipError,
    accept_clip,
    decode_clip,
    max_clip_bytes,
    recorder_component_data,
)

CLIP = b"\x1a\x45\xdf\xa3" + bytes(range(256)) * 8  # a WebM magic number and some body

SCRIPT = textwrap.dedent(
    """
    import streamlit as st
    from components.context import AppContext
    from components.webcam_recorder import webcam_recorder_ui

    ctx = AppContext(
        lang=st.session_state.get("lang", "en"), backend="sandbox", endpoint="http://x",
        region=None, prepare_options=None, credentials_source="sandbox",
        make_client=lambda: None,
    )
    data = webcam_recorder_ui(ctx)
    st.session_state.setdefault("answers", []).append(data)
    """
)


def _payload(data: bytes = CLIP, recording_id: str = "rec-1", **extra: object) -> dict:
    """A `clip` trigger value as the browser sends it."""
    return {
        "id": recording_id,
        "mime": "video/webm;codecs=vp8",
        "seconds": 3.02,
        "size": len(data),
        "data": base64.b64encode(data).decode(),
        **extra,
    }


def test_every_browser_string_exists_in_both_languages() -> None:
    for lang in LANGUAGES:
        strings = load_strings(lang)
        missing = [key for key in JS_STRING_KEYS if f"clip.{key}" not in strings]
        assert not missing, f"{lang}: {missing}"


def test_browser_side_asks_only_for_strings_it_is_given() -> None:
    js = element_assets("webcam_recorder", "recorder", "recorder")["js"]  # with the shared parts
    asked = set(re.findall(r'this\.text\(\s*"(\w+)"', js))
    asked |= {"record", "replay", "redo", "use", "retry"}  # the button loop
    asked |= {"record_another"}  # chosen by a conditional expression
    kinds = set(re.findall(r'this\.fail\(\s*"(\w+)"', js)) | set(re.findall(r'return "(\w+)";', js))
    asked |= {f"err_{kind}_{part}" for kind in kinds for part in ("title", "body")}
    assert {"denied", "notfound", "insecure", "norecorder"} <= kinds
    assert asked - set(JS_STRING_KEYS) == set()
    # No user-facing sentence is hard-coded in the markup: it all comes from the locales.
    html = element_assets("webcam_recorder", "recorder", "recorder")["html"]
    assert re.sub(r"<[^>]+>", "", html).strip() == ""
    assert "slot:" not in html and 'data-testid="recorder-root"' in html


def test_component_data_is_in_the_page_language() -> None:
    zh = recorder_component_data("zh", 1000)
    en = recorder_component_data("en", 1000)
    assert zh["strings"]["use"] == load_strings("zh")["clip.use"]
    assert en["strings"]["use"] == "Use this clip"
    assert zh["strings"]["use"] != en["strings"]["use"]
    assert (en["min_seconds"], en["default_seconds"], en["max_seconds"]) == (2, DEFAULT_SECONDS, 5)
    assert recorder_component_data("en", 1000, default_seconds=9)["default_seconds"] == 5
    json.dumps(zh)  # it must travel as JSON


def test_size_cap_fits_streamlits_browser_message_limit() -> None:
    cap = max_clip_bytes()
    # 25 MB of base64 (Streamlit's default server.maxWidgetStateSize) carries ~18.7 MB.
    assert 10_000_000 < cap <= 30_000_000
    assert len(base64.b64encode(b"\0" * cap)) < 25_000_000


def test_decode_gives_the_exact_bytes_and_normalised_mime() -> None:
    clip = decode_clip(_payload(), max_bytes=10_000)
    assert clip.data == CLIP
    assert clip.mime == "video/webm"
    assert clip.seconds == pytest.approx(3.02)
    assert clip.recording_id == "rec-1"
    assert "data=" not in repr(clip)  # a repr never dumps megabytes of video


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ("not a dict", "payload"),
        ({"id": "x"}, "payload"),
        ({"id": "", "data": "AAAA"}, "payload"),
        ({"id": "x", "data": "@@not base64@@"}, "payload"),
        ({"id": "x", "data": ""}, "empty"),
        (_payload(b"\0" * 2000), "too_large"),
    ],
)
def test_unusable_payloads_raise_a_clip_error(payload: object, code: str) -> None:
    with pytest.raises(ClipError) as caught:
        decode_clip(payload, max_bytes=1000)
    assert caught.value.code == code
    for lang in LANGUAGES:
        text = caught.value.text(lang)
        assert text and "\n" not in text and "clip.bad_" not in text


def test_accept_returns_each_recording_once() -> None:
    seen: list[str] = []
    assert accept_clip(None, seen, 10_000) is None
    first = accept_clip(_payload(), seen, 10_000)
    assert first is not None and first.data == CLIP
    assert accept_clip(_payload(), seen, 10_000) is None  # same recording again
    second = accept_clip(_payload(recording_id="rec-2"), seen, 10_000)
    assert second is not None
    for index in range(100):  # the memory of ids stays bounded
        accept_clip(_payload(recording_id=f"r{index}"), seen, 10_000)
    assert len(seen) <= 32


def _app(tmp_path: Path) -> AppTest:
    """An AppTest page holding only the clip recorder."""
    script = tmp_path / "clip_page.py"
    script.write_text(SCRIPT, encoding="utf-8")
    return AppTest.from_file(str(script), default_timeout=30)


def _component_proto(at: AppTest) -> object:
    """The mounted recorder element's proto."""
    found = [el for el in at.main if getattr(el, "type", "") == "bidi_component"]
    assert len(found) == 1
    return found[0].proto


def _send_clip(read, at: AppTest, payload: object) -> AppTest:
    """Rerun as the browser does after "Use this clip": one `clip` trigger value."""
    return read.send_component_event(at, "webcam_recorder", "clip", payload)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_page_mounts_the_recorder_with_strings_in_its_language(tmp_path: Path, lang: str) -> None:
    at = _app(tmp_path)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception
    proto = _component_proto(at)
    data = json.loads(proto.json)
    assert data["strings"]["start_camera"] == load_strings(lang)["clip.start_camera"]
    assert data["max_bytes"] == max_clip_bytes()
    assert "getUserMedia" in proto.js_content and "recorder-root" in proto.html_content
    assert at.caption[0].value == load_strings(lang)["clip.caption"]


def test_a_recording_is_the_answer_until_a_new_one_replaces_it(read, tmp_path: Path) -> None:
    at = _app(tmp_path).run()
    assert at.session_state["answers"] == [None]
    _send_clip(read, at, _payload())
    assert not at.exception
    assert at.session_state["answers"][-1] == CLIP
    at.run()  # later reruns (trigger spent): the same clip, as a file uploader keeps its file
    at.run()
    assert at.session_state["answers"][-2:] == [CLIP, CLIP]
    _send_clip(read, at, _payload(CLIP[::-1], recording_id="rec-2"))
    assert at.session_state["answers"][-1] == CLIP[::-1]


def test_the_same_recording_sent_twice_is_taken_once(read, tmp_path: Path) -> None:
    at = _app(tmp_path).run()
    _send_clip(read, at, _payload())
    _send_clip(read, at, _payload(CLIP[::-1], recording_id="rec-2"))
    _send_clip(read, at, _payload())  # a stale repeat of rec-1 does not displace rec-2
    assert at.session_state["answers"][-1] == CLIP[::-1]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_bad_clip_shows_a_message_and_the_page_keeps_working(
    read, tmp_path: Path, lang: str
) -> None:
    at = _app(tmp_path)
    at.session_state["lang"] = lang
    at.run()
    _send_clip(read, at, _payload())
    _send_clip(read, at, {"id": "x", "data": "%%%"})
    assert not at.exception
    assert [e.value for e in at.error] == [load_strings(lang)["clip.bad_payload"]]
    assert at.session_state["answers"][-1] is None  # the bad clip replaced the old one
    _send_clip(read, at, _payload(recording_id="rec-3"))
    assert not at.error and at.session_state["answers"][-1] == CLIP
