"""`X-TC-TraceId` on every answer, as the service sends it (Tencent's Node.js SDK puts it
into its errors): the caller's own trace id when it sent a sane one, else a new uuid4."""

from __future__ import annotations

import re
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["TRACE_HEADER", "TraceIdMiddleware", "trace_id_for"]

TRACE_HEADER = b"x-tc-traceid"
_SANE = re.compile(rb"[A-Za-z0-9._:-]{1,64}")


def trace_id_for(sent: bytes | None) -> bytes:
    """The trace id to answer with: the one the caller sent when it is a short token of
    letters, digits and `._:-`, else a fresh uuid4."""
    if sent is not None and _SANE.fullmatch(sent.strip()):
        return sent.strip()
    return str(uuid.uuid4()).encode("ascii")


class TraceIdMiddleware:
    """Pure ASGI middleware adding `X-TC-TraceId` to each HTTP response's headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent = next((value for name, value in scope["headers"] if name == TRACE_HEADER), None)
        trace_id = trace_id_for(sent)

        async def send_with_trace(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(n, v) for n, v in message.get("headers", []) if n != TRACE_HEADER]
                message = {**message, "headers": [*headers, (TRACE_HEADER, trace_id)]}
            await send(message)

        await self.app(scope, receive, send_with_trace)
