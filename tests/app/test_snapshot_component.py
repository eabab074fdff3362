"""The webcam snapshot's Python side: what it mounts, what it accepts, and what the Check
tab answers across reruns (AppTest, no browser)."""

from __future__ import annotations

import base64
import json
import re

import pytest

from components.i18n import LANGUAGES, load_strings
from components.webcam_assets import element_assets
from components.webcam_snapshot import (
    JPEG_QUALITY,
    SNAPSHOT_STRING_KEYS,
    SnapshotError,
    accept_snapshot,
    decode_snapshot,
    snapshot_component_data,
)

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4


def _payload(data: bytes = JPEG, photo_id: str = "p-1") -> dict:
    """A `photo` trigger value as the browser sends it."""
    return {"id": photo_id, "width": 640, "height": 480, "data": base64.b64encode(data).decode()}


def test_every_browser_string_exists_in_both_languages() -> None:
    for lang in LANGUAGES:
        strings = load_strings(lang)
        assert [k for k in SNAPSHOT_STRING_KEYS if f"snapshot.{k}" not in strings] == []


def test_browser_side_asks_only_for_strings_it_is_given_and_shares_the_camera_code() -> None:
    assets = element_assets("webcam_snapshot", "snapshot", "snap")
    js = assets["js"]
    asked = set(re.findall(r'this\.text\(\s*"(\w+)"', js))
    asked |= {"start", "take", "retake", "clear", "stop", "retry"}  # the button loop
    kinds = set(re.findall(r'this\.fail\(\s*"(\w+)"', js)) | set(re.findall(r'return "(\w+)";', js))
    asked |= {f"err_{kind}_{part}" for kind in kinds for part in ("title", "body")}
    assert asked - set(SNAPSHOT_STRING_KEYS) == set()
    # One camera module for both webcam elements; only it asks for the camera.
    clip_js = element_assets("webcam_recorder", "recorder", "recorder")["js"]
    shared = "class CameraFeed"
    assert js.count(shared) == 1 and clip_js.count(shared) == 1
    assert js.count("getUserMedia(") == 1 and clip_js.count("getUserMedia(") == 1
    assert re.sub(r"<[^>]+>", "", assets["html"]).strip() == ""  # no hard-coded sentence


def test_component_data_is_in_the_page_language_and_asks_for_a_480x640_jpeg() -> None:
    zh, en = snapshot_component_data("zh"), snapshot_component_data("en")
    assert en["strings"]["take"] == "Take photo"
    assert zh["strings"]["take"] == load_strings("zh")["snapshot.take"] != "Take photo"
    assert (en["long_side"], en["short_side"], en["quality"]) == (640, 480, JPEG_QUALITY)
    assert 0.85 <= JPEG_QUALITY <= 0.95
    json.dumps(zh)


@pytest.mark.parametrize(
    "payload",
    [
        "not a dict",
        {"id": "x"},
        {"id": "", "data": "AAAA"},
        {"id": "x", "data": "@@not base64@@"},
        {"id": "x", "data": base64.b64encode(b"GIF89a....").decode()},  # not a JPEG
    ],
)
def test_unusable_payloads_raise(payload: object) -> None:
    with pytest.raises(SnapshotError) as caught:
        decode_snapshot(payload)
    for lang in LANGUAGES:
        text = caught.value.text(lang)
        assert text and "snapshot.bad_" not in text


def test_a_photo_over_the_cap_is_refused_before_decoding() -> None:
    with pytest.raises(SnapshotError) as caught:
        decode_snapshot(_payload(JPEG * 100), max_bytes=1000)
    assert caught.value.code == "too_large"


def test_accept_returns_each_photo_once_and_remembers_a_bounded_number_of_ids() -> None:
    seen: list[str] = []
    first = accept_snapshot(_payload(), seen)
    assert first is not None and first.data == JPEG and (first.width, first.height) == (640, 480)
    assert accept_snapshot(_payload(), seen) is None
    for index in range(100):
        accept_snapshot(_payload(photo_id=f"p{index}"), seen)
    assert len(seen) <= 32


def test_the_page_opens_on_the_sample_gallery_with_no_camera_widget(new_app, read) -> None:
    at = new_app()
    assert at.segmented_control(key="way_in").value == "sample"
    assert not at.get("camera_input")
    assert "webcam_snapshot" not in read.all_protos_text(at)  # not mounted until chosen


def test_snapshot_verdict_stays_until_cleared_and_leaving_forgets_the_photo(
    new_app, read, face_jpeg: bytes
) -> None:
    at = new_app({"language": "en"})
    read.take_snapshot(at, face_jpeg)
    assert read.verdicts(at) == [("Low", "green")]
    at.run()  # a later rerun (trigger spent) keeps the photo and its verdict
    assert read.verdicts(at) == [("Low", "green")]
    read.send_component_event(at, "webcam_snapshot", "clear", "photo-1")
    assert read.verdicts(at) == []
    read.take_snapshot(at, face_jpeg, photo_id="photo-2")
    assert read.verdicts(at) == [("Low", "green")]
    read.choose_way_in(at, "upload")
    read.choose_way_in(at, "camera")
    assert read.verdicts(at) == []  # the photo went with the element that took it
    assert not at.exception


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_bad_photo_gets_a_message_in_the_page_language(new_app, read, lang: str) -> None:
    at = new_app({"language": lang})
    read.choose_way_in(at, "camera")
    read.send_component_event(at, "webcam_snapshot", "photo", {"id": "x", "data": "%%%"})
    assert not at.exception
    assert load_strings(lang)["snapshot.bad_payload"] in [e.value for e in at.error]
    assert read.verdicts(at) == []
