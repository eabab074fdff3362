"""Shared helpers for the client tests: the official SDK as a signing oracle (no network),
a stage-by-stage comparison that names the first diverging stage, and a tiny recording
HTTP server on 127.0.0.1 for end-to-end tests."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest
from tencentcloud.common import abstract_client, credential
from tencentcloud.common.http.request import ApiRequest, RequestInternal
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.common.sign import Sign
from tencentcloud.faceid.v20180301 import faceid_client, models

from client import signing

SUCCESS = {
    "Response": {
        "AttackRiskLevel": "Low",
        "AttackRiskDetailList": [],
        "ExtraInfo": {},
        "RequestId": "sdk-oracle",
    }
}


@dataclass
class SdkCapture:
    """What the SDK would have sent, and the inputs of its final HMAC step."""

    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    string_to_sign: str = ""
    date: str = ""
    service: str = ""


class _FakeHttpResponse:
    """Just enough of a `requests.Response` for the SDK's checks."""

    status_code = 200
    headers = {"Content-Type": "application/json"}
    content = json.dumps(SUCCESS).encode()


def _capturing_sign_tc3(capture: SdkCapture) -> Callable[..., str]:
    """Wraps `Sign.sign_tc3` to record the SDK's string to sign."""
    original = Sign.sign_tc3

    def sign_tc3(secret_key: str, date: str, service: str, str2sign: str) -> str:
        capture.string_to_sign, capture.date, capture.service = str2sign, date, service
        return original(secret_key, date, service, str2sign)

    return sign_tc3


def sdk_detect_request(
    *,
    secret_id: str,
    secret_key: str,
    token: str | None,
    timestamp: int,
    endpoint: str,
    face_input: str,
    face_input_type: int,
    region: str = "",
    language: str = "zh-CN",
) -> SdkCapture:
    """Run the official SDK's `DetectAIFakeFaces` with its clock frozen and its HTTP layer
    replaced by a recorder; returns the headers and body it would have sent."""
    capture = SdkCapture()

    def send_request(self: ApiRequest, req: RequestInternal) -> _FakeHttpResponse:
        capture.headers = dict(req.header)
        capture.body = req.data.encode("utf-8") if isinstance(req.data, str) else req.data
        return _FakeHttpResponse()

    profile = ClientProfile(httpProfile=HttpProfile(endpoint=endpoint), language=language)
    client = faceid_client.FaceidClient(
        credential.Credential(secret_id, secret_key, token), region, profile
    )
    request = models.DetectAIFakeFacesRequest()
    request.FaceInput, request.FaceInputType = face_input, face_input_type
    with (
        mock.patch.object(abstract_client, "time", SimpleNamespace(time=lambda: float(timestamp))),
        mock.patch.object(ApiRequest, "send_request", send_request),
        mock.patch.object(Sign, "sign_tc3", staticmethod(_capturing_sign_tc3(capture))),
    ):
        client.DetectAIFakeFaces(request)
    return capture


def sdk_sign_body(
    *, secret_id: str, secret_key: str, timestamp: int, host: str, content_type: str, body: str
) -> SdkCapture:
    """The SDK's own TC3 stage code (`_get_tc3_signature`) over an arbitrary (non-ASCII) body."""
    capture = SdkCapture(body=body.encode("utf-8"))
    req = RequestInternal(host, "POST", "/", header={"Content-Type": content_type, "Host": host})
    req.header["X-TC-Timestamp"] = str(timestamp)
    req.data = body
    date = signing.utc_date(timestamp)  # checked separately against the SDK's own date below
    sdk_date = abstract_client.datetime.utcfromtimestamp(timestamp).strftime("%Y-%m-%d")
    with mock.patch.object(Sign, "sign_tc3", staticmethod(_capturing_sign_tc3(capture))):
        sig = abstract_client.AbstractClient._get_tc3_signature(
            None, None, req, sdk_date, "faceid", secret_key
        )
    capture.headers = {
        "Authorization": f"TC3-HMAC-SHA256 Credential={secret_id}/{sdk_date}/faceid/tc3_request, "
        f"SignedHeaders=content-type;host, Signature={sig}",
        "Content-Type": content_type,
        "Host": host,
        "X-TC-Timestamp": str(timestamp),
    }
    assert date == sdk_date, f"stage utc_date diverged: ours {date} vs SDK {sdk_date}"
    return capture


