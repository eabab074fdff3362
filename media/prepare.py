"""The package's front door: prepare, identify, first frame, perceptual hash of any input."""

from __future__ import annotations

import hashlib
import time

from PIL import Image

from media.background import background
from media.clip import PreparedClip, prepare_clip
from media.errors import media_error
from media.images import decode_image, open_image, oriented_size
from media.limits import base64_size
from media.models import MediaInfo, Prepared, PrepareOptions
from media.phash import image_phash
from media.sniff import sniff
from media.still import PreparedStill, prepare_still
from media.video import first_video_frame, probe_video

__all__ = ["first_frame", "identify", "perceptual_hash", "prepare"]

_IMAGE, _VIDEO = 1, 2


def prepare(
    data: bytes, filename: str | None = None, options: PrepareOptions | None = None
) -> Prepared:
    """Make `data` (a photo or a video) API-ready; MediaError with a clear reason when it cannot
    be."""
    started = time.perf_counter()
    options = options or PrepareOptions()
    if options.max_side < 64:
        raise media_error(
            "bad_option", detail=f"max_side must be at least 64, not {options.max_side}"
        )
    found = sniff(bytes(data))
    source_hash = background().submit(_sha256, data)
    named = f" ({filename})" if filename else ""
    part: PreparedStill | PreparedClip
    duration_s: float | None = None
    fps: float | None = None
    if found.kind == "image":
        part = prepare_still(data, found.format, options)
        input_type, mime = _IMAGE, part.mime
        frames_checked = 1 if options.check_faces else 0
        frames_one_face = int(len(part.faces) == 1)
    else:
        part = prepare_clip(data, found.format, options)
        input_type, mime = _VIDEO, "video/mp4"
        duration_s, fps = part.duration_s, part.fps
        frames_checked, frames_one_face = part.frames_checked, part.frames_one_face
    return Prepared(
        data=part.data,
        kind=found.kind,
        input_type=input_type,
        mime=mime,
        duration_s=duration_s,
        fps=fps,
        frames_checked=frames_checked,
        frames_one_face=frames_one_face,
        original_format=found.format,
        original_size=part.original_size,
        size=part.size,
        original_bytes=len(data),
        base64_bytes=base64_size(len(part.data)),
        faces=part.faces,
        warnings=part.warnings,
        steps=(f"read {found.format.upper()} {found.kind}{named}", *part.steps),
        elapsed_ms=(time.perf_counter() - started) * 1000,
        phash=part.phash,
        sha256=hashlib.sha256(part.data).hexdigest(),
        source_sha256=source_hash.result(),
    )


# The hex SHA-256 of `data` (hashlib releases the GIL, so this runs beside decoding).
def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def identify(data: bytes, *, decode: bool = True) -> MediaInfo:
    """What `data` is, by content: kind, format, display size, and for video duration and fps.
    Decodes a little (one frame) so that undecodable input raises MediaError; with
    `decode=False` a picture's header alone is read (for callers that decode it next anyway)."""
    found = sniff(bytes(data))
    if found.kind == "video":
        return probe_video(data, found.format)
    header = open_image(data, found.format)
    width, height = oriented_size(header)
    header.close()
    if decode:
        decode_image(data, found.format, 64)
    return MediaInfo(kind="image", format=found.format, width=width, height=height)


def first_frame(data: bytes, max_side: int | None = None) -> Image.Image:
    """The picture, or a video's first frame, upright in RGB; `max_side` bounds its long side."""
    found = sniff(bytes(data))
    if found.kind == "video":
        picture = first_video_frame(data, found.format)
    else:
        header = open_image(data, found.format)
        want = max(oriented_size(header))
        header.close()
        picture, _ = decode_image(data, found.format, min(want, max_side or want))
    if max_side and max(picture.size) > max_side:
        picture.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return picture


def perceptual_hash(data: bytes) -> int:
    """The 64-bit perceptual hash of a picture or a video's first frame."""
    return image_phash(first_frame(data, max_side=512))
