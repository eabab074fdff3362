"""JPEG metadata bounded before Pillow sees it.

Pillow joins every APP1 "Exif" and APP2 ICC segment it finds, and does so in quadratic
time: a 100 MB JPEG of 1,600 EXIF segments takes minutes. This module walks the marker
segments itself (linear, no pixel decoded) and, when the metadata is out of bounds,
rebuilds the file with only what decoding needs: JFIF (APP0), the first EXIF segment
(at most 64 KB, for the orientation) and Adobe's APP14 (colour transform of CMYK pictures).
Every JPEG this package sends is re-encoded without metadata anyway.
"""

from __future__ import annotations

__all__ = ["MAX_METADATA_BYTES", "MAX_METADATA_SEGMENTS", "bounded_jpeg_metadata"]

# More metadata than this (segments or bytes) and the file is rebuilt without the extras.
MAX_METADATA_SEGMENTS = 16
MAX_METADATA_BYTES = 256 * 1024
_SOI = b"\xff\xd8"
_APP0, _APP1, _APP14, _COM = 0xE0, 0xE1, 0xEE, 0xFE


def _metadata_segments(data: bytes) -> tuple[list[tuple[int, int, int]], int]:
    """The (marker, start, end) of each APPn/COM segment after SOI, and where the first
    other segment (the picture's tables) begins."""
    segments: list[tuple[int, int, int]] = []
    at = 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte before a marker
            at += 1
            continue
        if not (0xE0 <= marker <= 0xEF or marker == _COM):
            break
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        if length < 2:
            break
        segments.append((marker, at, min(at + 2 + length, len(data))))
        at += 2 + length
    return segments, min(at, len(data))


def bounded_jpeg_metadata(data: bytes) -> bytes:
    """`data` itself when its metadata is modest (at most 16 APPn/COM segments and 256 KB),
    else the same JPEG rebuilt with only JFIF, the first EXIF segment and Adobe's APP14."""
    if not data.startswith(_SOI):
        return data
    segments, tables = _metadata_segments(data)
    total = sum(end - start for _, start, end in segments)
    if len(segments) <= MAX_METADATA_SEGMENTS and total <= MAX_METADATA_BYTES:
        return data
    kept = [_SOI]
    exif_kept = False
    for marker, start, end in segments:
        body = data[start + 4 : end]
        if marker == _APP1 and body.startswith(b"Exif\x00"):
            if exif_kept:  # one segment (at most 64 KB) is all the orientation needs
                continue
            exif_kept = True
        elif marker not in (_APP0, _APP14):
            continue
        kept.append(data[start:end])
    kept.append(data[tables:])
    return b"".join(kept)
