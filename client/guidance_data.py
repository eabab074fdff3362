"""The texts behind `client.guidance`: one entry per error code, in English and Chinese.

Each entry: (retryable, (en title, en meaning, en action), (zh title, zh meaning, zh action)).
`retryable` means trying the same request again later can succeed. Written for people
who are not developers: say what happened and what to do next.
"""

from __future__ import annotations

__all__ = ["CODE_TEXTS", "GENERIC_TEXT", "LEVEL_TEXTS", "PREFIX_TEXTS", "TRACE_TEXTS"]

Texts = tuple[str, str, str]
Entry = tuple[bool, Texts, Texts]

_RATE = (
    "Wait a moment and try again. For evaluations, lower the requests-per-second setting "
    "(the default account allows only a few per second) or buy a higher limit.",
    "稍等片刻再试。批量评测时请调低每秒请求数（默认账号每秒只允许少量请求），或购买更高的并发额度。",
)

CODE_TEXTS: dict[str, Entry] = {
    # --- errors listed for DetectAIFakeFaces ---
    "FailedOperation.CoveredFace": (
        False,
        (
            "Face is covered",
            "Part of the face is hidden (mask, hand, hair, sunglasses or an object).",
            "Use a picture or clip where the whole face is clearly visible and uncovered.",
        ),
        (
            "人脸被遮挡",
            "人脸有部分被遮住（口罩、手、头发、墨镜或其他物体）。",
            "请换一张或一段整张脸清晰可见、没有遮挡的图片或视频。",
        ),
    ),
    "FailedOperation.DetectEngineSystemError": (
        True,
        (
            "Detection engine error",
            "The detection engine had a temporary internal problem; your request was not processed.",
            "Try again in a few seconds. If it keeps happening, contact Tencent Cloud support with the RequestId.",
        ),
        (
            "检测引擎异常",
            "检测引擎出现临时内部故障，本次请求未被处理。",
            "请过几秒再试；若持续出现，请带上 RequestId 联系腾讯云客服。",
        ),
    ),
    "FailedOperation.ImageDecodeFailed": (
        False,
        (
            "Picture could not be read",
            "The service could not decode the picture: the file is damaged or not a JPG/PNG.",
            "Save or export the picture again as JPG or PNG and retry.",
        ),
        (
            "图片解码失败",
            "服务无法读取这张图片：文件可能已损坏，或不是 JPG/PNG 格式。",
            "请把图片重新保存或导出为 JPG 或 PNG 后再试。",
        ),
    ),
    "FailedOperation.IncompleteFace": (
        False,
        (
            "Face not complete",
            "The face is cut off by the edge of the picture or only partly in view.",
            "Frame the whole face, from forehead to chin, with some margin around it.",
        ),
        (
            "人脸不完整",
            "人脸被画面边缘截断，或只拍到了一部分。",
            "请让整张脸（从额头到下巴）完整地出现在画面中，四周留出一些空间。",
        ),
    ),
    "FailedOperation.PoorImageQuality": (
        False,
        (
            "Picture quality too low",
            "The picture is too blurry, dark, bright, small or noisy to judge.",
            "Use a sharper, well-lit picture with the face at least 100x100 pixels (about 480x640 overall is ideal).",
        ),
        (
            "图片质量太差",
            "图片太模糊、太暗、太亮、太小或噪点太多，无法判断。",
            "请使用清晰、光线充足的图片，人脸至少 100x100 像素（整图约 480x640 最佳）。",
        ),
    ),
    "FailedOperation.UnKnown": (
        True,
        (
            "Unknown failure",
            "The service failed for a reason it did not name.",
            "Try again. If it keeps happening, try another picture or clip, or contact support with the RequestId.",
        ),
        (
            "未知错误",
            "服务处理失败，但没有说明原因。",
            "请重试；若持续出现，请换一张图片或一段视频，或带上 RequestId 联系客服。",
        ),
    ),
    "FailedOperation.VideoDecodeFailed": (
        False,
        (
            "Video could not be read",
            "The service could not decode the video: damaged file or an unsupported format.",
            "Convert the clip to MP4 (H.264) and retry; AVI, FLV and MOV are also accepted.",
        ),
        (
            "视频解码失败",
            "服务无法读取这段视频：文件可能已损坏，或格式不受支持。",
            "请把视频转换为 MP4（H.264）后再试；也支持 AVI、FLV、MOV。",
        ),
    ),
    "FailedOperation.VideoDurationExceeded": (
        False,
        (
            "Video too long",
            "The clip is longer than the service accepts (20 seconds at most).",
            "Trim the clip to 2 to 5 seconds around the face and retry.",
        ),
        (
            "视频太长",
            "视频时长超过了服务允许的上限（最长 20 秒）。",
            "请把视频剪成包含人脸的 2 到 5 秒片段后再试。",
        ),
    ),
    "InvalidParameter": (
        False,
        (
            "Invalid request",
            "The request had a wrong or malformed field (for example an input type other than picture or video).",
            "Check that the file is a supported picture or video. If you built the request yourself, check FaceInput and FaceInputType.",
        ),
        (
            "参数错误",
            "请求中的某个字段错误或格式不对（例如输入类型既不是图片也不是视频）。",
            "请确认文件是受支持的图片或视频；如果是自行构造的请求，请检查 FaceInput 和 FaceInputType。",
        ),
    ),
    "InvalidParameterValue": (
        False,
        (
            "Invalid value",
            "A field had a value the service does not accept, such as broken base64 or an unsupported file.",
            "Re-prepare the file (picture: JPG/PNG; video: MP4) and retry.",
        ),
        (
            "参数取值错误",
            "某个字段的取值不被接受，例如 base64 编码损坏或文件格式不受支持。",
            "请重新处理文件（图片用 JPG/PNG，视频用 MP4）后再试。",
        ),
    ),
    "RequestLimitExceeded": (
        True,
        (
            "Too many requests",
            "More requests per second were sent than the account allows.",
            _RATE[0],
        ),
        ("请求过于频繁", "每秒发送的请求数超过了账号允许的频率。", _RATE[1]),
    ),
    "UnauthorizedOperation.Arrears": (
        False,
        (
            "Account in arrears",
            "The Tencent Cloud account has an unpaid balance, so the service is suspended.",
            "Top up the account in the Tencent Cloud console (Billing Center), then try again.",
        ),
        ("账号欠费", "腾讯云账号已欠费，服务被暂停。", "请在腾讯云控制台的费用中心充值后再试。"),
    ),
    "UnauthorizedOperation.ChargeStatusException": (
        False,
        (
            "Billing status problem",
            "The account's billing status for this service is abnormal.",
            "Check the service's billing status in the Tencent Cloud console, or contact support.",
        ),
        (
            "计费状态异常",
            "账号在该服务上的计费状态异常。",
            "请在腾讯云控制台检查该服务的计费状态，或联系客服。",
        ),
    ),
    "UnauthorizedOperation.Nonactivated": (
        False,
        (
            "Service not activated",
            "Face verification (FaceID) has not been activated for this Tencent Cloud account.",
            "Activate the FaceID / anti-deepfake service for the account in the Tencent Cloud console, then retry.",
        ),
        (
            "服务未开通",
            "该腾讯云账号尚未开通人脸核身（FaceID）服务。",
            "请先在腾讯云控制台为该账号开通人脸核身／AI 人脸防伪服务，然后再试。",
        ),
    ),
    # --- common errors any call can get ---
    "AuthFailure.InvalidAuthorization": (
        False,
        (
            "Malformed signature header",
            "The request's Authorization header is not in the expected form.",
            "Usually a proxy or tool altered the request. Call the service directly, and make sure the SecretId has no stray characters.",
        ),
        (
            "签名头格式错误",
            "请求的 Authorization 头格式不符合要求。",
            "通常是代理或工具改动了请求。请直连服务，并确认 SecretId 中没有多余字符。",
        ),
    ),
    "AuthFailure.InvalidSecretId": (
        False,
        (
            "Invalid SecretId",
            "The SecretId is not a valid key id (wrong type or mistyped).",
            "Copy the SecretId again from the API Keys page of the Tencent Cloud console (it starts with AKID).",
        ),
        (
            "SecretId 无效",
            "SecretId 不是有效的密钥 ID（类型错误或输入有误）。",
            "请从腾讯云控制台的 API 密钥页面重新复制 SecretId（以 AKID 开头）。",
        ),
    ),
    "AuthFailure.SecretIdNotFound": (
        False,
        (
            "SecretId not found",
            "No key with this SecretId exists, or it was deleted or disabled.",
            "Check the key on the API Keys page of the Tencent Cloud console; create a new key if needed.",
        ),
        (
            "密钥不存在",
            "找不到这个 SecretId 对应的密钥，或密钥已被删除、禁用。",
            "请在腾讯云控制台的 API 密钥页面检查该密钥，必要时新建一对密钥。",
        ),
    ),
    "AuthFailure.SignatureExpire": (
        False,
        (
            "Signature expired: check the clock",
            "The request's time is more than 5 minutes away from the server's time.",
            "Set this computer's clock to the correct time (turn on automatic time sync), then retry.",
        ),
        (
            "签名过期：请检查时钟",
            "请求中的时间与服务器时间相差超过 5 分钟。",
            "请把这台电脑的时间校准（开启自动同步时间）后再试。",
        ),
    ),
    "AuthFailure.SignatureFailure": (
        False,
        (
            "Signature does not match",
            "The server computed a different signature: usually the SecretKey is wrong.",
            "Check that the SecretKey belongs to this SecretId and was copied completely, without spaces.",
        ),
        (
            "签名验证失败",
            "服务器算出的签名与请求不一致，通常是 SecretKey 不正确。",
            "请确认 SecretKey 与该 SecretId 配对，且完整复制、没有多余空格。",
        ),
    ),
    "AuthFailure.TokenFailure": (
        False,
        (
            "Temporary token invalid",
            "The temporary credentials' token is wrong or has expired.",
            "Get a fresh set of temporary credentials (SecretId, SecretKey and token together) and retry.",
        ),
        (
            "临时凭证无效",
            "临时凭证的 Token 错误或已过期。",
            "请重新获取一套临时凭证（SecretId、SecretKey 和 Token 一起更新）后再试。",
        ),
    ),
    "AuthFailure.UnauthorizedOperation": (
        False,
        (
            "Not permitted",
            "This key's user is not allowed to call this API (CAM permissions).",
            "Ask the account administrator to grant the FaceID permission (e.g. QcloudFaceIDFullAccess) to this user.",
        ),
        (
            "没有权限",
            "这把密钥所属的用户没有调用该接口的权限（访问管理 CAM）。",
            "请联系主账号管理员为该用户授予人脸核身权限（例如 QcloudFaceIDFullAccess）。",
        ),
    ),
    "InternalError": (
        True,
        (
            "Service internal error",
            "The service had an internal error.",
            "Try again shortly. If it persists, contact Tencent Cloud support with the RequestId.",
        ),
        (
            "服务内部错误",
            "服务内部发生错误。",
            "请稍后再试；若持续出现，请带上 RequestId 联系腾讯云客服。",
        ),
    ),
    "InvalidAction": (
        False,
        (
            "Unknown API action",
            "The service does not know the requested action.",
            "Use the international or mainland endpoint that offers DetectAIFakeFaces, and update this tool.",
        ),
        (
            "接口不存在",
            "服务不认识请求的接口名。",
            "请确认所用的接入地址（国内站或国际站）提供 DetectAIFakeFaces，并更新本工具。",
        ),
    ),
    "MissingParameter": (
        False,
        (
            "Missing field",
            "A required field was missing from the request (for example the picture itself).",
            "Choose a file again and retry; an empty file cannot be checked.",
        ),
        (
            "缺少参数",
            "请求缺少必填字段（例如图片本身）。",
            "请重新选择文件后再试；空文件无法检测。",
        ),
    ),
    "NoSuchVersion": (
        False,
        (
            "Unknown API version",
            "The API version sent is not supported by this endpoint.",
            "Check the endpoint setting; this tool uses version 2018-03-01.",
        ),
        (
            "接口版本不存在",
            "该接入地址不支持请求的接口版本。",
            "请检查接入地址设置；本工具使用 2018-03-01 版本。",
        ),
    ),
    "RequestLimitExceeded.UinLimitExceeded": (
        True,
        (
            "Too many requests for this account",
            "The account (all its keys together) sent too many requests.",
            _RATE[0],
        ),
        ("账号请求过于频繁", "该账号（所有密钥合计）发送的请求过多。", _RATE[1]),
    ),
    "RequestLimitExceeded.IPLimitExceeded": (
        True,
        (
            "Too many requests from this address",
            "Too many requests came from this computer's IP address.",
            _RATE[0],
        ),
        ("该 IP 请求过于频繁", "来自这台电脑 IP 地址的请求过多。", _RATE[1]),
    ),
    "RequestLimitExceeded.GlobalRegionUinLimitExceeded": (
        True,
        (
            "Too many requests across regions",
            "The account exceeded its request rate summed over all regions.",
            _RATE[0],
        ),
        ("全地域请求过于频繁", "该账号在所有地域合计的请求频率超限。", _RATE[1]),
    ),
    "RequestSizeLimitExceeded": (
        False,
        (
            "File too large",
            "The request is larger than 10 MB, the most the service accepts.",
            "Use a smaller picture, or a shorter or lower-resolution clip (2 to 5 s, at most 720p).",
        ),
        (
            "文件太大",
            "请求超过了服务允许的 10 MB 上限。",
            "请使用更小的图片，或更短、分辨率更低的视频（2 到 5 秒，最高 720p）。",
        ),
    ),
    "ServiceUnavailable": (
        True,
        (
            "Service unavailable",
            "The service is temporarily unavailable.",
            "Try again in a minute; check the Tencent Cloud status page if it lasts.",
        ),
        (
            "服务暂不可用",
            "服务暂时不可用。",
            "请一分钟后再试；若持续较久，请查看腾讯云服务状态页。",
        ),
    ),
    "UnsupportedRegion": (
        False,
        (
            "Region not supported",
            "The service is not offered in the region that was set.",
            "Clear the region setting (it is optional) or choose a supported one such as ap-guangzhou.",
        ),
        (
            "地域不支持",
            "所设置的地域不提供该服务。",
            "请清空地域设置（该项可选），或选择受支持的地域，例如 ap-guangzhou。",
        ),
    ),
    "UnknownParameter": (
        False,
        (
            "Unknown field",
            "The request contained a field the service does not know.",
            "Update this tool; if you built the request yourself, remove the extra field.",
        ),
        (
            "未知参数",
            "请求包含服务不认识的字段。",
            "请更新本工具；如果是自行构造的请求，请删除多余字段。",
        ),
    ),
    # --- this client's own errors ---
    "Client.ConfigError": (
        False,
        (
            "Settings problem",
            "The credentials, endpoint, region or language settings cannot work as given.",
            "Read the message, fix the named setting, and try again.",
        ),
        (
            "配置有误",
            "密钥、接入地址、地域或语言设置有问题，无法使用。",
            "请阅读提示信息，改正其中指出的设置后再试。",
        ),
    ),
    "Client.ConnectionFailed": (
        True,
        (
            "Cannot reach the service",
            "No connection could be made; the request was not sent.",
            "Check the network, proxy settings and the endpoint address. For the local sandbox, make sure it is running.",
        ),
        (
            "无法连接服务",
            "无法建立连接，请求没有发出。",
            "请检查网络、代理设置和接入地址；若使用本地沙箱，请确认它正在运行。",
        ),
    ),
    "Client.Timeout": (
        True,
        (
            "No answer in time",
            "The service did not answer within the time limit.",
            "Try again; a smaller file or a longer timeout helps. The request may already have been processed.",
        ),
        (
            "请求超时",
            "服务在限定时间内没有回应。",
            "请重试；换用更小的文件或延长超时时间会有帮助。该请求可能已被处理。",
        ),
    ),
    "Client.InvalidResponse": (
        True,
        (
            "Unexpected reply",
            "The reply was not the service's answer, e.g. an error page from a proxy or gateway.",
            "Check the endpoint address and any proxy between you and Tencent Cloud, then retry.",
        ),
        (
            "返回内容异常",
            "收到的不是服务的正常回复，例如代理或网关返回的错误页面。",
            "请检查接入地址以及你与腾讯云之间的代理，然后重试。",
        ),
    ),
}

