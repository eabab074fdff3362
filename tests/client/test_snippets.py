"""The Raw view's snippets run as shown against a running sandbox (curl, Python SDK,
Node.js SDK), and the others name the endpoint and file form correctly; placeholders for
the real service; never user info from an endpoint; comments in the page language."""

from __future__ import annotations

import ast
import base64
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from client.snippets import (
    COMMENT_KEYS,
    PLACEHOLDER_ID,
    PLACEHOLDER_KEY,
    SNIPPET_KINDS,
    TCCLI_FILE_THRESHOLD,
    SnippetTarget,
    build_snippets,
    endpoint_parts,
    input_file_name,
)
from components.i18n import load_strings
from sandbox import DEMO_SECRET_ID, DEMO_SECRET_KEY, Sandbox

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
NODE_MODULES = ROOT / "tests" / "node" / "node_modules"


def comments(lang: str) -> dict[str, str]:
    strings = load_strings(lang)
    return {key: strings[f"raw.snippet.{key}"] for key in COMMENT_KEYS}


def sandbox_target(sandbox: Sandbox, data: bytes, input_type: int, **kw) -> SnippetTarget:
    return SnippetTarget(
        endpoint=sandbox.url,
        region=kw.pop("region", None),
        language=kw.pop("language", "en-US"),
        input_type=input_type,
        base64_chars=len(base64.b64encode(data)),
        mime=kw.pop("mime", "image/jpeg" if input_type == 1 else "video/mp4"),
        secret_id=DEMO_SECRET_ID,
        secret_key=DEMO_SECRET_KEY,
    )


@pytest.fixture(scope="module")
def demo_sandbox():
    """The page's sandbox as the page runs it: the demo kit's scenario, demo keys."""
    with Sandbox(qps=0, scenario=SAMPLES / "scenario.toml") as sandbox:
        yield sandbox


