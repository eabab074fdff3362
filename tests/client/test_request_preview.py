"""A refused or failed call still tells what was sent: the error carries the request
preview (FaceInput elided, Authorization redacted), as a verdict's Detection does."""

from __future__ import annotations

import socket

import pytest

from client import Credentials, FaceIdClient
from client.errors import ConnectionFailed, ServiceError
from sandbox import Sandbox

KEY = "PreviewTestKey-NeverShown"


def test_service_error_carries_the_request_preview():
    with Sandbox(qps=0, secret_id="AKIDPreviewTest0EXAMPLE", secret_key="the-right-key") as box:
        credentials = Credentials("AKIDPreviewTest0EXAMPLE", KEY)
        client = FaceIdClient(credentials, endpoint=box.url, max_retries=0)
        with client, pytest.raises(ServiceError) as info:
            client.detect(b"\xff\xd8not really a jpeg", 1)
    error = info.value
    assert error.code == "AuthFailure.SignatureFailure"
    preview = error.request_preview
    assert preview is not None and preview["url"] == box.url + "/"
    headers = {k.lower(): v for k, v in preview["headers"].items()}
    assert headers["x-tc-action"] == "DetectAIFakeFaces"
    assert headers["authorization"].endswith("Signature=<redacted>")
    assert "AKIDPreviewTest0EXAMPLE" not in headers["authorization"]  # masked
    assert preview["body"] == {"FaceInput": "<base64, 28 chars>", "FaceInputType": 1}
    assert KEY not in repr(preview)


def test_transport_error_carries_the_request_preview():
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    credentials = Credentials("AKIDPreviewTest0EXAMPLE", KEY)
    with (
        FaceIdClient(
            credentials, endpoint=f"http://127.0.0.1:{port}", max_retries=0, timeout=5
        ) as client,
        pytest.raises(ConnectionFailed) as info,
    ):
        client.detect(b"\xff\xd8abc", 1)
    preview = info.value.request_preview
    assert preview is not None and preview["body"]["FaceInputType"] == 1
    assert KEY not in repr(preview)
