"""Preview: the original beside what will be sent, with sizes, face boxes and warnings."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import streamlit as st
from PIL import Image, ImageDraw

from components.i18n import t
from core.service import RECOMMENDED_FACE_PX
from core.text import format_bytes
from media import FaceBox, MediaError, first_frame, identify

if TYPE_CHECKING:
    from components.check_run import CheckOutcome
    from media import Prepared, PrepareOptions

__all__ = [
    "box_note",
    "draw_faces",
    "facts_rows",
    "original_duration",
    "preview_jpeg",
    "preview_ui",
    "window_note",
]

BROWSER_VIDEO_FORMATS = {"mp4", "webm", "mov", "m4v"}
BOX_COLOUR = (0, 82, 217)
PREVIEW_SIDE = 960  # the preview columns are narrower than this on any screen
PREVIEW_CACHE_ENTRIES = 32  # the pictures of the last checks; older ones are decoded again
# Previews are decoded to at most this long side (an 80-megapixel upload never becomes a
# full-size picture on the page); prepared pictures (at most 1600 px) are shown whole.
PREVIEW_MAX_SIDE = 1600


def draw_faces(image: Image.Image, faces: tuple[FaceBox, ...]) -> Image.Image:
    """A copy of `image` with each face box outlined."""
    out = image.convert("RGB").copy()
    draw = ImageDraw.Draw(out)
    width = max(2, round(max(out.size) / 200))
    for face in faces:
        draw.rectangle(
            (face.x, face.y, face.x + face.w, face.y + face.h), outline=BOX_COLOUR, width=width
        )
    return out


@st.cache_data(show_spinner=False, max_entries=PREVIEW_CACHE_ENTRIES)
def preview_jpeg(
    content_sha256: str, _data: bytes, boxes: tuple[tuple[int, int, int, int], ...] = ()
) -> bytes | None:
    """The picture (or first video frame) of `_data` as a JPEG for the page, `boxes`
    (x, y, w, h) outlined; None when it cannot be decoded. Cached by the content hash the
    check already computed (`_data` is not hashed again), so reruns of the page neither
    hash, decode nor encode the media again."""
    try:
        frame = first_frame(_data, max_side=PREVIEW_MAX_SIDE)
    except Exception:  # noqa: BLE001 - an undecodable original simply has no preview
        return None
    image = draw_faces(frame, tuple(FaceBox(*box) for box in boxes)) if boxes else frame
    image = image.convert("RGB")
    image.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


@st.cache_data(show_spinner=False, max_entries=PREVIEW_CACHE_ENTRIES)
def original_duration(content_sha256: str, _data: bytes) -> float | None:
    """The input video's own length in seconds (None when unknown). Cached by content hash."""
    try:
        return identify(_data).duration_s
    except MediaError:
        return None


def box_note(prepared: Prepared, max_side: int, lang: str) -> str | None:
    """Why a picture goes out with a long side over the chosen box, or None when it fits.
    `media` keeps more pixels only so the face stays at least 100 px wide."""
    long_side = max(prepared.size)
    if prepared.kind != "image" or long_side <= max_side:
        return None
    width, height = prepared.size
    kept_for_face = any("so the face stays" in step for step in prepared.steps)
    key = "preview.box_face" if kept_for_face else "preview.box_over"
    return t(key, lang, width=width, height=height, box=max_side, need=RECOMMENDED_FACE_PX)


def window_note(
    original_s: float | None, start_s: float, kept_s: float | None, lang: str
) -> str | None:
    """What part of a video is sent, when it is not the whole video (or its length is
    unknown): "The video is 30.0 s long; 0.0–5.0 s is sent"."""
    if kept_s is None:
        return None
    if original_s is not None and start_s <= 0.05 and kept_s >= original_s - 0.1:
        return None
    end = start_s + kept_s
    if original_s is None:
        return t("preview.window_unknown", lang, start=start_s, end=end)
    return t("preview.window", lang, length=original_s, start=start_s, end=end)


def _format_name(prepared: Prepared) -> str:
    """The format sent, by name: "JPEG" for image/jpeg, "MP4" for video/mp4."""
    return prepared.mime.split("/", 1)[-1].upper()


