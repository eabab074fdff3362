"""Every way Tencent's Python SDK signs and sends this action reaches the same checks and
the same answers: TC3-HMAC-SHA256 over POST JSON and GET, v1 HmacSHA1 / HmacSHA256 over
POST form and GET. The official SDK is the oracle for the signatures."""

from __future__ import annotations

import base64
import hashlib
import logging
import time
import types
import urllib.parse
import uuid
from pathlib import Path

import httpx
import pytest
from tencentcloud.common import abstract_client, credential, retry
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.faceid.v20180301 import faceid_client, models

from sandbox import DEMO_SECRET_ID, DEMO_SECRET_KEY, Faults, Sandbox
from sandbox.auth import host_variants, v1_signature, v1_string_to_sign

SIGN_METHODS = ("TC3-HMAC-SHA256", "HmacSHA1", "HmacSHA256")
HTTP_METHODS = ("POST", "GET")
FORMS = [(sign, http) for sign in SIGN_METHODS for http in HTTP_METHODS]
PASSED_AUTH = "InvalidParameter"  # FaceInputType 3 is refused only after the signature


def form_client(
    sandbox: Sandbox,
    sign_method: str,
    http_method: str,
    *,
    secret_id: str = DEMO_SECRET_ID,
    secret_key: str = DEMO_SECRET_KEY,
    token: str | None = None,
    language: str | None = None,
    region: str = "",
) -> faceid_client.FaceidClient:
    """The official SDK client for one signature method and HTTP method."""
    http = HttpProfile(
        endpoint=f"127.0.0.1:{sandbox.port}", protocol="http", reqMethod=http_method, reqTimeout=30
    )
    profile = ClientProfile(httpProfile=http, signMethod=sign_method)
    if language:
        profile.language = language
    return faceid_client.FaceidClient(
        credential.Credential(secret_id, secret_key, token), region, profile
    )


def call(client: faceid_client.FaceidClient, face_input: str, input_type: int = 3):
    """(response, None) or (None, the SDK's exception)."""
    request = models.DetectAIFakeFacesRequest()
    request.FaceInput, request.FaceInputType = face_input, input_type
    try:
        return client.DetectAIFakeFaces(request), None
    except TencentCloudSDKException as exc:
        return None, exc


def code_of(client: faceid_client.FaceidClient, face_input: str = "eA==", input_type: int = 3):
    response, error = call(client, face_input, input_type)
    return error.get_code() if error else "OK"


@pytest.fixture(scope="module")
def small_face() -> bytes:
    """A small JPEG (its base64 fits a 32 KB GET)."""
    from tests.sandbox.conftest import skimage_bytes

    data = skimage_bytes("astronaut.png", size=(160, 160))
    assert len(base64.b64encode(data)) < 20_000
    return data


@pytest.fixture(scope="module")
def staged(tmp_path_factory, small_face) -> Sandbox:
    """A sandbox whose scenario answers High for exactly `small_face` (by sha256), so a
    verdict proves the bytes arrived intact; other input gets the default, Mid."""
    path: Path = tmp_path_factory.mktemp("scenario") / "scenario.toml"
    path.write_text(
        "[default]\n"
        'level = "Mid"\n'
        'types = ["SuspectedSpoofingAttack"]\n'
        "face_check = false\n\n"
        "[[rule]]\n"
        f'sha256 = "{hashlib.sha256(small_face).hexdigest()}"\n'
        'level = "High"\n'
        'types = ["SuspectedSynthesisImage"]\n',
        encoding="utf-8",
    )
    with Sandbox(qps=0, scenario=path) as sandbox:
        yield sandbox


@pytest.mark.parametrize(("sign_method", "http_method"), FORMS)
def test_every_form_gets_the_same_verdict(staged, small_face, sign_method, http_method):
    staged.reset()
    client = form_client(staged, sign_method, http_method, region="ap-guangzhou")
    response, error = call(client, base64.b64encode(small_face).decode(), 1)
    assert error is None, error
    assert response.AttackRiskLevel == "High"
    assert [d.Type for d in response.AttackRiskDetailList] == ["SuspectedSynthesisImage"]
    uuid.UUID(response.RequestId)
    stats = staged.stats()
    assert stats["by_code"] == {"OK": 1}
    assert stats["by_sha256"] == {hashlib.sha256(small_face).hexdigest(): 1}


@pytest.mark.parametrize(("sign_method", "http_method"), FORMS)
def test_every_form_gets_the_same_input_errors(sandbox, sign_method, http_method):
    client = form_client(sandbox, sign_method, http_method, language="en-US")
    _, type_3 = call(client, "eA==", 3)
    assert type_3.get_code() == "InvalidParameter"
    assert "FaceInputType must be 1 or 2" in type_3.get_message()  # English, as asked
    assert code_of(client, "not base64!", 1) == "InvalidParameterValue"
    assert code_of(client, base64.b64encode(b"not a picture").decode(), 1) == (
        "FailedOperation.ImageDecodeFailed"
    )


