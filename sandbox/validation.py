"""Input checks the action does, in the service's order: the JSON body, the fields,
strict base64, decoding as an accepted format, video duration; and, for input no
scenario rule recognised, the sandbox's own face checks.

Everything here is synchronous and may be slow (decoding, face detection): callers
run it off the event loop.
"""

from __future__ import annotations

import binascii
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from PIL import Image

import media
from core.service import MAX_REQUEST_BYTES, MAX_VIDEO_SECONDS, SANDBOX_MIN_FACE_PX
from core.text import Message
from sandbox.envelope import Rejection
from sandbox.wire import NO_ENCRYPTION

__all__ = [
    "FACE_CHECK_SIDE",
    "CheckedPicture",
    "IMAGE_FORMATS",
    "MAX_BODY_BYTES",
    "MAX_VIDEO_SECONDS",
    "VIDEO_FORMATS",
    "FaceInput",
    "check_faces",
    "check_media",
    "decode_face_input",
    "parse_body",
    "parse_input_type",
]

MAX_BODY_BYTES = MAX_REQUEST_BYTES
# Pictures are checked decoded to at most this long side (faces measured back at the
# input's scale), so a 80-megapixel PNG never exists as full-size RGB in the sandbox.
FACE_CHECK_SIDE = 1024
IMAGE_FORMATS = frozenset({"jpeg", "png"})
VIDEO_FORMATS = frozenset({"mp4", "mov", "avi", "flv"})
_FIELDS = ("FaceInput", "FaceInputType", "Encryption", "EncryptedBody")


@dataclass(frozen=True)
class FaceInput:
    """The decoded FaceInput bytes, their type (1 image, 2 video) and sha256."""

    data: bytes
    input_type: int
    sha256: str


def parse_body(body: bytes, content_type: str) -> dict[str, Any]:
    """The JSON object the request carries, or the rejection for a malformed body."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type != "application/json":
        raise Rejection(
            "InvalidParameter",
            detail=Message(
                "detail",
                f"Content-Type must be application/json, got `{media_type}`",
                f"Content-Type 须为 application/json，实际为 `{media_type}`",
            ),
        )
    try:
        params = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, nested too deep, huge numbers
        raise Rejection(
            "InvalidParameter",
            detail=Message("detail", "the body is not valid JSON", "请求体不是合法的 JSON"),
        ) from None
    if not isinstance(params, dict):
        raise Rejection(
            "InvalidParameter",
            detail=Message("detail", "the body must be a JSON object", "请求体须为 JSON 对象"),
        )
    for name in params:
        if name not in _FIELDS:
            raise Rejection("UnknownParameter", name=name)
    if "Encryption" in params or "EncryptedBody" in params:
        raise Rejection("InvalidParameterValue", detail=NO_ENCRYPTION)
    return params


def parse_input_type(params: dict[str, Any]) -> int:
    """`FaceInputType`: the integer 1 (image) or 2 (video), else InvalidParameter."""
    if "FaceInputType" not in params:
        raise Rejection("MissingParameter", name="FaceInputType")
    value = params["FaceInputType"]
    if isinstance(value, bool) or not isinstance(value, int) or value not in (1, 2):
        raise Rejection(
            "InvalidParameter",
            detail=Message(
                "detail",
                f"FaceInputType must be 1 or 2, got {value!r:.40}",
                f"FaceInputType 须为 1 或 2，实际为 {value!r:.40}",
            ),
        )
    return value


def decode_face_input(params: dict[str, Any], input_type: int) -> FaceInput:
    """`FaceInput` decoded as strict standard base64 (RFC 4648, padded)."""
    if "FaceInput" not in params:
        raise Rejection("MissingParameter", name="FaceInput")
    value = params["FaceInput"]
    if not isinstance(value, str):
        raise Rejection(
            "InvalidParameter",
            detail=Message(
                "detail", "FaceInput must be a base64 string", "FaceInput 须为 base64 字符串"
            ),
        )
    try:
        data = binascii.a2b_base64(value.encode("ascii"), strict_mode=True)
    except (UnicodeEncodeError, binascii.Error):
        raise Rejection(
            "InvalidParameterValue",
            detail=Message(
                "detail", "FaceInput is not valid base64", "FaceInput 不是合法的标准 base64"
            ),
        ) from None
    if not data:
        raise Rejection(
            "InvalidParameterValue",
            detail=Message("detail", "FaceInput is empty", "FaceInput 为空"),
        )
    return FaceInput(data, input_type, hashlib.sha256(data).hexdigest())


def _decode_failure(input_type: int) -> Rejection:
    """The decode error for the declared input type."""
    code = (
        "FailedOperation.ImageDecodeFailed"
        if input_type == 1
        else "FailedOperation.VideoDecodeFailed"
    )
    return Rejection(code)


@dataclass(frozen=True)
class CheckedPicture:
    """The input's picture (first frame for a video) decoded to at most `FACE_CHECK_SIDE`
    px, and how many input pixels one of its pixels stands for."""

    picture: Image.Image
    scale: float


def check_media(face: FaceInput) -> CheckedPicture:
    """The bytes must decode as a jpg/png picture (type 1) or an mp4/avi/flv/mov video of
    at most 20 s (type 2). A picture that decodes but is under 64 px on a side is
    `PoorImageQuality`, not a decode failure. Returns the decoded picture (first frame for
    a video), so a truncated file is caught here, not later, and the face checks need not
    decode it again."""
    try:
        info = media.identify(face.data, decode=False)  # first_frame below decodes it
    except media.MediaError as exc:
        if exc.code == "too_small" and face.input_type == 1:  # decodes, but far too small
            raise Rejection("FailedOperation.PoorImageQuality") from None
        raise _decode_failure(face.input_type) from None
    except Exception:  # a decoder library failing on hostile bytes
        raise _decode_failure(face.input_type) from None
    if face.input_type == 1 and (info.kind != "image" or info.format not in IMAGE_FORMATS):
        raise _decode_failure(1)
    if face.input_type == 2:
        if info.kind != "video" or info.format not in VIDEO_FORMATS:
            raise _decode_failure(2)
        if info.duration_s is not None and info.duration_s > MAX_VIDEO_SECONDS:
            raise Rejection(
                "FailedOperation.VideoDurationExceeded",
                duration_s=f"{info.duration_s:.1f}",
                limit_s=f"{MAX_VIDEO_SECONDS:g}",
            )
    try:
        picture = media.first_frame(face.data, max_side=FACE_CHECK_SIDE)
    except Exception:  # MediaError, or a decoder library failing on hostile bytes
        raise _decode_failure(face.input_type) from None
    return CheckedPicture(picture, max(info.width, info.height) / max(picture.size))


def check_faces(picture: Image.Image, scale: float = 1.0) -> None:
    """The sandbox's own face checks on the picture (first frame for a video): no face
    gives IncompleteFace, a largest face under `SANDBOX_MIN_FACE_PX` gives PoorImageQuality;
    with several faces the largest one is judged, as a single-face service would.
    `scale`: how many input pixels one pixel of `picture` stands for (when it was decoded
    smaller than the input, see `FACE_CHECK_SIDE`)."""
    faces = media.detect_faces(picture)
    if not faces:
        raise Rejection("FailedOperation.IncompleteFace")
    largest = max(faces, key=lambda box: box.w * box.h)
    side = round(min(largest.w, largest.h) * scale)
    if side < SANDBOX_MIN_FACE_PX:
        raise Rejection(
            "FailedOperation.PoorImageQuality", face_px=side, min_px=SANDBOX_MIN_FACE_PX
        )
