"""`FaceIdClient`: DetectAIFakeFaces over one pooled, keep-alive `httpx.Client`.

    with FaceIdClient(resolve_credentials(), language="en-US") as api:
        detection = api.detect(jpeg_bytes, FaceInputType.IMAGE)
        print(detection.level, detection.trace_types, detection.request_id)

The body is serialised as the official SDK does (`json.dumps` with default separators) and
signed over its exact bytes by `TC3Auth`. Replies are checked strictly (status 200,
`Content-Type: application/json`, a `Response` object) and every failure is one of the
typed errors of `client.errors`. Calls that cannot have been processed are retried with
exponential back-off and jitter.
"""

from __future__ import annotations

import base64
import logging
import random
import re
import socket
import time
import urllib.request
import uuid
from collections.abc import Callable
from typing import Any, Protocol

import httpx

from client.credentials import Credentials
from client.deadline import DeadlineBackend, attempt_deadline
from client.errors import ApiError, ConfigError
from client.models import Detection, FaceInputType, parse_detection
from client.responses import read_envelope, transport_error
from client.signing import TC3Auth, mask_secret_id, parse_authorization
from core.service import ACTION, API_LANGUAGES, SERVICE, VERSION

__all__ = [
    "ACTION",
    "ENDPOINT_INTL",
    "ENDPOINT_MAINLAND",
    "LANGUAGES",
    "REQUEST_CLIENT",
    "SERVICE",
    "VERSION",
    "DetectClient",
    "FaceIdClient",
    "backoff_delay",
    "default_transport",
    "parse_endpoint",
    "request_body",
]

ENDPOINT_MAINLAND = "faceid.tencentcloudapi.com"
ENDPOINT_INTL = "faceid.intl.tencentcloudapi.com"
LANGUAGES = API_LANGUAGES
REQUEST_CLIENT = "antideepfake-studio/0.1.0"

logger = logging.getLogger("client")

_HOST_RE = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$")
_REGION_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


_ENDPOINT_PARTS_RE = re.compile(
    r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)?(?P<user>[^/?#@]*@)?(?P<host>[^/?#]*)(?P<rest>.*)$",
    re.DOTALL,
)
_SHOWN_HOST_RE = re.compile(r"^[A-Za-z0-9.\-\[\]:]*$")


def _shown_endpoint(value: str) -> str:
    """The endpoint as a message may show it: only the scheme and a well-formed host and
    port; a user name, password, path, query or fragment (any can carry a secret) and a
    host that does not parse are replaced by `***`."""
    parts = _ENDPOINT_PARTS_RE.match(value)
    if parts is None:  # pragma: no cover - the pattern matches every string
        return "***"
    host = parts["host"] if _SHOWN_HOST_RE.match(parts["host"]) else "***"
    shown = f"{parts['scheme'] or ''}{'***@' if parts['user'] else ''}{host}"
    rest = parts["rest"]
    return shown + (f"{rest[0]}***" if rest not in ("", "/") else rest)


def parse_endpoint(endpoint: str) -> httpx.URL:
    """The request URL for a host (`faceid.tencentcloudapi.com`, HTTPS) or a full URL
    (`http://127.0.0.1:8765`); ConfigError when it cannot be an API endpoint. Messages
    never repeat a user name, password or query string from the value."""
    value = (endpoint or "").strip()
    if not value:
        raise ConfigError(
            "endpoint is empty: give a host such as faceid.tencentcloudapi.com",
            zh="接入地址为空：请填写域名，例如 faceid.tencentcloudapi.com",
        )
    shown = _shown_endpoint(value)
    with_scheme = value if "://" in value else f"https://{value}"
    try:
        url = httpx.URL(with_scheme)
        port = url.port
    except (httpx.InvalidURL, ValueError):
        raise ConfigError(
            f"endpoint {shown!r} is not a valid host or URL",
            zh=f"接入地址 {shown!r} 不是有效的域名或 URL",
        ) from None
    problem: tuple[str, str] | None = None
    if url.scheme not in ("http", "https"):
        problem = ("must start with http:// or https://", "必须以 http:// 或 https:// 开头")
    elif not url.host or not _HOST_RE.match(url.raw_host.decode("ascii", "replace")):
        problem = ("has no valid host name", "没有有效的域名")
    elif url.userinfo:
        problem = ("must not contain a user name or password", "不能包含用户名或密码")
    elif url.path not in ("", "/") or url.query or url.fragment:
        problem = (
            "must not have a path, query or fragment (the API lives at /)",
            "不能带路径、查询参数或片段（接口位于 /）",
        )
    elif port is not None and not 0 < port < 65536:
        problem = ("has an invalid port", "端口无效")
    if problem:
        en, zh = problem
        raise ConfigError(f"endpoint {shown!r} {en}", zh=f"接入地址 {shown!r} {zh}")
    return url.copy_with(path="/")


_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def default_transport(url: httpx.URL) -> httpx.HTTPTransport:
    """The keep-alive HTTP/1.1 transport for one endpoint.

    TCP_NODELAY: httpx writes headers and body separately, and Nagle's algorithm would
    hold the body's last segment back until the headers are acknowledged. The proxy is the
    one the environment names for this endpoint (`HTTPS_PROXY`/`HTTP_PROXY`, minus
    `NO_PROXY`), never for loopback. Idle connections are dropped after 4 s, before common
    servers' 5 s keep-alive ends. Every network operation is bounded by the attempt's
    deadline (`client.deadline`), so a trickled reply cannot outlast the timeout."""
    proxy = None
    if url.host not in _LOOPBACK and not urllib.request.proxy_bypass(url.host):
        proxy = urllib.request.getproxies().get(url.scheme)
    transport = httpx.HTTPTransport(
        proxy=proxy,
        socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)],
        limits=httpx.Limits(max_connections=10, max_keepalive_connections=4, keepalive_expiry=4.0),
    )
    # httpx has no public hook for httpcore's network backend; its pool (plain or proxy)
    # keeps it here. tests/client/test_deadline.py fails if this ever stops working.
    pool = transport._pool
    pool._network_backend = DeadlineBackend(pool._network_backend)
    return transport


