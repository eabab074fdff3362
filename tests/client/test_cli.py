"""`python -m client detect` end to end, as a subprocess against a local HTTP server."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from client import ConfigError, ServiceError, signing

REPO = Path(__file__).resolve().parents[2]
SECRET_ID, SECRET_KEY = "AKIDcliTest000011112222", "CliSecretKeyValue0123456789"
SUCCESS = {
    "Response": {
        "AttackRiskLevel": "High",
        "AttackRiskDetailList": [{"Type": "SuspectedSynthesisImage"}, {"Type": "SuspectedNewKind"}],
        "ExtraInfo": {"RetrievalLivenessExtraInfo": []},
        "RequestId": "cli-req-42",
    }
}
JSON = "application/json"


def run_cli(
    args: list[str], home: Path, *, with_keys: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run `python -m client ...` with a clean environment and a temporary HOME."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TENCENTCLOUD_", "TCCLI_"))}
    env.update(HOME=str(home), PYTHONPATH=str(REPO), PYTHONIOENCODING="utf-8")
    if with_keys:
        env.update(TENCENTCLOUD_SECRET_ID=SECRET_ID, TENCENTCLOUD_SECRET_KEY=SECRET_KEY)
    return subprocess.run(
        [sys.executable, "-m", "client", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    """A small JPEG made here (no face in it: media warns, the call still goes out)."""
    image = Image.linear_gradient("L").resize((480, 640)).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    path = tmp_path / "photo.jpg"
    path.write_bytes(buffer.getvalue())
    return path


def assert_clean(result: subprocess.CompletedProcess[str]) -> None:
    """No traceback and no secret anywhere in the output."""
    for text in (result.stdout, result.stderr):
        assert "Traceback" not in text
        assert SECRET_KEY not in text


def test_readable_verdict_and_signed_request(recording_server, photo, tmp_path):
    server = recording_server([(200, JSON, json.dumps(SUCCESS).encode())])
    result = run_cli(
        ["detect", str(photo), "--endpoint", server.url, "--language", "en-US"], tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert_clean(result)
    out = result.stdout
    assert "Risk level: High" in out and "advises blocking" in out
    assert "SuspectedSynthesisImage: The face in the picture looks AI-generated" in out
    assert "SuspectedNewKind: (type not known to this tool, shown as sent)" in out
    assert "RequestId: cli-req-42" in out
    assert "Latency:" in out and "(1 attempt)" in out
    assert "Input: image 480x640" in out
    assert "environment variables TENCENTCLOUD_SECRET_ID" in out
    assert "No face found" in result.stderr  # media's warning, passed on
    (record,) = server.requests
    headers = {k.lower(): v for k, v in record["headers"].items()}
    assert headers["x-tc-language"] == "en-US"
    body = json.loads(record["body"])
    assert body["FaceInputType"] == 1 and body["FaceInput"].startswith("/9j/")
    assert headers["authorization"] == signing.sign(
        secret_id=SECRET_ID,
        secret_key=SECRET_KEY,
        service="faceid",
        timestamp=int(headers["x-tc-timestamp"]),
        method="POST",
        headers={"content-type": headers["content-type"], "host": headers["host"]},
        payload=record["body"],
    )


def test_json_prints_the_response_object_as_received(recording_server, photo, tmp_path):
    server = recording_server([(200, JSON, json.dumps(SUCCESS).encode())])
    result = run_cli(
        ["detect", str(photo), "--image", "--endpoint", server.url, "--json"], tmp_path
    )
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed == SUCCESS["Response"] and list(printed) == list(SUCCESS["Response"])


def test_chinese_output_by_default(recording_server, photo, tmp_path):
    server = recording_server([(200, JSON, json.dumps(SUCCESS).encode())])
    result = run_cli(["detect", str(photo), "--endpoint", server.url], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "风险等级: High" in result.stdout and "建议拦截" in result.stdout


def test_api_error_exits_1_with_code_and_guidance(recording_server, photo, tmp_path):
    error = {
        "Response": {
            "Error": {"Code": "AuthFailure.SignatureExpire", "Message": "expired"},
            "RequestId": "cli-err-7",
        }
    }
    server = recording_server([(200, JSON, json.dumps(error).encode())])
    result = run_cli(
        ["detect", str(photo), "--endpoint", server.url, "--language", "en-US"], tmp_path
    )
    assert result.returncode == 1
    assert_clean(result)
    assert "AuthFailure.SignatureExpire: expired (RequestId cli-err-7)" in result.stderr
    assert result.stderr.count("AuthFailure.SignatureExpire") == 1  # the code said once
    assert "clock" in result.stderr
    assert len(server.requests) == 1
    result = run_cli(["detect", str(photo), "--endpoint", server.url, "--json"], tmp_path)
    assert result.returncode == 1
    assert json.loads(result.stdout) == error["Response"]  # the error Response, as received
    assert "AuthFailure.SignatureExpire" in result.stderr and "时间" in result.stderr
    assert "。怎么办" in result.stderr and ". 怎么办" not in result.stderr


def test_proxy_page_and_unreachable_server_exit_1(recording_server, photo, tmp_path):
    page = b"<html><head><title>502 Bad Gateway</title></head></html>"
    server = recording_server([(502, "text/html", page)])
    result = run_cli(
        ["detect", str(photo), "--endpoint", server.url, "--language", "en-US"], tmp_path
    )
    assert result.returncode == 1
    assert "HTTP 502" in result.stderr and "proxy" in result.stderr
    assert_clean(result)
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run_cli(
        [
            "detect",
            str(photo),
            "--endpoint",
            f"http://127.0.0.1:{port}",
            "--retries",
            "0",
            "--language",
            "en-US",
        ],
        tmp_path,
    )
    assert result.returncode == 1
    assert (
        "Client.ConnectionFailed" in result.stderr and "Cannot reach the service" in result.stderr
    )
    assert_clean(result)


@pytest.mark.parametrize(
    ("args", "with_keys", "expected"),
    [
        (
            ["detect", "{photo}", "--endpoint", "ftp://x"],
            True,
            "must start with http:// or https://",
        ),
        (["detect", "{photo}", "--video"], True, "photo.jpg is an image, not a video (--video)"),
        (["detect", "{missing}"], True, "cannot read"),
        (["detect", "{text}"], True, "Not a supported photo or video"),
        (["detect", "{photo}"], False, "no Tencent Cloud credentials found; searched: explicit"),
        (
            ["detect", "{photo}", "--secret-id", SECRET_ID, "--secret-key", " padded"],
            False,
            "SecretKey has leading",
        ),
        (["detect"], True, "the following arguments are required: PATH"),
        (["detect", "{photo}", "--language", "fr"], True, "invalid choice"),
    ],
)
def test_bad_input_usage_and_config_exit_2(photo, tmp_path, args, with_keys, expected):
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    paths = {"photo": str(photo), "missing": str(tmp_path / "missing.jpg"), "text": str(text)}
    english = ["--language", "en-US"] if len(args) > 1 and "--language" not in args else []
    result = run_cli([a.format(**paths) for a in args] + english, tmp_path, with_keys=with_keys)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert expected in result.stderr
    assert_clean(result)
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("raised", "code", "line"),
    [
        (ConfigError("endpoint is empty"), 2, "error: endpoint is empty"),
        (ServiceError("AuthFailure.SecretIdNotFound", "no id", "r-1"), 1, "error: AuthFailure"),
        (KeyboardInterrupt(), 130, "interrupted"),
        (ZeroDivisionError("bug"), 1, "unexpected error (ZeroDivisionError): bug"),
    ],
)
def test_run_guarded_maps_each_escaping_error_to_one_line_and_its_exit_code(raised, code, line):
    from client.exits import run_guarded

    def command() -> int:
        raise raised

    err = io.StringIO()
    assert run_guarded(command, err) == code
    assert err.getvalue().startswith(line) and err.getvalue().count("\n") == 1
