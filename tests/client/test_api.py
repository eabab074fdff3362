"""FaceIdClient against httpx.MockTransport handlers and a real local server."""

from __future__ import annotations

import base64
import json
import logging
import uuid

import httpx
import pytest

from client import (
    ConfigError,
    ConnectionFailed,
    Credentials,
    FaceIdClient,
    InvalidResponse,
    RequestTimeout,
    RiskLevel,
    ServiceError,
    TransportError,
    parse_endpoint,
    signing,
)
from client.api import request_body
from tests.contract_codes import CONTRACT_CODES

SECRET_KEY = "TopSecretKeyValue0123456789abcdef"
TOKEN = "TemporaryTokenValue987654321"
CREDS = Credentials("AKIDtestSecretId000011112222", SECRET_KEY)
PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4

RETRIED = {
    "RequestLimitExceeded",
    "RequestLimitExceeded.UinLimitExceeded",
    "RequestLimitExceeded.IPLimitExceeded",
    "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
    "FailedOperation.DetectEngineSystemError",
    "InternalError",
}

SUCCESS = {
    "Response": {
        "AttackRiskLevel": "High",
        "AttackRiskDetailList": [
            {"Type": "SuspectedSynthesisImage"},
            {"Type": "SuspecteeAnomalyAttack"},
        ],
        "ExtraInfo": {
            "RetrievalLivenessExtraInfo": [
                {"HitGroup": "Common", "SimilarityScore": 0.4, "HitTemplate": "t1"}
            ]
        },
        "RequestId": "req-success-1",
    }
}


def error_body(code: str, request_id: str = "req-err-1") -> dict:
    """The API's error envelope."""
    return {
        "Response": {
            "Error": {"Code": code, "Message": f"message for {code}"},
            "RequestId": request_id,
        }
    }


class Script:
    """A MockTransport handler that plays replies in order and records requests."""

    def __init__(self, *replies):
        self.replies = list(replies)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        if isinstance(reply, Exception):
            raise reply
        return reply


def make_client(script: Script, sleeps: list[float] | None = None, **kwargs) -> FaceIdClient:
    """A client on the scripted transport, recording back-off sleeps."""
    sleeps = [] if sleeps is None else sleeps
    return FaceIdClient(
        kwargs.pop("credentials", CREDS),
        transport=httpx.MockTransport(script),
        sleep=sleeps.append,
        clock=lambda: 1700000000,
        **kwargs,
    )


def test_success_returns_frozen_detection_with_everything():
    script = Script(httpx.Response(200, json=SUCCESS))
    with make_client(script, language="en-US", region="ap-guangzhou") as api:
        det = api.detect(PHOTO, 1)
    assert det.level is RiskLevel.HIGH and det.level_raw == "High"
    assert [(t.type, t.known) for t in det.traces] == [
        ("SuspectedSynthesisImage", True),
        ("SuspecteeAnomalyAttack", False),
    ]
    assert det.extra["RetrievalLivenessExtraInfo"][0]["SimilarityScore"] == 0.4
    assert det.request_id == "req-success-1"
    assert det.raw == SUCCESS and det.response == SUCCESS["Response"]
    assert det.attempts == 1 and det.latency_ms >= 0
    with pytest.raises(AttributeError):
        det.level = RiskLevel.LOW  # frozen
    sent = script.requests[0]
    assert sent.url == "https://faceid.tencentcloudapi.com/"
    assert (
        sent.headers["X-TC-Action"] == "DetectAIFakeFaces"
        and sent.headers["X-TC-Version"] == "2018-03-01"
    )
    assert (
        sent.headers["X-TC-Language"] == "en-US" and sent.headers["X-TC-Region"] == "ap-guangzhou"
    )
    assert sent.headers["Content-Type"] == "application/json"
    assert uuid.UUID(sent.headers["X-TC-TraceId"]).version == 4
    assert sent.headers["X-TC-RequestClient"]