PREFIX_TEXTS: dict[str, Entry] = {
    "AuthFailure": (
        False,
        (
            "Authentication failed",
            "The service did not accept the credentials or signature.",
            "Check the SecretId, SecretKey and this computer's clock.",
        ),
        ("鉴权失败", "服务不接受该密钥或签名。", "请检查 SecretId、SecretKey 以及电脑时间。"),
    ),
    "FailedOperation": (
        False,
        (
            "Check failed",
            "The service could not check this input.",
            "Try another picture or clip with one clear, uncovered face.",
        ),
        (
            "检测失败",
            "服务无法检测这份输入。",
            "请换一张或一段只有一张清晰、无遮挡人脸的图片或视频。",
        ),
    ),
    "UnauthorizedOperation": (
        False,
        (
            "Not authorised",
            "The account may not use this service right now.",
            "Check the service's activation and billing status in the Tencent Cloud console.",
        ),
        ("未授权操作", "该账号当前不能使用此服务。", "请在腾讯云控制台检查服务开通和计费状态。"),
    ),
    "InvalidParameter": CODE_TEXTS["InvalidParameter"],
    "InvalidParameterValue": CODE_TEXTS["InvalidParameterValue"],
    "RequestLimitExceeded": CODE_TEXTS["RequestLimitExceeded"],
    "ResourceUnavailable": (
        False,
        (
            "Resource unavailable",
            "A resource the service needs for this account is unavailable.",
            "Check the service status in the Tencent Cloud console, or contact support.",
        ),
        (
            "资源不可用",
            "该账号所需的服务资源不可用。",
            "请在腾讯云控制台检查服务状态，或联系客服。",
        ),
    ),
    "LimitExceeded": (
        False,
        (
            "Limit exceeded",
            "A quota or limit of the account was exceeded.",
            "Check the account's quotas in the Tencent Cloud console.",
        ),
        ("超过配额", "超出了账号的某项配额或限制。", "请在腾讯云控制台查看账号配额。"),
    ),
    "Client": (
        True,
        (
            "Network problem",
            "The call did not produce an answer from the service.",
            "Check the network and the endpoint setting, then retry.",
        ),
        ("网络问题", "这次调用没有得到服务的回复。", "请检查网络和接入地址设置后重试。"),
    ),
}

