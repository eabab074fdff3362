"""Turning what came back (or did not) into an API envelope or one typed error.

`read_envelope` accepts only what the official SDK accepts as an answer: HTTP 200,
`Content-Type: application/json` (parameters such as charset allowed), a JSON object with
a `Response` object. Anything else is an `InvalidResponse` with a one-line reason and the
RequestId when the body had one; the API's error envelope becomes a `ServiceError`.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import httpx

from client.errors import (
    ConnectionFailed,
    InvalidResponse,
    RequestTimeout,
    ServiceError,
    TransportError,
)

__all__ = ["read_envelope", "transport_error"]

_TITLE_RE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_SNIPPET_CHARS = 80


def _one_line(text: str, limit: int = _SNIPPET_CHARS) -> str:
    """Whitespace collapsed to single spaces, cut to `limit` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _looks_like_html(content: bytes) -> bool:
    """True for an HTML page, as proxies and gateways send."""
    head = content[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in head


def _describe_body(content: bytes) -> str:
    """A short, safe description of a body that is not the API's JSON."""
    if not content:
        return "an empty body"
    if _looks_like_html(content):
        match = _TITLE_RE.search(content[:4096])
        title = _one_line(html.unescape(match.group(1).decode("utf-8", "replace"))) if match else ""
        page = f'an HTML page "{title}"' if title else "an HTML page"
        return f"{page} (probably from a proxy or gateway, not the API)"
    return f'"{_one_line(content[:400].decode("utf-8", "replace"))}"'


def _json_of(content: bytes) -> Any:
    """The parsed body, or None when it is not JSON."""
    try:
        return json.loads(content)
    except (ValueError, UnicodeDecodeError):
        return None


def _request_id_of(data: Any) -> str | None:
    """`Response.RequestId` when the body has one."""
    if isinstance(data, dict) and isinstance(data.get("Response"), dict):
        request_id = data["Response"].get("RequestId")
        return str(request_id) if request_id else None
    return None


def read_envelope(response: httpx.Response) -> dict[str, Any]:
    """The `{"Response": {...}}` success envelope; ServiceError or InvalidResponse otherwise."""
    content = response.content
    content_type = response.headers.get("content-type", "")
    media_type = content_type.split(";", 1)[0].strip().lower()
    data: Any = (
        _json_of(content) if media_type == "application/json" or content[:1] == b"{" else None
    )
    request_id = _request_id_of(data)
    status = response.status_code
    if status != 200:
        reason = response.reason_phrase or "error"
        error = (
            data["Response"].get("Error")
            if request_id and isinstance(data["Response"].get("Error"), dict)
            else None
        )
        detail = (
            f"{error.get('Code')}: {_one_line(str(error.get('Message', '')))}"
            if error
            else _describe_body(content)
        )
        raise InvalidResponse(
            f"HTTP {status} {reason} instead of 200, with {detail}",
            status_code=status,
            content_type=content_type,
            request_id=request_id,
        )
    if media_type != "application/json":
        shown = media_type or "no Content-Type"
        raise InvalidResponse(
            f"reply is {shown}, not application/json: {_describe_body(content)}",
            status_code=status,
            content_type=content_type,
            request_id=request_id,
        )
    if data is None:
        raise InvalidResponse(
            f"reply is not valid JSON: {_describe_body(content)}",
            status_code=status,
            content_type=content_type,
        )
    if not isinstance(data, dict) or not isinstance(data.get("Response"), dict):
        raise InvalidResponse(
            "JSON reply has no Response object", status_code=status, content_type=content_type
        )
    error = data["Response"].get("Error")
    if error is not None:
        if not isinstance(error, dict) or not error.get("Code"):
            raise InvalidResponse(
                "error reply without an error code", status_code=status, request_id=request_id
            )
        message = _one_line(str(error.get("Message") or ""), limit=300)
        raise ServiceError(str(error["Code"]), message, request_id, data)
    return data


def transport_error(exc: httpx.HTTPError, url: str) -> TransportError:
    """The typed error for an httpx failure; only failures before sending are retryable."""
    name = type(exc).__name__
    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
        return RequestTimeout(f"could not connect to {url} in time ({name})", sent=False)
    if isinstance(exc, httpx.TimeoutException):
        return RequestTimeout(f"no answer from {url} in time ({name})", sent=True)
    if isinstance(exc, httpx.ConnectError):
        return ConnectionFailed(f"cannot connect to {url}: {_one_line(str(exc)) or name}")
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.ProxyError):
        return ConnectionFailed(f"cannot reach {url}: {_one_line(str(exc)) or name}")
    return TransportError(
        f"connection to {url} failed after sending ({name}): {_one_line(str(exc))}"
    )