@pytest.mark.parametrize(("sign_method", "http_method"), FORMS)
def test_every_form_refuses_a_wrong_key_or_unknown_id(sandbox, sign_method, http_method):
    assert code_of(form_client(sandbox, sign_method, http_method)) == PASSED_AUTH
    wrong = form_client(sandbox, sign_method, http_method, secret_key="not-the-key")
    assert code_of(wrong) == "AuthFailure.SignatureFailure"
    unknown = form_client(sandbox, sign_method, http_method, secret_id="AKIDNobodyEXAMPLE")
    assert code_of(unknown) == "AuthFailure.SecretIdNotFound"
    # Refused calls reach neither the rate limiter nor the input checks.
    assert sandbox.stats()["by_code"] == {
        PASSED_AUTH: 1,
        "AuthFailure.SignatureFailure": 1,
        "AuthFailure.SecretIdNotFound": 1,
    }


@pytest.mark.parametrize(("sign_method", "http_method"), FORMS)
@pytest.mark.parametrize("offset_s", [-400, 400])
def test_every_form_checks_the_clock_window(
    sandbox, monkeypatch, sign_method, http_method, offset_s
):
    # The SDK reads the time through its module's `time`; only its clock moves.
    shifted = types.SimpleNamespace(time=lambda: time.time() + offset_s, sleep=time.sleep)
    monkeypatch.setattr(abstract_client, "time", shifted)
    client = form_client(sandbox, sign_method, http_method)
    assert code_of(client) == "AuthFailure.SignatureExpire"


@pytest.mark.parametrize(("sign_method", "http_method"), FORMS)
def test_every_form_checks_the_token(sign_method, http_method):
    with Sandbox(qps=0, token="temp-token-123") as sandbox:
        good = form_client(sandbox, sign_method, http_method, token="temp-token-123")
        assert code_of(good) == PASSED_AUTH
        wrong = form_client(sandbox, sign_method, http_method, token="other")
        assert code_of(wrong) == "AuthFailure.TokenFailure"
        assert code_of(form_client(sandbox, sign_method, http_method)) == (
            "AuthFailure.TokenFailure"
        )


@pytest.mark.parametrize(("sign_method", "http_method"), FORMS)
def test_every_form_counts_against_the_rate_limit(sign_method, http_method):
    # A burst of one and a refill of one per 1000 s: the second call is always refused.
    with Sandbox(qps=0.001) as sandbox:
        client = form_client(sandbox, sign_method, http_method, language="en-US")
        assert code_of(client) == PASSED_AUTH
        _, limited = call(client, "eA==")
        assert limited.get_code() == "RequestLimitExceeded"
        assert "exceeds the frequency limit" in limited.get_message()


@pytest.mark.parametrize(
    ("sign_method", "http_method", "size", "expected"),
    [
        ("TC3-HMAC-SHA256", "GET", 30_000, "RequestSizeLimitExceeded"),  # 40 KB of base64
        ("HmacSHA256", "GET", 30_000, "RequestSizeLimitExceeded"),
        ("HmacSHA1", "POST", 800_000, "RequestSizeLimitExceeded"),  # over 1 MB as a form
        ("TC3-HMAC-SHA256", "POST", 800_000, "FailedOperation.ImageDecodeFailed"),  # JSON: 10 MB
        ("TC3-HMAC-SHA256", "GET", 18_000, "FailedOperation.ImageDecodeFailed"),  # 24 KB fits
    ],
)
def test_size_limits_per_form(sandbox, sign_method, http_method, size, expected):
    client = form_client(sandbox, sign_method, http_method, language="en-US")
    data = base64.b64encode(b"\0" * size).decode()
    _, error = call(client, data, 1)
    assert error.get_code() == expected
    if expected == "RequestSizeLimitExceeded":
        limit = "32 KB" if http_method == "GET" else "1 MB"
        assert limit in error.get_message()  # (a v1 call's Language is not read when too large)


def test_dropped_connection_is_chunked_encoding_error_that_the_sdk_does_not_retry():
    with Sandbox(qps=0, faults=Faults(drop_rate=1.0)) as sandbox:
        client = form_client(sandbox, "TC3-HMAC-SHA256", "POST")
        client.profile.retryer = retry.StandardRetryer(
            max_attempts=3, logger=logging.getLogger("sdk-retry")
        )
        assert code_of(client) == "ChunkedEncodingError"
        assert sandbox.stats()["faults"] == {"drop": 1}  # one attempt, no retry


def test_trace_id_on_every_answer(sandbox, post):
    sent = str(uuid.uuid4())
    reply = post(sandbox.url, b'{"FaceInput": "eA==", "FaceInputType": 3}')
    assert uuid.UUID(reply.headers["x-tc-traceid"]).version == 4
    echoed = post(
        sandbox.url, b'{"FaceInput": "eA==", "FaceInputType": 3}', extra={"X-TC-TraceId": sent}
    )
    assert echoed.headers["x-tc-traceid"] == sent
    hostile = httpx.get(sandbox.url + "/__sandbox/health", headers={"X-TC-TraceId": "a b\tc"})
    assert uuid.UUID(hostile.headers["x-tc-traceid"]).version == 4
    unsigned = httpx.post(sandbox.url + "/", content=b"{}")
    assert unsigned.headers["x-tc-traceid"]


