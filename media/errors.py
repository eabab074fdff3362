"""Refusals and warnings, each with a stable code and text in English and Chinese.

    MediaError(code, en, zh)     the input cannot be made API-ready (raised)
    MediaWarning(code, en, zh)   prepared, but the user should know something (returned)

Both carry the project's one bilingual message type (`core.text.Message`):
`str(MediaError)` is the one-line English reason; `.text("zh")` gives the Chinese one.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.text import Message, MessageError

__all__ = ["MediaError", "MediaWarning", "media_error", "media_warning", "short_reason"]


class MediaError(MessageError):
    """The input cannot be used: a one-line reason in English (`str`) and Chinese
    (`.text("zh")`); `.reason` is the `Message`."""

    def __init__(self, code: str, en: str, zh: str) -> None:
        super().__init__(Message(code, en, zh))

    def __repr__(self) -> str:
        return f"MediaError(code={self.code!r}, en={self.en!r})"

    def __reduce__(self) -> tuple[type[MediaError], tuple[str, str, str]]:
        return (MediaError, (self.code, self.en, self.zh))


@dataclass(frozen=True)
class MediaWarning(Message):
    """Something the user can act on, found while preparing (the input was still used):
    a `Message` (code, en, zh) with `.text(lang)`."""


# Error and warning texts, keyed by code; `{name}` fields are filled per case.
_ERRORS: dict[str, tuple[str, str]] = {
    "empty": ("The file is empty (0 bytes).", "文件为空（0 字节）。"),
    "unsupported": (
        "Not a supported photo or video ({what}); use JPG, PNG, WebP, HEIC, BMP, GIF, TIFF, "
        "or MP4, MOV, AVI, FLV, WebM, MKV.",
        "不是支持的照片或视频（{what}）；请使用 JPG、PNG、WebP、HEIC、BMP、GIF、TIFF，"
        "或 MP4、MOV、AVI、FLV、WebM、MKV。",
    ),
    "corrupt_image": (
        "The {fmt} image cannot be decoded (damaged or truncated file): {detail}",
        # The decoder's own words are English: the Chinese text leaves them out.
        "无法解码此 {fmt} 图片（文件损坏或不完整）。请重新导出为 JPG 或 PNG 后再试。",
    ),
    "corrupt_video": (
        "The video cannot be decoded (damaged or truncated file): {detail}",
        "无法解码此视频（文件损坏或不完整）。请重新导出为 MP4 后再试。",
    ),
    "encode_failed": (
        "The video could not be re-encoded as H.264: {detail}",
        "无法将视频重新编码为 H.264。请重新导出为 MP4 后再试。",
    ),
    "too_many_pixels": (
        "The {what} is too large to decode safely ({detail}; limit {limit_mp:.0f} megapixels); "
        "resize it first.",
        # The detail can be the decoder's English: the Chinese text leaves it out.
        "{what}过大，无法安全解码（上限 {limit_mp:.0f} 百万像素），请先缩小。",
    ),
    "too_small": (
        "The picture is too small ({width}x{height}); it needs at least {min_side} px on "
        "each side, and the face at least 100 px.",
        "画面太小（{width}x{height}）；每边至少需要 {min_side} 像素，人脸至少 100 像素。",
    ),
    "no_video_stream": (
        "The file has no video track (audio only?); record a video of the face.",
        "文件中没有视频轨道（只有音频？）；请录制包含人脸的视频。",
    ),
    "no_frames": (
        "The video has no frames that can be decoded.",
        "视频中没有可解码的画面。",
    ),
    "start_past_end": (
        "The start time {start:.1f} s is past the end of the video ({duration:.1f} s).",
        "开始时间 {start:.1f} 秒超出视频长度（{duration:.1f} 秒）。",
    ),
    "too_big": (
        "The prepared {kind} is still {mb:.1f} MB as base64, over the 10 MB limit.",
        "处理后的{kind} base64 仍有 {mb:.1f} MB，超过 10 MB 上限。",
    ),
    "bad_option": ("Invalid option: {detail}", "参数无效：{detail}"),
}

_WARNINGS: dict[str, tuple[str, str]] = {
    "no_face": (
        "No face found: use a front-facing photo or video with one clearly visible face.",
        "未检测到人脸：请使用正面、清晰、只有一张人脸的照片或视频。",
    ),
    "multiple_faces": (
        "{count} faces found: the service checks a single face; crop to one person.",
        "检测到 {count} 张人脸：服务只检测单张人脸，请裁剪到一个人。",
    ),
    "small_face": (
        "Face {size} px, the service needs 100: move closer, or use a sharper or larger "
        "picture (or a larger image box).",
        "人脸 {size} 像素，服务需要至少 100 像素：请靠近镜头，或使用更清晰、更大的画面（或调大图片尺寸上限）。",
    ),
    "too_dark": (
        "The face is very dark (brightness {mean:.0f} of 255): add light in front of the "
        "face; the service may refuse it as poor quality.",
        "人脸过暗（亮度 {mean:.0f}/255）：请在脸部正前方补光，否则服务可能因图片质量差而拒绝。",
    ),
    "too_bright": (
        "The face is washed out (brightness {mean:.0f} of 255): avoid strong light or "
        "flash on the face.",
        "人脸过亮（亮度 {mean:.0f}/255）：请避免强光或闪光灯直射脸部。",
    ),
    "few_face_frames": (
        "Only {one} of {checked} sampled frames show exactly one face: keep one face in "
        "view for the whole clip.",
        "抽查的 {checked} 帧中只有 {one} 帧恰好有一张人脸：请让一张人脸全程保持在画面中。",
    ),
    "short_clip": (
        "The kept clip is only {seconds:.1f} s; the service recommends 2 to 5 s.",
        "保留的片段只有 {seconds:.1f} 秒；服务建议 2 到 5 秒。",
    ),
    "low_resolution": (
        "The picture is only {width}x{height}; the service recommends about 480x640.",
        "画面仅 {width}x{height}；服务建议约 480x640。",
    ),
    "low_fps": (
        "The video runs at {fps:.0f} fps; the service recommends 25 to 30 fps.",
        "视频帧率为 {fps:.0f} fps；服务建议 25 到 30 fps。",
    ),
    "over_recommended_size": (
        "The prepared {kind} is {mb:.1f} MB as base64, above the recommended {target} MB "
        "(still under the 10 MB limit).",
        "处理后的{kind} base64 为 {mb:.1f} MB，超过建议的 {target} MB（仍低于 10 MB 上限）。",
    ),
}

_KINDS = {"image": Message("image", "image", "图片"), "video": Message("video", "video", "视频")}
# What a pixel budget refused, named in each language.
_WHATS = {
    "image": Message("image", "image", "图片"),
    "video": Message("video", "video", "视频画面"),
    "video frame": Message("video frame", "video frame", "视频画面"),
}


def _filled(code: str, texts: tuple[str, str], fields: dict[str, object]) -> Message:
    """The message for `code` with `fields` filled in each language (a `Message` field is
    filled in that language; `kind` "image"/"video" is named in each language)."""
    kind = fields.get("kind")
    if isinstance(kind, str) and kind in _KINDS:
        fields["kind"] = _KINDS[kind]
    what = fields.setdefault("what", "image")
    if isinstance(what, str) and what in _WHATS:
        fields["what"] = _WHATS[what]
    return Message(code, *texts).format(**fields)


def media_error(code: str, **fields: object) -> MediaError:
    """The MediaError for `code`, its text fields filled from `fields`."""
    message = _filled(code, _ERRORS[code], fields)
    return MediaError(code, message.en, message.zh)


def media_warning(code: str, **fields: object) -> MediaWarning:
    """The MediaWarning for `code`, its text fields filled from `fields`."""
    message = _filled(code, _WARNINGS[code], fields)
    return MediaWarning(code, message.en, message.zh)


def short_reason(exc: BaseException) -> str:
    """The first line of an exception's text (its OS reason when it has one), kept short
    for a one-line message; the type's name when it says nothing."""
    text = str(getattr(exc, "strerror", None) or str(exc).strip() or type(exc).__name__)
    return text.splitlines()[0][:160]
