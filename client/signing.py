"""TC3-HMAC-SHA256 request signing, one pure function per stage.

Each stage returns a string (or bytes for the key) so a test can say exactly which
stage diverged from a reference. `TC3Auth` wires the stages into an `httpx.Auth`
that signs the exact body bytes httpx will send.

    canonical_request -> string_to_sign -> signing_key -> signature -> authorization_header
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

__all__ = [
    "ALGORITHM",
    "UNSIGNED_PAYLOAD",
    "ParsedAuthorization",
    "TC3Auth",
    "authorization_header",
    "canonical_headers",
    "canonical_request",
    "credential_scope",
    "mask_secret_id",
    "parse_authorization",
    "sha256_hex",
    "sign",
    "signature",
    "signing_key",
    "string_to_sign",
    "utc_date",
]

ALGORITHM = "TC3-HMAC-SHA256"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
DEFAULT_SIGNED_HEADERS = ("content-type", "host")


def mask_secret_id(secret_id: str) -> str:
    """A SecretId with its middle hidden, safe to show: `AKID…1234` (`…` when short)."""
    return f"{secret_id[:4]}…{secret_id[-4:]}" if len(secret_id) > 8 else "…"


def sha256_hex(data: bytes | str) -> str:
    """Lower-case hex SHA-256 of bytes (str is UTF-8 encoded first)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def utc_date(timestamp: int) -> str:
    """The scope date: the UTC calendar date of the timestamp, never local time."""
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d")


def credential_scope(timestamp: int, service: str) -> str:
    """`<UTC date>/<service>/tc3_request`."""
    return f"{utc_date(timestamp)}/{service}/tc3_request"


def canonical_headers(headers: Mapping[str, str], signed_headers: Sequence[str]) -> str:
    """`name:value\\n` for each signed header, names and values lower-cased and trimmed,
    sorted by name. `headers` may use any case for its keys."""
    lowered = {k.strip().lower(): v for k, v in headers.items()}
    names = sorted(h.strip().lower() for h in signed_headers)
    return "".join(f"{name}:{lowered[name].strip().lower()}\n" for name in names)


def canonical_request(
    method: str,
    path: str,
    query: str,
    headers: Mapping[str, str],
    signed_headers: Sequence[str],
    payload_hash: str,
) -> str:
    """The six-part canonical request joined by newlines."""
    names = ";".join(sorted(h.strip().lower() for h in signed_headers))
    return "\n".join(
        [
            method.upper(),
            path,
            query,
            canonical_headers(headers, signed_headers),
            names,
            payload_hash,
        ]
    )


def string_to_sign(timestamp: int, scope: str, canonical: str) -> str:
    """`TC3-HMAC-SHA256\\n<timestamp>\\n<scope>\\n<hex sha256 of the canonical request>`."""
    return f"{ALGORITHM}\n{timestamp}\n{scope}\n{sha256_hex(canonical)}"


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def signing_key(secret_key: str, date: str, service: str) -> bytes:
    """kSigning = HMAC(HMAC(HMAC("TC3" + key, date), service), "tc3_request")."""
    k_date = _hmac(("TC3" + secret_key).encode("utf-8"), date)
    k_service = _hmac(k_date, service)
    return _hmac(k_service, "tc3_request")


def signature(key: bytes, to_sign: str) -> str:
    """Hex HMAC-SHA256 of the string to sign under the signing key."""
    return hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def authorization_header(
    secret_id: str, scope: str, signed_headers: Sequence[str], sig: str
) -> str:
    """The `Authorization` header value exactly as the official SDK formats it."""
    names = ";".join(sorted(h.strip().lower() for h in signed_headers))
    return f"{ALGORITHM} Credential={secret_id}/{scope}, SignedHeaders={names}, Signature={sig}"


