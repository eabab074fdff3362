"""Shared fixtures for the sandbox tests: running sandboxes, the official SDK client,
a hand signer for tampering, and test pictures from scikit-image (public domain)."""

from __future__ import annotations

import base64
import io
import json
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest
import skimage
from PIL import Image
from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.faceid.v20180301 import faceid_client, models

from client.signing import sign
from sandbox import DEMO_SECRET_ID, DEMO_SECRET_KEY, Sandbox

SKIMAGE_DATA = Path(skimage.__file__).parent / "data"


@pytest.fixture(scope="module")
def open_sandbox() -> Iterator[Sandbox]:
    """One sandbox per test module, without rate limit; reset before each use."""
    with Sandbox(qps=0) as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(open_sandbox: Sandbox) -> Sandbox:
    """The module's sandbox with fresh counters."""
    open_sandbox.reset()
    return open_sandbox


def sdk_client(
    sandbox: Sandbox,
    *,
    secret_id: str = DEMO_SECRET_ID,
    secret_key: str = DEMO_SECRET_KEY,
    token: str | None = None,
    language: str | None = None,
    unsigned_payload: bool = False,
) -> faceid_client.FaceidClient:
    """The official SDK's FaceidClient pointed at the sandbox over plain HTTP."""
    http = HttpProfile(endpoint=f"127.0.0.1:{sandbox.port}", protocol="http", reqTimeout=30)
    profile = ClientProfile(httpProfile=http)
    profile.unsignedPayload = unsigned_payload
    if language:
        profile.language = language
    return faceid_client.FaceidClient(
        credential.Credential(secret_id, secret_key, token), "", profile
    )


def sdk_detect(client: faceid_client.FaceidClient, data: bytes | str, input_type: Any) -> Any:
    """One DetectAIFakeFaces call through the SDK (str data is sent as-is)."""
    request = models.DetectAIFakeFacesRequest()
    request.FaceInput = data if isinstance(data, str) else base64.b64encode(data).decode()
    request.FaceInputType = input_type
    return client.DetectAIFakeFaces(request)


def body_of(data: bytes, input_type: int = 1) -> bytes:
    """The JSON body for one call, as the SDK writes it."""
    return json.dumps(
        {"FaceInput": base64.b64encode(data).decode(), "FaceInputType": input_type}
    ).encode()


def signed_post(
    url: str,
    body: bytes,
    *,
    secret_id: str = DEMO_SECRET_ID,
    secret_key: str = DEMO_SECRET_KEY,
    timestamp: int | None = None,
    sign_host: str | None = None,
    sign_body: bytes | None = None,
    signed_headers: tuple[str, ...] = ("content-type", "host"),
    extra: Mapping[str, str] | None = None,
    drop: tuple[str, ...] = (),
) -> httpx.Response:
    """POST a hand-signed call; `sign_host`/`sign_body` sign something other than what
    is sent (tampering), `drop` removes headers after signing."""
    host = httpx.URL(url).netloc.decode()
    ts = int(time.time()) if timestamp is None else timestamp
    headers = {
        "Content-Type": "application/json",
        "Host": host,
        "X-TC-Action": "DetectAIFakeFaces",
        "X-TC-Version": "2018-03-01",
        "X-TC-Timestamp": str(ts),
        **(extra or {}),
    }
    to_sign = {k.lower(): v for k, v in headers.items()}
    if sign_host is not None:
        to_sign["host"] = sign_host
    headers["Authorization"] = sign(
        secret_id=secret_id,
        secret_key=secret_key,
        service="faceid",
        timestamp=ts,
        method="POST",
        headers={**to_sign, **{name: to_sign.get(name, "") for name in signed_headers}},
        payload=body if sign_body is None else sign_body,
        signed_headers=signed_headers,
    )
    for name in drop:
        headers.pop(name, None)
    return _http().post(url + "/", content=body, headers=headers)


_CLIENTS: list[httpx.Client] = []


def _http() -> httpx.Client:
    """One shared HTTP client (building one per call costs an SSL context each time)."""
    if not _CLIENTS:
        _CLIENTS.append(httpx.Client(timeout=30))
    return _CLIENTS[0]


def error_code(response: httpx.Response) -> str | None:
    """The API error code of a reply, None for a verdict."""
    return response.json()["Response"].get("Error", {}).get("Code")


def skimage_bytes(name: str, fmt: str = "JPEG", size: tuple[int, int] | None = None) -> bytes:
    """A scikit-image sample picture re-encoded as `fmt` (optionally resized)."""
    image = Image.open(SKIMAGE_DATA / name).convert("RGB")
    if size is not None:
        image = image.resize(size)
    out = io.BytesIO()
    image.save(out, fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    return out.getvalue()


@pytest.fixture(scope="session")
def astronaut_jpeg() -> bytes:
    """The public-domain astronaut portrait (one clear face) as JPEG."""
    return skimage_bytes("astronaut.png")


@pytest.fixture(scope="session")
def picture() -> Callable[..., bytes]:
    """Factory for other scikit-image pictures as JPEG or PNG bytes."""
    return skimage_bytes


@pytest.fixture(scope="session")
def sdk() -> Callable[..., faceid_client.FaceidClient]:
    """Factory: the official SDK client for a sandbox (see `sdk_client`)."""
    return sdk_client


@pytest.fixture(scope="session")
def detect() -> Callable[..., Any]:
    """One SDK DetectAIFakeFaces call (see `sdk_detect`)."""
    return sdk_detect


@pytest.fixture(scope="session")
def post() -> Callable[..., httpx.Response]:
    """A hand-signed POST (see `signed_post`)."""
    return signed_post


@pytest.fixture(scope="session")
def body() -> Callable[..., bytes]:
    """The JSON body for bytes and an input type (see `body_of`)."""
    return body_of


@pytest.fixture(scope="session")
def code_of() -> Callable[[httpx.Response], str | None]:
    """The error code in a reply (see `error_code`)."""
    return error_code


def make_video(
    picture: Image.Image,
    *,
    seconds: float = 1.0,
    fps: int = 10,
    size: tuple[int, int] = (320, 320),
    container: str = "mp4",
    codec: str = "libx264",
) -> bytes:
    """A short video of one picture (slightly shifted each frame) made with PyAV."""
    import av
    import numpy as np

    frame_picture = picture.convert("RGB").resize(size)
    out = io.BytesIO()
    with av.open(out, "w", format=container) as output:
        stream = output.add_stream(codec, rate=fps)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        pixels = np.asarray(frame_picture)
        for index in range(max(1, round(seconds * fps))):
            frame = av.VideoFrame.from_ndarray(np.roll(pixels, index % 3, axis=1), format="rgb24")
            for packet in stream.encode(frame):
                output.mux(packet)
        for packet in stream.encode():
            output.mux(packet)
    return out.getvalue()


@pytest.fixture(scope="session")
def video() -> Callable[..., bytes]:
    """Factory for short test videos (see `make_video`)."""
    return make_video


@pytest.fixture(scope="session")
def astronaut_image() -> Image.Image:
    """The astronaut portrait as a PIL image."""
    return Image.open(SKIMAGE_DATA / "astronaut.png").convert("RGB")