def test_request_preview_redacts_secrets_and_elides_face_input():
    script = Script(httpx.Response(200, json=SUCCESS))
    with make_client(
        script, credentials=Credentials("AKIDtestSecretId000011112222", SECRET_KEY, TOKEN)
    ) as api:
        det = api.detect(PHOTO, 1)
    preview = det.request_preview
    sent = script.requests[0]
    face_input = json.loads(sent.content)["FaceInput"]
    assert preview["body"] == {
        "FaceInput": f"<base64, {len(face_input)} chars>",
        "FaceInputType": 1,
    }
    assert preview["url"] == "https://faceid.tencentcloudapi.com/"
    text = json.dumps(preview, ensure_ascii=False)
    signature = sent.headers["Authorization"].rsplit("Signature=", 1)[1]
    for secret in (SECRET_KEY, TOKEN, signature, face_input[:40], "AKIDtestSecretId000011112222"):
        assert secret not in text
    assert preview["headers"]["x-tc-token"] == "<redacted>"
    assert preview["headers"]["authorization"].endswith("Signature=<redacted>")
    assert preview["headers"]["x-tc-action"] == "DetectAIFakeFaces"


def test_each_call_gets_a_new_trace_id_and_fresh_signature():
    script = Script(httpx.Response(200, json=SUCCESS))
    with make_client(script) as api:
        api.detect(PHOTO, 1)
        api.detect(PHOTO, 2)
    first, second = script.requests
    assert first.headers["X-TC-TraceId"] != second.headers["X-TC-TraceId"]
    assert json.loads(second.content)["FaceInputType"] == 2


@pytest.mark.parametrize("code", CONTRACT_CODES)
def test_every_error_envelope_becomes_service_error(code):
    script = Script(httpx.Response(200, json=error_body(code)))
    sleeps: list[float] = []
    with make_client(script, sleeps) as api, pytest.raises(ServiceError) as caught:
        api.detect(PHOTO, 1)
    err = caught.value
    assert (err.code, err.message, err.request_id) == (code, f"message for {code}", "req-err-1")
    assert err.raw == error_body(code)
    assert str(err) == f"{code}: message for {code} (RequestId req-err-1)"
    assert err.retryable == (code in RETRIED)
    expected_attempts = 3 if code in RETRIED else 1  # max_retries=2 by default
    assert len(script.requests) == expected_attempts == err.attempts
    assert len(sleeps) == expected_attempts - 1


def test_retry_then_success_counts_attempts_and_keeps_trace_id():
    script = Script(
        httpx.Response(200, json=error_body("RequestLimitExceeded")),
        httpx.Response(200, json=error_body("FailedOperation.DetectEngineSystemError")),
        httpx.Response(200, json=SUCCESS),
    )
    sleeps: list[float] = []
    with make_client(script, sleeps) as api:
        det = api.detect(PHOTO, 1)
    assert det.attempts == 3
    assert len({r.headers["X-TC-TraceId"] for r in script.requests}) == 1
    # exponential back-off with jitter: retry n waits between half and all of 0.5 * 2**(n-1)
    assert 0.25 <= sleeps[0] <= 0.5 and 0.5 <= sleeps[1] <= 1.0


def test_retries_can_be_turned_off():
    script = Script(httpx.Response(200, json=error_body("InternalError")))
    with make_client(script, max_retries=0) as api, pytest.raises(ServiceError):
        api.detect(PHOTO, 1)
    assert len(script.requests) == 1


def test_connect_failures_are_retried_then_reported():
    script = Script(httpx.ConnectError("connection refused"))
    sleeps: list[float] = []
    with make_client(script, sleeps) as api, pytest.raises(ConnectionFailed) as caught:
        api.detect(PHOTO, 1)
    assert len(script.requests) == 3 and len(sleeps) == 2 and caught.value.attempts == 3
    assert "cannot connect to https://faceid.tencentcloudapi.com/" in str(caught.value)
    assert caught.value.code == "Client.ConnectionFailed"


def test_connect_error_then_success():
    script = Script(httpx.ConnectError("refused"), httpx.Response(200, json=SUCCESS))
    with make_client(script) as api:
        assert api.detect(PHOTO, 1).attempts == 2


def test_read_timeout_after_sending_is_not_retried():
    script = Script(httpx.ReadTimeout("timed out"))
    with make_client(script) as api, pytest.raises(RequestTimeout) as caught:
        api.detect(PHOTO, 1)
    assert len(script.requests) == 1
    assert caught.value.sent and not caught.value.retryable
    assert "\n" not in str(caught.value)


def test_connect_timeout_is_retried():
    script = Script(httpx.ConnectTimeout("timed out"), httpx.Response(200, json=SUCCESS))
    with make_client(script) as api:
        assert api.detect(PHOTO, 1).attempts == 2


