"""Verdicts and decoding checks through the official SDK and our own client, the
sandbox's own face checks, stats, and injected API errors."""

from __future__ import annotations

import base64
import hashlib
import io
import json

import pytest
from PIL import Image
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

from client import Credentials, FaceIdClient, RiskLevel, ServiceError
from sandbox import DEMO_SECRET_ID, DEMO_SECRET_KEY, Faults, Sandbox


def sdk_code(client, detect, data: bytes, input_type: int) -> str:
    """The error code an SDK call raises."""
    with pytest.raises(TencentCloudSDKException) as info:
        detect(client, data, input_type)
    return info.value.get_code()


def encoded(picture: Image.Image, fmt: str, **options) -> bytes:
    """`picture` saved as `fmt`."""
    out = io.BytesIO()
    picture.save(out, fmt, **options)
    return out.getvalue()


def test_official_sdk_gets_a_verdict(sandbox, sdk, detect, astronaut_jpeg):
    reply = detect(sdk(sandbox), astronaut_jpeg, 1)
    assert reply.AttackRiskLevel == "Low"
    assert reply.AttackRiskDetailList == []
    assert reply.RequestId
    stats = sandbox.stats()
    assert stats["by_code"] == {"OK": 1}
    assert stats["by_input_type"] == {"1": 1}
    assert stats["by_sha256"] == {hashlib.sha256(astronaut_jpeg).hexdigest(): 1}


def test_our_client_gets_a_verdict_and_errors(sandbox, astronaut_jpeg):
    credentials = Credentials(DEMO_SECRET_ID, DEMO_SECRET_KEY)
    with FaceIdClient(credentials, endpoint=sandbox.url, max_retries=0) as api:
        detection = api.detect(astronaut_jpeg, 1)
        assert detection.level is RiskLevel.LOW
        assert detection.raw["Response"]["RequestId"] == detection.request_id
        with pytest.raises(ServiceError) as info:
            api.detect(b"not a picture", 1)
        assert info.value.code == "FailedOperation.ImageDecodeFailed"
    wrong = Credentials(DEMO_SECRET_ID, "wrong-key")
    with FaceIdClient(wrong, endpoint=sandbox.url, max_retries=0) as api:
        with pytest.raises(ServiceError) as info:
            api.detect(astronaut_jpeg, 1)
        assert info.value.code == "AuthFailure.SignatureFailure"


def test_png_and_video_verdicts(sandbox, sdk, detect, astronaut_image, video):
    client = sdk(sandbox)
    assert detect(client, encoded(astronaut_image, "PNG"), 1).AttackRiskLevel == "Low"
    for container, codec in [
        ("mp4", "libx264"),
        ("avi", "mpeg4"),
        ("flv", "flv"),
        ("mov", "libx264"),
    ]:
        clip = video(astronaut_image, container=container, codec=codec)
        assert detect(client, clip, 2).AttackRiskLevel == "Low", container
    assert sandbox.stats()["by_input_type"] == {"1": 1, "2": 4}