def backoff_delay(retry: int, *, base: float = 0.5, cap: float = 4.0) -> float:
    """Seconds to wait before retry number `retry` (1, 2, ...): exponential, capped, with
    "equal jitter" (half fixed, half random) so parallel callers spread out."""
    ceiling = min(cap, base * 2 ** (retry - 1))
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def request_body(data: bytes, input_type: int) -> bytes:
    """The body for `data`, byte for byte what the SDK's `json.dumps(params)` makes of
    `{"FaceInput": <base64 of data>, "FaceInputType": input_type}`.

    Base64 text never needs JSON escaping, so it is spliced in as bytes: the same output
    (the SDK comparison tests check it) without `json.dumps` scanning megabytes of text."""
    return b'{"FaceInput": "%s", "FaceInputType": %d}' % (base64.b64encode(data), int(input_type))


def _redact_authorization(value: str) -> str:
    """The Authorization header with the signature hidden and the SecretId masked."""
    try:
        parsed = parse_authorization(value)
    except ValueError:
        return "<redacted>"
    return (
        f"TC3-HMAC-SHA256 Credential={mask_secret_id(parsed.secret_id)}/{parsed.scope}, "
        f"SignedHeaders={';'.join(parsed.signed_headers)}, Signature=<redacted>"
    )


def _request_preview(request: httpx.Request, input_type: int) -> dict[str, Any]:
    """What was sent, safe to show: Authorization and token redacted, FaceInput elided."""
    headers: dict[str, str] = {}
    for name, value in request.headers.items():
        lowered = name.lower()
        if lowered == "authorization":
            value = _redact_authorization(value)
        elif lowered == "x-tc-token":
            value = "<redacted>"
        headers[name] = value
    chars = len(request.content) - len(request_body(b"", input_type))
    body = {"FaceInput": f"<base64, {chars} chars>", "FaceInputType": input_type}
    return {"url": str(request.url), "headers": headers, "body": body}


class DetectClient(Protocol):
    """What a caller needs of a client: `FaceIdClient`, or a wrapper such as the page's
    budgeted client. `max_retries` is settable (a runner pacing its own retries sets 0)."""

    max_retries: int

    def detect(self, data: bytes, input_type: int) -> Detection:
        """Send one image or video; the detection, or an `ApiError`."""
        ...

    def close(self) -> None:
        """Release the connections."""
        ...


