"""A local HTTP server that records every request it gets: a fake API endpoint, or the
proxy the app's environment points at (it then sees a CONNECT for any HTTPS call)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["Recorded", "RecordingServer"]


@dataclass
class Recorded:
    """One request: method, path, headers and body."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes = field(repr=False)


class RecordingServer:
    """`with RecordingServer(answer) as server:` -> `server.url`, `server.requests`.

    `answer` is the JSON sent back to every POST (a `DetectAIFakeFaces` envelope), or a
    (content type, body) pair for a server that is not the API;
    with `hang` set, a POST is recorded and never answered (a service that hangs)."""

    def __init__(self, answer: dict[str, Any] | tuple[str, bytes] | None = None) -> None:
        self.answer = answer or {"Response": {"AttackRiskLevel": "Low", "RequestId": "fake-1"}}
        self.requests: list[Recorded] = []
        self.hang = False  # True: POSTs get no answer until the server stops
        self._released = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self) -> bytes:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                outer.requests.append(
                    Recorded(self.command, self.path, dict(self.headers.items()), body)
                )
                return body

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                self._record()
                if outer.hang:
                    outer._released.wait()
                    return
                if isinstance(outer.answer, tuple):  # (content type, body): not an API answer
                    kind, data = outer.answer
                else:
                    kind, data = "application/json", json.dumps(outer.answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                self._record()
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_CONNECT(self) -> None:  # noqa: N802 - a proxied HTTPS call
                self._record()
                self.send_response(502)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """`http://127.0.0.1:<port>`."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> RecordingServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._released.set()
        self._server.shutdown()
        self._server.server_close()
