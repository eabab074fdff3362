"""The thin TC3-signed client for Tencent Cloud's DetectAIFakeFaces (anti-deepfake) API.

    from client import FaceIdClient, FaceInputType, resolve_credentials

    with FaceIdClient(resolve_credentials(), endpoint="http://127.0.0.1:8765") as api:
        detection = api.detect(jpeg_bytes, FaceInputType.IMAGE)

No Streamlit here; `python -m client detect PATH` is the command line.
"""

from __future__ import annotations

from client.api import (
    ENDPOINT_INTL,
    ENDPOINT_MAINLAND,
    DetectClient,
    FaceIdClient,
    parse_endpoint,
)
from client.credentials import Credentials, find_credentials, resolve_credentials
from client.endpoints import (
    ENDPOINT_ALIASES,
    endpoint_alias,
    is_tencent_endpoint,
    resolve_endpoint,
)
from client.errors import (
    ApiError,
    ConfigError,
    ConnectionFailed,
    InvalidResponse,
    RequestTimeout,
    ServiceError,
    TransportError,
)
from client.guidance import Guidance, guidance, level_explanation, trace_explanation
from client.models import AttackTrace, Detection, FaceInputType, RiskLevel

__all__ = [
    "ENDPOINT_ALIASES",
    "ENDPOINT_INTL",
    "ENDPOINT_MAINLAND",
    "ApiError",
    "AttackTrace",
    "ConfigError",
    "ConnectionFailed",
    "DetectClient",
    "Credentials",
    "Detection",
    "FaceIdClient",
    "FaceInputType",
    "Guidance",
    "InvalidResponse",
    "RequestTimeout",
    "RiskLevel",
    "ServiceError",
    "TransportError",
    "endpoint_alias",
    "find_credentials",
    "guidance",
    "is_tencent_endpoint",
    "level_explanation",
    "parse_endpoint",
    "resolve_credentials",
    "resolve_endpoint",
    "trace_explanation",
]
