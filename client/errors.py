"""The client's errors: settings that cannot work, and calls that failed.

    ConfigError                   bad settings: credentials, endpoint, region, language
                                  (nothing was sent; a `core.text.MessageError`, in zh and en)
    ApiError                      a call that failed
     ├── TransportError           the call did not produce an API answer
     │    ├── ConnectionFailed    could not connect; the request was never sent (retried)
     │    ├── RequestTimeout      no complete answer in time (retried only before sending)
     │    └── InvalidResponse     a reply that is not the API's JSON envelope:
     │                            wrong HTTP status, HTML from a proxy, not JSON, no Response
     └── ServiceError            the API answered {"Response": {"Error": {...}}}

`ConfigError` is not an `ApiError`: a handler that wants both names both
(`except (ConfigError, ApiError)`), and its order does not matter.
Every error has a `code` (Tencent's error code for `ServiceError`, a `Client.*` code
for the others) that `client.guidance.guidance(code, lang)` explains to users, a
one-line `str()`, the `request_id` where the server sent one, `attempts` (tries made,
retries included), and `retryable`: whether
the client itself may send the same request again (only when the service cannot have
processed, and so billed, the first one). Messages never carry credentials.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.text import Message, MessageError

__all__ = [
    "RETRYABLE_CODES",
    "ApiError",
    "ConfigError",
    "ConnectionFailed",
    "InvalidResponse",
    "RequestTimeout",
    "ServiceError",
    "TransportError",
    "is_retryable_code",
]

# Service error codes the client retries by itself: the request was not processed.
RETRYABLE_CODES: frozenset[str] = frozenset(
    {
        "RequestLimitExceeded",
        "FailedOperation.DetectEngineSystemError",
        "InternalError",
    }
)


def is_retryable_code(code: str) -> bool:
    """True for codes retried automatically (`RequestLimitExceeded` and its sub-codes too)."""
    return code in RETRYABLE_CODES or code.startswith("RequestLimitExceeded.")


class ApiError(Exception):
    """Base of the errors of a call (transport or service); see also `ConfigError`."""

    code: str = "Client.Error"

    def __init__(self, message: str, *, request_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request_id = request_id
        self.attempts = 1  # set by FaceIdClient.detect: tries made, retries included
        # What the last attempt sent, safe to show (as `Detection.request_preview`); set by
        # FaceIdClient when a request was built, None when the call failed before that.
        self.request_preview: Mapping[str, Any] | None = None

    @property
    def retryable(self) -> bool:
        """Whether the client may send the same request again by itself."""
        return False

    @property
    def detail(self) -> str:
        """The one-line message with the RequestId (if any), without the code."""
        if self.request_id:
            return f"{self.message} (RequestId {self.request_id})"
        return self.message

    def __str__(self) -> str:
        return self.detail


class ConfigError(MessageError):
    """Settings that cannot work: missing or malformed credentials, endpoint, region, language.

    Raised before anything is sent, so it is not an `ApiError`. `str()` is English;
    `text("zh")` is the Chinese message (English when none was given). Like an `ApiError`
    it has `message`, `request_id` (None), `attempts`, `retryable` (False) and `detail`."""

    code = "Client.ConfigError"
    request_id: str | None = None
    retryable = False

    def __init__(self, message: str, *, zh: str | None = None) -> None:
        super().__init__(Message(self.code, message, zh or message))
        self.message = message
        self.attempts = 0

    @property
    def detail(self) -> str:
        """The one-line message (a setting has no RequestId)."""
        return self.message


class TransportError(ApiError):
    """The call did not produce an API answer (network, timeout, or a non-API reply)."""

    code = "Client.TransportError"


class ConnectionFailed(TransportError):
    """Could not connect (DNS, refused, TLS, connect timeout): nothing reached the API."""

    code = "Client.ConnectionFailed"

    @property
    def retryable(self) -> bool:
        """Always: nothing reached the API, so sending again cannot bill twice."""
        return True


class RequestTimeout(TransportError):
    """No complete answer in time. `sent` says whether the request may have reached the API."""

    code = "Client.Timeout"

    def __init__(self, message: str, *, sent: bool, request_id: str | None = None) -> None:
        super().__init__(message, request_id=request_id)
        self.sent = sent

    @property
    def retryable(self) -> bool:
        """Only when the request was never sent (it may have been processed otherwise)."""
        return not self.sent


class InvalidResponse(TransportError):
    """A reply that is not the API's JSON envelope (status, content type, body)."""

    code = "Client.InvalidResponse"

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        content_type: str | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message, request_id=request_id)
        self.status_code = status_code
        self.content_type = content_type


class ServiceError(ApiError):
    """The API's own error envelope: `{"Response": {"Error": {"Code", "Message"}, "RequestId"}}`."""

    def __init__(
        self,
        code: str,
        message: str,
        request_id: str | None = None,
        raw: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message, request_id=request_id)
        self.code = code
        self.raw: Mapping[str, Any] = raw if raw is not None else {}

    def __str__(self) -> str:
        return f"{self.code}: {self.detail}"

    @property
    def retryable(self) -> bool:
        """For codes the service uses when it did not process the request."""
        return is_retryable_code(self.code)
