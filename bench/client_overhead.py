"""Per-call time of our FaceIdClient against the official SDK, same server, same payload.

Both clients call one small threaded HTTP/1.1 server on 127.0.0.1, run in a child process,
that answers every POST with a fixed success envelope (`Content-Type: application/json`;
TCP_NODELAY so its own split header/body writes add no delayed-ACK stall to either side). The payload is ~100 KB
of picture bytes (~133 KB of base64). Calls alternate between the two clients after a
warm-up so both see the same machine state; the figure is the median per-call time.

    python bench/client_overhead.py [--calls 300] [--payload-kb 100]

Last line: JSON {"ours_ms", "sdk_ms", "ratio"} (ratio = ours / sdk; goal <= 0.7).
"""

from __future__ import annotations

import argparse
import base64
import http.server
import json
import multiprocessing
import os
import statistics
import time
from collections.abc import Callable
from multiprocessing.connection import Connection

from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.faceid.v20180301 import faceid_client, models

from client import Credentials, FaceIdClient

SECRET_ID, SECRET_KEY = "AKIDbenchmark0000111122223333", "BenchmarkSecretKey0123456789abcd"
REPLY = json.dumps(
    {
        "Response": {
            "AttackRiskLevel": "Low",
            "AttackRiskDetailList": [],
            "ExtraInfo": {},
            "RequestId": "bench",
        }
    }
).encode()


class _Handler(http.server.BaseHTTPRequestHandler):
    """Reads the body, answers the fixed success envelope, keeps the connection open."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(REPLY)))
        self.end_headers()
        self.wfile.write(REPLY)

    def log_message(self, *args: object) -> None:
        return


def _serve(port_out: Connection) -> None:
    """Child process: serve on a free port, report it, serve until terminated."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    port_out.send(httpd.server_address[1])
    httpd.serve_forever()


def start_server() -> tuple[multiprocessing.Process, str]:
    """The local server in its own process (so it does not share the clients' GIL)."""
    parent, child = multiprocessing.Pipe()
    process = multiprocessing.Process(target=_serve, args=(child,), daemon=True)
    process.start()
    if not parent.poll(10):
        raise SystemExit("benchmark server did not start")
    return process, f"127.0.0.1:{parent.recv()}"


def ours_call(hostport: str, data: bytes) -> tuple[Callable[[], object], Callable[[], None]]:
    """One detect() per call through our client; returns (call, close)."""
    api = FaceIdClient(
        Credentials(SECRET_ID, SECRET_KEY), endpoint=f"http://{hostport}", max_retries=0
    )
    return (lambda: api.detect(data, 1)), api.close


def sdk_call(hostport: str, data: bytes) -> Callable[[], object]:
    """One DetectAIFakeFaces per call through the official SDK (keep-alive on, HTTP); like
    our detect(), each call starts from the raw bytes and base64-encodes them."""
    http_profile = HttpProfile(protocol="http", endpoint=hostport, keepAlive=True)
    client = faceid_client.FaceidClient(
        credential.Credential(SECRET_ID, SECRET_KEY), "", ClientProfile(httpProfile=http_profile)
    )

    def call() -> object:
        request = models.DetectAIFakeFacesRequest()
        request.FaceInput, request.FaceInputType = base64.b64encode(data).decode(), 1
        return client.DetectAIFakeFaces(request)

    return call


def timed(call: Callable[[], object]) -> float:
    """Milliseconds for one call."""
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    """Run both clients alternately and print medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--payload-kb", type=int, default=100)
    args = parser.parse_args()
    data = os.urandom(args.payload_kb * 1024)
    server, hostport = start_server()
    ours, close_ours = ours_call(hostport, data)
    sdk = sdk_call(hostport, data)
    for _ in range(20):  # warm-up: connections, imports, caches
        ours(), sdk()
    ours_ms: list[float] = []
    sdk_ms: list[float] = []
    for _ in range(args.calls):
        ours_ms.append(timed(ours))
        sdk_ms.append(timed(sdk))
    close_ours()
    server.terminate()
    server.join(5)
    ours_median, sdk_median = statistics.median(ours_ms), statistics.median(sdk_ms)
    ratio = ours_median / sdk_median
    print(
        f"payload {args.payload_kb} KB ({len(base64.b64encode(data)) // 1024} KB base64), {args.calls} calls each"
    )
    print(
        f"ours (httpx, FaceIdClient): median {ours_median:.3f} ms, p90 {statistics.quantiles(ours_ms, n=10)[-1]:.3f} ms"
    )
    print(
        f"official SDK (requests):    median {sdk_median:.3f} ms, p90 {statistics.quantiles(sdk_ms, n=10)[-1]:.3f} ms"
    )
    print(f"ratio ours/sdk: {ratio:.3f} (goal <= 0.7)")
    print(
        json.dumps(
            {
                "ours_ms": round(ours_median, 3),
                "sdk_ms": round(sdk_median, 3),
                "ratio": round(ratio, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