def test_image_decode_failures(sandbox, sdk, detect, astronaut_image, astronaut_jpeg, video):
    client = sdk(sandbox)
    failing = {
        "garbage": b"\x00\x01 definitely not a picture" * 10,
        "webp": encoded(astronaut_image, "WEBP"),
        "gif": encoded(astronaut_image, "GIF"),
        "truncated jpeg": astronaut_jpeg[: len(astronaut_jpeg) // 3],
        "video sent as image": video(astronaut_image),
    }
    for name, data in failing.items():
        assert sdk_code(client, detect, data, 1) == "FailedOperation.ImageDecodeFailed", name


def test_video_decode_failures(sandbox, sdk, detect, astronaut_image, astronaut_jpeg, video):
    client = sdk(sandbox)
    failing = {
        "garbage": b"\x00\x00\x00\x18ftypmp42 broken" * 10,
        "picture sent as video": astronaut_jpeg,
        "webm": video(astronaut_image, container="webm", codec="libvpx"),
        "mkv": video(astronaut_image, container="matroska"),
    }
    for name, data in failing.items():
        assert sdk_code(client, detect, data, 2) == "FailedOperation.VideoDecodeFailed", name


def test_video_longer_than_20_seconds(sandbox, sdk, detect, astronaut_image, video):
    long_clip = video(astronaut_image, seconds=21, fps=2, size=(64, 64))
    assert sdk_code(sdk(sandbox), detect, long_clip, 2) == "FailedOperation.VideoDurationExceeded"
    short_clip = video(astronaut_image, seconds=19, fps=1, size=(320, 320))
    assert detect(sdk(sandbox), short_clip, 2).AttackRiskLevel == "Low"


def test_no_face_is_incomplete_face(sandbox, sdk, detect, picture):
    client = sdk(sandbox)
    for name in ("coffee.png", "chelsea.png"):
        assert sdk_code(client, detect, picture(name), 1) == "FailedOperation.IncompleteFace", name


def test_tiny_face_is_poor_image_quality(sandbox, sdk, detect, astronaut_image):
    data = encoded(astronaut_image.resize((200, 200)), "JPEG", quality=92)  # face about 38 px
    assert sdk_code(sdk(sandbox), detect, data, 1) == "FailedOperation.PoorImageQuality"


def test_tiny_picture_is_poor_image_quality_not_a_decode_failure(sandbox, sdk, detect):
    # media.identify refuses pictures under 64 px ("too_small"): they decode fine, so
    # "ImageDecodeFailed: the file is damaged" would send the user the wrong way.
    client = sdk(sandbox)
    for size in [(1, 1), (40, 60)]:
        data = encoded(Image.new("RGB", size, (200, 150, 120)), "PNG")
        assert sdk_code(client, detect, data, 1) == "FailedOperation.PoorImageQuality", size


def test_several_faces_are_judged_on_the_largest(sandbox, sdk, detect, astronaut_image):
    canvas = Image.new("RGB", (1024, 512))
    canvas.paste(astronaut_image, (0, 0))
    canvas.paste(astronaut_image, (512, 0))
    assert detect(sdk(sandbox), encoded(canvas, "JPEG"), 1).AttackRiskLevel == "Low"


def test_face_check_messages_in_english(sandbox, post, picture):
    body = json.dumps(
        {"FaceInput": base64.b64encode(picture("coffee.png")).decode(), "FaceInputType": 1}
    )
    reply = post(sandbox.url, body.encode(), extra={"X-TC-Language": "en-US"})
    assert reply.json()["Response"]["Error"]["Message"].startswith("No complete face")


def test_stats_count_what_was_sent_and_reset_over_http(
    sandbox, sdk, detect, astronaut_jpeg, post, code_of
):
    import httpx

    client = sdk(sandbox)
    for _ in range(3):
        detect(client, astronaut_jpeg, 1)
    with pytest.raises(TencentCloudSDKException):
        detect(client, b"junk", 2)
    stats = httpx.get(sandbox.url + "/__sandbox/stats").json()
    assert stats["calls"] == 4
    assert stats["by_code"] == {"OK": 3, "FailedOperation.VideoDecodeFailed": 1}
    assert stats["by_input_type"] == {"1": 3, "2": 1}
    assert stats["by_sha256"] == {
        hashlib.sha256(astronaut_jpeg).hexdigest(): 3,
        hashlib.sha256(b"junk").hexdigest(): 1,
    }
    assert httpx.post(sandbox.url + "/__sandbox/reset").json() == {"ok": True}
    assert httpx.get(sandbox.url + "/__sandbox/stats").json()["calls"] == 0


def test_injected_api_errors(sdk, detect, astronaut_jpeg):
    faults = Faults(error_rate=1.0, error_codes=("FailedOperation.DetectEngineSystemError",))
    with Sandbox(qps=0, faults=faults) as sandbox:
        client = sdk(sandbox)
        assert (
            sdk_code(client, detect, astronaut_jpeg, 1) == "FailedOperation.DetectEngineSystemError"
        )
        # Input checks still come first: bad base64 is reported as such.
        assert sdk_code(client, detect, b"", 1) == "InvalidParameterValue"


def test_repeated_input_is_answered_the_same_from_memory(
    sandbox, sdk, detect, picture, astronaut_jpeg
):
    client = sdk(sandbox)
    coffee = picture("coffee.png")
    codes = []
    for _ in range(3):
        with pytest.raises(TencentCloudSDKException) as info:
            detect(client, coffee, 1)
        codes.append(info.value.get_code())
        assert detect(client, astronaut_jpeg, 1).AttackRiskLevel == "Low"
    assert codes == ["FailedOperation.IncompleteFace"] * 3
    # The same bytes declared as a video are checked as a video, not answered from memory.
    with pytest.raises(TencentCloudSDKException) as info:
        detect(client, astronaut_jpeg, 2)
    assert info.value.get_code() == "FailedOperation.VideoDecodeFailed"
    assert sandbox.stats()["calls"] == 7
