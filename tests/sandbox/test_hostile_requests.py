"""The sandbox never grows with what it is sent, and no client can hold a connection.

- 50 distinct failing requests of several kinds (no-face photos, undecodable and
  oversized videos, JSON nested 100,000 deep, a huge action name) add at most 100 MB to
  the resident memory of a `python -m sandbox` process.
- Idle, half-sent-header and slow-body connections are closed after the request timeout.
"""

from __future__ import annotations

import io
import logging
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import numpy as np
import pytest
from PIL import Image

from sandbox import Sandbox
from sandbox.connections import KEEP_ALIVE_S, REQUEST_TIMEOUT_S
from tests.hostile_corpus import (
    build,
    huge_frame_video,
    measure_child,
    sandbox_call_argv,
)

ROOT = str(Path(__file__).resolve().parents[2])
GROWTH_LIMIT_MB = 100
DISTINCT_REQUESTS = 50


def rss_mb(pid: int) -> float:
    """The resident memory of process `pid` now, in MB (Linux)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def faceless_photo(index: int) -> bytes:
    """A distinct 1280x960 JPEG with no face (a gradient tinted by `index`)."""
    y, x = np.mgrid[0:960, 0:1280]
    pixels = np.stack([x % 256, y % 256, np.full_like(x, index * 37 % 256)], axis=-1)
    out = io.BytesIO()
    Image.fromarray(pixels.astype(np.uint8)).save(out, format="JPEG", quality=90)
    return out.getvalue()


def deep_json(index: int) -> bytes:
    return b'{"FaceInput": ' + b"[" * (100_000 + index) + b"]" * (100_000 + index) + b"}"


@pytest.fixture(scope="module")
def huge_frame() -> bytes:
    return huge_frame_video()


def failing_request(
    index: int, body: Callable[..., bytes], huge_frame: bytes
) -> tuple[bytes, dict[str, str], str]:
    """(body, extra headers, expected code) of distinct failing request number `index`."""
    kind = index % 5
    if kind in (0, 1):
        return body(faceless_photo(index), 1), {}, "FailedOperation.IncompleteFace"
    if kind == 2:
        junk = b"\x00\x00\x00\x18ftypmp42" + os.urandom(200_000)
        return body(junk, 2), {}, "FailedOperation.VideoDecodeFailed"
    if kind == 3:
        return (
            body(huge_frame + index.to_bytes(4, "big", signed=True), 2),
            {},
            "FailedOperation.VideoDecodeFailed",
        )
    action = f"Action{index}" + "x" * 8000
    return body(b"\xff\xd8\xff", 1), {"X-TC-Action": action}, "InvalidAction"


def test_distinct_failing_requests_do_not_grow_the_sandbox(
    post: Callable[..., httpx.Response],
    body: Callable[..., bytes],
    code_of: Callable[[httpx.Response], str | None],
    huge_frame: bytes,
) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--port", "0", "--qps", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = re.search(r"http://\S+", process.stdout.readline()).group(0)  # type: ignore[union-attr]
        deep = post(url, deep_json(0))
        assert code_of(deep) == "InvalidParameter"
        for index in range(-5, 0):  # one of each kind first: libraries loaded, pools made
            content, extra, _ = failing_request(index, body, huge_frame)
            post(url, content, extra=extra)
        before = rss_mb(process.pid)
        for index in range(DISTINCT_REQUESTS):
            content, extra, expected = failing_request(index, body, huge_frame)
            reply = post(url, content, extra=extra)
            assert code_of(reply) == expected, reply.text[:300]
            assert len(reply.content) < 2000  # echoed values are cut short
        growth = rss_mb(process.pid) - before
        assert growth <= GROWTH_LIMIT_MB, f"grew {growth:.0f} MB over {DISTINCT_REQUESTS} calls"
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=20)
    assert process.returncode == 0
    assert "Traceback" not in stderr


def test_request_timeout_defaults_close_idle_connections_within_30_s() -> None:
    assert 0 < REQUEST_TIMEOUT_S <= 30 and 0 < KEEP_ALIVE_S <= 30
    assert Sandbox().request_timeout_s == REQUEST_TIMEOUT_S
    with pytest.raises(ValueError):
        Sandbox(request_timeout_s=0)


def closed_within(sock: socket.socket, seconds: float) -> bool:
    """Whether the server closes `sock` within `seconds` (whatever it sends first)."""
    sock.settimeout(seconds)
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            if not sock.recv(65536):
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except TimeoutError:
        return False
    return False


def test_idle_and_slow_connections_are_closed(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    with Sandbox(request_timeout_s=1.0) as sandbox:
        address = ("127.0.0.1", sandbox.port)
        idle = socket.create_connection(address)
        half_header = socket.create_connection(address)
        half_header.sendall(b"POST / HTTP/1.1\r\nHost: sandbox\r\nX-TC-Act")
        slow_body = socket.create_connection(address)
        slow_body.sendall(
            b"POST / HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/json\r\n"
            b'Content-Length: 1000\r\n\r\n{"FaceInput": '
        )
        after_reply = socket.create_connection(address)
        after_reply.sendall(b"GET /__sandbox/health HTTP/1.1\r\nHost: sandbox\r\n\r\n")
        # Far longer than the 1 s timeout (and the 5 s keep-alive), far shorter than never.
        for name, sock in [
            ("idle", idle),
            ("half header", half_header),
            ("slow body", slow_body),
            ("idle after a reply", after_reply),
        ]:
            with sock:
                assert closed_within(sock, 20.0), f"{name} connection still open"
        with httpx.Client() as client:  # the server still answers
            assert client.get(f"{sandbox.url}/__sandbox/health").json() == {"ok": True}
    went_away = [r for r in caplog.records if "went away" in r.getMessage()]
    assert len(went_away) == 1 and went_away[0].levelno == logging.INFO
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    ("name", "input_type", "code"),
    [
        ("rgba_8900x8900.png", 1, "FailedOperation.IncompleteFace"),
        ("grey16_8900x8900.png", 1, "FailedOperation.IncompleteFace"),
        ("frame_16000x16000_16bit.mov", 2, "FailedOperation.VideoDecodeFailed"),
    ],
)
def test_one_hostile_input_costs_the_sandbox_bounded_memory_and_time(
    name: str, input_type: int, code: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("hostile") / name
    path.write_bytes(build(name))
    idle = measure_child(sandbox_call_argv(None, input_type), cwd=ROOT, timeout_s=120)
    run = measure_child(sandbox_call_argv(path, input_type), cwd=ROOT, timeout_s=120)
    assert idle.returncode == 0 and run.returncode == 0, run.stderr
    answer, seconds = run.stdout.split()
    assert answer == code
    assert run.peak_mb - idle.peak_mb <= 600, f"{run.peak_mb:.0f} MB, idle {idle.peak_mb:.0f}"
    assert run.cpu_s <= 15.0, f"{run.cpu_s:.1f} s of CPU (the call took {seconds} s)"


def test_oversized_and_too_many_headers_are_refused() -> None:
    with Sandbox(request_timeout_s=5.0) as sandbox, httpx.Client() as client:
        many = {f"X-Filler-{n}": "x" for n in range(150)}
        assert client.post(f"{sandbox.url}/", headers=many, content=b"{}").status_code == 431
        huge = {"X-TC-Action": "A" * 70_000}
        refused = client.post(f"{sandbox.url}/", headers=huge, content=b"{}").status_code
        assert refused in (400, 431)  # h11's cap on an unfinished head, or the app's
        with socket.create_connection(("127.0.0.1", sandbox.port)) as sock:
            try:  # a head that keeps growing: h11's cap answers 400 and closes
                sock.sendall(b"POST / HTTP/1.1\r\nHost: sandbox\r\n")
                for _ in range(12):
                    sock.sendall(b"X-Filler: " + b"a" * 8000 + b"\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass  # closed while we were still sending: what we wanted
            assert closed_within(sock, 20.0)
        assert client.get(f"{sandbox.url}/__sandbox/health").json() == {"ok": True}
