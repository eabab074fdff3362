"""Request checks the gateway does before the action runs: action, version and the
signature, TC3-HMAC-SHA256 (rebuilt with `client.signing`'s stage functions) or the
older v1 HmacSHA1 / HmacSHA256 over the parameters.

The TC3 verifier signs exactly what the caller says it signed (`SignedHeaders` as sent,
`content-type` and `host` required), hashes the literal `UNSIGNED-PAYLOAD` when the
caller asks for it, and allows five minutes of clock difference. Both verifiers accept
a signature over the `Host` with or without its port (Tencent's Node.js SDK signs the
host name alone but sends the port), and TC3 accepts as service name `faceid` or the
first label of the host (the Node.js SDK takes it from the endpoint: `127` for
`127.0.0.1:PORT`). Checks run in the same order for both: timestamp, clock window,
SecretId, token, signature.
"""

from __future__ import annotations

import base64
import hashlib
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
from core.service import ACTION, SERVICE, VERSION
from core.text import Message
from sandbox.envelope import Rejection

__all__ = [
    "MAX_CLOCK_SKEW_S",
    "REQUIRED_SIGNED_HEADERS",
    "V1_METHODS",
    "Account",
    "check_action",
    "check_action_values",
    "host_variants",
    "v1_signature",
    "v1_string_to_sign",
    "verify_signature",
    "verify_v1_signature",
]

MAX_CLOCK_SKEW_S = 300
REQUIRED_SIGNED_HEADERS = ("content-type", "host")
V1_METHODS = {"HmacSHA1": hashlib.sha1, "HmacSHA256": hashlib.sha256}


@dataclass(frozen=True)
class Account:
    """Credentials the sandbox accepts; the key and token never show in a repr."""

    secret_id: str
    secret_key: str = field(repr=False)
    token: str | None = field(default=None, repr=False)


def check_action_values(action: str, version: str) -> None:
    """The action and version must be DetectAIFakeFaces / 2018-03-01."""
    action, version = action.strip(), version.strip()
    if not action:
        raise Rejection("MissingParameter", name="Action")
    if action != ACTION:
        raise Rejection("InvalidAction", action=action[:64])
    if not version:
        raise Rejection("MissingParameter", name="Version")
    if version != VERSION:
        raise Rejection("NoSuchVersion", version=version[:64])


def check_action(headers: Mapping[str, str]) -> None:
    """`X-TC-Action` and `X-TC-Version` must name DetectAIFakeFaces / 2018-03-01."""
    check_action_values(headers.get("x-tc-action", ""), headers.get("x-tc-version", ""))


def _timestamp_value(raw: str, name: str) -> int:
    """An integer timestamp, or the rejection the service gives."""
    raw = raw.strip()
    if not raw:
        raise Rejection("MissingParameter", name="Timestamp")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
        raise Rejection(
            "InvalidParameter",
            detail=Message(
                "detail", f"{name} `{raw[:32]}` is not an integer", f"{name} `{raw[:32]}` 不是整数"
            ),
        )
    return int(raw)


def _timestamp(headers: Mapping[str, str]) -> int:
    """The integer `X-TC-Timestamp`, or the rejection the service gives."""
    return _timestamp_value(headers.get("x-tc-timestamp", ""), "X-TC-Timestamp")


def host_variants(host: str) -> tuple[str, ...]:
    """The `Host` as sent, then without its port when it has one: the hosts a client may
    have signed (`127.0.0.1:8765` -> `127.0.0.1`, `[::1]:8765` -> `[::1]`)."""
    host = host.strip()
    name, sep, port = host.rpartition(":")
    if sep and port.isdigit() and name and (":" not in name or name.endswith("]")):
        return (host, name)
    return (host,)


def _account_for(
    secret_id: str, token: str, timestamp: int, accounts: Mapping[str, Account], now: float
) -> Account:
    """Clock window, SecretId, token: the checks both signature versions share, in order."""
    if abs(now - timestamp) > MAX_CLOCK_SKEW_S:
        raise Rejection("AuthFailure.SignatureExpire", timestamp=timestamp)
    account = accounts.get(secret_id)
    if account is None:
        raise Rejection("AuthFailure.SecretIdNotFound")
    if account.token is not None and not hmac.compare_digest(
        token.encode(), account.token.encode()
    ):
        raise Rejection("AuthFailure.TokenFailure")
    return account


