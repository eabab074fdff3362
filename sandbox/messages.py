"""Error messages per code, in the two languages the service speaks (zh-CN, en-US).

The wording follows the real service's patterns where they are public (for instance
the `RequestLimitExceeded` text); placeholders are filled with `str.format`.
"""

from __future__ import annotations

__all__ = ["LANGUAGES", "language_of", "message"]

LANGUAGES = ("zh-CN", "en-US")

# code -> (zh-CN, en-US)
_MESSAGES: dict[str, tuple[str, str]] = {
    "AuthFailure.InvalidAuthorization": (
        "请求头部的 Authorization 不符合腾讯云标准：{detail}",
        "The Authorization in the header is invalid: {detail}",
    ),
    "AuthFailure.SecretIdNotFound": (
        "SecretId 不存在，请输入正确的密钥。",
        "The SecretId is not found, please ensure that your SecretId is correct.",
    ),
    "AuthFailure.SignatureExpire": (
        "签名过期。Timestamp 与服务器时间相差不得超过五分钟，请检查本地时间是否和标准时间同步。",
        "Signature expired. Timestamp {timestamp} is more than five minutes from server time; "
        "please check that your system clock is correct.",
    ),
    "AuthFailure.SignatureFailure": (
        "请求签名验证失败，请检查您的签名计算是否正确。",
        "The provided credentials could not be validated. Please check your signature is correct.",
    ),
    "AuthFailure.TokenFailure": (
        "Token 错误或缺失，请检查临时密钥的 Token。",
        "The provided token is missing or invalid. Please check the token of your temporary credentials.",
    ),
    "InvalidAction": (
        "接口 `{action}` 不存在。",
        "The requested action `{action}` does not exist.",
    ),
    "NoSuchVersion": (
        "服务 `faceid` 不存在版本 `{version}`。",
        "The requested version `{version}` of service `faceid` does not exist.",
    ),
    "MissingParameter": (
        "缺少必需参数 `{name}`。",
        "The request is missing a required parameter `{name}`.",
    ),
    "UnknownParameter": (
        "参数 `{name}` 无法识别。",
        "The parameter `{name}` is not recognized.",
    ),
    "InvalidParameter": (
        "参数错误：{detail}",
        "Invalid parameter: {detail}",
    ),
    "InvalidParameterValue": (
        "参数取值错误：{detail}",
        "Invalid parameter value: {detail}",
    ),
    "RequestLimitExceeded": (
        "您当前每秒请求 `{count}` 次，超过了每秒频率上限 `{limit}`，请稍后重试。",
        "Your current request times equals to `{count}` in a second, which exceeds the "
        "frequency limit `{limit}` for a second. Please reduce the frequency of calls.",
    ),
    "RequestSizeLimitExceeded": (
        "请求包大小超过限制（上限 {limit}）。",
        "The request size exceeds the limit of {limit}.",
    ),
    "FailedOperation.ImageDecodeFailed": (
        "图片解码失败，请上传 jpg 或 png 图片。",
        "Image decoding failed; send a jpg or png picture.",
    ),
    "FailedOperation.VideoDecodeFailed": (
        "视频解码失败，请上传 mp4、avi、flv 或 mov 视频。",
        "Video decoding failed; send an mp4, avi, flv or mov video.",
    ),
    "FailedOperation.VideoDurationExceeded": (
        "视频时长超过限制（最长 {limit_s} 秒，实际 {duration_s} 秒）。",
        "The video is too long ({duration_s} s; at most {limit_s} s).",
    ),
    "FailedOperation.IncompleteFace": (
        "未检测到完整人脸，请确保画面中有一张完整的正脸。",
        "No complete face was found; make sure one whole face is in view.",
    ),
    "FailedOperation.PoorImageQuality": (
        "图片质量差：人脸过小、模糊或过暗，请换一张清晰的正脸照片。",
        "Poor image quality: the face is too small, blurred or dark; use a clear frontal photo.",
    ),
    "FailedOperation.CoveredFace": (
        "人脸被遮挡，请露出完整面部。",
        "The face is covered; uncover the whole face.",
    ),
    "FailedOperation.DetectEngineSystemError": (
        "检测引擎内部错误，请重试。",
        "Detection engine system error; please retry.",
    ),
    "FailedOperation.UnKnown": (
        "内部未知错误。",
        "Unknown internal error.",
    ),
    "UnauthorizedOperation.Arrears": (
        "账号已欠费。",
        "The account is in arrears.",
    ),
    "UnauthorizedOperation.ChargeStatusException": (
        "计费状态异常。",
        "The billing status is abnormal.",
    ),
    "UnauthorizedOperation.Nonactivated": (
        "服务未开通。",
        "The service has not been activated.",
    ),
    "InternalError": (
        "内部错误。",
        "Internal error.",
    ),
    "ServiceUnavailable": (
        "当前服务暂时不可用。",
        "The service is temporarily unavailable.",
    ),
}

_GENERIC = ("操作失败（{code}）。", "The operation failed ({code}).")


class _Blank(dict):
    """Format mapping that leaves unknown placeholders empty instead of raising."""

    def __missing__(self, key: str) -> str:
        return ""


def language_of(header_value: str | None) -> str:
    """The reply language for an `X-TC-Language` value: en-US when asked, else zh-CN."""
    if header_value and header_value.strip().lower().startswith("en"):
        return "en-US"
    return "zh-CN"


def message(code: str, language: str = "zh-CN", **values: object) -> str:
    """The message for `code` in `language` ("zh-CN" or "en-US"), placeholders filled.

    A value given as a `(zh, en)` pair is filled in the reply's language."""
    english = language == "en-US"
    zh, en = _MESSAGES.get(code, _GENERIC)
    chosen = {
        name: (value[1] if english else value[0]) if isinstance(value, tuple) else value
        for name, value in values.items()
    }
    return (en if english else zh).format_map(_Blank(code=code, **chosen))
