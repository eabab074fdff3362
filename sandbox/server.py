"""`Sandbox`: the emulator as an object with a threaded `start()`/`stop()`.

uvicorn serves the Starlette app from a daemon thread on a socket bound here, so
`port=0` picks a free port that `.url` reports before the first request.
"""

from __future__ import annotations

import contextlib
import math
import socket
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn

from sandbox.app import build_app
from sandbox.auth import Account
from sandbox.connections import (
    KEEP_ALIVE_S,
    MAX_HEADER_BYTES,
    REQUEST_TIMEOUT_S,
    guarded_protocol,
)
from sandbox.faults import FaultDice, Faults
from sandbox.ratelimit import RateLimiter
from sandbox.scenario import Scenario, load_scenario
from sandbox.service import DetectService
from sandbox.stats import Stats

__all__ = ["DEMO_SECRET_ID", "DEMO_SECRET_KEY", "Sandbox", "SandboxStartError"]

DEMO_SECRET_ID = "AKIDSandboxDemoEXAMPLE"
DEMO_SECRET_KEY = "SandboxDemoKeyEXAMPLE"
_START_TIMEOUT_S = 10.0
_STOP_TIMEOUT_S = 5.0


class SandboxStartError(RuntimeError):
    """The sandbox could not start (port taken, bad address...)."""


def _check_credential(name: str, value: str | None, *, optional: bool = False) -> None:
    """Refuse empty values and surrounding whitespace, as the SDK does (never echoing it)."""
    if value is None and optional:
        return
    if not value or value != value.strip():
        raise ValueError(f"{name} must be non-empty without surrounding whitespace")


def _bind(host: str, port: int) -> socket.socket:
    """A listening-ready socket bound to host:port (port 0 picks a free one).

    The protocol is named explicitly: asyncio only sets TCP_NODELAY on connections
    accepted from a socket whose proto is IPPROTO_TCP, and without it every reply
    waits ~40 ms for a delayed ACK."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise SandboxStartError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock


class Sandbox:
    """A local DetectAIFakeFaces service. Use as a context manager or start()/stop()."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        secret_id: str = DEMO_SECRET_ID,
        secret_key: str = DEMO_SECRET_KEY,
        token: str | None = None,
        qps: float = 5.0,
        latency_ms: float = 0.0,
        jitter_ms: float = 0.0,
        scenario: str | Path | None = None,
        faults: Faults | None = None,
        request_timeout_s: float = REQUEST_TIMEOUT_S,
    ) -> None:
        """`request_timeout_s`: seconds a client has to send a whole request (from the
        connection opening, or its previous reply, to the body's last byte) before the
        connection is closed; idle keep-alive connections close after 5 s."""
        _check_credential("secret_id", secret_id)
        _check_credential("secret_key", secret_key)
        _check_credential("token", token, optional=True)
        if not 0 <= port <= 65535:
            raise ValueError(f"port must be between 0 and 65535, got {port}")
        if not (math.isfinite(qps) and qps >= 0):
            raise ValueError(f"qps must be 0 (no limit) or more, got {qps}")
        if not (math.isfinite(request_timeout_s) and request_timeout_s > 0):
            raise ValueError(f"request_timeout_s must be more than 0, got {request_timeout_s}")
        self.host = host
        self.secret_id = secret_id
        self.request_timeout_s = request_timeout_s
        self.qps = qps
        self._requested_port = port
        self._port: int | None = None
        self.scenario: Scenario = load_scenario(scenario) if scenario is not None else Scenario()
        self.faults = faults or Faults()
        self._dice = FaultDice(self.faults, latency_ms=latency_ms, jitter_ms=jitter_ms)
        self._stats = Stats()
        self._service = DetectService(
            accounts={secret_id: Account(secret_id, secret_key, token)},
            limiter=RateLimiter(qps),
            scenario=self.scenario,
            dice=self._dice,
        )
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    def __repr__(self) -> str:
        state = self.url if self.running else "stopped"
        return f"Sandbox({state}, secret_id={self.secret_id!r})"

    @property
    def port(self) -> int:
        """The port actually listened on (after start), else the one asked for."""
        return self._port if self._port is not None else self._requested_port

    @property
    def url(self) -> str:
        """`http://host:port` of the running sandbox."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def running(self) -> bool:
        """Whether the server thread is serving."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> Sandbox:
        """Bind, serve from a thread, and return once the server accepts connections."""
        if self.running:
            return self
        sock = _bind(self.host, self._requested_port)
        self._socket = sock
        self._port = sock.getsockname()[1]
        app = build_app(self._service, self._dice, self._stats)
        config = uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=1,
            timeout_keep_alive=KEEP_ALIVE_S,
            http=guarded_protocol(self.request_timeout_s),
            h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        )
        server = uvicorn.Server(config)
        self._server = server
        self._thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name=f"sandbox:{self._port}", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + _START_TIMEOUT_S
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise SandboxStartError(f"the sandbox did not start on {self.url}")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Stop serving and free the port; quick even with clients still connected."""
        server, thread, sock = self._server, self._thread, self._socket
        self._server = self._thread = self._socket = None
        if server is not None:
            server.should_exit = True
        if thread is not None:
            thread.join(_STOP_TIMEOUT_S)
            if thread.is_alive() and server is not None:
                server.force_exit = True
                thread.join(_STOP_TIMEOUT_S)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.close()

    def stats(self) -> dict[str, Any]:
        """The counters `GET /__sandbox/stats` returns."""
        return self._stats.snapshot()

    def reset(self) -> None:
        """Zero the counters and the rate-limit history, as `POST /__sandbox/reset` does."""
        self._stats.reset()
        self._service.limiter.clear()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
