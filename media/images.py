"""Still pictures: guarded opening, fast scaled decoding, orientation, RGB, JPEG encoding."""

from __future__ import annotations

import io
import math
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image

from media.errors import media_error, short_reason
from media.jpeg_metadata import bounded_jpeg_metadata
from media.limits import (
    HARD_BASE64_BYTES,
    JPEG_QUALITIES,
    MAX_DECODE_PIXELS,
    MAX_DRAFT_PIXELS,
    MAX_PROGRESSIVE_JPEG_PIXELS,
    MIN_SIDE,
    base64_size,
)

__all__ = [
    "EncodedJpeg",
    "decode_image",
    "encode_jpeg_fitting",
    "fit_within",
    "open_image",
    "oriented_size",
    "to_rgb",
]

_HEIF_LOCK = threading.Lock()
_HEIF_REGISTERED = False
# EXIF orientations that swap width and height.
_SWAPPING_ORIENTATIONS = {5, 6, 7, 8}
# The turn or flip that shows a picture upright, per EXIF orientation (as exif_transpose).
_TRANSPOSES = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# Frames of an animated picture counted for the "used the first of N frames" note.
_MAX_FRAMES_COUNTED = 1000
# Source rows per strip (about) when a large picture is shrunk (`_shrunk`).
_STRIP_ROWS = 256


# Make Pillow open HEIC/HEIF/AVIF through pillow-heif, once, on first need.
def _register_heif() -> None:
    global _HEIF_REGISTERED
    with _HEIF_LOCK:
        if _HEIF_REGISTERED:
            return
        import pillow_heif

        pillow_heif.register_heif_opener()
        if hasattr(pillow_heif, "register_avif_opener"):
            pillow_heif.register_avif_opener()
        _HEIF_REGISTERED = True


def open_image(data: bytes, fmt: str) -> Image.Image:
    """Open `data` reading only the header; refuse bombs and tiny pictures before any pixel.
    A JPEG's metadata is bounded first (see media.jpeg_metadata)."""
    if fmt in ("heic", "heif", "avif"):
        _register_heif()
    if fmt == "jpeg":
        data = bounded_jpeg_metadata(data)
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        found = re.search(r"\((\d+) pixels\)", str(exc))
        pixels = int(found.group(1)) if found else 0
        raise _too_many_pixels(f"{pixels / 1e6:.0f} megapixels", MAX_DECODE_PIXELS) from None
    except Exception as exc:  # whatever a damaged file makes a decoder raise: unusable input
        raise media_error("corrupt_image", fmt=fmt.upper(), detail=short_reason(exc)) from None
    width, height = image.size
    limit = _pixel_limit(image)
    if width * height > limit:
        image.close()
        raise _too_many_pixels(f"{width}x{height}, {width * height / 1e6:.0f} megapixels", limit)
    if min(width, height) < MIN_SIDE:
        image.close()
        raise media_error("too_small", width=width, height=height, min_side=MIN_SIDE)
    return image


# The most pixels `image` may have: JPEGs decode at reduced scale, except that a
# progressive one holds all its coefficients at full size while decoding.
def _pixel_limit(image: Image.Image) -> int:
    if image.format != "JPEG":
        return MAX_DECODE_PIXELS
    progressive = image.info.get("progressive") or image.info.get("progression")
    return MAX_PROGRESSIVE_JPEG_PIXELS if progressive else MAX_DRAFT_PIXELS


# The refusal for a picture with more pixels than `limit`.
def _too_many_pixels(detail: str, limit: int) -> Exception:
    return media_error("too_many_pixels", detail=detail, limit_mp=limit / 1e6)


# The EXIF orientation tag (1 when absent or unreadable).
def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(0x0112, 1)
    except Exception:  # a damaged EXIF block only loses the orientation
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def oriented_size(image: Image.Image) -> tuple[int, int]:
    """The size the picture is shown at: width and height after EXIF orientation."""
    width, height = image.size
    return (height, width) if _orientation(image) in _SWAPPING_ORIENTATIONS else (width, height)


