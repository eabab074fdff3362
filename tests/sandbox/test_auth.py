"""Signature checks like the service: the official SDK and hand-signed tampering.

A call whose signature is accepted reaches the input checks, so a reply of
`InvalidParameter` (FaceInputType 3) proves the signature passed."""

from __future__ import annotations

import time
import uuid

import pytest
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

from sandbox import Sandbox
from tests.contract_codes import ACTION_CODES

PASSED_AUTH = "InvalidParameter"  # FaceInputType 3 is refused only after auth


def sdk_code(call) -> str:
    """The code of the TencentCloudSDKException a call raises."""
    with pytest.raises(TencentCloudSDKException) as info:
        call()
    return info.value.get_code()


def test_official_sdk_signature_is_accepted(sandbox, sdk, detect):
    client = sdk(sandbox)
    assert sdk_code(lambda: detect(client, b"x", 3)) == PASSED_AUTH
    assert sandbox.stats()["by_code"] == {PASSED_AUTH: 1}


def test_official_sdk_unsigned_payload_variant_is_accepted(sandbox, sdk, detect):
    client = sdk(sandbox, unsigned_payload=True)
    assert sdk_code(lambda: detect(client, b"x", 3)) == PASSED_AUTH


def test_sdk_wrong_key_and_unknown_id(sandbox, sdk, detect):
    wrong_key = sdk(sandbox, secret_key="not-the-key")
    assert sdk_code(lambda: detect(wrong_key, b"x", 3)) == "AuthFailure.SignatureFailure"
    unknown = sdk(sandbox, secret_id="AKIDUnknown")
    assert sdk_code(lambda: detect(unknown, b"x", 3)) == "AuthFailure.SecretIdNotFound"


def test_token_checked_when_configured(sdk, detect):
    with Sandbox(qps=0, token="temp-token-123") as sandbox:
        good = sdk(sandbox, token="temp-token-123")
        assert sdk_code(lambda: detect(good, b"x", 3)) == PASSED_AUTH
        wrong = sdk(sandbox, token="other")
        assert sdk_code(lambda: detect(wrong, b"x", 3)) == "AuthFailure.TokenFailure"
        missing = sdk(sandbox)
        assert sdk_code(lambda: detect(missing, b"x", 3)) == "AuthFailure.TokenFailure"


def test_hand_signed_call_passes(sandbox, post, code_of):
    response = post(sandbox.url, b'{"FaceInput": "eA==", "FaceInputType": 3}')
    assert code_of(response) == PASSED_AUTH


def test_signing_extra_headers_as_tencent_samples_do(sandbox, post, code_of):
    body = b'{"FaceInput": "eA==", "FaceInputType": 3}'
    response = post(sandbox.url, body, signed_headers=("content-type", "host", "x-tc-action"))
    assert code_of(response) == PASSED_AUTH


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        (
            {"sign_body": b'{"FaceInput": "eQ==", "FaceInputType": 3}'},
            "AuthFailure.SignatureFailure",
        ),
        ({"sign_host": "faceid.tencentcloudapi.com"}, "AuthFailure.SignatureFailure"),
        ({"secret_key": "wrong"}, "AuthFailure.SignatureFailure"),
        ({"secret_id": "AKIDNobody"}, "AuthFailure.SecretIdNotFound"),
        ({"timestamp_offset": -400}, "AuthFailure.SignatureExpire"),
        ({"timestamp_offset": 400}, "AuthFailure.SignatureExpire"),
        ({"drop": ("Authorization",)}, "AuthFailure.InvalidAuthorization"),
        ({"drop": ("X-TC-Timestamp",)}, "MissingParameter"),
        ({"drop": ("X-TC-Action",)}, "MissingParameter"),
        ({"drop": ("X-TC-Version",)}, "MissingParameter"),
        ({"extra": {"X-TC-Action": "DetectAuth"}}, "InvalidAction"),
        ({"extra": {"X-TC-Version": "2017-01-01"}}, "NoSuchVersion"),
        ({"signed_headers": ("content-type",)}, "AuthFailure.InvalidAuthorization"),
        (
            {"signed_headers": ("content-type", "host", "x-tc-region")},
            "AuthFailure.InvalidAuthorization",
        ),
    ],
)
def test_tampering_is_refused(sandbox, post, code_of, tamper, expected):
    body = b'{"FaceInput": "eA==", "FaceInputType": 3}'
    tamper = dict(tamper)
    if "timestamp_offset" in tamper:  # relative to now, not to collection time
        tamper["timestamp"] = int(time.time()) + tamper.pop("timestamp_offset")
    assert code_of(post(sandbox.url, body, **tamper)) == expected


def test_timestamp_within_five_minutes_is_accepted(sandbox, post, code_of):
    body = b'{"FaceInput": "eA==", "FaceInputType": 3}'
    assert code_of(post(sandbox.url, body, timestamp=int(time.time()) - 250)) == PASSED_AUTH


def test_unsigned_payload_hashes_the_literal_not_the_body(sandbox, post, code_of):
    body = b'{"FaceInput": "eA==", "FaceInputType": 3}'
    extra = {"X-TC-Content-SHA256": "UNSIGNED-PAYLOAD"}
    # Signed over the literal, so a body the signer never saw is still accepted.
    assert code_of(post(sandbox.url, body, extra=extra, sign_body=b"anything")) == PASSED_AUTH