class FaceIdClient:
    """A signed DetectAIFakeFaces client. One instance keeps one keep-alive connection
    pool; use it as a context manager or call `close()`.

    `sleep` and `clock` are injectable for tests; `clock` is the signer's only time source."""

    def __init__(
        self,
        credentials: Credentials,
        *,
        endpoint: str = ENDPOINT_MAINLAND,
        region: str | None = None,
        language: str = "zh-CN",
        timeout: float = 60.0,
        max_retries: int = 2,
        clock: Callable[[], float] = time.time,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not isinstance(credentials, Credentials):
            raise ConfigError("credentials must be a client.Credentials (see resolve_credentials)")
        if language not in LANGUAGES:
            raise ConfigError(f"language {language!r} is not one of {', '.join(LANGUAGES)}")
        region = (region or "").strip() or None
        if region is not None and not _REGION_RE.match(region):
            raise ConfigError(
                f"region {region!r} is not a region name such as ap-guangzhou",
                zh=f"地域 {region!r} 不是有效的地域名，例如 ap-guangzhou",
            )
        if not (isinstance(timeout, int | float) and timeout > 0):
            raise ConfigError("timeout must be a positive number of seconds")
        if not (isinstance(max_retries, int) and max_retries >= 0):
            raise ConfigError("max_retries must be 0 or more")
        self.url = parse_endpoint(endpoint)
        self.region = region
        self.language = language
        self.max_retries = max_retries
        self.timeout = float(timeout)
        self.credentials_source = credentials.source
        self._sleep = sleep
        self._auth = TC3Auth(
            credentials.secret_id,
            credentials.secret_key,
            service=SERVICE,
            token=credentials.token,
            clock=clock,
        )
        self._http = httpx.Client(
            transport=transport or default_transport(self.url),
            timeout=httpx.Timeout(timeout),
            auth=self._auth,
        )

    def __repr__(self) -> str:
        return (
            f"FaceIdClient(endpoint={str(self.url)!r}, region={self.region!r}, "
            f"language={self.language!r}, credentials={self.credentials_source!r})"
        )

    def __enter__(self) -> FaceIdClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def _headers(self, trace_id: str) -> dict[str, str]:
        """The unsigned API headers; `TC3Auth` adds timestamp, token and Authorization."""
        headers = {
            "Content-Type": "application/json",
            "X-TC-Action": ACTION,
            "X-TC-Version": VERSION,
            "X-TC-Language": self.language,
            "X-TC-RequestClient": REQUEST_CLIENT,
            "X-TC-TraceId": trace_id,
        }
        if self.region:
            headers["X-TC-Region"] = self.region
        return headers

    def detect(self, data: bytes, input_type: int) -> Detection:
        """Send one picture (`input_type` 1) or video (2) and return the verdict.

        Raises ServiceError for the API's error envelope, TransportError when no API answer
        came, ValueError for empty data or an input type other than 1 or 2."""
        if not data:
            raise ValueError("nothing to send: the media is empty")
        try:
            kind = FaceInputType(input_type)
        except ValueError:
            raise ValueError(
                f"input_type must be 1 (image) or 2 (video), not {input_type!r}"
            ) from None
        content = request_body(data, kind)
        trace_id = str(uuid.uuid4())
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._attempt(content, int(kind), trace_id, attempt)
            except ApiError as exc:
                exc.attempts = attempt
                if not exc.retryable or attempt > self.max_retries:
                    logger.debug("%s failed for good: %s, trace %s", ACTION, exc, trace_id)
                    raise
                delay = backoff_delay(attempt)
                logger.warning(
                    "%s failed (%s), retry %d of %d in %.2f s, trace %s",
                    ACTION,
                    exc.code,
                    attempt,
                    self.max_retries,
                    delay,
                    trace_id,
                )
                self._sleep(delay)

    def _attempt(self, content: bytes, input_type: int, trace_id: str, attempt: int) -> Detection:
        """One signed POST and its parsed answer, all of it (connect, send, wait, read the
        whole body) within `timeout` seconds."""
        request = self._http.build_request(
            "POST", self.url, content=content, headers=self._headers(trace_id)
        )
        logger.debug(
            "POST %s %s attempt %d, %d bytes, trace %s",
            self.url,
            ACTION,
            attempt,
            len(content),
            trace_id,
        )
        started = time.perf_counter()
        try:
            with attempt_deadline(self.timeout):
                response = self._http.send(request)
        except httpx.HTTPError as exc:
            error = transport_error(exc, str(self.url))
            error.request_preview = _request_preview(request, input_type)
            raise error from None
        latency_ms = (time.perf_counter() - started) * 1000
        try:
            envelope = read_envelope(response)
        except ApiError as error:
            error.request_preview = _request_preview(response.request, input_type)
            raise
        request_id = envelope["Response"].get("RequestId")
        logger.debug(
            "answer %d in %.1f ms, RequestId %s, trace %s",
            response.status_code,
            latency_ms,
            request_id,
            trace_id,
        )
        return parse_detection(
            envelope,
            latency_ms=latency_ms,
            attempts=attempt,
            request_preview=_request_preview(response.request, input_type),
        )
