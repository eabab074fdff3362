"""Prepare a still picture: decode small, find faces, size for the face, frame, encode."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PIL import Image

from media.background import background
from media.errors import MediaWarning, media_warning
from media.faces import detect_faces, exposure_warnings, face_frame, face_warnings
from media.images import decode_image, encode_jpeg_fitting, fit_within, open_image, oriented_size
from media.limits import (
    FACE_TARGET_PX,
    IMAGE_BASE64_TARGET,
    IMAGE_FACE_MAX_SIDE,
    RECOMMENDED_FACE_PX,
    base64_size,
)
from media.models import FaceBox, PrepareOptions
from media.phash import image_phash

__all__ = ["PreparedStill", "prepare_still"]

# Pictures whose long side is under this get a "low resolution" warning.
_LOW_RESOLUTION_LONG = 320
# Formats the service takes as they are (when nothing else needs changing).
_PASS_THROUGH = {"jpeg": "image/jpeg", "png": "image/png"}


@dataclass(frozen=True)
class PreparedStill:
    """What preparing a picture produced, before it becomes a `Prepared`."""

    data: bytes
    mime: str
    original_size: tuple[int, int]
    size: tuple[int, int]
    faces: tuple[FaceBox, ...]
    warnings: tuple[MediaWarning, ...]
    steps: tuple[str, ...]
    phash: int


def prepare_still(data: bytes, fmt: str, options: PrepareOptions) -> PreparedStill:
    """Make a picture API-ready following `options`."""
    header = open_image(data, fmt)
    original = oriented_size(header)
    source_mode = header.mode
    header.close()
    box_long = min(options.max_side, max(original))
    picture, decode_steps = decode_image(data, fmt, box_long)
    steps = list(decode_steps)
    reoriented = any(step.startswith("applied EXIF") for step in decode_steps)
    picture, faces, crop = _sized(data, fmt, picture, original, box_long, options, steps)

    untouched = (
        fmt in _PASS_THROUGH
        and crop is None
        and not reoriented
        and picture.size == original
        and source_mode in ("RGB", "L")
        and base64_size(len(data)) <= IMAGE_BASE64_TARGET
    )
    if untouched:
        payload, mime = data, _PASS_THROUGH[fmt]
        steps.append(f"kept the original {fmt.upper()} bytes (already API-ready)")
    else:
        encoded, encode_steps = encode_jpeg_fitting(picture, IMAGE_BASE64_TARGET)
        steps += encode_steps
        if encoded.image.size != picture.size:
            factor = encoded.image.size[0] / picture.size[0]
            faces = [face.scaled(factor) for face in faces]
            picture = encoded.image
        payload, mime = encoded.data, "image/jpeg"
        steps.append(f"encoded JPEG quality {encoded.quality} ({len(payload) / 1024:.0f} KB)")

    warnings: list[MediaWarning] = face_warnings(faces) if options.check_faces else []
    warnings += exposure_warnings(picture, faces)
    if base64_size(len(payload)) > IMAGE_BASE64_TARGET:
        mb = base64_size(len(payload)) / 2**20
        warnings.append(media_warning("over_recommended_size", kind="image", mb=mb, target=3))
    if max(picture.size) < _LOW_RESOLUTION_LONG:
        warnings.append(
            media_warning("low_resolution", width=picture.size[0], height=picture.size[1])
        )
    return PreparedStill(
        data=payload,
        mime=mime,
        original_size=original,
        size=picture.size,
        faces=tuple(faces),
        warnings=tuple(warnings),
        steps=tuple(steps),
        phash=image_phash(picture),
    )


# Find faces and bring the decoded picture to its final size (framed around the face when
# asked). The face search runs in the background while the default resize is done, since
# that resize is the one kept unless the face needs more pixels.
def _sized(
    data: bytes,
    fmt: str,
    picture: Image.Image,
    original: tuple[int, int],
    box_long: int,
    options: PrepareOptions,
    steps: list[str],
) -> tuple[Image.Image, list[FaceBox], tuple[int, int, int, int] | None]:
    search = options.check_faces or options.crop_to_face
    pending = background().submit(detect_faces, picture) if search else None
    default = None if options.crop_to_face else _downscaled(picture, box_long)
    faces = pending.result() if pending is not None else []
    target_long, crop = box_long, None
    if options.crop_to_face and faces:
        crop_box = face_frame(faces[0], picture.size)
        crop_long = max(crop_box[2] - crop_box[0], crop_box[3] - crop_box[1])
        crop_long_original = round(crop_long * max(original) / max(picture.size))
        target_long = min(options.max_side, crop_long_original)
        needed = math.ceil(max(original) * target_long / max(crop_long_original, 1))
        if needed > max(picture.size):
            picture, faces = _redecode(data, fmt, needed, picture, faces)
        crop = face_frame(faces[0], picture.size)
        picture = picture.crop(crop)
        faces = _faces_in_crop(faces, crop)
        steps.append(f"framed the largest face ({crop[2] - crop[0]}x{crop[3] - crop[1]} crop)")
    elif faces:
        target_long = _face_aware_long(faces[0], picture.size, box_long, original, options)
        if target_long > box_long:
            steps.append(
                f"kept {target_long} px on the long side (not {box_long}) so the face stays "
                f"at least {RECOMMENDED_FACE_PX} px"
            )
            if target_long > max(picture.size):
                picture, faces = _redecode(data, fmt, target_long, picture, faces)
    final = default if default is not None and target_long == box_long else None
    if final is None:
        final = _downscaled(picture, target_long)
    if final.size != picture.size:
        faces = [face.scaled(final.size[0] / picture.size[0]) for face in faces]
        source = "the crop" if crop else f"{original[0]}x{original[1]}"
        steps.append(f"downscaled {source} to {final.size[0]}x{final.size[1]}")
    return final, faces, crop


# The picture fitted within `long_side` (the same object when it already fits).
def _downscaled(picture: Image.Image, long_side: int) -> Image.Image:
    size = fit_within(picture.size, long_side)
    if size == picture.size:
        return picture
    return picture.resize(size, Image.Resampling.BICUBIC, reducing_gap=2.0)


# The long side that keeps `face` at least RECOMMENDED_FACE_PX wide, within the limits.
def _face_aware_long(
    face: FaceBox,
    decoded: tuple[int, int],
    box_long: int,
    original: tuple[int, int],
    options: PrepareOptions,
) -> int:
    face_in_box = face.size * box_long / max(decoded)
    if face_in_box >= RECOMMENDED_FACE_PX:
        return box_long
    ceiling = min(max(original), max(options.max_side, IMAGE_FACE_MAX_SIDE))
    wanted = math.ceil(box_long * FACE_TARGET_PX / max(face_in_box, 1.0))
    return max(box_long, min(wanted, ceiling))


# Decode again with at least `long_side` pixels, moving the known faces into the new scale.
def _redecode(
    data: bytes, fmt: str, long_side: int, picture: Image.Image, faces: list[FaceBox]
) -> tuple[Image.Image, list[FaceBox]]:
    sharper, _ = decode_image(data, fmt, long_side)
    factor = sharper.size[0] / picture.size[0]
    return sharper, [face.scaled(factor) for face in faces]


# Faces whose centre lies inside `crop`, moved into the crop's coordinates.
def _faces_in_crop(faces: list[FaceBox], crop: tuple[int, int, int, int]) -> list[FaceBox]:
    left, top, right, bottom = crop
    kept = []
    for face in faces:
        cx, cy = face.x + face.w / 2, face.y + face.h / 2
        if left <= cx < right and top <= cy < bottom:
            kept.append(FaceBox(face.x - left, face.y - top, face.w, face.h))
    return kept
