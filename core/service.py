"""Facts about DetectAIFakeFaces (CONTRACT.md) that several packages need, written once.

    SERVICE, ACTION, VERSION      what every call names (the signer's service, X-TC-Action/Version)
    API_LANGUAGES                 the `X-TC-Language` values the service speaks
    LOW, MID, HIGH, RISK_LEVELS   the documented `AttackRiskLevel` values, in order
    MAX_REQUEST_BYTES             the largest TC3-signed request body (10 MB)
    MAX_BASE64_BYTES              the largest base64 FaceInput (10 MB)
    IMAGE_BASE64_RECOMMENDED      the recommended base64 size of a picture (3 MB)
    VIDEO_BASE64_RECOMMENDED      the recommended base64 size of a video (8 MB)
    MAX_VIDEO_SECONDS             the longest video the service takes (20 s)
    RECOMMENDED_FACE_PX           the face size the service asks for (100 px on its shorter side)
    SANDBOX_MIN_FACE_PX           the local sandbox's own floor: a largest face below it is
                                  refused as `FailedOperation.PoorImageQuality` (50 px)

Sizes in MB are binary (1 MB = 1024 * 1024 bytes), as `media` and the sandbox count them.
"""

from __future__ import annotations

__all__ = [
    "ACTION",
    "API_LANGUAGES",
    "HIGH",
    "IMAGE_BASE64_RECOMMENDED",
    "LOW",
    "MAX_BASE64_BYTES",
    "MAX_REQUEST_BYTES",
    "MAX_VIDEO_SECONDS",
    "MID",
    "RECOMMENDED_FACE_PX",
    "RISK_LEVELS",
    "SANDBOX_MIN_FACE_PX",
    "SERVICE",
    "VERSION",
    "VIDEO_BASE64_RECOMMENDED",
]

SERVICE = "faceid"
ACTION = "DetectAIFakeFaces"
VERSION = "2018-03-01"
API_LANGUAGES = ("zh-CN", "en-US")

LOW, MID, HIGH = "Low", "Mid", "High"
RISK_LEVELS = (LOW, MID, HIGH)

_MB = 1024 * 1024
MAX_REQUEST_BYTES = 10 * _MB
MAX_BASE64_BYTES = 10 * _MB
IMAGE_BASE64_RECOMMENDED = 3 * _MB
VIDEO_BASE64_RECOMMENDED = 8 * _MB
MAX_VIDEO_SECONDS = 20.0

RECOMMENDED_FACE_PX = 100
SANDBOX_MIN_FACE_PX = 50