def fit_within(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    """The largest size with the same shape whose long side is at most `long_side` (never
    larger)."""
    width, height = size
    scale = min(1.0, long_side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def decode_image(data: bytes, fmt: str, want_long: int) -> tuple[Image.Image, list[str]]:
    """Decode `data` to an upright RGB picture whose long side is at least `want_long` where the
    source has that many pixels; JPEGs decode at 1/2..1/8 scale (draft) when that is enough."""
    steps: list[str] = []
    image = open_image(data, fmt)
    if getattr(image, "is_animated", False):
        steps.append(f"used the first of {_frame_count(image)} frames")
    orientation = _orientation(image)
    if image.format == "JPEG":
        stored = image.size
        request = fit_within(stored, max(want_long, 1))
        if (
            request != stored
            and image.draft(image.mode, request) is not None
            and image.size != stored
        ):
            steps.append(f"decoded the JPEG at reduced scale ({image.size[0]}x{image.size[1]})")
    try:
        image.load()
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels(short_reason(exc), MAX_DECODE_PIXELS) from None
    except Exception as exc:  # whatever a damaged file makes a decoder raise: unusable input
        raise media_error("corrupt_image", fmt=fmt.upper(), detail=short_reason(exc)) from None
    image = _shrunk(image, want_long)
    if orientation != 1:
        image = image.transpose(_TRANSPOSES[orientation])
        steps.append(f"applied EXIF orientation {orientation}")
    converted, note = to_rgb(image)
    if note:
        steps.append(note)
    return converted, steps


# The number of frames of an animated picture, counted up to `cap` (a GIF of a million
# tiny frames would otherwise be walked to its end); back on the first frame after.
def _frame_count(image: Image.Image, cap: int = _MAX_FRAMES_COUNTED) -> str:
    count = 1
    try:
        while count <= cap:
            image.seek(count)
            count += 1
    except EOFError:
        pass
    except Exception:  # a damaged later frame: the first one is still used
        pass
    image.seek(0)
    return str(count) if count <= cap else f"more than {cap}"


# A decoded picture far larger than needed, brought down by a whole factor to between
# two and four times `want_long` on its long side, before any conversion or rotation
# copies it at full size. Done in strips of rows (box filter, in the picture's own mode,
# 16-bit and float included), so no full-size copy is ever made; palette and 1-bit
# pictures are expanded first.
def _shrunk(image: Image.Image, want_long: int) -> Image.Image:
    factor = max(image.size) // (2 * max(want_long, 1))
    if factor < 2:
        return image
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif image.mode == "1":
        image = image.convert("L")
    width, height = image.size
    small_width = -(-width // factor)
    shrunk = Image.new(image.mode, (small_width, -(-height // factor)))
    rows = factor * max(1, _STRIP_ROWS // factor)  # a whole number of output rows
    for top in range(0, height, rows):
        bottom = min(height, top + rows)
        strip = image.crop((0, top, width, bottom))
        size = (small_width, -(-(bottom - top) // factor))
        shrunk.paste(strip.resize(size, Image.Resampling.BOX), (0, top // factor))
    return shrunk


def to_rgb(image: Image.Image) -> tuple[Image.Image, str]:
    """Convert any Pillow mode to 8-bit RGB (alpha flattened on white); returns a note on what
    changed. Transparent and high-depth pictures are converted in strips of rows into the
    RGB result, so even a full-size conversion holds only the source and the result."""
    mode = image.mode
    if mode == "RGB":
        return image, ""
    if mode == "P" and "transparency" in image.info or mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        return _by_strips(image, _flattened), f"flattened {mode} transparency on white"
    if mode.startswith("I") or mode == "F":
        scale = _grey_scale(image)
        converted = _by_strips(image, lambda strip: _scaled_grey(strip, scale))
        return converted, f"converted {mode} ({_depth_name(mode)}) to 8-bit RGB"
    return image.convert("RGB"), f"converted {mode} to RGB"


# `convert` (a strip -> an RGB strip) applied strip by strip into one RGB picture.
def _by_strips(image: Image.Image, convert: Callable[[Image.Image], Image.Image]) -> Image.Image:
    width, height = image.size
    result = Image.new("RGB", image.size)
    for top in range(0, height, _STRIP_ROWS):
        strip = image.crop((0, top, width, min(height, top + _STRIP_ROWS)))
        result.paste(convert(strip), (0, top))
    return result


# A strip with transparency flattened on white.
def _flattened(strip: Image.Image) -> Image.Image:
    rgba = strip.convert("RGBA")
    white = Image.new("RGB", strip.size, (255, 255, 255))
    white.paste(rgba, mask=rgba.getchannel("A"))
    return white


# A human name for a high-depth mode.
def _depth_name(mode: str) -> str:
    return "floating point" if mode == "F" else "16-bit" if "16" in mode else "32-bit"


# How grey levels of a 16-bit, 32-bit or float picture map to 0..255: (offset, factor),
# level = (value - offset) * factor. 16-bit ranges divide by 257; other ranges beyond 255
# (and float) are stretched from their lowest to their highest finite value.
def _grey_scale(image: Image.Image) -> tuple[float, float]:
    low, top = math.inf, -math.inf
    for top_row in range(0, image.size[1], _STRIP_ROWS):
        strip = image.crop((0, top_row, image.size[0], top_row + _STRIP_ROWS))
        values = np.asarray(strip, dtype=np.float32)
        finite = values[np.isfinite(values)]
        if finite.size:
            low, top = min(low, float(finite.min())), max(top, float(finite.max()))
    if not math.isfinite(low):
        return 0.0, 1.0
    if image.mode.startswith("I;16") or (image.mode == "I" and 255 < top <= 65535):
        return 0.0, 1 / 257.0
    if top > 255 or image.mode == "F":
        return low, 255.0 / max(top - low, 1e-9)
    return 0.0, 1.0


# A high-depth strip as 8-bit RGB (float32, in place; NaN and infinities darkest).
def _scaled_grey(strip: Image.Image, scale: tuple[float, float]) -> Image.Image:
    offset, factor = scale
    values = np.array(strip, dtype=np.float32)
    values[~np.isfinite(values)] = offset
    values -= offset
    values *= factor
    np.rint(values, out=values)
    np.clip(values, 0, 255, out=values)
    return Image.fromarray(values.astype(np.uint8)).convert("RGB")


@dataclass(frozen=True)
class EncodedJpeg:
    """A JPEG encoding result: the bytes, the quality used and the picture encoded."""

    data: bytes
    quality: int
    image: Image.Image


def encode_jpeg_fitting(image: Image.Image, target: int) -> tuple[EncodedJpeg, list[str]]:
    """Encode as JPEG, stepping the quality (then the size) down until base64 fits `target`."""
    steps: list[str] = []
    current = image
    budget = f"{target / 2**20:.3g} MB"
    while True:
        for quality in JPEG_QUALITIES:
            data = _jpeg_bytes(current, quality)
            if base64_size(len(data)) <= target:
                if quality != JPEG_QUALITIES[0]:
                    steps.append(f"lowered JPEG quality to {quality} to fit {budget}")
                return EncodedJpeg(data, quality, current), steps
        smaller = fit_within(current.size, int(max(current.size) * 0.8))
        if min(smaller) < MIN_SIDE:
            if base64_size(len(data)) <= HARD_BASE64_BYTES:
                steps.append(f"kept the picture over {budget} (still under the 10 MB limit)")
                return EncodedJpeg(data, quality, current), steps
            raise media_error("too_big", kind="image", mb=base64_size(len(data)) / 2**20)
        current = current.resize(smaller, Image.Resampling.BICUBIC)
        steps.append(f"shrank to {smaller[0]}x{smaller[1]} to fit {budget}")


# Baseline JPEG bytes at `quality` (no metadata carried over).
def _jpeg_bytes(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return out.getvalue()
