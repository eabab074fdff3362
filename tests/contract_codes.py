"""The error codes CONTRACT.md lists: one oracle for the client's and the sandbox's tests."""

from __future__ import annotations

# Codes listed for DetectAIFakeFaces itself.
ACTION_CODES = [
    "FailedOperation.CoveredFace",
    "FailedOperation.DetectEngineSystemError",
    "FailedOperation.ImageDecodeFailed",
    "FailedOperation.IncompleteFace",
    "FailedOperation.PoorImageQuality",
    "FailedOperation.UnKnown",
    "FailedOperation.VideoDecodeFailed",
    "FailedOperation.VideoDurationExceeded",
    "InvalidParameter",
    "InvalidParameterValue",
    "RequestLimitExceeded",
    "UnauthorizedOperation.Arrears",
    "UnauthorizedOperation.ChargeStatusException",
    "UnauthorizedOperation.Nonactivated",
]
# Common codes any Tencent Cloud call can get.
COMMON_CODES = [
    "AuthFailure.InvalidAuthorization",
    "AuthFailure.InvalidSecretId",
    "AuthFailure.SecretIdNotFound",
    "AuthFailure.SignatureExpire",
    "AuthFailure.SignatureFailure",
    "AuthFailure.TokenFailure",
    "AuthFailure.UnauthorizedOperation",
    "InternalError",
    "InvalidAction",
    "MissingParameter",
    "NoSuchVersion",
    "RequestLimitExceeded.UinLimitExceeded",
    "RequestLimitExceeded.IPLimitExceeded",
    "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
    "RequestSizeLimitExceeded",
    "ServiceUnavailable",
    "UnsupportedRegion",
    "UnknownParameter",
]
CONTRACT_CODES = ACTION_CODES + COMMON_CODES
