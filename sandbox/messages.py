"""Error messages per code, in the two languages the service speaks (zh-CN, en-US).

The wording follows the real service's patterns where they are public (for instance
the `RequestLimitExceeded` text); placeholders are filled with `str.format`.
"""

from __future__ import annotations

from core.service import API_LANGUAGES
from core.text import Message, api_language

__all__ = ["LANGUAGES", "language_of", "message"]

LANGUAGES = API_LANGUAGES

_MESSAGES: dict[str, Message] = {
    entry.code: entry
    for entry in (
        Message(
            "AuthFailure.InvalidAuthorization",
            "The Authorization in the header is invalid: {detail}",
            "请求头部的 Authorization 不符合腾讯云标准：{detail}",
        ),
        Message(
            "AuthFailure.SecretIdNotFound",
            "The SecretId is not found, please ensure that your SecretId is correct.",
            "SecretId 不存在，请输入正确的密钥。",
        ),
        Message(
            "AuthFailure.SignatureExpire",
            "Signature expired. Timestamp {timestamp} is more than five minutes from server time; please check that your system clock is correct.",
            "签名过期。Timestamp 与服务器时间相差不得超过五分钟，请检查本地时间是否和标准时间同步。",
        ),
        Message(
            "AuthFailure.SignatureFailure",
            "The provided credentials could not be validated. Please check your signature is correct.",
            "请求签名验证失败，请检查您的签名计算是否正确。",
        ),
        Message(
            "AuthFailure.TokenFailure",
            "The provided token is missing or invalid. Please check the token of your temporary credentials.",
            "Token 错误或缺失，请检查临时密钥的 Token。",
        ),
        Message(
            "InvalidAction",
            "The requested action `{action}` does not exist.",
            "接口 `{action}` 不存在。",
        ),
        Message(
            "NoSuchVersion",
            "The requested version `{version}` of service `faceid` does not exist.",
            "服务 `faceid` 不存在版本 `{version}`。",
        ),
        Message(
            "MissingParameter",
            "The request is missing a required parameter `{name}`.",
            "缺少必需参数 `{name}`。",
        ),
        Message(
            "UnknownParameter",
            "The parameter `{name}` is not recognized.",
            "参数 `{name}` 无法识别。",
        ),
        Message(
            "InvalidParameter",
            "Invalid parameter: {detail}",
            "参数错误：{detail}",
        ),
        Message(
            "InvalidParameterValue",
            "Invalid parameter value: {detail}",
            "参数取值错误：{detail}",
        ),
        Message(
            "RequestLimitExceeded",
            "Your current request times equals to `{count}` in a second, which exceeds the frequency limit `{limit}` for a second. Please reduce the frequency of calls.",
            "您当前每秒请求 `{count}` 次，超过了每秒频率上限 `{limit}`，请稍后重试。",
        ),
        Message(
            "RequestSizeLimitExceeded",
            "The request size exceeds the limit of {limit}.",
            "请求包大小超过限制（上限 {limit}）。",
        ),
        Message(
            "FailedOperation.ImageDecodeFailed",
            "Image decoding failed; send a jpg or png picture.",
            "图片解码失败，请上传 jpg 或 png 图片。",
        ),
        Message(
            "FailedOperation.VideoDecodeFailed",
            "Video decoding failed; send an mp4, avi, flv or mov video.",
            "视频解码失败，请上传 mp4、avi、flv 或 mov 视频。",
        ),
        Message(
            "FailedOperation.VideoDurationExceeded",
            "The video is too long ({duration_s} s; at most {limit_s} s).",
            "视频时长超过限制（最长 {limit_s} 秒，实际 {duration_s} 秒）。",
        ),
        Message(
            "FailedOperation.IncompleteFace",
            "No complete face was found; make sure one whole face is in view.",
            "未检测到完整人脸，请确保画面中有一张完整的正脸。",
        ),
        Message(
            "FailedOperation.PoorImageQuality",
            "Poor image quality: the face is too small, blurred or dark; use a clear frontal photo.",
            "图片质量差：人脸过小、模糊或过暗，请换一张清晰的正脸照片。",
        ),
        Message(
            "FailedOperation.CoveredFace",
            "The face is covered; uncover the whole face.",
            "人脸被遮挡，请露出完整面部。",
        ),
        Message(
            "FailedOperation.DetectEngineSystemError",
            "Detection engine system error; please retry.",
            "检测引擎内部错误，请重试。",
        ),
        Message(
            "FailedOperation.UnKnown",
            "Unknown internal error.",
            "内部未知错误。",
        ),
        Message(
            "UnauthorizedOperation.Arrears",
            "The account is in arrears.",
            "账号已欠费。",
        ),
        Message(
            "UnauthorizedOperation.ChargeStatusException",
            "The billing status is abnormal.",
            "计费状态异常。",
        ),
        Message(
            "UnauthorizedOperation.Nonactivated",
            "The service has not been activated.",
            "服务未开通。",
        ),
        Message(
            "InternalError",
            "Internal error.",
            "内部错误。",
        ),
        Message(
            "ServiceUnavailable",
            "The service is temporarily unavailable.",
            "当前服务暂时不可用。",
        ),
    )
}

_GENERIC = Message("", "The operation failed ({code}).", "操作失败（{code}）。")


class _Blank(dict):
    """Format mapping that leaves unknown placeholders empty instead of raising."""

    def __missing__(self, key: str) -> str:
        return ""


# The reply language for an `X-TC-Language` value: `core.text.api_language` (en-US when
# asked, else zh-CN). Kept under this name for the sandbox's callers: to be removed.
language_of = api_language


def message(code: str, language: str = "zh-CN", **values: object) -> str:
    """The message for `code` in `language` ("zh-CN" or "en-US"), placeholders filled.

    A value that is a `Message` is filled in the reply's language; so is a `(zh, en)`
    pair (the older form, still taken from callers not yet moved to `Message`)."""
    filled = {name: _in_language(value, language) for name, value in values.items()}
    return _MESSAGES.get(code, _GENERIC).text(language).format_map(_Blank(code=code, **filled))


def _in_language(value: object, language: str) -> object:
    """A placeholder's value in `language` when it comes in both."""
    if isinstance(value, tuple):
        value = Message("", value[1], value[0])
    return value.text(language) if isinstance(value, Message) else value
