"""Connection limits of the sandbox's HTTP server, so no client can hold it open.

uvicorn's h11 protocol only closes a connection that stays idle *after* a reply (its
keep-alive timeout). This subclass also bounds the time a client has to deliver a whole
request: from the moment the connection opens (or the previous reply ends) until the
last byte of the body, whether it sends nothing, half a header, or a body one byte at a
time. Headers (request line included) are bounded in bytes by h11's incomplete-event cap
(a head arriving in one piece can pass it: the app then answers 431).
"""

from __future__ import annotations

import asyncio
from typing import cast

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = [
    "KEEP_ALIVE_S",
    "MAX_HEADER_BYTES",
    "MAX_HEADERS",
    "REQUEST_TIMEOUT_S",
    "guarded_protocol",
]

# Seconds a client has to send a whole request (headers and body, idle time included).
REQUEST_TIMEOUT_S = 25.0
# Seconds an idle keep-alive connection stays open after a reply.
KEEP_ALIVE_S = 5
# Request line plus headers, in bytes (room for a 32 KB GET, see sandbox.wire): h11
# answers 400 and closes when a head still incomplete grows beyond this; the app answers
# 431 to complete headers beyond it.
MAX_HEADER_BYTES = 64 * 1024
# Header lines per request (the app answers 431 beyond this).
MAX_HEADERS = 100


class _GuardedH11Protocol(H11Protocol):
    """H11Protocol that closes a connection whose request is not complete in time."""

    request_timeout_s: float = REQUEST_TIMEOUT_S

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._request_timer: asyncio.TimerHandle | None = None
        # A stream server's transports are `asyncio.Transport`s (H11Protocol narrows the
        # type asyncio.Protocol declares).
        super().connection_made(cast(asyncio.Transport, transport))
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def handle_events(self) -> None:
        super().handle_events()
        if self._request_in():
            self._disarm()  # the whole request is in: the app's own time is not limited here

    def on_response_complete(self) -> None:
        super().on_response_complete()  # may already have read a pipelined request
        if not self.transport.is_closing() and not self._request_in():
            self._arm()

    # Whether the client has sent its whole current request.
    def _request_in(self) -> bool:
        return self.conn.their_state in (h11.DONE, h11.MUST_CLOSE, h11.CLOSED)

    # Start (or restart) the clock for the next request.
    def _arm(self) -> None:
        self._disarm()
        self._request_timer = self.loop.call_later(self.request_timeout_s, self._too_slow)

    def _disarm(self) -> None:
        timer = getattr(self, "_request_timer", None)
        if timer is not None:
            timer.cancel()
            self._request_timer = None

    # Close a connection whose request did not arrive in time (the app, if it is waiting
    # for the body, gets a disconnect).
    def _too_slow(self) -> None:
        self._request_timer = None
        if not self.transport.is_closing():
            self.transport.close()


def guarded_protocol(request_timeout_s: float = REQUEST_TIMEOUT_S) -> type[H11Protocol]:
    """The h11 protocol class to give uvicorn (`Config(http=...)`), closing connections
    whose request takes longer than `request_timeout_s` seconds to arrive."""
    if not request_timeout_s > 0:
        raise ValueError(f"request_timeout_s must be more than 0, got {request_timeout_s}")
    return type(
        "GuardedH11Protocol", (_GuardedH11Protocol,), {"request_timeout_s": request_timeout_s}
    )
