"""Request checks the gateway does before the action runs: action, version and the
TC3-HMAC-SHA256 signature, rebuilt with `client.signing`'s stage functions.

The verifier signs exactly what the caller says it signed (`SignedHeaders` as sent,
`content-type` and `host` required), hashes the literal `UNSIGNED-PAYLOAD` when the
caller asks for it, and allows five minutes of clock difference.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field

from client.signing import (
    UNSIGNED_PAYLOAD,
    canonical_request,
    credential_scope,
    parse_authorization,
    sha256_hex,
    signature,
    signing_key,
    string_to_sign,
    utc_date,
)
from sandbox.envelope import Rejection

__all__ = [
    "ACTION",
    "MAX_CLOCK_SKEW_S",
    "REQUIRED_SIGNED_HEADERS",
    "SERVICE",
    "VERSION",
    "Account",
    "check_action",
    "verify_signature",
]

SERVICE = "faceid"
ACTION = "DetectAIFakeFaces"
VERSION = "2018-03-01"
MAX_CLOCK_SKEW_S = 300
REQUIRED_SIGNED_HEADERS = ("content-type", "host")


@dataclass(frozen=True)
class Account:
    """Credentials the sandbox accepts; the key and token never show in a repr."""

    secret_id: str
    secret_key: str = field(repr=False)
    token: str | None = field(default=None, repr=False)


def check_action(headers: Mapping[str, str]) -> None:
    """`X-TC-Action` and `X-TC-Version` must name DetectAIFakeFaces / 2018-03-01."""
    action = headers.get("x-tc-action", "").strip()
    if not action:
        raise Rejection("MissingParameter", name="Action")
    if action != ACTION:
        raise Rejection("InvalidAction", action=action)
    version = headers.get("x-tc-version", "").strip()
    if not version:
        raise Rejection("MissingParameter", name="Version")
    if version != VERSION:
        raise Rejection("NoSuchVersion", version=version)


def _timestamp(headers: Mapping[str, str]) -> int:
    """The integer `X-TC-Timestamp`, or the rejection the service gives."""
    raw = headers.get("x-tc-timestamp", "").strip()
    if not raw:
        raise Rejection("MissingParameter", name="Timestamp")
    if not raw.isdigit():
        raise Rejection(
            "InvalidParameter",
            detail=(
                f"X-TC-Timestamp `{raw[:32]}` 不是整数",
                f"X-TC-Timestamp `{raw[:32]}` is not an integer",
            ),
        )
    return int(raw)


def verify_signature(
    *,
    method: str,
    path: str,
    query: str,
    headers: Mapping[str, str],
    body: bytes,
    accounts: Mapping[str, Account],
    now: float,
) -> Account:
    """The account that signed this request, or a `Rejection` saying what is wrong.

    `headers` has lower-case names, as Starlette gives them."""
    raw_authorization = headers.get("authorization", "")
    if not raw_authorization.strip():
        raise Rejection(
            "AuthFailure.InvalidAuthorization", detail=("缺少该请求头", "the header is missing")
        )
    try:
        parsed = parse_authorization(raw_authorization)
    except ValueError as exc:
        raise Rejection(
            "AuthFailure.InvalidAuthorization", detail=(f"格式错误（{exc}）", str(exc))
        ) from None
    for name in REQUIRED_SIGNED_HEADERS:
        if name not in parsed.signed_headers:
            raise Rejection(
                "AuthFailure.InvalidAuthorization",
                detail=(f"SignedHeaders 须包含 {name}", f"SignedHeaders must include {name}"),
            )
    for name in parsed.signed_headers:
        if name not in headers:
            raise Rejection(
                "AuthFailure.InvalidAuthorization",
                detail=(f"签名的请求头 {name} 未发送", f"signed header {name} is not sent"),
            )
    timestamp = _timestamp(headers)
    if abs(now - timestamp) > MAX_CLOCK_SKEW_S:
        raise Rejection("AuthFailure.SignatureExpire", timestamp=timestamp)
    account = accounts.get(parsed.secret_id)
    if account is None:
        raise Rejection("AuthFailure.SecretIdNotFound")
    if account.token is not None and not hmac.compare_digest(
        headers.get("x-tc-token", "").encode(), account.token.encode()
    ):
        raise Rejection("AuthFailure.TokenFailure")
    if parsed.scope != credential_scope(timestamp, SERVICE):
        raise Rejection("AuthFailure.SignatureFailure")
    unsigned = headers.get("x-tc-content-sha256", "").strip() == UNSIGNED_PAYLOAD
    payload_hash = sha256_hex(UNSIGNED_PAYLOAD if unsigned else body)
    canonical = canonical_request(method, path, query, headers, parsed.signed_headers, payload_hash)
    key = signing_key(account.secret_key, utc_date(timestamp), SERVICE)
    expected = signature(key, string_to_sign(timestamp, parsed.scope, canonical))
    if not hmac.compare_digest(expected, parsed.signature):
        raise Rejection("AuthFailure.SignatureFailure")
    return account