def facts_rows(
    prepared: Prepared, lang: str, original_s: float | None = None
) -> list[tuple[str, str, str]]:
    """(what, original, to be sent) rows describing the input and the prepared media."""
    (ow, oh), (sw, sh) = prepared.original_size, prepared.size
    rows = [
        # Both sides as format names ("JPEG", "MP4"), not one a name and one a MIME type.
        (t("preview.format", lang), prepared.original_format.upper(), _format_name(prepared)),
        (t("preview.dimensions", lang), f"{ow} × {oh}", f"{sw} × {sh}"),
        (
            t("preview.bytes", lang),
            format_bytes(prepared.original_bytes),
            format_bytes(len(prepared.data)),
        ),
        (t("preview.base64", lang), "", format_bytes(prepared.base64_bytes)),
    ]
    if prepared.kind == "video":
        duration = f"{prepared.duration_s:.1f} s" if prepared.duration_s else "—"
        fps = f"{prepared.fps:.0f} fps" if prepared.fps else "—"
        original = f"{original_s:.1f} s" if original_s else "—"
        rows.append((t("preview.duration", lang), original, f"{duration} · {fps}"))
        rows.append(
            (
                t("preview.face_frames", lang),
                "",
                t(
                    "preview.face_frames_value",
                    lang,
                    one=prepared.frames_one_face,
                    checked=prepared.frames_checked,
                ),
            )
        )
    rows.append((t("preview.faces", lang), "", str(len(prepared.faces))))
    return rows


def _facts_table(prepared: Prepared, lang: str, original_s: float | None) -> None:
    """The facts as a small markdown table."""
    head = f"| | {t('preview.original', lang)} | {t('preview.sent', lang)} |\n|---|---|---|\n"
    body = "\n".join(
        f"| {what} | {orig} | {sent} |"
        for what, orig, sent in facts_rows(prepared, lang, original_s)
    )
    st.markdown(head + body)


def _original_ui(outcome: CheckOutcome, lang: str) -> None:
    """The input as the user gave it."""
    st.markdown(f"**{t('preview.original', lang)}**")
    prepared = outcome.prepared
    if prepared and prepared.kind == "video" and prepared.original_format in BROWSER_VIDEO_FORMATS:
        st.video(outcome.original)
        return
    picture = preview_jpeg(outcome.content_sha256, outcome.original)
    if picture is None:
        st.caption(t("preview.no_picture", lang))
    else:
        st.image(picture, width="stretch")


def _sent_ui(prepared: Prepared, lang: str) -> None:
    """What will be sent, faces outlined (video: playable, plus a frame with the faces)."""
    st.markdown(f"**{t('preview.sent', lang)}**")
    if prepared.kind == "video":
        st.video(prepared.data, format=prepared.mime)
    boxes = tuple((face.x, face.y, face.w, face.h) for face in prepared.faces)
    picture = preview_jpeg(prepared.sha256, prepared.data, boxes)
    if picture is not None:
        caption = t("preview.faces_drawn", lang) if prepared.faces else None
        st.image(picture, width="stretch", caption=caption)


def _warnings_ui(prepared: Prepared, lang: str, notes: list[str]) -> None:
    """What was changed on the way (`notes`), every pre-flight warning with what to do,
    or a short all-clear."""
    for note in notes:
        st.info(note, icon=":material/info:")
    if not prepared.warnings:
        st.success(t("preview.no_warnings", lang), icon=":material/task_alt:")
    for warning in prepared.warnings:
        st.warning(warning.text(lang), icon=":material/warning:")


def preview_ui(outcome: CheckOutcome, lang: str, options: PrepareOptions | None = None) -> None:
    """Draw the preview of one check (what there is of it when preparing failed).
    With the `options` it was prepared with, it also says when the picture goes out over
    the image box (and why) and which part of a video is sent."""
    st.subheader(t("preview.title", lang), anchor=False)
    prepared = outcome.prepared
    original, sent, facts = st.columns([1, 1, 1.25], gap="medium")
    with original:
        _original_ui(outcome, lang)
    if prepared is None:
        return
    with sent:
        _sent_ui(prepared, lang)
    original_s = None
    if prepared.kind == "video":
        original_s = original_duration(outcome.content_sha256, outcome.original)
    notes = []
    if options is not None:
        notes.append(box_note(prepared, options.max_side, lang))
        if prepared.kind == "video":
            notes.append(window_note(original_s, options.video_start_s, prepared.duration_s, lang))
    with facts:
        _facts_table(prepared, lang, original_s)
        _warnings_ui(prepared, lang, [note for note in notes if note])
