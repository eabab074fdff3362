"""The service's input limits (CONTRACT.md) and this package's own safety limits."""

from __future__ import annotations

from core.service import (
    IMAGE_BASE64_RECOMMENDED,
    MAX_BASE64_BYTES,
    MAX_VIDEO_SECONDS,
    RECOMMENDED_FACE_PX,
    VIDEO_BASE64_RECOMMENDED,
)

__all__ = [
    "FACE_TARGET_PX",
    "HARD_BASE64_BYTES",
    "IMAGE_BASE64_TARGET",
    "IMAGE_FACE_MAX_SIDE",
    "JPEG_QUALITIES",
    "MAX_DECODE_PIXELS",
    "MAX_DRAFT_PIXELS",
    "MAX_PROGRESSIVE_JPEG_PIXELS",
    "MAX_VIDEO_DECODED_FRAMES",
    "MAX_VIDEO_DECODE_S",
    "MAX_VIDEO_FRAME_PIXELS",
    "MAX_VIDEO_FPS",
    "MAX_VIDEO_SECONDS",
    "MIN_FACE_PX",
    "RECOMMENDED_FACE_PX",
    "MIN_SIDE",
    "RECOMMENDED_MIN_SECONDS",
    "VIDEO_BASE64_TARGET",
    "VIDEO_MAX_LONG",
    "VIDEO_MAX_SHORT",
    "base64_size",
]

MB = 1024 * 1024
# The service refuses a base64 FaceInput above 10 MB; it recommends 3 MB (image), 8 MB (video).
HARD_BASE64_BYTES = MAX_BASE64_BYTES
IMAGE_BASE64_TARGET = IMAGE_BASE64_RECOMMENDED
VIDEO_BASE64_TARGET = VIDEO_BASE64_RECOMMENDED
# The face should be at least 100x100 px in what the service receives (a warning below).
MIN_FACE_PX = RECOMMENDED_FACE_PX  # old name, kept for callers: use RECOMMENDED_FACE_PX
# Face-aware sizing aims a little above that, so that a detector measuring the prepared
# picture again (the sandbox does) still finds at least 100 px.
FACE_TARGET_PX = 116
# Pictures smaller than this on either side cannot hold a usable face: refused.
MIN_SIDE = 64
# Face-aware sizing may keep up to this long side for a still (to keep the face >= 100 px).
IMAGE_FACE_MAX_SIDE = 1600
# Videos: never above 720p (1280x720 either way round), at most 30 fps, at most 20 s.
VIDEO_MAX_LONG = 1280
VIDEO_MAX_SHORT = 720
MAX_VIDEO_FPS = 30.0
RECOMMENDED_MIN_SECONDS = 2.0
# Decompression-bomb guard, checked from the header before any pixel is decoded.
# Formats decoded at full size: ~80 MP (about 320 MB as RGBA), under Pillow's own warning.
MAX_DECODE_PIXELS = 80_000_000
# JPEGs are decoded through draft mode (1/2..1/8 scale), so larger ones stay cheap.
MAX_DRAFT_PIXELS = 170_000_000
# ...except progressive JPEGs, whose decoder keeps every DCT coefficient at full size
# (2 bytes per sample): 64 MP is at most 384 MB even without chroma subsampling.
MAX_PROGRESSIVE_JPEG_PIXELS = 64_000_000
# Video frames, checked from the container's header before the first frame is decoded
# (and on every decoded frame): 8K (7680x4320) fits; a decoded 16-bit 8K frame is ~200 MB.
MAX_VIDEO_FRAME_PIXELS = 36_000_000
# Per pass over a clip: frames decoded (kept or not: frames that do not advance time count)
# and seconds spent decoding. 20 s at 240 fps is 4,800 frames.
MAX_VIDEO_DECODED_FRAMES = 6_000
MAX_VIDEO_DECODE_S = 8.0
# JPEG qualities tried in turn until the base64 fits the target.
JPEG_QUALITIES = (90, 85, 80, 72, 64, 55, 45, 35)


def base64_size(n: int) -> int:
    """Length of the standard (padded) base64 text for `n` bytes."""
    return 4 * ((n + 2) // 3)
