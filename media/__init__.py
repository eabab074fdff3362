"""Make any photo or video API-ready for DetectAIFakeFaces, with a face pre-flight.

    prepare(data, filename=None, options=None) -> Prepared     (raises MediaError)
    identify(data) -> MediaInfo                                (what the bytes really are)
    first_frame(data) -> PIL.Image.Image                       (picture or first video frame)
    detect_faces(image) -> list[FaceBox]
    perceptual_hash(data) -> int; hamming_distance(a, b) -> int

No Streamlit here: the app, the command lines, the evaluation runner and the sandbox all
use the same functions. `python -m media prepare PATH` is the command line.
"""

from __future__ import annotations

from media.errors import MediaError, MediaWarning
from media.faces import detect_faces
from media.models import FaceBox, MediaInfo, Prepared, PrepareOptions
from media.phash import hamming_distance
from media.prepare import first_frame, identify, perceptual_hash, prepare

__all__ = [
    "FaceBox",
    "MediaError",
    "MediaInfo",
    "MediaWarning",
    "PrepareOptions",
    "Prepared",
    "detect_faces",
    "first_frame",
    "hamming_distance",
    "identify",
    "perceptual_hash",
    "prepare",
]