@pytest.mark.parametrize(
    "authorization",
    [
        "Basic dXNlcjpwYXNz",
        "TC3-HMAC-SHA256 Credential=AKID/2024-01-01/faceid, SignedHeaders=content-type;host, Signature=ab",
        "TC3-HMAC-SHA256 SignedHeaders=content-type;host, Signature=ab",
    ],
)
def test_malformed_authorization(sandbox, code_of, authorization):
    import httpx

    headers = {
        "Content-Type": "application/json",
        "X-TC-Action": "DetectAIFakeFaces",
        "X-TC-Version": "2018-03-01",
        "X-TC-Timestamp": str(int(time.time())),
        "Authorization": authorization,
    }
    response = httpx.post(sandbox.url + "/", content=b"{}", headers=headers)
    assert code_of(response) == "AuthFailure.InvalidAuthorization"


def test_envelope_status_content_type_and_fresh_request_ids(sandbox, post):
    body = b'{"FaceInput": "eA==", "FaceInputType": 3}'
    replies = [post(sandbox.url, body) for _ in range(3)] + [
        post(sandbox.url, body, secret_key="x")
    ]
    ids = set()
    for reply in replies:
        assert reply.status_code == 200
        assert reply.headers["content-type"] == "application/json"
        request_id = reply.json()["Response"]["RequestId"]
        assert uuid.UUID(request_id).version == 4
        ids.add(request_id)
    assert len(ids) == len(replies)


def test_messages_follow_x_tc_language(sandbox, sdk, detect):
    english = sdk(sandbox, secret_key="wrong", language="en-US")
    chinese = sdk(sandbox, secret_key="wrong", language="zh-CN")
    default = sdk(sandbox, secret_key="wrong")
    messages = []
    for client in (english, chinese, default):
        with pytest.raises(TencentCloudSDKException) as info:
            detect(client, b"x", 3)
        messages.append(info.value.get_message())
    assert "signature" in messages[0].lower()
    assert "签名" in messages[1]
    assert messages[2] == messages[1]  # zh-CN is the default


def test_rate_limit_message_pattern_in_both_languages():
    from sandbox.messages import message

    en = message("RequestLimitExceeded", "en-US", count=7, limit=5)
    zh = message("RequestLimitExceeded", "zh-CN", count=7, limit=5)
    assert "equals to `7` in a second" in en and "frequency limit `5`" in en
    assert "`7`" in zh and "`5`" in zh


# Every action code, and the common codes the sandbox itself can answer with.
SANDBOX_CODES = ACTION_CODES + [
    "AuthFailure.SignatureExpire",
    "AuthFailure.SecretIdNotFound",
    "AuthFailure.SignatureFailure",
    "AuthFailure.TokenFailure",
    "AuthFailure.InvalidAuthorization",
    "InternalError",
    "ServiceUnavailable",
]


@pytest.mark.parametrize("code", SANDBOX_CODES)
def test_every_code_the_sandbox_can_send_has_its_own_message(code):
    from sandbox.messages import message

    zh, en = message(code, "zh-CN"), message(code, "en-US")
    assert code not in zh and code not in en  # not the generic fallback
    assert zh != en and en.isascii() and not zh.isascii()


def test_unknown_codes_get_a_generic_message_naming_the_code():
    from sandbox.messages import message

    assert "Some.Code" in message("Some.Code", "en-US")
    assert "Some.Code" in message("Some.Code", "zh-CN")


def test_sdk_get_requests_are_signature_checked_then_served(sandbox):
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.faceid.v20180301 import faceid_client, models

    from sandbox import DEMO_SECRET_ID, DEMO_SECRET_KEY

    codes = []
    for key in (DEMO_SECRET_KEY, "wrong"):
        http = HttpProfile(endpoint=f"127.0.0.1:{sandbox.port}", protocol="http", reqMethod="GET")
        client = faceid_client.FaceidClient(
            credential.Credential(DEMO_SECRET_ID, key),
            "ap-guangzhou",
            ClientProfile(httpProfile=http),
        )
        request = models.DetectAIFakeFacesRequest()
        request.FaceInput, request.FaceInputType = "eA==", 1
        codes.append(sdk_code(lambda c=client, r=request: c.DetectAIFakeFaces(r)))
    # The query string's FaceInput reached the decoder: GET is served like POST.
    assert codes == ["FailedOperation.ImageDecodeFailed", "AuthFailure.SignatureFailure"]


def test_a_bilingual_detail_is_answered_in_the_asked_language_and_cut():
    from core.text import Message
    from sandbox.envelope import MAX_ECHO_CHARS, Rejection

    long = "x" * 10_000
    rejection = Rejection("InvalidParameter", detail=Message("detail", "en " + long, "中 " + long))
    en = rejection.body("en-US", "id")["Response"]["Error"]["Message"]
    zh = rejection.body("zh-CN", "id")["Response"]["Error"]["Message"]
    assert "en x" in en and "中" not in en and len(en) < MAX_ECHO_CHARS + 40
    assert "中 x" in zh and "en x" not in zh and len(zh) < MAX_ECHO_CHARS + 40