def test_tc3_signed_over_the_host_without_its_port(sandbox, post, code_of):
    body = b'{"FaceInput": "eA==", "FaceInputType": 3}'
    assert code_of(post(sandbox.url, body, sign_host="127.0.0.1")) == PASSED_AUTH
    assert code_of(post(sandbox.url, body, sign_host="127.0.0.2")) == (
        "AuthFailure.SignatureFailure"
    )


def test_host_variants():
    assert host_variants("127.0.0.1:8765") == ("127.0.0.1:8765", "127.0.0.1")
    assert host_variants("[::1]:8765") == ("[::1]:8765", "[::1]")
    assert host_variants("faceid.tencentcloudapi.com") == ("faceid.tencentcloudapi.com",)
    assert host_variants("::1") == ("::1",)


def v1_post(sandbox: Sandbox, params: dict[str, str], *, sign: bool = True) -> httpx.Response:
    """A hand-made v1 form POST (for malformed calls the SDK cannot make)."""
    params = dict(params)
    if sign:
        host = f"127.0.0.1:{sandbox.port}"
        params["Signature"] = v1_signature(
            DEMO_SECRET_KEY, v1_string_to_sign("POST", host, "/", params), "HmacSHA1"
        )
    return httpx.post(
        sandbox.url + "/",
        content=urllib.parse.urlencode(params).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


def v1_params(**extra: str) -> dict[str, str]:
    return {
        "Action": "DetectAIFakeFaces",
        "Version": "2018-03-01",
        "Nonce": "12345",
        "Timestamp": str(int(time.time())),
        "SecretId": DEMO_SECRET_ID,
        "FaceInput": "eA==",
        "FaceInputType": "3",
        "Language": "en-US",
        **extra,
    }


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({}, PASSED_AUTH),
        ({"Action": "DetectAuth"}, "InvalidAction"),
        ({"Version": "2017-01-01"}, "NoSuchVersion"),
        ({"Nonce": ""}, "MissingParameter"),
        ({"Nonce": "abc"}, "InvalidParameter"),
        ({"SignatureMethod": "MD5"}, "InvalidParameterValue"),
        ({"Timestamp": "soon"}, "InvalidParameter"),
        ({"Extra": "1"}, "UnknownParameter"),
        ({"Encryption.Algorithm": "AES-256-CBC"}, "InvalidParameterValue"),
        ({"FaceInputType": "1"}, "FailedOperation.ImageDecodeFailed"),
    ],
)
def test_v1_parameter_checks(sandbox, change, expected):
    reply = v1_post(sandbox, v1_params(**change))
    assert reply.json()["Response"].get("Error", {}).get("Code") == expected


def test_v1_missing_signature_and_repeated_parameters(sandbox):
    unsigned = v1_post(sandbox, v1_params(), sign=False).json()["Response"]
    assert unsigned["Error"]["Code"] == "MissingParameter"
    assert "Signature" in unsigned["Error"]["Message"]
    repeated = httpx.post(
        sandbox.url + "/",
        content=urllib.parse.urlencode(v1_params()).encode() + b"&Nonce=1",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert repeated.json()["Response"]["Error"]["Code"] == "InvalidParameter"


@pytest.mark.parametrize(
    ("service", "expected"),
    [("faceid", PASSED_AUTH), ("127", PASSED_AUTH), ("cvm", "AuthFailure.SignatureFailure")],
)
def test_tc3_service_name_faceid_or_the_hosts_first_label(sandbox, service, expected):
    # The Node.js SDK takes the service from the endpoint's first label: `127`.
    from client.signing import sign

    body = b'{"FaceInput": "eA==", "FaceInputType": 3}'
    now = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "X-TC-Action": "DetectAIFakeFaces",
        "X-TC-Version": "2018-03-01",
        "X-TC-Timestamp": str(now),
    }
    headers["Authorization"] = sign(
        secret_id=DEMO_SECRET_ID,
        secret_key=DEMO_SECRET_KEY,
        service=service,
        timestamp=now,
        method="POST",
        headers={"content-type": "application/json", "host": f"127.0.0.1:{sandbox.port}"},
        payload=body,
    )
    reply = httpx.post(sandbox.url + "/", content=body, headers=headers)
    assert reply.json()["Response"].get("Error", {}).get("Code") == expected


def test_request_head_over_64_kib_is_refused_and_the_sandbox_keeps_serving(sandbox):
    # The server buffers at most 64 KiB of request line and headers per connection.
    import contextlib
    import socket

    request = b"GET /?FaceInput=" + b"A" * 200_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    with socket.create_connection(("127.0.0.1", sandbox.port), timeout=30) as conn:
        # The server may answer and close before reading it all.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            conn.sendall(request)
        try:
            answer = conn.recv(4096)
        except ConnectionResetError:  # the close can overtake the 400 on the wire
            answer = b"HTTP/1.1 400 (reset)"
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert httpx.get(sandbox.url + "/__sandbox/health").json() == {"ok": True}
