"""The package's front door: prepare, identify, first frame, perceptual hash of any input."""

from __future__ import annotations

import hashlib
import time

from PIL import Image

from media.background import background
from media.clip import prepare_clip
from media.errors import media_error
from media.images import decode_image, open_image, oriented_size
from media.limits import base64_size
from media.models import MediaInfo, Prepared, PrepareOptions
from media.phash import image_phash
from media.sniff import sniff
from media.still import prepare_still
from media.video import first_video_frame, probe_video

__all__ = ["first_frame", "identify", "perceptual_hash", "prepare"]

_IMAGE, _VIDEO = 1, 2


# Make `data` (a photo or a video) API-ready; MediaError with a clear reason when it cannot be.
def prepare(
    data: bytes, filename: str | None = None, options: PrepareOptions | None = None
) -> Prepared:
    started = time.perf_counter()
    options = options or PrepareOptions()
    if options.max_side < 64:
        raise media_error(
            "bad_option", detail=f"max_side must be at least 64, not {options.max_side}"
        )
    found = sniff(bytes(data))
    source_hash = background().submit(_sha256, data)
    named = f" ({filename})" if filename else ""
    if found.kind == "image":
        still = prepare_still(data, found.format, options)
        payload, mime = still.data, still.mime
        fields = dict(
            kind="image",
            input_type=_IMAGE,
            original_size=still.original_size,
            size=still.size,
            duration_s=None,
            fps=None,
            faces=still.faces,
            frames_checked=1 if options.check_faces else 0,
            frames_one_face=int(len(still.faces) == 1),
            warnings=still.warnings,
            steps=(f"read {found.format.upper()} image{named}", *still.steps),
            phash=still.phash,
        )
    else:
        clip = prepare_clip(data, found.format, options)
        payload, mime = clip.data, "video/mp4"
        fields = dict(
            kind="video",
            input_type=_VIDEO,
            original_size=clip.original_size,
            size=clip.size,
            duration_s=clip.duration_s,
            fps=clip.fps,
            faces=clip.faces,
            frames_checked=clip.frames_checked,
            frames_one_face=clip.frames_one_face,
            warnings=clip.warnings,
            steps=(f"read {found.format.upper()} video{named}", *clip.steps),
            phash=clip.phash,
        )
    return Prepared(
        data=payload,
        mime=mime,
        original_format=found.format,
        original_bytes=len(data),
        base64_bytes=base64_size(len(payload)),
        elapsed_ms=(time.perf_counter() - started) * 1000,
        sha256=hashlib.sha256(payload).hexdigest(),
        source_sha256=source_hash.result(),
        **fields,  # type: ignore[arg-type]
    )


# The hex SHA-256 of `data` (hashlib releases the GIL, so this runs beside decoding).
def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# What `data` is, by content: kind, format, display size, and for video duration and fps.
# Decodes a little (one frame) so that undecodable input raises MediaError.
def identify(data: bytes) -> MediaInfo:
    found = sniff(bytes(data))
    if found.kind == "video":
        return probe_video(data, found.format)
    header = open_image(data, found.format)
    width, height = oriented_size(header)
    header.close()
    decode_image(data, found.format, 64)
    return MediaInfo(kind="image", format=found.format, width=width, height=height)


# The picture, or a video's first frame, upright in RGB; `max_side` bounds its long side.
def first_frame(data: bytes, max_side: int | None = None) -> Image.Image:
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


# The 64-bit perceptual hash of a picture or a video's first frame.
def perceptual_hash(data: bytes) -> int:
    return image_phash(first_frame(data, max_side=512))