def sign(
    *,
    secret_id: str,
    secret_key: str,
    service: str,
    timestamp: int,
    method: str,
    headers: Mapping[str, str],
    payload: bytes,
    signed_headers: Sequence[str] = DEFAULT_SIGNED_HEADERS,
    path: str = "/",
    query: str = "",
) -> str:
    """All stages at once: the `Authorization` value for one request.

    When headers carry `X-TC-Content-SHA256: UNSIGNED-PAYLOAD`, that literal is hashed
    instead of the body, as the SDK does."""
    lowered = {k.lower(): v for k, v in headers.items()}
    unsigned = lowered.get("x-tc-content-sha256") == UNSIGNED_PAYLOAD
    payload_hash = sha256_hex(UNSIGNED_PAYLOAD if unsigned else payload)
    canonical = canonical_request(method, path, query, headers, signed_headers, payload_hash)
    scope = credential_scope(timestamp, service)
    key = signing_key(secret_key, utc_date(timestamp), service)
    sig = signature(key, string_to_sign(timestamp, scope, canonical))
    return authorization_header(secret_id, scope, signed_headers, sig)


@dataclass(frozen=True)
class ParsedAuthorization:
    """The parts of an `Authorization` header, as a verifier needs them."""

    secret_id: str
    date: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str

    @property
    def scope(self) -> str:
        """The credential scope the header names: `<date>/<service>/tc3_request`."""
        return f"{self.date}/{self.service}/tc3_request"


def parse_authorization(value: str) -> ParsedAuthorization:
    """Split a TC3 `Authorization` header; ValueError when it is malformed."""
    algorithm, _, rest = value.strip().partition(" ")
    if algorithm != ALGORITHM or not rest:
        raise ValueError("not a TC3-HMAC-SHA256 authorization")
    parts: dict[str, str] = {}
    for item in rest.split(","):
        name, sep, val = item.strip().partition("=")
        if not sep or not val:
            raise ValueError(f"malformed authorization part: {item.strip()!r}")
        parts[name] = val
    try:
        credential = parts["Credential"]
        signed = parts["SignedHeaders"]
        sig = parts["Signature"]
    except KeyError as exc:
        raise ValueError(f"authorization lacks {exc.args[0]}") from None
    fields = credential.split("/")
    if len(fields) != 4 or fields[3] != "tc3_request" or not all(fields):
        raise ValueError("malformed Credential")
    names = tuple(h.strip().lower() for h in signed.split(";") if h.strip())
    if not names:
        raise ValueError("empty SignedHeaders")
    return ParsedAuthorization(fields[0], fields[1], fields[2], names, sig)


class TC3Auth(httpx.Auth):
    """Signs each request with TC3-HMAC-SHA256 over the exact body bytes.

    Sets `X-TC-Timestamp` (and `X-TC-Token` for temporary credentials) and
    `Authorization`; the caller sets `Content-Type`, action, version and the rest.
    `clock` returns seconds since the epoch and is the only source of time."""

    requires_request_body = True

    def __init__(
        self,
        secret_id: str,
        secret_key: str,
        *,
        service: str,
        token: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._secret_id = secret_id
        self._secret_key = secret_key
        self._service = service
        self._token = token
        self._clock = clock

    def __repr__(self) -> str:
        masked = mask_secret_id(self._secret_id)
        return f"TC3Auth(secret_id={masked!r}, service={self._service!r})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Sign `request` in place (timestamp, token, Authorization) and send it once."""
        timestamp = int(self._clock())
        request.headers["X-TC-Timestamp"] = str(timestamp)
        if self._token:
            request.headers["X-TC-Token"] = self._token
        request.headers["Authorization"] = sign(
            secret_id=self._secret_id,
            secret_key=self._secret_key,
            service=self._service,
            timestamp=timestamp,
            method=request.method,
            headers={
                "content-type": request.headers["content-type"],
                "host": request.headers["host"],
            },
            payload=request.content,
            path=request.url.path or "/",
        )
        yield request