def test_connection_dropped_after_sending_is_not_retried():
    script = Script(httpx.RemoteProtocolError("Server disconnected without sending a response."))
    with make_client(script) as api, pytest.raises(TransportError) as caught:
        api.detect(PHOTO, 1)
    assert len(script.requests) == 1 and not caught.value.retryable


PROXY_PAGE = b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>"


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (
            httpx.Response(502, content=PROXY_PAGE, headers={"Content-Type": "text/html"}),
            'HTTP 502 Bad Gateway instead of 200, with an HTML page "502 Bad Gateway" (probably from a proxy',
        ),
        (
            httpx.Response(200, content=PROXY_PAGE, headers={"Content-Type": "text/html"}),
            'reply is text/html, not application/json: an HTML page "502 Bad Gateway"',
        ),
        (
            httpx.Response(200, content=b"hello\nworld", headers={"Content-Type": "text/plain"}),
            'reply is text/plain, not application/json: "hello world"',
        ),
        (
            httpx.Response(200, content=b'{"Response": {}}'),
            "reply is no Content-Type, not application/json",
        ),
        (
            httpx.Response(200, content=b"{not json", headers={"Content-Type": "application/json"}),
            'reply is not valid JSON: "{not json"',
        ),
        (httpx.Response(200, json={"Error": "x"}), "JSON reply has no Response object"),
        (httpx.Response(200, json=[1, 2]), "JSON reply has no Response object"),
        (
            httpx.Response(
                200, json={"Response": {"Error": {"Message": "no code"}, "RequestId": "r9"}}
            ),
            "error reply without an error code",
        ),
        (httpx.Response(404, content=b""), "HTTP 404 Not Found instead of 200, with an empty body"),
    ],
)
def test_replies_that_are_not_the_api_envelope(reply, expected):
    script = Script(reply)
    with make_client(script) as api, pytest.raises(InvalidResponse) as caught:
        api.detect(PHOTO, 1)
    message = str(caught.value)
    assert expected in message, message
    assert "\n" not in message
    assert len(script.requests) == 1


def test_wrong_status_keeps_request_id_and_code_from_json_body():
    reply = httpx.Response(500, json=error_body("InternalError", "req-500"))
    with make_client(Script(reply)) as api, pytest.raises(InvalidResponse) as caught:
        api.detect(PHOTO, 1)
    assert caught.value.request_id == "req-500" and caught.value.status_code == 500
    assert "InternalError: message for InternalError" in str(caught.value)


def test_json_with_charset_is_accepted():
    reply = httpx.Response(
        200,
        content=json.dumps(SUCCESS).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    with make_client(Script(reply)) as api:
        assert api.detect(PHOTO, 1).request_id == "req-success-1"


def test_unknown_level_is_tolerated():
    body = {"Response": {"AttackRiskLevel": "Critical", "RequestId": "r"}}
    with make_client(Script(httpx.Response(200, json=body))) as api:
        det = api.detect(PHOTO, 1)
    assert det.level is RiskLevel.UNKNOWN and det.level_raw == "Critical" and det.traces == ()


@pytest.mark.parametrize(
    ("endpoint", "url"),
    [
        ("faceid.tencentcloudapi.com", "https://faceid.tencentcloudapi.com/"),
        ("faceid.intl.tencentcloudapi.com", "https://faceid.intl.tencentcloudapi.com/"),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765/"),
        ("  https://localhost:9000/ ", "https://localhost:9000/"),
        ("127.0.0.1:8765", "https://127.0.0.1:8765/"),
    ],
)
def test_endpoint_forms(endpoint, url):
    assert str(parse_endpoint(endpoint)) == url


@pytest.mark.parametrize(
    "endpoint",
    [
        "",
        "   ",
        "ftp://faceid.tencentcloudapi.com",
        "http://",
        "https://host/path",
        "https://host/?q=1",
        "https://user:pw@host",
        "http://host:99999",
        "faceid tencentcloudapi.com",
        "http://exa mple.com",
        "https://-bad-.com",
    ],
)
def test_malformed_endpoints_are_config_errors(endpoint):
    with pytest.raises(ConfigError) as caught:
        FaceIdClient(CREDS, endpoint=endpoint)
    assert "endpoint" in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://AKIDuser:S3cretPassw0rd@faceid.tencentcloudapi.com",
        "http://127.0.0.1:8765/?token=S3cretPassw0rd",
        "https://faceid.tencentcloudapi.com#S3cretPassw0rd",
        "http://u:S3cretPassw0rd@exa mple.com",
    ],
)
def test_endpoint_errors_never_repeat_credentials_in_the_url(endpoint):
    with pytest.raises(ConfigError) as caught:
        FaceIdClient(CREDS, endpoint=endpoint)
    assert "S3cretPassw0rd" not in str(caught.value) and "***" in str(caught.value)