def first_divergence(
    capture: SdkCapture,
    *,
    secret_key: str,
    body: bytes,
    headers: dict[str, str],
    authorization: str,
) -> str | None:
    """Which stage of ours differs from the SDK's, or None when the headers are equal.

    Our stages are recomputed from what we sent; the SDK's come from its string to sign
    (canonical-request hash, scope, timestamp) and its final header."""
    timestamp = int(headers["X-TC-Timestamp"])
    _, sdk_ts, sdk_scope, sdk_canonical_hash = capture.string_to_sign.split("\n")
    if body != capture.body:
        return f"request body differs: ours {body[:80]!r}… vs SDK {capture.body[:80]!r}…"
    if str(timestamp) != sdk_ts:
        return f"timestamp differs: ours {timestamp} vs SDK {sdk_ts}"
    scope = signing.credential_scope(timestamp, "faceid")
    if scope != sdk_scope:
        return f"stage credential_scope diverged: ours {scope!r} vs SDK {sdk_scope!r}"
    canonical = signing.canonical_request(
        "POST",
        "/",
        "",
        {"content-type": headers["Content-Type"], "host": headers["Host"]},
        ("content-type", "host"),
        signing.sha256_hex(body),
    )
    if signing.sha256_hex(canonical) != sdk_canonical_hash:
        return f"stage canonical_request diverged: ours\n{canonical}\nhashes to {signing.sha256_hex(canonical)}, SDK's to {sdk_canonical_hash}"
    to_sign = signing.string_to_sign(timestamp, scope, canonical)
    if to_sign != capture.string_to_sign:
        return f"stage string_to_sign diverged: {to_sign!r} vs SDK {capture.string_to_sign!r}"
    key = signing.signing_key(secret_key, signing.utc_date(timestamp), "faceid")
    sig = signing.signature(key, to_sign)
    if not capture.headers["Authorization"].endswith(f"Signature={sig}"):
        return f"stage signing_key/signature diverged: ours {sig}, SDK header {capture.headers['Authorization']}"
    if authorization != capture.headers["Authorization"]:
        return f"stage authorization_header diverged:\nours {authorization}\nSDK  {capture.headers['Authorization']}"
    return None


class RecordingServer:
    """A threaded HTTP/1.1 server on 127.0.0.1 that records each POST and answers from a
    list of canned replies `(status, content_type, body bytes)`, repeating the last one."""

    def __init__(self, replies: list[tuple[int, str, bytes]]) -> None:
        self.replies = list(replies)
        self.requests: list[dict[str, Any]] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                server.requests.append(
                    {
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": body,
                        "client_port": self.client_address[1],
                    }
                )
                status, content_type, reply = (
                    server.replies[0] if len(server.replies) == 1 else server.replies.pop(0)
                )
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args: object) -> None:
                return

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> RecordingServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


@pytest.fixture(scope="session")
def sdk() -> SimpleNamespace:
    """The SDK oracle helpers."""
    return SimpleNamespace(
        detect_request=sdk_detect_request,
        sign_body=sdk_sign_body,
        first_divergence=first_divergence,
    )


@pytest.fixture
def recording_server() -> Iterator[Callable[[list[tuple[int, str, bytes]]], RecordingServer]]:
    """Start a RecordingServer with the given replies; stopped after the test."""
    started: list[RecordingServer] = []

    def start(replies: list[tuple[int, str, bytes]]) -> RecordingServer:
        server = RecordingServer(replies).__enter__()
        started.append(server)
        return server

    yield start
    for server in started:
        server.__exit__()