GENERIC_TEXT: Entry = (
    False,
    (
        "Service error",
        "The service returned an error this tool does not know.",
        "Retry once; if it persists, search the code in Tencent Cloud's documentation or contact support with the RequestId.",
    ),
    (
        "服务错误",
        "服务返回了本工具不认识的错误。",
        "请重试一次；若持续出现，请在腾讯云文档中查询该错误码，或带上 RequestId 联系客服。",
    ),
)

# Attack trace types: (en, zh), plain language.
TRACE_TEXTS: dict[str, tuple[str, str]] = {
    "SuspectedSpoofingAttack": (
        "Looks like a re-photographed screen or printout (a recapture), not a live face in front of the camera.",
        "疑似翻拍：像是对着屏幕或打印照片拍摄的，而不是真人直接面对镜头。",
    ),
    "SuspectedSynthesisImage": (
        "The face in the picture looks AI-generated or face-swapped (a deepfake image).",
        "疑似合成图片：图片中的人脸像是 AI 生成或换脸得到的（深度伪造图片）。",
    ),
    "SuspectedSynthesisVideo": (
        "The face in the video looks AI-generated or face-swapped (a deepfake video).",
        "疑似合成视频：视频中的人脸像是 AI 生成或换脸得到的（深度伪造视频）。",
    ),
    "SuspectedAnomalyAttack": (
        "The face has features that do not look like a real person's (for example a mask or a doll).",
        "疑似异常攻击：人脸特征不像真人（例如面具或人偶）。",
    ),
    "SuspectedAdversarialAttack": (
        "The picture seems deliberately altered with hidden patterns meant to fool detection systems.",
        "疑似对抗攻击：图片似乎被刻意加入了用来欺骗检测系统的隐蔽干扰。",
    ),
    "SuspectedBlackIndustry": (
        "Matches templates used in bulk attacks by fraud rings (the same fake used many times).",
        "疑似黑产批量攻击：与诈骗团伙批量使用的攻击模板相符（同一伪造素材被反复使用）。",
    ),
    "SuspectedWatermark": (
        "A watermark or overlay was found, suggesting the picture was copied or edited rather than taken live.",
        "疑似水印：发现水印或叠加图层，说明图片可能是转存或编辑过的，而非现场拍摄。",
    ),
}
# A spelling that appears in some of Tencent's pages for the anomaly type.
TRACE_TEXTS["SuspecteeAnomalyAttack"] = TRACE_TEXTS["SuspectedAnomalyAttack"]

# Risk levels: (en, zh).
LEVEL_TEXTS: dict[str, tuple[str, str]] = {
    "Low": ("Low risk: no sign of an attack.", "低风险：未发现攻击迹象。"),
    "Mid": (
        "Medium risk: some signs of an attack. The service advises letting it pass, but look closer.",
        "中风险：有一定攻击嫌疑。服务建议放行，但值得进一步核查。",
    ),
    "High": (
        "High risk: very likely an attack (fake, recaptured or synthesised face). The service advises blocking it.",
        "高风险：极可能是攻击（伪造、翻拍或合成人脸）。服务建议拦截。",
    ),
    "Unknown": (
        "Unknown risk level: the service returned a level this tool does not know.",
        "未知风险等级：服务返回了本工具不认识的等级。",
    ),
}