def _services(host: str) -> set[str]:
    """Service names a TC3 scope may carry: `faceid`, or the host's first label (with
    and without the port) as clients that derive it from the endpoint do."""
    return {SERVICE} | {variant.split(".", 1)[0] for variant in host_variants(host)}


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
            "AuthFailure.InvalidAuthorization",
            detail=Message("detail", "the header is missing", "缺少该请求头"),
        )
    try:
        parsed = parse_authorization(raw_authorization)
    except ValueError as exc:
        raise Rejection(
            "AuthFailure.InvalidAuthorization",
            detail=Message("detail", str(exc), f"格式错误（{exc}）"),
        ) from None
    for name in REQUIRED_SIGNED_HEADERS:
        if name not in parsed.signed_headers:
            raise Rejection(
                "AuthFailure.InvalidAuthorization",
                detail=Message(
                    "detail", f"SignedHeaders must include {name}", f"SignedHeaders 须包含 {name}"
                ),
            )
    for name in parsed.signed_headers:
        if name not in headers:
            raise Rejection(
                "AuthFailure.InvalidAuthorization",
                detail=Message(
                    "detail", f"signed header {name} is not sent", f"签名的请求头 {name} 未发送"
                ),
            )
    timestamp = _timestamp(headers)
    account = _account_for(
        parsed.secret_id, headers.get("x-tc-token", ""), timestamp, accounts, now
    )
    host = headers.get("host", "")
    if parsed.date != utc_date(timestamp) or parsed.service not in _services(host):
        raise Rejection("AuthFailure.SignatureFailure")
    scope = credential_scope(timestamp, parsed.service)
    unsigned = headers.get("x-tc-content-sha256", "").strip() == UNSIGNED_PAYLOAD
    payload_hash = sha256_hex(UNSIGNED_PAYLOAD if unsigned else body)
    key = signing_key(account.secret_key, utc_date(timestamp), parsed.service)
    for signed_host in host_variants(host):
        signed = {**headers, "host": signed_host}
        canonical = canonical_request(
            method, path, query, signed, parsed.signed_headers, payload_hash
        )
        expected = signature(key, string_to_sign(timestamp, scope, canonical))
        if hmac.compare_digest(expected, parsed.signature):
            return account
    raise Rejection("AuthFailure.SignatureFailure")


def v1_string_to_sign(method: str, host: str, path: str, params: Mapping[str, str]) -> str:
    """`<METHOD><host><path>?<name=value&...>`: every parameter but `Signature`, sorted
    by name, values as decoded (not URL-encoded), as Tencent's v1 signature defines it."""
    pairs = "&".join(f"{name}={params[name]}" for name in sorted(params) if name != "Signature")
    return f"{method.upper()}{host}{path}?{pairs}"


def v1_signature(secret_key: str, to_sign: str, method: str = "HmacSHA1") -> str:
    """Base64 HMAC-SHA1 or HMAC-SHA256 of the string to sign under the SecretKey."""
    digest = hmac.new(secret_key.encode("utf-8"), to_sign.encode("utf-8"), V1_METHODS[method])
    return base64.b64encode(digest.digest()).decode("ascii")


def verify_v1_signature(
    *,
    method: str,
    path: str,
    host: str,
    params: Mapping[str, str],
    accounts: Mapping[str, Account],
    now: float,
) -> Account:
    """The account that signed this v1 call (parameters from the query string or form
    body), or a `Rejection`: the same checks and codes as TC3."""
    for name in ("Signature", "SecretId", "Nonce"):
        if not params.get(name, "").strip():
            raise Rejection("MissingParameter", name=name)
    nonce = params["Nonce"].strip()
    if not (nonce.isascii() and nonce.isdigit()):
        raise Rejection(
            "InvalidParameter",
            detail=Message(
                "detail",
                f"Nonce `{nonce[:32]}` is not an integer",
                f"Nonce `{nonce[:32]}` 不是正整数",
            ),
        )
    sign_method = params.get("SignatureMethod", "HmacSHA1") or "HmacSHA1"
    if sign_method not in V1_METHODS:
        raise Rejection(
            "InvalidParameterValue",
            detail=Message(
                "detail",
                f"SignatureMethod `{sign_method[:32]}` must be HmacSHA1 or HmacSHA256",
                f"SignatureMethod `{sign_method[:32]}` 须为 HmacSHA1 或 HmacSHA256",
            ),
        )
    timestamp = _timestamp_value(params.get("Timestamp", ""), "Timestamp")
    account = _account_for(params["SecretId"], params.get("Token", ""), timestamp, accounts, now)
    for signed_host in host_variants(host):
        to_sign = v1_string_to_sign(method, signed_host, path, params)
        expected = v1_signature(account.secret_key, to_sign, sign_method)
        if hmac.compare_digest(expected.encode(), params["Signature"].encode("utf-8")):
            return account
    raise Rejection("AuthFailure.SignatureFailure")
