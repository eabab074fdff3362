"""The values `media` hands out: options, face boxes, probe results and prepared media."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Literal

from media.errors import MediaWarning

__all__ = ["FaceBox", "MediaInfo", "PrepareOptions", "Prepared"]

Kind = Literal["image", "video"]


@dataclass(frozen=True)
class PrepareOptions:
    """How to prepare: the box's long side, the video window, and the face pre-flight."""

    max_side: int = 640
    video_start_s: float = 0.0
    video_seconds: float = 5.0
    check_faces: bool = True
    crop_to_face: bool = False


@dataclass(frozen=True)
class FaceBox:
    """A face found in a picture: top-left corner, width and height, in pixels."""

    x: int
    y: int
    w: int
    h: int

    @property
    def size(self) -> int:
        """The box's shorter side: what "face at least 100 px" is measured on."""
        return min(self.w, self.h)

    def scaled(self, factor: float) -> FaceBox:
        """The box moved into a picture scaled by `factor`."""
        return FaceBox(
            round(self.x * factor),
            round(self.y * factor),
            round(self.w * factor),
            round(self.h * factor),
        )


@dataclass(frozen=True)
class MediaInfo:
    """What some bytes are, found by their content: kind, format, display size, timing."""

    kind: Kind
    format: str
    width: int
    height: int
    duration_s: float | None = None
    fps: float | None = None
    codec: str | None = None
    rotation: int = 0
    has_audio: bool = False


@dataclass(frozen=True)
class Prepared:
    """An API-ready photo or video, with what was found and done on the way."""

    data: bytes = field(repr=False)
    kind: Kind
    input_type: int
    mime: str
    original_format: str
    original_size: tuple[int, int]
    size: tuple[int, int]
    original_bytes: int
    base64_bytes: int
    duration_s: float | None
    fps: float | None
    faces: tuple[FaceBox, ...]
    frames_checked: int
    frames_one_face: int
    warnings: tuple[MediaWarning, ...]
    steps: tuple[str, ...]
    elapsed_ms: float
    phash: int
    sha256: str
    source_sha256: str

    def base64(self) -> str:
        """The FaceInput text: standard base64 with padding."""
        return base64.b64encode(self.data).decode("ascii")

    @property
    def warning_codes(self) -> tuple[str, ...]:
        """The warning codes, in order (handy for checks and reports)."""
        return tuple(w.code for w in self.warnings)

    def report(self, lang: str = "en") -> dict[str, object]:
        """A JSON-ready report of everything but the bytes."""
        return {
            "kind": self.kind,
            "input_type": self.input_type,
            "mime": self.mime,
            "original_format": self.original_format,
            "original_size": list(self.original_size),
            "size": list(self.size),
            "original_bytes": self.original_bytes,
            "bytes": len(self.data),
            "base64_bytes": self.base64_bytes,
            "duration_s": self.duration_s,
            "fps": self.fps,
            "faces": [[f.x, f.y, f.w, f.h] for f in self.faces],
            "frames_checked": self.frames_checked,
            "frames_one_face": self.frames_one_face,
            "warnings": [{"code": w.code, "text": w.text(lang)} for w in self.warnings],
            "steps": list(self.steps),
            "elapsed_ms": round(self.elapsed_ms, 1),
            "phash": f"{self.phash:016x}",
            "sha256": self.sha256,
            "source_sha256": self.source_sha256,
        }