@pytest.mark.parametrize(
    "kwargs",
    [{"language": "fr-FR"}, {"region": "ap guangzhou"}, {"timeout": 0}, {"max_retries": -1}],
)
def test_bad_settings_are_config_errors(kwargs):
    with pytest.raises(ConfigError):
        FaceIdClient(CREDS, **kwargs)


def test_bad_input_is_value_error():
    with make_client(Script(httpx.Response(200, json=SUCCESS))) as api:
        with pytest.raises(ValueError, match="empty"):
            api.detect(b"", 1)
        with pytest.raises(ValueError, match="1 \\(image\\) or 2 \\(video\\)"):
            api.detect(PHOTO, 3)


def test_logs_and_errors_never_carry_secrets(caplog):
    creds = Credentials("AKIDtestSecretId000011112222", SECRET_KEY, TOKEN)
    script = Script(
        httpx.Response(200, json=error_body("RequestLimitExceeded")),
        httpx.Response(200, json=error_body("AuthFailure.SignatureFailure")),
    )
    caplog.set_level(logging.DEBUG)
    with make_client(script, credentials=creds) as api, pytest.raises(ServiceError) as caught:
        api.detect(PHOTO, 1)
    signatures = [r.headers["Authorization"].rsplit("=", 1)[1] for r in script.requests]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "retry 1 of 2" in logged  # the client does log its calls
    visible = [logged, str(caught.value), repr(caught.value), repr(api), repr(creds), str(creds)]
    for text in visible:
        for secret in (SECRET_KEY, TOKEN, *signatures):
            assert secret not in text


def test_one_keep_alive_connection_for_many_calls(recording_server):
    """Against a real local server, consecutive calls reuse one connection (same client port),
    and the server can verify each signature with the stage functions."""
    server = recording_server([(200, "application/json", json.dumps(SUCCESS).encode())])
    with FaceIdClient(CREDS, endpoint=server.url) as api:
        for _ in range(3):
            assert api.detect(PHOTO, 1).level is RiskLevel.HIGH
    assert len({r["client_port"] for r in server.requests}) == 1
    for record in server.requests:
        headers = {k.lower(): v for k, v in record["headers"].items()}
        expected = signing.sign(
            secret_id=CREDS.secret_id,
            secret_key=SECRET_KEY,
            service="faceid",
            timestamp=int(headers["x-tc-timestamp"]),
            method="POST",
            headers={"content-type": headers["content-type"], "host": headers["host"]},
            payload=record["body"],
        )
        assert headers["authorization"] == expected
        assert headers["host"] == server.url.removeprefix("http://")


@pytest.mark.parametrize("size", [0, 1, 2, 3, 57, 4096])
def test_request_body_is_json_dumps_byte_for_byte(size):
    data = bytes(range(256)) * (size // 256) + bytes(range(size % 256))
    face_input = base64.b64encode(data).decode()
    for kind in (1, 2):
        expected = json.dumps({"FaceInput": face_input, "FaceInputType": kind}).encode()
        assert request_body(data, kind) == expected


def test_proxy_from_environment_is_used_and_no_proxy_respected(recording_server, monkeypatch):
    """HTTP_PROXY sends the call through the proxy (here: the recording server);
    NO_PROXY for that host makes it connect directly (and fail: the host does not exist)."""
    proxy = recording_server([(200, "application/json", json.dumps(SUCCESS).encode())])
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with FaceIdClient(CREDS, endpoint="http://faceid.example.invalid", max_retries=0) as api:
        assert api.detect(PHOTO, 1).request_id == "req-success-1"
    (record,) = proxy.requests
    assert record["path"] == "http://faceid.example.invalid/"
    assert record["headers"]["Host"] == "faceid.example.invalid"
    monkeypatch.setenv("NO_PROXY", "faceid.example.invalid")
    with (
        FaceIdClient(CREDS, endpoint="http://faceid.example.invalid", max_retries=0) as api,
        pytest.raises(ConnectionFailed),
    ):
        api.detect(PHOTO, 1)
    assert len(proxy.requests) == 1
