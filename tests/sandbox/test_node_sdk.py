"""Tencent's Node.js SDK (tencentcloud-sdk-nodejs, pinned in tests/node) against the
sandbox with the plain profile its users write: `endpoint: "127.0.0.1:PORT"`,
`protocol: "http://"`. It signs the host without the port and takes the service name
from the endpoint's first label; the sandbox accepts both, for TC3 and HmacSHA256."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from sandbox import DEMO_SECRET_ID, DEMO_SECRET_KEY, Sandbox

NODE_DIR = Path(__file__).resolve().parent.parent / "node"
DRIVER = NODE_DIR / "detect.js"
FORMS = [(None, "POST"), (None, "GET"), ("HmacSHA256", "POST"), ("HmacSHA256", "GET")]


@pytest.fixture(scope="module", autouse=True)
def node_sdk_installed() -> None:
    """The SDK must be installed: scripts/test.sh runs `npm ci --prefix tests/node`."""
    assert shutil.which("node"), "node is not installed (scripts/test.sh installs it)"
    assert (NODE_DIR / "node_modules" / "tencentcloud-sdk-nodejs").is_dir(), (
        "run `npm ci --prefix tests/node` (scripts/test.sh does)"
    )


def node_detect(sandbox: Sandbox, face_input: str, input_type: int, **spec: Any) -> dict:
    """One call through the Node SDK; its printed result."""
    case = {
        "endpoint": f"127.0.0.1:{sandbox.port}",
        "secretId": DEMO_SECRET_ID,
        "secretKey": DEMO_SECRET_KEY,
        "faceInput": face_input,
        "faceInputType": input_type,
        **{k: v for k, v in spec.items() if v is not None},
    }
    done = subprocess.run(
        ["node", str(DRIVER), json.dumps(case)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def error_code(result: dict) -> str:
    return result["error"]["code"] if "error" in result else "OK"


@pytest.fixture(scope="module")
def staged(tmp_path_factory) -> tuple[Sandbox, bytes]:
    """A sandbox answering High for one small JPEG, matched by sha256."""
    from tests.sandbox.conftest import skimage_bytes

    face = skimage_bytes("astronaut.png", size=(160, 160))
    path = tmp_path_factory.mktemp("node") / "scenario.toml"
    path.write_text(
        '[default]\nlevel = "Low"\nface_check = false\n\n[[rule]]\n'
        f'sha256 = "{hashlib.sha256(face).hexdigest()}"\n'
        'level = "High"\ntypes = ["SuspectedSynthesisVideo"]\n',
        encoding="utf-8",
    )
    with Sandbox(qps=0, scenario=path) as sandbox:
        yield sandbox, face


@pytest.mark.parametrize(("sign_method", "http_method"), FORMS)
def test_node_sdk_gets_the_verdict(staged, sign_method, http_method):
    sandbox, face = staged
    result = node_detect(
        sandbox,
        base64.b64encode(face).decode(),
        1,
        signMethod=sign_method,
        reqMethod=http_method,
        region="ap-guangzhou",
    )
    assert "error" not in result, result
    response = result["response"]
    assert response["AttackRiskLevel"] == "High"
    assert response["AttackRiskDetailList"] == [{"Type": "SuspectedSynthesisVideo"}]


@pytest.mark.parametrize(("sign_method", "http_method"), FORMS)
def test_node_sdk_error_paths(sign_method, http_method):
    with Sandbox(qps=0, token="temp-token-123") as sandbox:
        form = {"signMethod": sign_method, "reqMethod": http_method, "language": "en-US"}
        passed = node_detect(sandbox, "eA==", 3, token="temp-token-123", **form)
        assert error_code(passed) == "InvalidParameter"
        assert "FaceInputType must be 1 or 2" in passed["error"]["message"]
        uuid.UUID(passed["error"]["requestId"])
        assert passed["error"]["traceId"]  # read from the sandbox's X-TC-TraceId header
        for change, expected in [
            ({"secretKey": "not-the-key"}, "AuthFailure.SignatureFailure"),
            ({"secretId": "AKIDNobodyEXAMPLE"}, "AuthFailure.SecretIdNotFound"),
            ({"token": "other"}, "AuthFailure.TokenFailure"),
            ({}, "AuthFailure.TokenFailure"),  # no token at all
        ]:
            spec = {"token": "temp-token-123", **form, **change}
            if not change:
                spec.pop("token")
            assert error_code(node_detect(sandbox, "eA==", 3, **spec)) == expected, change


def test_node_sdk_clock_window():
    # The Node SDK signs with the machine's clock; a sandbox whose clock is 400 s ahead
    # sees it as expired, for both signature versions.
    with Sandbox(qps=0) as sandbox:
        sandbox._service.clock = lambda: time.time() + 400
        for sign_method in (None, "HmacSHA256"):
            result = node_detect(sandbox, "eA==", 3, signMethod=sign_method)
            assert error_code(result) == "AuthFailure.SignatureExpire"