def run_snippet(command: list[str], workdir: Path, **env: str) -> dict:
    """Run one snippet in `workdir`; its printed JSON (the SDKs print the Response)."""
    done = subprocess.run(
        command,
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


CASES = [
    ("composite_photo.jpg", 1, "High", ["SuspectedSynthesisImage"]),
    ("composite_video.mp4", 2, "High", ["SuspectedSynthesisVideo"]),  # base64 > 128 KiB
]


@pytest.mark.parametrize(("sample", "input_type", "level", "types"), CASES)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_curl_snippet_runs_against_the_sandbox(
    demo_sandbox, tmp_path, sample, input_type, level, types, lang
):
    data = (SAMPLES / sample).read_bytes()
    target = sandbox_target(demo_sandbox, data, input_type, region="ap-guangzhou")
    snippet = build_snippets(target, comments(lang))["curl"]
    (tmp_path / input_file_name(input_type, target.mime)).write_bytes(data)
    (tmp_path / "detect.sh").write_text(snippet, encoding="utf-8")
    reply = run_snippet(["bash", "-euo", "pipefail", "detect.sh"], tmp_path)["Response"]
    assert reply["AttackRiskLevel"] == level, reply
    assert [d["Type"] for d in reply["AttackRiskDetailList"]] == types


@pytest.mark.parametrize(("sample", "input_type", "level", "types"), CASES)
def test_python_sdk_snippet_runs_against_the_sandbox(
    demo_sandbox, tmp_path, sample, input_type, level, types
):
    data = (SAMPLES / sample).read_bytes()
    target = sandbox_target(demo_sandbox, data, input_type)
    snippet = build_snippets(target, comments("zh"))["python"]
    (tmp_path / input_file_name(input_type, target.mime)).write_bytes(data)
    (tmp_path / "detect.py").write_text(snippet, encoding="utf-8")
    reply = run_snippet(["python3", "detect.py"], tmp_path)
    assert reply["AttackRiskLevel"] == level
    assert [d["Type"] for d in reply["AttackRiskDetailList"]] == types


@pytest.mark.parametrize(("sample", "input_type", "level", "types"), CASES)
def test_node_sdk_snippet_runs_against_the_sandbox(
    demo_sandbox, tmp_path, sample, input_type, level, types
):
    assert (NODE_MODULES / "tencentcloud-sdk-nodejs").is_dir(), "npm ci --prefix tests/node"
    data = (SAMPLES / sample).read_bytes()
    target = sandbox_target(demo_sandbox, data, input_type)
    snippet = build_snippets(target, comments("en"))["node"]
    (tmp_path / input_file_name(input_type, target.mime)).write_bytes(data)
    (tmp_path / "detect.js").write_text(snippet, encoding="utf-8")
    reply = run_snippet(["node", "detect.js"], tmp_path, NODE_PATH=str(NODE_MODULES))
    assert reply["AttackRiskLevel"] == level
    assert [d["Type"] for d in reply["AttackRiskDetailList"]] == types


def test_snippet_with_a_refused_call_fails_loudly(demo_sandbox, tmp_path):
    # The same Python snippet with a wrong key: the SDK's error, a non-zero exit.
    data = (SAMPLES / "composite_photo.jpg").read_bytes()
    target = sandbox_target(demo_sandbox, data, 1)
    snippet = build_snippets(target, comments("en"))["python"].replace(
        DEMO_SECRET_KEY, "not-the-key"
    )
    (tmp_path / "face.jpg").write_bytes(data)
    (tmp_path / "detect.py").write_text(snippet, encoding="utf-8")
    done = subprocess.run(
        ["python3", "detect.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0 and "AuthFailure.SignatureFailure" in done.stderr


def test_tccli_snippet_endpoint_and_argument_or_file_form(demo_sandbox, tmp_path):
    small = (SAMPLES / "composite_photo.jpg").read_bytes()
    large = (SAMPLES / "real_video.mp4").read_bytes()
    assert len(base64.b64encode(small)) < TCCLI_FILE_THRESHOLD < len(base64.b64encode(large))
    text = comments("en")
    small_cli = build_snippets(sandbox_target(demo_sandbox, small, 1), text)["tccli"]
    assert f"--endpoint http://127.0.0.1:{demo_sandbox.port} " in small_cli
    assert f"--secretId {DEMO_SECRET_ID} --secretKey {DEMO_SECRET_KEY}" in small_cli
    assert "--FaceInput \"$(base64 < face.jpg | tr -d '\\n')\" --FaceInputType 1" in small_cli
    assert "cli-input-json" not in small_cli and "configure set" not in small_cli
    large_cli = build_snippets(sandbox_target(demo_sandbox, large, 2), text)["tccli"]
    assert "--cli-input-json file://request.json" in large_cli
    assert "--FaceInput " not in large_cli
    # The line that writes request.json runs as shown and writes the exact input.
    writer = next(line for line in large_cli.splitlines() if line.endswith("> request.json"))
    (tmp_path / "clip.mp4").write_bytes(large)
    subprocess.run(["bash", "-c", writer], cwd=tmp_path, check=True, timeout=60)
    request = json.loads((tmp_path / "request.json").read_text())
    assert base64.b64decode(request["FaceInput"], validate=True) == large
    assert request["FaceInputType"] == 2
    if shutil.which("tccli"):  # run it as shown where tccli is installed (no profile needed)
        (tmp_path / "detect.sh").write_text(large_cli, encoding="utf-8")
        reply = run_snippet(["bash", "-e", "detect.sh"], tmp_path, HOME=str(tmp_path))
        assert reply["AttackRiskLevel"] == "Low"  # the scenario's real video


def test_go_and_java_snippets_name_the_endpoint_scheme_and_file(demo_sandbox):
    data = (SAMPLES / "composite_photo.jpg").read_bytes()
    snippets = build_snippets(sandbox_target(demo_sandbox, data, 1), comments("en"))
    host = f"127.0.0.1:{demo_sandbox.port}"
    go, java = snippets["go"], snippets["java"]
    assert f'cpf.HttpProfile.Endpoint = "{host}"' in go
    assert 'cpf.HttpProfile.Scheme = "HTTP"' in go
    assert 'os.ReadFile("face.jpg")' in go and "common.Int64Ptr(1)" in go
    assert f'common.NewCredential("{DEMO_SECRET_ID}", "{DEMO_SECRET_KEY}")' in go
    assert go.count("{") == go.count("}") and re.search(r"^package main$", go, re.M)
    assert f'httpProfile.setEndpoint("{host}");' in java
    assert 'httpProfile.setProtocol("http://");' in java
    assert 'Paths.get("face.jpg")' in java and "setFaceInputType(1L)" in java
    assert java.count("{") == java.count("}") and "public class DetectAIFakeFaces" in java


def test_real_service_snippets_have_placeholders_and_no_sandbox_keys():
    target = SnippetTarget("faceid.intl.tencentcloudapi.com", "ap-singapore", "en-US", 2, 500)
    snippets = build_snippets(target, comments("en"))
    for kind in SNIPPET_KINDS:
        text = snippets[kind]
        assert PLACEHOLDER_ID in text and PLACEHOLDER_KEY in text, kind
        assert DEMO_SECRET_KEY not in text and "127.0.0.1" not in text, kind
        assert "faceid.intl.tencentcloudapi.com" in text, kind
        assert "ap-singapore" in text, kind
        assert "clip.mp4" in text, kind
    assert 'curl -sS -X POST "https://$host/"' in snippets["curl"]
    assert 'HttpProfile(endpoint="faceid.intl.tencentcloudapi.com")' in snippets["python"]
    assert 'protocol: "https://"' in snippets["node"]
    # Placeholder keys go into tccli's profile, not onto a command line.
    assert (
        "tccli configure set secretId AKIDEXAMPLE secretKey YOUR_SECRET_KEY" in (snippets["tccli"])
    )
    assert "--secretKey" not in snippets["tccli"]
    assert "--endpoint https://faceid.intl.tencentcloudapi.com" in snippets["tccli"]
    ast.parse(snippets["python"])


def test_endpoint_user_info_path_and_query_never_shown():
    endpoint = "https://alice:s3cret@proxy.example.com:8443/gateway-path/?token=abc#frag"
    assert endpoint_parts(endpoint) == ("https", "proxy.example.com:8443")
    snippets = build_snippets(SnippetTarget(endpoint, None, "zh-CN", 1), comments("zh"))
    for text in snippets.values():
        for secret in ("alice", "s3cret", "token=abc", "frag", "gateway-path"):
            assert secret not in text
    assert endpoint_parts("http://[::1]:8765") == ("http", "[::1]:8765")
    assert endpoint_parts("faceid.tencentcloudapi.com") == ("https", "faceid.tencentcloudapi.com")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_comments_are_in_the_page_language(lang):
    target = SnippetTarget("faceid.tencentcloudapi.com", None, "zh-CN", 1, 500)
    texts = comments(lang)
    snippets = build_snippets(target, texts)
    placeholder_note = texts["keys_placeholder"]
    for kind in SNIPPET_KINDS:
        assert placeholder_note in snippets[kind], kind
        comment_lines = [
            line for line in snippets[kind].splitlines() if line.lstrip().startswith(("#", "//"))
        ]
        has_chinese = any(re.search(r"[\u4e00-\u9fff]", line) for line in comment_lines)
        assert has_chinese == (lang == "zh"), kind


def test_python_snippet_is_valid_python_and_node_snippet_valid_javascript(tmp_path):
    target = SnippetTarget("http://127.0.0.1:8765", None, "en-US", 1, 10, "image/png")
    snippets = build_snippets(target, comments("zh"))
    ast.parse(snippets["python"])
    assert '"face.png"' in snippets["python"]
    (tmp_path / "s.js").write_text(snippets["node"], encoding="utf-8")
    subprocess.run(["node", "--check", str(tmp_path / "s.js")], check=True, timeout=60)
