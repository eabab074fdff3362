"""The ways Tencent's SDKs and tccli send a DetectAIFakeFaces call, read into one shape.

    TC3-HMAC-SHA256  POST, JSON body          action and signature in X-TC-* headers
    TC3-HMAC-SHA256  GET, query string        (Content-Type application/x-www-form-urlencoded)
    v1 HmacSHA1/256  POST, form body          action, signature... as parameters
    v1 HmacSHA1/256  GET, query string

A call is v1 when it carries neither `Authorization` nor `X-TC-Action` and its
parameters name an `Action`; everything else is read as TC3. Size limits are those of
Tencent's request-structure page: GET 32 KB, v1 POST 1 MB, TC3 POST 10 MB (the last one
is enforced while the body is read, in `sandbox.app`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qsl

from core.text import Message
from sandbox.envelope import Rejection

__all__ = [
    "NO_ENCRYPTION",
    "FORM_CONTENT_TYPE",
    "MAX_FIELDS",
    "MAX_GET_BYTES",
    "MAX_V1_POST_BYTES",
    "V1_COMMON_PARAMS",
    "Wire",
    "api_params",
    "read_wire",
]

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
MAX_GET_BYTES = 32 * 1024
MAX_V1_POST_BYTES = 1024 * 1024
MAX_FIELDS = 64  # far more than any real call has; bounds the parsing work
V1_COMMON_PARAMS = frozenset(
    {
        "Action",
        "Version",
        "Region",
        "Timestamp",
        "Nonce",
        "SecretId",
        "Signature",
        "SignatureMethod",
        "Token",
        "Language",
        "RequestClient",
    }
)
_API_FIELDS = ("FaceInput", "FaceInputType")


@dataclass(frozen=True)
class Wire:
    """How one call was sent: its signature version, and its parameters when they travel
    as a query string or form body.

    `problem` is a rejection found while reading (too large, malformed form), raised by
    the service at the point where the service's order of checks puts it."""

    version: Literal["tc3", "v1"]
    method: str
    params: Mapping[str, str] = field(default_factory=dict)
    problem: Rejection | None = None

    @property
    def language(self) -> str | None:
        """The `Language` parameter of a v1 call (TC3 calls use `X-TC-Language`)."""
        return self.params.get("Language") if self.version == "v1" else None


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _parse_pairs(text: bytes | str) -> dict[str, str]:
    """Form/query parameters, each named once; InvalidParameter when malformed."""
    try:
        raw = text.decode("ascii") if isinstance(text, bytes) else text
        pairs = parse_qsl(
            raw,
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=MAX_FIELDS,
        )
    except (UnicodeDecodeError, ValueError):
        raise Rejection(
            "InvalidParameter",
            detail=Message(
                "detail", "the parameters are not valid form encoding", "参数不是合法的表单编码"
            ),
        ) from None
    params: dict[str, str] = {}
    for name, value in pairs:
        if name in params:
            raise Rejection(
                "InvalidParameter",
                detail=Message(
                    "detail", f"parameter `{name[:40]}` is given twice", f"参数 `{name[:40]}` 重复"
                ),
            )
        params[name] = value
    return params


def _size_problem(method: str, query: str, body: bytes, content_type: str) -> Rejection | None:
    """RequestSizeLimitExceeded for a GET over 32 KB or a form POST over 1 MB."""
    if method == "GET" and len(query) + len(body) > MAX_GET_BYTES:
        return Rejection("RequestSizeLimitExceeded", limit="32 KB")
    if (
        method == "POST"
        and _media_type(content_type) == FORM_CONTENT_TYPE
        and len(body) > MAX_V1_POST_BYTES
    ):
        return Rejection("RequestSizeLimitExceeded", limit="1 MB")
    return None


def read_wire(method: str, query: str, headers: Mapping[str, str], body: bytes) -> Wire:
    """How this call was sent, never raising (a problem is kept in `Wire.problem`).

    `headers` has lower-case names."""
    method = method.upper()
    content_type = headers.get("content-type", "")
    tc3 = bool(headers.get("authorization", "").strip() or headers.get("x-tc-action", "").strip())
    problem = _size_problem(method, query, body, content_type)
    if problem is not None:
        return Wire("tc3" if tc3 else "v1", method, problem=problem)
    if method == "GET":
        source: bytes | str | None = query
    elif _media_type(content_type) == FORM_CONTENT_TYPE:
        source = body
    else:
        source = None
    if source is None:
        return Wire("tc3", method)
    try:
        params = _parse_pairs(source)
    except Rejection as rejection:
        return Wire("tc3" if tc3 else "v1", method, problem=rejection)
    version: Literal["tc3", "v1"] = "v1" if not tc3 and "Action" in params else "tc3"
    return Wire(version, method, params)


# The one refusal of full-body encryption, for JSON bodies and query/form parameters alike.
NO_ENCRYPTION = Message(
    "detail",
    "the sandbox does not support full-body encryption (Encryption/EncryptedBody)",
    "沙箱不支持全包体加密（Encryption/EncryptedBody）",
)


def api_params(wire: Wire) -> dict[str, Any]:
    """The action's parameters from a query string or form body, typed as the JSON body
    would carry them (`FaceInputType` as an integer); the v1 common parameters are left
    out. UnknownParameter for other names, InvalidParameterValue for encryption fields."""
    params: dict[str, Any] = {}
    for name, value in wire.params.items():
        if wire.version == "v1" and name in V1_COMMON_PARAMS:
            continue
        if name in ("Encryption", "EncryptedBody") or name.startswith("Encryption."):
            raise Rejection("InvalidParameterValue", detail=NO_ENCRYPTION)
        if name not in _API_FIELDS:
            raise Rejection("UnknownParameter", name=name[:64])
        params[name] = value
    raw_type = params.get("FaceInputType")
    if isinstance(raw_type, str) and re.fullmatch(r"[0-9]{1,9}", raw_type):
        params["FaceInputType"] = int(raw_type)
    return params
