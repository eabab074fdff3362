"""Face pre-flight with OpenCV's Haar cascade: boxes, warnings and framing around a face."""

from __future__ import annotations

import os
import threading

import cv2
import cv2.data
import numpy as np
from PIL import Image, ImageStat

from media.errors import MediaWarning, media_warning
from media.limits import RECOMMENDED_FACE_PX
from media.models import FaceBox

__all__ = [
    "DETECT_SIDE",
    "QUICK_MIN",
    "QUICK_SIDE",
    "detect_faces",
    "detect_faces_grey",
    "face_frame",
    "exposure_warnings",
    "face_warnings",
    "largest",
]

# Faces are searched on a small grey copy (the cascade's cost grows with the pixels). The
# quick pass (long side QUICK_SIDE, faces from QUICK_MIN px, i.e. from 1/8 of the long side,
# 80 px in a 640 px picture) finds the usual portrait face; only when it finds none does the
# full pass run (long side DETECT_SIDE, faces from the cascade's 24 px window, i.e. 48 px in
# a 640 px picture), enough to tell "too small" (under 100 px) from "none".
QUICK_SIDE = 240
QUICK_MIN = 30
DETECT_SIDE = 320
_CASCADE_FILE = "haarcascade_frontalface_default.xml"
# One cascade per thread: OpenCV does not promise a shared classifier is thread-safe.
_LOCAL = threading.local()


# The frontal-face cascade for this thread, loaded once.
def _cascade() -> cv2.CascadeClassifier:
    cascade = getattr(_LOCAL, "cascade", None)
    if cascade is None:
        path = os.path.join(cv2.data.haarcascades, _CASCADE_FILE)
        cascade = cv2.CascadeClassifier(path)
        if cascade.empty():
            raise RuntimeError(f"OpenCV face cascade missing: {path}")
        _LOCAL.cascade = cascade
    return cascade


def detect_faces(image: Image.Image) -> list[FaceBox]:
    """Faces in an RGB picture, largest first, in the picture's own pixel coordinates."""
    grey = np.asarray(image.convert("L"))
    return detect_faces_grey(grey)


def detect_faces_grey(grey: np.ndarray) -> list[FaceBox]:
    """Faces in a grey (H, W) uint8 array, largest first, in the array's coordinates."""
    faces = _detect_at(grey, QUICK_SIDE, QUICK_MIN)
    if not faces:
        faces = _detect_at(grey, DETECT_SIDE, 24)
    return faces


# Run the cascade on a copy of `grey` whose long side is at most `side`.
def _detect_at(grey: np.ndarray, side: int, min_face: int) -> list[FaceBox]:
    height, width = grey.shape[:2]
    scale = min(1.0, side / max(width, height))
    small = grey
    if scale < 1.0:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        small = cv2.resize(grey, size, interpolation=cv2.INTER_AREA)
    found = _cascade().detectMultiScale(
        np.ascontiguousarray(small), scaleFactor=1.1, minNeighbors=5, minSize=(min_face, min_face)
    )
    boxes = [FaceBox(int(x), int(y), int(w), int(h)).scaled(1.0 / scale) for x, y, w, h in found]
    return sorted(boxes, key=lambda box: box.w * box.h, reverse=True)


def largest(faces: list[FaceBox] | tuple[FaceBox, ...]) -> FaceBox | None:
    """The largest face, or None."""
    return max(faces, key=lambda box: box.w * box.h, default=None)


def face_warnings(faces: list[FaceBox] | tuple[FaceBox, ...]) -> list[MediaWarning]:
    """Warnings for a single picture's faces (already in the prepared picture's coordinates)."""
    if not faces:
        return [media_warning("no_face")]
    warnings: list[MediaWarning] = []
    if len(faces) > 1:
        warnings.append(media_warning("multiple_faces", count=len(faces)))
    biggest = largest(faces)
    if biggest is not None and biggest.size < RECOMMENDED_FACE_PX:
        warnings.append(media_warning("small_face", size=biggest.size))
    return warnings


# Mean brightness (0-255) under which a face is too dark to judge, and over which it is
# washed out; the demo kit's dark sample measures about 40, good photos 120-160.
DARK_MEAN = 60
BRIGHT_MEAN = 225


def exposure_warnings(
    picture: Image.Image, faces: list[FaceBox] | tuple[FaceBox, ...]
) -> list[MediaWarning]:
    """A warning when the face (or, with no face, the whole picture) is too dark or too bright."""
    face = largest(faces)
    region = (
        picture
        if face is None
        else picture.crop((face.x, face.y, face.x + face.w, face.y + face.h))
    )
    mean = ImageStat.Stat(region.convert("L")).mean[0]
    if mean < DARK_MEAN:
        return [media_warning("too_dark", mean=mean)]
    if mean > BRIGHT_MEAN:
        return [media_warning("too_bright", mean=mean)]
    return []


def face_frame(face: FaceBox, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """A 3:4 portrait frame around `face` (head and shoulders), kept inside `size` (w, h)."""
    width, height = size
    frame_w, frame_h = face.w * 2.6, face.w * 2.6 * 4 / 3
    shrink = min(1.0, width / frame_w, height / frame_h)
    frame_w = min(width, max(frame_w * shrink, face.w * 1.2))
    frame_h = min(height, max(frame_h * shrink, face.h * 1.2))
    center_x = face.x + face.w / 2
    center_y = face.y + face.h / 2 + 0.12 * frame_h
    left = int(min(max(0.0, center_x - frame_w / 2), width - frame_w))
    top = int(min(max(0.0, center_y - frame_h / 2), height - frame_h))
    return left, top, min(width, left + round(frame_w)), min(height, top + round(frame_h))
