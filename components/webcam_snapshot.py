"""Webcam snapshot: take a photo in the browser, only when the user asks, and hand it over.

A Streamlit components-v2 element (inline HTML/CSS/JS from `components/webcam_snapshot/`
plus the parts it shares with the recorder in `components/webcam_common/`). The camera stays off until the
user presses "Turn on camera", goes off after each photo and when the element leaves the
page. The browser encodes the photo as a JPEG (quality 0.9, at most 640x480 or 480x640,
the service's recommended size) and sends it as a one-shot trigger value; Python decodes
and validates it here, takes each photo once (by its id), and keeps the latest one as the
snapshot's answer until it is cleared or the user leaves the snapshot way in.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import MutableSequence
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from components.i18n import t
from components.state import SNAPSHOT_CURRENT, SNAPSHOT_SEEN_IDS
from components.webcam_assets import element_assets, error_string_keys, first_time

__all__ = [
    "JPEG_QUALITY",
    "LONG_SIDE",
    "MAX_PHOTO_BYTES",
    "SHORT_SIDE",
    "SNAPSHOT_STRING_KEYS",
    "Snapshot",
    "SnapshotError",
    "accept_snapshot",
    "decode_snapshot",
    "forget_snapshot",
    "snapshot_component_data",
    "webcam_snapshot_ui",
]

# The service recommends about 480x640; the browser never upscales a smaller camera.
LONG_SIDE = 640
SHORT_SIDE = 480
JPEG_QUALITY = 0.9
# A 640x480 JPEG at quality 0.9 is 40-150 KB; anything near this is not our element's.
MAX_PHOTO_BYTES = 3_000_000
JPEG_MAGIC = b"\xff\xd8\xff"
DEFAULT_KEY = "webcam_snapshot"

# Strings the browser side shows, passed as data so they come from the locale files.
SNAPSHOT_STRING_KEYS = (
    "placeholder",
    "intro",
    "start",
    "starting",
    "ready",
    "take",
    "retake",
    "clear",
    "stop",
    "retry",
    "taken",
    "live_label",
    "still_label",
    "fallback",
    *error_string_keys(),
)

_mount_snapshot = st.components.v2.component(
    "antideepfake_webcam_snapshot", **element_assets("webcam_snapshot", "snapshot", "snap")
)


@dataclass(frozen=True)
class Snapshot:
    """One photo as handed over by the browser."""

    photo_id: str
    data: bytes = field(repr=False)
    width: int
    height: int


class SnapshotError(Exception):
    """A photo the page cannot take; `code` names its `snapshot.bad_<code>` message."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(self.text("en"))

    # The one-line message in `lang`.
    def text(self, lang: str) -> str:
        return t(f"snapshot.bad_{self.code}", lang)


def snapshot_component_data(lang: str) -> dict[str, Any]:
    """The JSON the browser side is mounted with: strings in `lang`, capture size, quality."""
    return {
        "strings": {key: t(f"snapshot.{key}", lang) for key in SNAPSHOT_STRING_KEYS},
        "long_side": LONG_SIDE,
        "short_side": SHORT_SIDE,
        "quality": JPEG_QUALITY,
    }


def _dimension(value: Any) -> int:
    """A width or height from the browser (0 when missing)."""
    return int(value) if isinstance(value, int | float) and 0 < value <= 10_000 else 0


def decode_snapshot(payload: Any, max_bytes: int = MAX_PHOTO_BYTES) -> Snapshot:
    """Check and decode the browser's `photo` trigger value; SnapshotError when unusable."""
    if not isinstance(payload, dict):
        raise SnapshotError("payload")
    encoded, photo_id = payload.get("data"), payload.get("id")
    if not isinstance(encoded, str) or not isinstance(photo_id, str) or not photo_id:
        raise SnapshotError("payload")
    if len(encoded) * 3 // 4 > max_bytes + 3:  # refuse before decoding
        raise SnapshotError("too_large")
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SnapshotError("payload") from exc
    if not data.startswith(JPEG_MAGIC):
        raise SnapshotError("payload")
    return Snapshot(
        photo_id[:100], data, _dimension(payload.get("width")), _dimension(payload.get("height"))
    )


def accept_snapshot(
    payload: Any, seen_ids: MutableSequence[str], max_bytes: int = MAX_PHOTO_BYTES
) -> Snapshot | None:
    """The decoded photo if `payload` holds one not handed over before, else None.

    Remembers its id in `seen_ids` (the most recent SEEN_IDS_KEPT), so a trigger seen
    twice is returned once. Raises SnapshotError for an unusable payload."""
    if payload is None:
        return None
    photo = decode_snapshot(payload, max_bytes)
    return photo if first_time(photo.photo_id, seen_ids) else None


def forget_snapshot(key: str = DEFAULT_KEY) -> None:
    """Drop the kept photo (the user left the snapshot way in)."""
    SNAPSHOT_CURRENT.of(key).forget()


def _id_of(photo: Snapshot | None) -> str | None:
    return photo.photo_id if photo is not None else None


def _ignore_event() -> None:
    """Callback that registers a trigger (values surface only with one)."""


def webcam_snapshot_ui(lang: str, *, key: str = DEFAULT_KEY) -> bytes | None:
    """Draw the snapshot element; the JPEG bytes of the latest photo, or None before the
    first one and after "Clear". A bad payload gets a one-line message, never a traceback."""
    kept = SNAPSHOT_CURRENT.of(key)
    result = _mount_snapshot(
        key=key,
        # The key and the photo held let a new mount of the element (the tabs redrawn by
        # a language switch) show the same photo again.
        data={**snapshot_component_data(lang), "key": key, "kept": _id_of(kept.get())},
        on_photo_change=_ignore_event,
        on_clear_change=_ignore_event,
    )
    seen_ids = SNAPSHOT_SEEN_IDS.of(key).get()
    try:
        photo = accept_snapshot(result.get("photo"), seen_ids)
    except SnapshotError as exc:
        kept.set(None)
        st.error(exc.text(lang), icon=":material/no_photography:")
        return None
    current = kept.get()
    if photo is not None:
        current = kept.set(photo)
    elif current is not None and result.get("clear") == current.photo_id:
        current = kept.set(None)
    return current.data if current is not None else None
