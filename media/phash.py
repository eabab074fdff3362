"""A 64-bit DCT perceptual hash: close pictures (rescaled, re-encoded) give close hashes."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

__all__ = ["hamming_distance", "image_phash"]

_HASH_GRID = 32
_KEEP = 8


def image_phash(image: Image.Image) -> int:
    """The perceptual hash of a picture: the signs of its 8x8 lowest DCT frequencies."""
    grey = image.convert("L")
    if max(grey.size) > 4 * _HASH_GRID:
        grey = grey.reduce(max(1, min(grey.size) // (2 * _HASH_GRID)))
    small = grey.resize((_HASH_GRID, _HASH_GRID), Image.Resampling.BOX)
    pixels = np.asarray(small, dtype=np.float32)
    low = cv2.dct(pixels)[:_KEEP, :_KEEP].flatten()
    threshold = float(np.median(low[1:]))
    value = 0
    for bit in low > threshold:
        value = (value << 1) | int(bit)
    return value


def hamming_distance(a: int, b: int) -> int:
    """How many of the 64 bits differ between two hashes."""
    return (int(a) ^ int(b)).bit_count()
