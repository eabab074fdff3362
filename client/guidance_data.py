"""The texts behind `client.guidance`: one entry per error code, in English and Chinese.

Each entry is an `Entry`: whether a retry can succeed, and a title, a meaning and an
action, each a `core.text.Message` (English and Chinese). `retryable` means trying the same request again later can succeed. Written for people
who are not developers: say what happened and what to do next.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.text import Message

__all__ = ["CODE_TEXTS", "GENERIC_TEXT", "LEVEL_TEXTS", "PREFIX_TEXTS", "TRACE_TEXTS", "Entry"]


@dataclass(frozen=True)
class Entry:
    """One code's guidance: whether trying again later can succeed, what happened (title,
    meaning) and what to do (action), each in English and Chinese."""

    retryable: bool
    title: Message
    meaning: Message
    action: Message


_RATE = Message(
    "RequestLimitExceeded",
    "Wait a moment and try again. For evaluations, lower the requests-per-second setting "
    "(the default account allows only a few per second) or buy a higher limit.",
    "稍等片刻再试。批量评测时请调低每秒请求数（默认账号每秒只允许少量请求），或购买更高的并发额度。",
)

CODE_TEXTS: dict[str, Entry] = {
    # --- errors listed for DetectAIFakeFaces ---
    "FailedOperation.CoveredFace": Entry(
        False,
        title=Message("FailedOperation.CoveredFace", "Face is covered", "人脸被遮挡"),
        meaning=Message(
            "FailedOperation.CoveredFace",
            "Part of the face is hidden (mask, hand, hair, sunglasses or an object).",
            "人脸有部分被遮住（口罩、手、头发、墨镜或其他物体）。",
        ),
        action=Message(
            "FailedOperation.CoveredFace",
            "Use a picture or clip where the whole face is clearly visible and uncovered.",
            "请换一张或一段整张脸清晰可见、没有遮挡的图片或视频。",
        ),
    ),
    "FailedOperation.DetectEngineSystemError": Entry(
        True,
        title=Message(
            "FailedOperation.DetectEngineSystemError", "Detection engine error", "检测引擎异常"
        ),
        meaning=Message(
            "FailedOperation.DetectEngineSystemError",
            "The detection engine had a temporary internal problem; your request was not processed.",
            "检测引擎出现临时内部故障，本次请求未被处理。",
        ),
        action=Message(
            "FailedOperation.DetectEngineSystemError",
            "Try again in a few seconds. If it keeps happening, contact Tencent Cloud support with the RequestId.",
            "请过几秒再试；若持续出现，请带上 RequestId 联系腾讯云客服。",
        ),
    ),
    "FailedOperation.ImageDecodeFailed": Entry(
        False,
        title=Message(
            "FailedOperation.ImageDecodeFailed", "Picture could not be read", "图片解码失败"
        ),
        meaning=Message(
            "FailedOperation.ImageDecodeFailed",
            "The service could not decode the picture: the file is damaged or not a JPG/PNG.",
            "服务无法读取这张图片：文件可能已损坏，或不是 JPG/PNG 格式。",
        ),
        action=Message(
            "FailedOperation.ImageDecodeFailed",
            "Save or export the picture again as JPG or PNG and retry.",
            "请把图片重新保存或导出为 JPG 或 PNG 后再试。",
        ),
    ),
    "FailedOperation.IncompleteFace": Entry(
        False,
        title=Message("FailedOperation.IncompleteFace", "Face not complete", "人脸不完整"),
        meaning=Message(
            "FailedOperation.IncompleteFace",
            "The face is cut off by the edge of the picture or only partly in view.",
            "人脸被画面边缘截断，或只拍到了一部分。",
        ),
        action=Message(
            "FailedOperation.IncompleteFace",
            "Frame the whole face, from forehead to chin, with some margin around it.",
            "请让整张脸（从额头到下巴）完整地出现在画面中，四周留出一些空间。",
        ),
    ),
    "FailedOperation.PoorImageQuality": Entry(
        False,
        title=Message(
            "FailedOperation.PoorImageQuality", "Picture quality too low", "图片质量太差"
        ),
        meaning=Message(
            "FailedOperation.PoorImageQuality",
            "The picture is too blurry, dark, bright, small or noisy to judge.",
            "图片太模糊、太暗、太亮、太小或噪点太多，无法判断。",
        ),
        action=Message(
            "FailedOperation.PoorImageQuality",
            "Use a sharper, well-lit picture with the face at least 100x100 pixels (about 480x640 overall is ideal).",
            "请使用清晰、光线充足的图片，人脸至少 100x100 像素（整图约 480x640 最佳）。",
        ),
    ),
    "FailedOperation.UnKnown": Entry(
        True,
        title=Message("FailedOperation.UnKnown", "Unknown failure", "未知错误"),
        meaning=Message(
            "FailedOperation.UnKnown",
            "The service failed for a reason it did not name.",
            "服务处理失败，但没有说明原因。",
        ),
        action=Message(
            "FailedOperation.UnKnown",
            "Try again. If it keeps happening, try another picture or clip, or contact support with the RequestId.",
            "请重试；若持续出现，请换一张图片或一段视频，或带上 RequestId 联系客服。",
        ),
    ),
    "FailedOperation.VideoDecodeFailed": Entry(
        False,
        title=Message(
            "FailedOperation.VideoDecodeFailed", "Video could not be read", "视频解码失败"
        ),
        meaning=Message(
            "FailedOperation.VideoDecodeFailed",
            "The service could not decode the video: damaged file or an unsupported format.",
            "服务无法读取这段视频：文件可能已损坏，或格式不受支持。",
        ),
        action=Message(
            "FailedOperation.VideoDecodeFailed",
            "Convert the clip to MP4 (H.264) and retry; AVI, FLV and MOV are also accepted.",
            "请把视频转换为 MP4（H.264）后再试；也支持 AVI、FLV、MOV。",
        ),
    ),
    "FailedOperation.VideoDurationExceeded": Entry(
        False,
        title=Message("FailedOperation.VideoDurationExceeded", "Video too long", "视频太长"),
        meaning=Message(
            "FailedOperation.VideoDurationExceeded",
            "The clip is longer than the service accepts (20 seconds at most).",
            "视频时长超过了服务允许的上限（最长 20 秒）。",
        ),
        action=Message(
            "FailedOperation.VideoDurationExceeded",
            "Trim the clip to 2 to 5 seconds around the face and retry.",
            "请把视频剪成包含人脸的 2 到 5 秒片段后再试。",
        ),
    ),
    "InvalidParameter": Entry(
        False,
        title=Message("InvalidParameter", "Invalid request", "参数错误"),
        meaning=Message(
            "InvalidParameter",
            "The request had a wrong or malformed field (for example an input type other than picture or video).",
            "请求中的某个字段错误或格式不对（例如输入类型既不是图片也不是视频）。",
        ),
        action=Message(
            "InvalidParameter",
            "Check that the file is a supported picture or video. If you built the request yourself, check FaceInput and FaceInputType.",
            "请确认文件是受支持的图片或视频；如果是自行构造的请求，请检查 FaceInput 和 FaceInputType。",
        ),
    ),
    "InvalidParameterValue": Entry(
        False,
        title=Message("InvalidParameterValue", "Invalid value", "参数取值错误"),
        meaning=Message(
            "InvalidParameterValue",
            "A field had a value the service does not accept, such as broken base64 or an unsupported file.",
            "某个字段的取值不被接受，例如 base64 编码损坏或文件格式不受支持。",
        ),
        action=Message(
            "InvalidParameterValue",
            "Re-prepare the file (picture: JPG/PNG; video: MP4) and retry.",
            "请重新处理文件（图片用 JPG/PNG，视频用 MP4）后再试。",
        ),
    ),
    "RequestLimitExceeded": Entry(
        True,
        title=Message("RequestLimitExceeded", "Too many requests", "请求过于频繁"),
        meaning=Message(
            "RequestLimitExceeded",
            "More requests per second were sent than the account allows.",
            "每秒发送的请求数超过了账号允许的频率。",
        ),
        action=_RATE,
    ),
    "UnauthorizedOperation.Arrears": Entry(
        False,
        title=Message("UnauthorizedOperation.Arrears", "Account in arrears", "账号欠费"),
        meaning=Message(
            "UnauthorizedOperation.Arrears",
            "The Tencent Cloud account has an unpaid balance, so the service is suspended.",
            "腾讯云账号已欠费，服务被暂停。",
        ),
        action=Message(
            "UnauthorizedOperation.Arrears",
            "Top up the account in the Tencent Cloud console (Billing Center), then try again.",
            "请在腾讯云控制台的费用中心充值后再试。",
        ),
    ),
    "UnauthorizedOperation.ChargeStatusException": Entry(
        False,
        title=Message(
            "UnauthorizedOperation.ChargeStatusException", "Billing status problem", "计费状态异常"
        ),
        meaning=Message(
            "UnauthorizedOperation.ChargeStatusException",
            "The account's billing status for this service is abnormal.",
            "账号在该服务上的计费状态异常。",
        ),
        action=Message(
            "UnauthorizedOperation.ChargeStatusException",
            "Check the service's billing status in the Tencent Cloud console, or contact support.",
            "请在腾讯云控制台检查该服务的计费状态，或联系客服。",
        ),
    ),
    "UnauthorizedOperation.Nonactivated": Entry(
        False,
        title=Message("UnauthorizedOperation.Nonactivated", "Service not activated", "服务未开通"),
        meaning=Message(
            "UnauthorizedOperation.Nonactivated",
            "Face verification (FaceID) has not been activated for this Tencent Cloud account.",
            "该腾讯云账号尚未开通人脸核身（FaceID）服务。",
        ),
        action=Message(
            "UnauthorizedOperation.Nonactivated",
            "Activate the FaceID / anti-deepfake service for the account in the Tencent Cloud console, then retry.",
            "请先在腾讯云控制台为该账号开通人脸核身／AI 人脸防伪服务，然后再试。",
        ),
    ),
    # --- common errors any call can get ---
    "AuthFailure.InvalidAuthorization": Entry(
        False,
        title=Message(
            "AuthFailure.InvalidAuthorization", "Malformed signature header", "签名头格式错误"
        ),
        meaning=Message(
            "AuthFailure.InvalidAuthorization",
            "The request's Authorization header is not in the expected form.",
            "请求的 Authorization 头格式不符合要求。",
        ),
        action=Message(
            "AuthFailure.InvalidAuthorization",
            "Usually a proxy or tool altered the request. Call the service directly, and make sure the SecretId has no stray characters.",
            "通常是代理或工具改动了请求。请直连服务，并确认 SecretId 中没有多余字符。",
        ),
    ),
    "AuthFailure.InvalidSecretId": Entry(
        False,
        title=Message("AuthFailure.InvalidSecretId", "Invalid SecretId", "SecretId 无效"),
        meaning=Message(
            "AuthFailure.InvalidSecretId",
            "The SecretId is not a valid key id (wrong type or mistyped).",
            "SecretId 不是有效的密钥 ID（类型错误或输入有误）。",
        ),
        action=Message(
            "AuthFailure.InvalidSecretId",
            "Copy the SecretId again from the API Keys page of the Tencent Cloud console (it starts with AKID).",
            "请从腾讯云控制台的 API 密钥页面重新复制 SecretId（以 AKID 开头）。",
        ),
    ),
    "AuthFailure.SecretIdNotFound": Entry(
        False,
        title=Message("AuthFailure.SecretIdNotFound", "SecretId not found", "密钥不存在"),
        meaning=Message(
            "AuthFailure.SecretIdNotFound",
            "No key with this SecretId exists, or it was deleted or disabled.",
            "找不到这个 SecretId 对应的密钥，或密钥已被删除、禁用。",
        ),
        action=Message(
            "AuthFailure.SecretIdNotFound",
            "Check the key on the API Keys page of the Tencent Cloud console; create a new key if needed.",
            "请在腾讯云控制台的 API 密钥页面检查该密钥，必要时新建一对密钥。",
        ),
    ),
    "AuthFailure.SignatureExpire": Entry(
        False,
        title=Message(
            "AuthFailure.SignatureExpire",
            "Signature expired: check the clock",
            "签名过期：请检查时钟",
        ),
        meaning=Message(
            "AuthFailure.SignatureExpire",
            "The request's time is more than 5 minutes away from the server's time.",
            "请求中的时间与服务器时间相差超过 5 分钟。",
        ),
        action=Message(
            "AuthFailure.SignatureExpire",
            "Set this computer's clock to the correct time (turn on automatic time sync), then retry.",
            "请把这台电脑的时间校准（开启自动同步时间）后再试。",
        ),
    ),
    "AuthFailure.SignatureFailure": Entry(
        False,
        title=Message("AuthFailure.SignatureFailure", "Signature does not match", "签名验证失败"),
        meaning=Message(
            "AuthFailure.SignatureFailure",
            "The server computed a different signature: usually the SecretKey is wrong.",
            "服务器算出的签名与请求不一致，通常是 SecretKey 不正确。",
        ),
        action=Message(
            "AuthFailure.SignatureFailure",
            "Check that the SecretKey belongs to this SecretId and was copied completely, without spaces.",
            "请确认 SecretKey 与该 SecretId 配对，且完整复制、没有多余空格。",
        ),
    ),
    "AuthFailure.TokenFailure": Entry(
        False,
        title=Message("AuthFailure.TokenFailure", "Temporary token invalid", "临时凭证无效"),
        meaning=Message(
            "AuthFailure.TokenFailure",
            "The temporary credentials' token is wrong or has expired.",
            "临时凭证的 Token 错误或已过期。",
        ),
        action=Message(
            "AuthFailure.TokenFailure",
            "Get a fresh set of temporary credentials (SecretId, SecretKey and token together) and retry.",
            "请重新获取一套临时凭证（SecretId、SecretKey 和 Token 一起更新）后再试。",
        ),
    ),
    "AuthFailure.UnauthorizedOperation": Entry(
        False,
        title=Message("AuthFailure.UnauthorizedOperation", "Not permitted", "没有权限"),
        meaning=Message(
            "AuthFailure.UnauthorizedOperation",
            "This key's user is not allowed to call this API (CAM permissions).",
            "这把密钥所属的用户没有调用该接口的权限（访问管理 CAM）。",
        ),
        action=Message(
            "AuthFailure.UnauthorizedOperation",
            "Ask the account administrator to grant the FaceID permission (e.g. QcloudFaceIDFullAccess) to this user.",
            "请联系主账号管理员为该用户授予人脸核身权限（例如 QcloudFaceIDFullAccess）。",
        ),
    ),
    "InternalError": Entry(
        True,
        title=Message("InternalError", "Service internal error", "服务内部错误"),
        meaning=Message(
            "InternalError", "The service had an internal error.", "服务内部发生错误。"
        ),
        action=Message(
            "InternalError",
            "Try again shortly. If it persists, contact Tencent Cloud support with the RequestId.",
            "请稍后再试；若持续出现，请带上 RequestId 联系腾讯云客服。",
        ),
    ),
    "InvalidAction": Entry(
        False,
        title=Message("InvalidAction", "Unknown API action", "接口不存在"),
        meaning=Message(
            "InvalidAction",
            "The service does not know the requested action.",
            "服务不认识请求的接口名。",
        ),
        action=Message(
            "InvalidAction",
            "Use the international or mainland endpoint that offers DetectAIFakeFaces, and update this tool.",
            "请确认所用的接入地址（国内站或国际站）提供 DetectAIFakeFaces，并更新本工具。",
        ),
    ),
    "MissingParameter": Entry(
        False,
        title=Message("MissingParameter", "Missing field", "缺少参数"),
        meaning=Message(
            "MissingParameter",
            "A required field was missing from the request (for example the picture itself).",
            "请求缺少必填字段（例如图片本身）。",
        ),
        action=Message(
            "MissingParameter",
            "Choose a file again and retry; an empty file cannot be checked.",
            "请重新选择文件后再试；空文件无法检测。",
        ),
    ),
    "NoSuchVersion": Entry(
        False,
        title=Message("NoSuchVersion", "Unknown API version", "接口版本不存在"),
        meaning=Message(
            "NoSuchVersion",
            "The API version sent is not supported by this endpoint.",
            "该接入地址不支持请求的接口版本。",
        ),
        action=Message(
            "NoSuchVersion",
            "Check the endpoint setting; this tool uses version 2018-03-01.",
            "请检查接入地址设置；本工具使用 2018-03-01 版本。",
        ),
    ),
    "RequestLimitExceeded.UinLimitExceeded": Entry(
        True,
        title=Message(
            "RequestLimitExceeded.UinLimitExceeded",
            "Too many requests for this account",
            "账号请求过于频繁",
        ),
        meaning=Message(
            "RequestLimitExceeded.UinLimitExceeded",
            "The account (all its keys together) sent too many requests.",
            "该账号（所有密钥合计）发送的请求过多。",
        ),
        action=_RATE,
    ),
    "RequestLimitExceeded.IPLimitExceeded": Entry(
        True,
        title=Message(
            "RequestLimitExceeded.IPLimitExceeded",
            "Too many requests from this address",
            "该 IP 请求过于频繁",
        ),
        meaning=Message(
            "RequestLimitExceeded.IPLimitExceeded",
            "Too many requests came from this computer's IP address.",
            "来自这台电脑 IP 地址的请求过多。",
        ),
        action=_RATE,
    ),
    "RequestLimitExceeded.GlobalRegionUinLimitExceeded": Entry(
        True,
        title=Message(
            "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
            "Too many requests across regions",
            "全地域请求过于频繁",
        ),
        meaning=Message(
            "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
            "The account exceeded its request rate summed over all regions.",
            "该账号在所有地域合计的请求频率超限。",
        ),
        action=_RATE,
    ),
    "RequestSizeLimitExceeded": Entry(
        False,
        title=Message("RequestSizeLimitExceeded", "File too large", "文件太大"),
        meaning=Message(
            "RequestSizeLimitExceeded",
            "The request is larger than 10 MB, the most the service accepts.",
            "请求超过了服务允许的 10 MB 上限。",
        ),
        action=Message(
            "RequestSizeLimitExceeded",
            "Use a smaller picture, or a shorter or lower-resolution clip (2 to 5 s, at most 720p).",
            "请使用更小的图片，或更短、分辨率更低的视频（2 到 5 秒，最高 720p）。",
        ),
    ),
    "ServiceUnavailable": Entry(
        True,
        title=Message("ServiceUnavailable", "Service unavailable", "服务暂不可用"),
        meaning=Message(
            "ServiceUnavailable", "The service is temporarily unavailable.", "服务暂时不可用。"
        ),
        action=Message(
            "ServiceUnavailable",
            "Try again in a minute; check the Tencent Cloud status page if it lasts.",
            "请一分钟后再试；若持续较久，请查看腾讯云服务状态页。",
        ),
    ),
    "UnsupportedRegion": Entry(
        False,
        title=Message("UnsupportedRegion", "Region not supported", "地域不支持"),
        meaning=Message(
            "UnsupportedRegion",
            "The service is not offered in the region that was set.",
            "所设置的地域不提供该服务。",
        ),
        action=Message(
            "UnsupportedRegion",
            "Clear the region setting (it is optional) or choose a supported one such as ap-guangzhou.",
            "请清空地域设置（该项可选），或选择受支持的地域，例如 ap-guangzhou。",
        ),
    ),
    "UnknownParameter": Entry(
        False,
        title=Message("UnknownParameter", "Unknown field", "未知参数"),
        meaning=Message(
            "UnknownParameter",
            "The request contained a field the service does not know.",
            "请求包含服务不认识的字段。",
        ),
        action=Message(
            "UnknownParameter",
            "Update this tool; if you built the request yourself, remove the extra field.",
            "请更新本工具；如果是自行构造的请求，请删除多余字段。",
        ),
    ),
    # --- this client's own errors ---
    "Client.ConfigError": Entry(
        False,
        title=Message("Client.ConfigError", "Settings problem", "配置有误"),
        meaning=Message(
            "Client.ConfigError",
            "The credentials, endpoint, region or language settings cannot work as given.",
            "密钥、接入地址、地域或语言设置有问题，无法使用。",
        ),
        action=Message(
            "Client.ConfigError",
            "Read the message, fix the named setting, and try again.",
            "请阅读提示信息，改正其中指出的设置后再试。",
        ),
    ),
    "Client.ConnectionFailed": Entry(
        True,
        title=Message("Client.ConnectionFailed", "Cannot reach the service", "无法连接服务"),
        meaning=Message(
            "Client.ConnectionFailed",
            "No connection could be made; the request was not sent.",
            "无法建立连接，请求没有发出。",
        ),
        action=Message(
            "Client.ConnectionFailed",
            "Check the network, proxy settings and the endpoint address. For the local sandbox, make sure it is running.",
            "请检查网络、代理设置和接入地址；若使用本地沙箱，请确认它正在运行。",
        ),
    ),
    "Client.Timeout": Entry(
        True,
        title=Message("Client.Timeout", "No answer in time", "请求超时"),
        meaning=Message(
            "Client.Timeout",
            "The service did not answer within the time limit.",
            "服务在限定时间内没有回应。",
        ),
        action=Message(
            "Client.Timeout",
            "Try again; a smaller file or a longer timeout helps. The request may already have been processed.",
            "请重试；换用更小的文件或延长超时时间会有帮助。该请求可能已被处理。",
        ),
    ),
    "Client.InvalidResponse": Entry(
        True,
        title=Message("Client.InvalidResponse", "Unexpected reply", "返回内容异常"),
        meaning=Message(
            "Client.InvalidResponse",
            "The reply was not the service's answer, e.g. an error page from a proxy or gateway.",
            "收到的不是服务的正常回复，例如代理或网关返回的错误页面。",
        ),
        action=Message(
            "Client.InvalidResponse",
            "Check the endpoint address and any proxy between you and Tencent Cloud, then retry.",
            "请检查接入地址以及你与腾讯云之间的代理，然后重试。",
        ),
    ),
}

PREFIX_TEXTS: dict[str, Entry] = {
    "AuthFailure": Entry(
        False,
        title=Message("AuthFailure", "Authentication failed", "鉴权失败"),
        meaning=Message(
            "AuthFailure",
            "The service did not accept the credentials or signature.",
            "服务不接受该密钥或签名。",
        ),
        action=Message(
            "AuthFailure",
            "Check the SecretId, SecretKey and this computer's clock.",
            "请检查 SecretId、SecretKey 以及电脑时间。",
        ),
    ),
    "FailedOperation": Entry(
        False,
        title=Message("FailedOperation", "Check failed", "检测失败"),
        meaning=Message(
            "FailedOperation", "The service could not check this input.", "服务无法检测这份输入。"
        ),
        action=Message(
            "FailedOperation",
            "Try another picture or clip with one clear, uncovered face.",
            "请换一张或一段只有一张清晰、无遮挡人脸的图片或视频。",
        ),
    ),
    "UnauthorizedOperation": Entry(
        False,
        title=Message("UnauthorizedOperation", "Not authorised", "未授权操作"),
        meaning=Message(
            "UnauthorizedOperation",
            "The account may not use this service right now.",
            "该账号当前不能使用此服务。",
        ),
        action=Message(
            "UnauthorizedOperation",
            "Check the service's activation and billing status in the Tencent Cloud console.",
            "请在腾讯云控制台检查服务开通和计费状态。",
        ),
    ),
    "InvalidParameter": CODE_TEXTS["InvalidParameter"],
    "InvalidParameterValue": CODE_TEXTS["InvalidParameterValue"],
    "RequestLimitExceeded": CODE_TEXTS["RequestLimitExceeded"],
    "ResourceUnavailable": Entry(
        False,
        title=Message("ResourceUnavailable", "Resource unavailable", "资源不可用"),
        meaning=Message(
            "ResourceUnavailable",
            "A resource the service needs for this account is unavailable.",
            "该账号所需的服务资源不可用。",
        ),
        action=Message(
            "ResourceUnavailable",
            "Check the service status in the Tencent Cloud console, or contact support.",
            "请在腾讯云控制台检查服务状态，或联系客服。",
        ),
    ),
    "LimitExceeded": Entry(
        False,
        title=Message("LimitExceeded", "Limit exceeded", "超过配额"),
        meaning=Message(
            "LimitExceeded",
            "A quota or limit of the account was exceeded.",
            "超出了账号的某项配额或限制。",
        ),
        action=Message(
            "LimitExceeded",
            "Check the account's quotas in the Tencent Cloud console.",
            "请在腾讯云控制台查看账号配额。",
        ),
    ),
    "Client": Entry(
        True,
        title=Message("Client", "Network problem", "网络问题"),
        meaning=Message(
            "Client",
            "The call did not produce an answer from the service.",
            "这次调用没有得到服务的回复。",
        ),
        action=Message(
            "Client",
            "Check the network and the endpoint setting, then retry.",
            "请检查网络和接入地址设置后重试。",
        ),
    ),
}

GENERIC_TEXT: Entry = Entry(
    False,
    title=Message("", "Service error", "服务错误"),
    meaning=Message(
        "",
        "The service returned an error this tool does not know.",
        "服务返回了本工具不认识的错误。",
    ),
    action=Message(
        "",
        "Retry once; if it persists, search the code in Tencent Cloud's documentation or contact support with the RequestId.",
        "请重试一次；若持续出现，请在腾讯云文档中查询该错误码，或带上 RequestId 联系客服。",
    ),
)

# Attack trace types, in plain language.
TRACE_TEXTS: dict[str, Message] = {
    "SuspectedSpoofingAttack": Message(
        "SuspectedSpoofingAttack",
        "Looks like a re-photographed screen or printout (a recapture), not a live face in front of the camera.",
        "疑似翻拍：像是对着屏幕或打印照片拍摄的，而不是真人直接面对镜头。",
    ),
    "SuspectedSynthesisImage": Message(
        "SuspectedSynthesisImage",
        "The face in the picture looks AI-generated or face-swapped (a deepfake image).",
        "疑似合成图片：图片中的人脸像是 AI 生成或换脸得到的（深度伪造图片）。",
    ),
    "SuspectedSynthesisVideo": Message(
        "SuspectedSynthesisVideo",
        "The face in the video looks AI-generated or face-swapped (a deepfake video).",
        "疑似合成视频：视频中的人脸像是 AI 生成或换脸得到的（深度伪造视频）。",
    ),
    "SuspectedAnomalyAttack": Message(
        "SuspectedAnomalyAttack",
        "The face has features that do not look like a real person's (for example a mask or a doll).",
        "疑似异常攻击：人脸特征不像真人（例如面具或人偶）。",
    ),
    "SuspectedAdversarialAttack": Message(
        "SuspectedAdversarialAttack",
        "The picture seems deliberately altered with hidden patterns meant to fool detection systems.",
        "疑似对抗攻击：图片似乎被刻意加入了用来欺骗检测系统的隐蔽干扰。",
    ),
    "SuspectedBlackIndustry": Message(
        "SuspectedBlackIndustry",
        "Matches templates used in bulk attacks by fraud rings (the same fake used many times).",
        "疑似黑产批量攻击：与诈骗团伙批量使用的攻击模板相符（同一伪造素材被反复使用）。",
    ),
    "SuspectedWatermark": Message(
        "SuspectedWatermark",
        "A watermark or overlay was found, suggesting the picture was copied or edited rather than taken live.",
        "疑似水印：发现水印或叠加图层，说明图片可能是转存或编辑过的，而非现场拍摄。",
    ),
}
# A spelling that appears in some of Tencent's pages for the anomaly type.
TRACE_TEXTS["SuspecteeAnomalyAttack"] = TRACE_TEXTS["SuspectedAnomalyAttack"]

# Risk levels.
LEVEL_TEXTS: dict[str, Message] = {
    "Low": Message("Low", "Low risk: no sign of an attack.", "低风险：未发现攻击迹象。"),
    "Mid": Message(
        "Mid",
        "Medium risk: some signs of an attack. The service advises letting it pass, but look closer.",
        "中风险：有一定攻击嫌疑。服务建议放行，但值得进一步核查。",
    ),
    "High": Message(
        "High",
        "High risk: very likely an attack (fake, recaptured or synthesised face). The service advises blocking it.",
        "高风险：极可能是攻击（伪造、翻拍或合成人脸）。服务建议拦截。",
    ),
    "Unknown": Message(
        "Unknown",
        "Unknown risk level: the service returned a level this tool does not know.",
        "未知风险等级：服务返回了本工具不认识的等级。",
    ),
}
