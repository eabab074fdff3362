"""One deadline per attempt: a reply trickled over a long time fails at the timeout, even
though every single read is quick; the retry rules stay as documented."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from client import Credentials, FaceIdClient, RequestTimeout
from client.deadline import attempt_deadline, remaining

CREDS = Credentials("AKIDtestSecretId000011112222", "test-secret-key-0123456789")
TRICKLE_S = 30.0  # how long the server would take to send its whole reply


class TricklingServer:
    """Answers each connection with headers at once, then one body byte every 0.1 s."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stop = threading.Event()
        self.connections = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.listener.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                continue
            self.connections += 1
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        body = json.dumps({"Response": {"AttackRiskLevel": "Low", "RequestId": "r"}}).encode()
        body = body.ljust(int(TRICKLE_S * 10), b" ")
        with conn:
            try:
                conn.recv(65536)
                head = (
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n"
                )
                conn.sendall(head.encode())
                for index in range(len(body)):
                    if self.stop.wait(0.1):
                        return
                    conn.sendall(body[index : index + 1])
            except OSError:
                return

    def close(self) -> None:
        self.stop.set()
        self.listener.close()


@pytest.fixture
def trickling() -> Iterator[TricklingServer]:
    server = TricklingServer()
    yield server
    server.close()


def test_a_trickled_reply_fails_at_the_attempt_timeout(trickling: TricklingServer) -> None:
    started = time.monotonic()
    with (
        FaceIdClient(CREDS, endpoint=f"http://127.0.0.1:{trickling.port}", timeout=1.5) as api,
        pytest.raises(RequestTimeout) as caught,
    ):
        api.detect(b"\xff\xd8\xff picture", 1)
    took = time.monotonic() - started
    # Each read gets a byte within 0.1 s, so only a whole-attempt deadline stops it before
    # the 30 s the reply takes; the documented rule: sent, so not retried.
    assert took < TRICKLE_S / 2
    assert caught.value.sent and not caught.value.retryable and caught.value.attempts == 1
    assert trickling.connections == 1


def test_remaining_is_bounded_only_inside_an_attempt() -> None:
    assert remaining(5.0) == 5.0 and remaining(None) is None
    with attempt_deadline(2.0):
        left = remaining(5.0)
        assert left is not None and 0 < left <= 2.0
        assert remaining(None) is not None
    assert remaining(5.0) == 5.0
