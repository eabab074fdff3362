"""One deadline for a whole attempt: connect, send, wait and read, body included.

httpx's timeouts bound each network operation, so a server trickling its reply a byte a
second never trips a 5 s read timeout. `DeadlineBackend` wraps httpcore's network backend:
every connect, read and write waits at most until the deadline the calling thread set with
`attempt_deadline`, and one that starts after it fails at once with a timeout.

    with attempt_deadline(5.0):
        response = http.send(request)  # raises httpx.ReadTimeout after 5 s in all
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import httpcore

__all__ = ["DeadlineBackend", "attempt_deadline", "remaining"]

_LOCAL = threading.local()


@contextmanager
def attempt_deadline(seconds: float) -> Iterator[None]:
    """Bound every network operation this thread does inside the block to `seconds` in all."""
    previous = getattr(_LOCAL, "deadline", None)
    _LOCAL.deadline = time.monotonic() + seconds
    try:
        yield
    finally:
        _LOCAL.deadline = previous


def remaining(timeout: float | None) -> float | None:
    """`timeout` cut to what is left of this thread's deadline (None: no bound at all)."""
    deadline = getattr(_LOCAL, "deadline", None)
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    return left if timeout is None else min(timeout, left)


def _bounded(timeout: float | None, error: type[Exception]) -> float | None:
    """The timeout for one operation; `error` when the deadline has already passed."""
    left = remaining(timeout)
    if left is not None and left <= 0:
        raise error("the attempt's deadline has passed")
    return left


class _DeadlineStream(httpcore.NetworkStream):
    """A network stream whose reads and writes end by the thread's deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, bounded))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's synchronous backend with every operation bounded by `attempt_deadline`."""

    def __init__(self, backend: httpcore.NetworkBackend | None = None) -> None:
        self._backend = backend or httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        """Connect by TCP within what is left of the deadline; the stream stays bounded."""
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        stream = self._backend.connect_tcp(host, port, bounded, local_address, socket_options)
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        """Connect to a Unix socket within what is left of the deadline."""
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._backend.connect_unix_socket(path, bounded, socket_options))

    def sleep(self, seconds: float) -> None:
        """Sleep as the wrapped backend does."""
        self._backend.sleep(seconds)
