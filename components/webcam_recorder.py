"""Webcam recorder: record a 2-5 s clip of video in the browser and hand it to Python.

A Streamlit components-v2 element (inline HTML/CSS/JS from `components/webcam_recorder/`
and the parts it shares with the snapshot in `components/webcam_common/`, no build step). The browser opens the camera with `getUserMedia`, counts down, records
with `MediaRecorder` (MP4 where the browser writes it, else WebM) and, on "Use this clip",
sends the recording back as a one-shot trigger value. Component values travel as JSON,
so the clip crosses as base64; Python decodes and validates it here, takes each
recording once (by its id), and keeps the latest one as the recorder's answer.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import MutableSequence
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from components.context import AppContext
from components.i18n import t
from components.state import CLIP_CURRENT, CLIP_SEEN_IDS
from components.webcam_assets import element_assets, error_string_keys, first_time
from core.text import format_bytes

__all__ = [
    "ClipError",
    "DEFAULT_SECONDS",
    "MAX_SECONDS",
    "MIN_SECONDS",
    "RecordedClip",
    "accept_clip",
    "recorder_component_data",
    "decode_clip",
    "max_clip_bytes",
    "webcam_recorder_ui",
]

MIN_SECONDS = 2
MAX_SECONDS = 5
DEFAULT_SECONDS = 3
# The most a clip may weigh, whatever the transport allows.
HARD_CAP_BYTES = 30_000_000
# What the browser asks MediaRecorder for: 5 s at 2.5 Mbit/s is about 1.6 MB.
BITS_PER_SECOND = 2_500_000
# Room left in a browser message for the JSON around the base64 and other widgets.
MESSAGE_MARGIN_BYTES = 256 * 1024
# What the browser may record; `media` tells them apart by content.
MIME_TYPES = frozenset({"video/webm", "video/mp4", "video/x-matroska", "video/quicktime"})

# Strings the browser side shows, passed as data so they come from the locale files.
JS_STRING_KEYS = (
    "placeholder",
    "intro",
    "start_camera",
    "starting",
    "length_label",
    "seconds_short",
    "ready",
    "record",
    "get_ready",
    "rec",
    "recording",
    "summary",
    "replay",
    "redo",
    "use",
    "sending",
    "sent",
    "record_another",
    "retry",
    "live_label",
    "review_label",
    "fallback",
    *error_string_keys("norecorder", "empty", "too_large"),
)

_mount_recorder = st.components.v2.component(
    "antideepfake_webcam_recorder", **element_assets("webcam_recorder", "recorder", "recorder")
)


@dataclass(frozen=True)
class RecordedClip:
    """One recording as handed over by the browser."""

    recording_id: str
    data: bytes = field(repr=False)
    mime: str
    seconds: float
    sha256: str


class ClipError(Exception):
    """A clip the page cannot take; `code` names its `clip.bad_<code>` message."""

    def __init__(self, code: str, size: int = 0, max_bytes: int = 0) -> None:
        self.code = code
        self.size = size
        self.max_bytes = max_bytes
        super().__init__(self.text("en"))

    # The one-line message in `lang`.
    def text(self, lang: str) -> str:
        return t(
            f"clip.bad_{self.code}",
            lang,
            size=format_bytes(self.size),
            max=format_bytes(self.max_bytes),
        )


def max_clip_bytes() -> int:
    """The largest clip the page accepts: 30 MB, less if Streamlit's browser-message cap
    (`server.maxWidgetStateSize`, in MB) cannot carry that much base64 (4 chars per 3 bytes)."""
    limit_mb = float(st.get_option("server.maxWidgetStateSize"))
    carried = int((limit_mb * 1_000_000 - MESSAGE_MARGIN_BYTES) * 3 / 4)
    return max(0, min(HARD_CAP_BYTES, carried))


def recorder_component_data(
    lang: str, max_bytes: int, default_seconds: int = DEFAULT_SECONDS
) -> dict:
    """The JSON the browser side is mounted with: strings in `lang`, lengths, limits."""
    return {
        "strings": {key: t(f"clip.{key}", lang) for key in JS_STRING_KEYS},
        "default_seconds": min(MAX_SECONDS, max(MIN_SECONDS, default_seconds)),
        "min_seconds": MIN_SECONDS,
        "max_seconds": MAX_SECONDS,
        "max_bytes": max_bytes,
        "bits_per_second": BITS_PER_SECOND,
    }


def decode_clip(payload: Any, max_bytes: int) -> RecordedClip:
    """Check and decode the browser's `clip` trigger value; ClipError when unusable."""
    if not isinstance(payload, dict):
        raise ClipError("payload")
    encoded = payload.get("data")
    recording_id = payload.get("id")
    if not isinstance(encoded, str) or not isinstance(recording_id, str) or not recording_id:
        raise ClipError("payload")
    # Refuse before decoding: base64 is 4 characters per 3 bytes.
    if len(encoded) * 3 // 4 > max_bytes + 3:
        raise ClipError("too_large", size=len(encoded) * 3 // 4, max_bytes=max_bytes)
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ClipError("payload") from exc
    if not data:
        raise ClipError("empty")
    if len(data) > max_bytes:
        raise ClipError("too_large", size=len(data), max_bytes=max_bytes)
    mime = str(payload.get("mime") or "").split(";")[0].strip().lower()
    seconds = payload.get("seconds")
    return RecordedClip(
        recording_id=recording_id[:100],
        data=data,
        mime=mime if mime in MIME_TYPES else "video/webm",
        seconds=float(seconds) if isinstance(seconds, int | float) else 0.0,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def accept_clip(
    payload: Any, seen_ids: MutableSequence[str], max_bytes: int
) -> RecordedClip | None:
    """The decoded clip if `payload` holds a recording not handed over before, else None.

    Remembers the recording's id in `seen_ids` (the most recent SEEN_IDS_KEPT), so a
    trigger seen twice is returned once. Raises ClipError for an unusable payload."""
    if payload is None:
        return None
    clip = decode_clip(payload, max_bytes)
    return clip if first_time(clip.recording_id, seen_ids) else None


def _id_of(clip: RecordedClip | None) -> str | None:
    return clip.recording_id if clip is not None else None


def _ignore_event() -> None:
    """Callback that registers the `clip` trigger (values surface only with one)."""


def webcam_recorder_ui(ctx: AppContext, *, key: str = "webcam_recorder") -> bytes | None:
    """Draw the clip recorder; the bytes (WebM or MP4) of the latest handed-over recording,
    or None before the first one.

    Like a file uploader keeps its file, the clip stays the answer on later reruns until a
    new recording replaces it, so the page keeps its verdict; the app's content-hash cache
    keeps it from being sent twice. A bad clip gets a one-line message, never a traceback."""
    st.caption(t("clip.caption", ctx.lang))
    max_bytes = max_clip_bytes()
    kept = CLIP_CURRENT.of(key)
    result = _mount_recorder(
        key=key,
        # The key and the clip held let a new mount of the element (the tabs redrawn by a
        # language switch) show the same clip again.
        data={
            **recorder_component_data(ctx.lang, max_bytes),
            "key": key,
            "kept": _id_of(kept.get()),
        },
        on_clip_change=_ignore_event,
    )
    seen_ids = CLIP_SEEN_IDS.of(key).get()
    try:
        clip = accept_clip(result.get("clip"), seen_ids, max_bytes)
    except ClipError as exc:
        kept.set(None)
        st.error(exc.text(ctx.lang), icon=":material/videocam_off:")
        return None
    if clip is not None:
        kept.set(clip)
    current = kept.get()
    return current.data if current is not None else None
