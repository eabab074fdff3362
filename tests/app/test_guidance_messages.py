"""Guidance that names the actual problem (AppTest against the built-in sandbox, and the
pure helpers): no face, a face too small, a picture over the chosen box, a video window,
a start past the end; never decoder English in a Chinese message; error cards in a
colour and icon of their own."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from components.errors import ERROR_STYLE, preflight_headline
from components.i18n import load_strings
from components.preview import box_note, window_note
from components.verdict import LEVEL_STYLES
from media import MediaError, PrepareOptions, prepare

EN, ZH = load_strings("en"), load_strings("zh")


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _landscape_without_a_face() -> bytes:
    """A 1200x800 sky-to-ground gradient: a landscape, nothing like a face."""
    image = Image.linear_gradient("L").resize((1200, 800)).convert("RGB")
    return _png(image)


def _screenshot_with_a_small_face() -> bytes:
    """A 554x1199 phone screenshot holding the astronaut photograph near the top: its
    face (about 109 px) would be under 100 px in a 640 px box."""
    import skimage.data

    canvas = Image.new("RGB", (554, 1199), (245, 245, 245))
    canvas.paste(Image.fromarray(skimage.data.astronaut()).resize((554, 554)), (0, 120))
    return _png(canvas)


def _upload(at, name: str, data: bytes):
    at.segmented_control(key="way_in").set_value("upload").run()
    at.file_uploader(key="upload").upload(name, data, "image/png").run()
    return at


def test_error_cards_look_like_no_risk_level() -> None:
    for style in LEVEL_STYLES.values():
        assert ERROR_STYLE.colour != style.colour
        assert ERROR_STYLE.ink.lower() != style.ink.lower()
        assert ERROR_STYLE.background.lower() != style.background.lower()
        assert ERROR_STYLE.icon != style.icon


@pytest.mark.parametrize(("lang", "strings"), [("en", EN), ("zh", ZH)])
def test_a_landscape_without_a_face_is_named_as_such(new_app, read, lang, strings) -> None:
    at = _upload(new_app({"language": lang}), "landscape.png", _landscape_without_a_face())
    assert not at.exception
    assert read.error_codes_shown(at) == ["FailedOperation.IncompleteFace"]
    card = read.error_cards(at)[0]
    head = re.search(r'class="adf-error-head">(.*?)</div>', card).group(1)
    assert strings["errors.preflight_no_face"] in head
    assert f'data-colour="{ERROR_STYLE.colour}"' in card
    assert "cut off" not in card and "边缘" not in card  # not "face incomplete"


@pytest.mark.parametrize(("lang", "need"), [("en", "the service needs 100"), ("zh", "服务需要")])
def test_a_small_face_is_named_with_its_size(face_jpeg: bytes, lang: str, need: str) -> None:
    small = Image.open(io.BytesIO(face_jpeg)).convert("RGB")  # its face is about 98 px
    prepared = prepare(_png(small), "small.png", PrepareOptions(max_side=640))
    size = min(face.size for face in prepared.faces)
    assert size < 100
    headline = preflight_headline(prepared, lang)
    assert headline is not None and str(size) in headline and need in headline
    warning = next(w for w in prepared.warnings if w.code == "small_face")
    assert warning.text(lang).startswith(("Face", "人脸")) and str(size) in warning.text(lang)


def test_a_picture_over_the_box_says_why(new_app) -> None:
    data = _screenshot_with_a_small_face()
    prepared = prepare(data, "shot.png", PrepareOptions(max_side=640))
    assert max(prepared.size) > 640  # kept larger for the face
    note = box_note(prepared, 640, "en")
    assert note is not None and "640 px" in note and f"{prepared.size[1]}" in note
    assert "at least 100 px" in note
    assert box_note(prepare(data, "shot.png", PrepareOptions(max_side=1280)), 1280, "en") is None
    at = _upload(new_app({"language": "zh"}), "shot.png", data)
    assert any("640 像素" in info.value for info in at.info)


def test_a_trimmed_video_shows_its_length_and_the_kept_window(new_app) -> None:
    assert window_note(30.0, 0.0, 5.0, "en") == (
        "The video is 30.0 s long; 0.0–5.0 s is sent. "
        "Change the window (start, length) in the sidebar."
    )
    assert window_note(3.0, 0.0, 3.0, "en") is None  # the whole video: nothing to say
    at = new_app({"language": "en"})
    at.sidebar.slider(key="video_seconds").set_value(2.0).run()
    at.segmented_control(key="way_in").set_value("sample").run()
    at.button(key="sample_real-video").click().run()
    assert not at.exception
    assert any("3.0 s long; 0.0–2.0 s is sent" in info.value for info in at.info)
    assert any("| 3.0 s |" in m.value for m in at.markdown)  # the original's length


def test_a_start_past_the_end_points_to_the_sidebar(new_app, read) -> None:
    at = new_app({"language": "zh"})
    at.sidebar.number_input(key="video_start").set_value(10.0).run()
    at.segmented_control(key="way_in").set_value("sample").run()
    at.button(key="sample_real-video").click().run()
    assert read.error_codes_shown(at) == ["media.start_past_end"]
    card = read.error_cards(at)[0]
    assert ZH["sidebar.video_start"] in card


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("truncated.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 400),
        ("damaged.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200),
        ("damaged.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 300),
    ],
    ids=["jpeg", "png", "mp4"],
)
def test_chinese_refusals_carry_no_decoder_english(name: str, data: bytes) -> None:
    with pytest.raises(MediaError) as caught:
        prepare(data, name)
    words = set(re.findall(r"[A-Za-z][A-Za-z0-9.]*", caught.value.text("zh")))
    assert words <= {"JPEG", "PNG", "JPG", "MP4", "H.264"}, words


def test_long_work_shows_what_it_does_until_done_and_hands_back_its_result() -> None:
    from streamlit.testing.v1 import AppTest

    def page() -> None:
        import threading

        import streamlit as st

        from components.sending import run_cancellable

        shown = threading.Event()
        labels: list[str] = []

        def label(elapsed: float) -> str:
            labels.append(f"preparing… {elapsed:.0f} s")
            shown.set()
            return labels[-1]

        def work(cancel: threading.Event) -> int:
            assert shown.wait(10), "the label never showed while the work ran"
            return 42

        if st.session_state.get("fail"):
            try:
                run_cancellable(lambda cancel: 1 / 0, "k", "en", label=label)
            except ZeroDivisionError:
                st.session_state["raised"] = True
            return
        st.session_state["result"] = run_cancellable(work, "k", "en", label=label)
        st.session_state["labels"] = labels

    at = AppTest.from_function(page).run()
    assert not at.exception
    assert at.session_state["result"] == 42
    assert at.session_state["labels"][0].startswith("preparing")
    assert not at.get("progress")  # the bar goes once the work is done
    at.session_state["fail"] = True
    at.run()
    assert not at.exception
    assert at.session_state["raised"] is True
