"""The Starlette application: the API endpoint `/` plus `/__sandbox/*` for tests.

The endpoint reads the body with a size cap (never buffering more than 10 MB), rolls
transport faults and latency, runs the action in a worker thread so concurrent
clients are served, and answers with the JSON envelope (or a slow body).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from sandbox.connections import MAX_HEADER_BYTES, MAX_HEADERS
from sandbox.envelope import Rejection, new_request_id
from sandbox.faults import BAD_GATEWAY_HTML, FaultDice
from sandbox.messages import language_of
from sandbox.service import Call, DetectService, Reply
from sandbox.stats import Stats
from sandbox.trace import TraceIdMiddleware
from sandbox.validation import MAX_BODY_BYTES

__all__ = ["build_app"]

_DRAIN_CAP_BYTES = 8 * MAX_BODY_BYTES  # beyond this an oversized body is no longer read
_INCOMPLETE = "ASGI callable returned without completing response."
log = logging.getLogger("sandbox")


class _DropConnection(Response):
    """Sends the status line and headers promising a body, then lets the server close
    the connection: the client sees the connection drop mid-reply."""

    def __init__(self) -> None:
        super().__init__(status_code=200, media_type="application/json")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"content-type", b"application/json"), (b"content-length", b"4096")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})


class _QuietDrops(logging.Filter):
    """Hides uvicorn's complaint about the deliberately incomplete reply of a drop."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != _INCOMPLETE


_QUIET_DROPS = _QuietDrops()


async def _read_body(request: Request) -> bytes | None:
    """The body, or None when it exceeds the limit (the rest is read and discarded)."""
    declared = request.headers.get("content-length", "")
    too_large = declared.isdigit() and int(declared) > MAX_BODY_BYTES
    if too_large and int(declared) > _DRAIN_CAP_BYTES:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            too_large = True
            chunks.clear()
        if size > _DRAIN_CAP_BYTES:
            break
        if not too_large:
            chunks.append(chunk)
    return None if too_large else b"".join(chunks)


def _slow_json(body: dict, total_ms: float, pieces: int = 10) -> StreamingResponse:
    """The reply trickled out in `pieces` parts over about `total_ms` milliseconds."""
    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    step = max(1, -(-len(raw) // pieces))

    async def trickle() -> AsyncIterator[bytes]:
        for start in range(0, len(raw), step):
            await asyncio.sleep(total_ms / 1000.0 / pieces)
            yield raw[start : start + step]

    return StreamingResponse(
        trickle(), media_type="application/json", headers={"content-length": str(len(raw))}
    )


def build_app(service: DetectService, dice: FaultDice, stats: Stats) -> Starlette:
    """The sandbox's ASGI application around one service, fault dice and stats."""
    logging.getLogger("uvicorn.error").addFilter(_QUIET_DROPS)

    async def api(request: Request) -> Response:
        """POST / : the DetectAIFakeFaces endpoint."""
        raw_headers = request.headers.raw
        too_long = sum(len(name) + len(value) for name, value in raw_headers) > MAX_HEADER_BYTES
        if len(raw_headers) > MAX_HEADERS or too_long:
            return Response("request headers too large", status_code=431, media_type="text/plain")
        try:
            body = await _read_body(request)
        except ClientDisconnect:  # gone mid-body (or closed for being too slow): nobody to answer
            log.info("sandbox: a client went away before sending its whole request")
            return Response(status_code=400)
        if body is None:
            language = language_of(request.headers.get("x-tc-language"))
            rejection = Rejection(
                "RequestSizeLimitExceeded", limit=f"{MAX_BODY_BYTES // (1024 * 1024)} MB"
            )
            stats.record(rejection.code)
            return JSONResponse(rejection.body(language, new_request_id()))
        fault = dice.transport_fault()
        delay = dice.latency_s()
        if delay:
            await asyncio.sleep(delay)
        if fault == "drop":
            stats.record(None, fault="drop")
            return _DropConnection()
        if fault == "bad_gateway":
            stats.record(None, fault="bad_gateway")
            return HTMLResponse(BAD_GATEWAY_HTML, status_code=502)
        call = Call(
            method=request.method,
            path=request.url.path or "/",
            query=request.url.query,
            headers=dict(request.headers),
            body=body,
        )
        reply: Reply = await run_in_threadpool(service.handle, call)
        slow = dice.slow_body()
        stats.record(
            reply.code,
            input_type=reply.input_type,
            sha256=reply.sha256,
            fault="slow_body" if slow else None,
        )
        if slow:
            return _slow_json(reply.body, dice.faults.slow_body_ms)
        return JSONResponse(reply.body)

    async def stats_endpoint(request: Request) -> JSONResponse:
        """GET /__sandbox/stats : counters since start or the last reset."""
        return JSONResponse(stats.snapshot())

    async def reset_endpoint(request: Request) -> JSONResponse:
        """POST /__sandbox/reset : zero the counters and refill every rate-limit bucket."""
        stats.reset()
        service.limiter.clear()
        return JSONResponse({"ok": True})

    async def health_endpoint(request: Request) -> JSONResponse:
        """GET /__sandbox/health : a trivial reply (readiness probe, baseline)."""
        return JSONResponse({"ok": True})

    return Starlette(
        routes=[
            Route("/", api, methods=["GET", "POST"]),
            Route("/__sandbox/stats", stats_endpoint, methods=["GET"]),
            Route("/__sandbox/reset", reset_endpoint, methods=["POST"]),
            Route("/__sandbox/health", health_endpoint, methods=["GET"]),
        ],
        middleware=[Middleware(TraceIdMiddleware)],
    )
