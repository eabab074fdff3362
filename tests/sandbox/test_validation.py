"""Input validation that needs no decoding: fields, strict base64, body size, body shape."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

from sandbox.validation import MAX_BODY_BYTES


@pytest.mark.parametrize("input_type", [0, 3, "1", 1.5, True, None])
def test_face_input_type_must_be_1_or_2(sandbox, post, code_of, input_type):
    body = json.dumps({"FaceInput": "eA==", "FaceInputType": input_type}).encode()
    assert code_of(post(sandbox.url, body)) == "InvalidParameter"


def test_sdk_gets_invalid_parameter_for_type_3(sandbox, sdk, detect):
    with pytest.raises(TencentCloudSDKException) as info:
        detect(sdk(sandbox), b"x", 3)
    assert info.value.get_code() == "InvalidParameter"
    assert info.value.get_request_id()


@pytest.mark.parametrize(
    "face_input",
    [
        "aGVsbG8",  # missing padding
        "aGVs\nbG8=",  # line break
        "aGVs bG8=",  # space
        "a-_b",  # URL-safe alphabet
        "aGVsbG8=aGVsbG8=",  # data after padding
        "=aGVsbG8",  # leading padding
        "ñandú==",  # not ASCII
        "",  # empty
    ],
)
def test_non_strict_base64_is_invalid_parameter_value(sandbox, post, code_of, face_input):
    body = json.dumps({"FaceInput": face_input, "FaceInputType": 1}).encode()
    assert code_of(post(sandbox.url, body)) == "InvalidParameterValue"


def test_sdk_gets_invalid_parameter_value_for_bad_base64(sandbox, sdk, detect):
    with pytest.raises(TencentCloudSDKException) as info:
        detect(sdk(sandbox), "not base64!", 1)
    assert info.value.get_code() == "InvalidParameterValue"


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"FaceInputType": 1}, "MissingParameter"),
        ({"FaceInput": "eA=="}, "MissingParameter"),
        ({"FaceInput": 12, "FaceInputType": 1}, "InvalidParameter"),
        ({"FaceInput": "eA==", "FaceInputType": 1, "Colour": "red"}, "UnknownParameter"),
        (
            {"EncryptedBody": "abc", "Encryption": {"EncryptList": ["EncryptedBody"]}},
            "InvalidParameterValue",
        ),
        ([1, 2], "InvalidParameter"),
    ],
)
def test_body_fields(sandbox, post, code_of, payload, expected):
    assert code_of(post(sandbox.url, json.dumps(payload).encode())) == expected


def test_body_that_is_not_json(sandbox, post, code_of):
    assert code_of(post(sandbox.url, b"FaceInput=abc")) == "InvalidParameter"


def test_missing_parameter_names_the_field_in_english(sandbox, post):
    body = json.dumps({"FaceInputType": 1}).encode()
    reply = post(sandbox.url, body, extra={"X-TC-Language": "en-US"})
    assert "`FaceInput`" in reply.json()["Response"]["Error"]["Message"]


def test_body_over_10_mb_via_sdk(sandbox, sdk, detect):
    big = "A" * (MAX_BODY_BYTES + 16)  # valid base64 alphabet, just too much of it
    with pytest.raises(TencentCloudSDKException) as info:
        detect(sdk(sandbox), big, 1)
    assert info.value.get_code() == "RequestSizeLimitExceeded"
    assert sandbox.stats()["by_code"] == {"RequestSizeLimitExceeded": 1}


def test_body_over_10_mb_streamed_without_content_length(sandbox, code_of):
    def chunks():
        piece = b"A" * (1024 * 1024)
        for _ in range(11):
            yield piece

    headers = {"Content-Type": "application/json", "X-TC-Timestamp": str(int(time.time()))}
    reply = httpx.post(sandbox.url + "/", content=chunks(), headers=headers, timeout=30)
    assert "content-length" not in reply.request.headers
    assert reply.status_code == 200
    assert code_of(reply) == "RequestSizeLimitExceeded"


def test_body_just_under_the_limit_is_read(sandbox, post, code_of):
    # An invalid-base64 body just under 10 MB passes the size check and reaches base64.
    face_input = "A" * (MAX_BODY_BYTES - 64) + "!"
    body = json.dumps({"FaceInput": face_input, "FaceInputType": 1}).encode()
    assert len(body) <= MAX_BODY_BYTES
    assert code_of(post(sandbox.url, body)) == "InvalidParameterValue"


MAGICS = [
    b"\xff\xd8\xff\xe0",
    b"\x89PNG\r\n\x1a\n",
    b"\x00\x00\x00\x18ftypmp42",
    b"RIFF\x00\x00\x00\x00AVI ",
    b"FLV\x01",
]


@settings(max_examples=60, deadline=None)
@given(
    magic=st.sampled_from(MAGICS), tail=st.binary(max_size=400), input_type=st.sampled_from([1, 2])
)
def test_hostile_bytes_are_decode_failures_never_crashes(magic, tail, input_type):
    import hashlib

    from sandbox.envelope import Rejection
    from sandbox.validation import FaceInput, check_media

    data = magic + tail
    try:
        check_media(FaceInput(data, input_type, hashlib.sha256(data).hexdigest()))
    except Rejection as rejection:
        expected = (
            "FailedOperation.ImageDecodeFailed"
            if input_type == 1
            else "FailedOperation.VideoDecodeFailed"
        )
        assert rejection.code == expected
