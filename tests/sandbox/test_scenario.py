"""Scenarios: the file format, its errors, and matching that survives the project's own
preparation (downscale, re-encode, trim) without confusing different pictures."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

import media
from sandbox import Sandbox, ScenarioError, load_scenario

SCENARIO = """
[default]
level = "Low"
face_check = false

[[rule]]
name = "astronaut deepfake"
match = "refs/astronaut.png"
level = "High"
types = ["SuspectedSynthesisImage", "SuspecteeAnomalyAttack"]
extra = { RetrievalLivenessExtraInfo = [{ HitGroup = "Common", SimilarityScore = 0.31, HitTemplate = "t-1" }] }

[[rule]]
name = "covered cat"
match = "refs/chelsea.png"
error = "FailedOperation.CoveredFace"
"""


def jpeg(picture: Image.Image, quality: int = 90) -> bytes:
    """`picture` as JPEG bytes."""
    out = io.BytesIO()
    picture.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def write_scenario(tmp_path: Path, text: str, refs: dict[str, bytes] | None = None) -> Path:
    """`text` as scenario.toml, with reference files under refs/."""
    (tmp_path / "refs").mkdir(exist_ok=True)
    for name, data in (refs or {}).items():
        (tmp_path / "refs" / name).write_bytes(data)
    path = tmp_path / "scenario.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def demo_scenario(tmp_path: Path, picture) -> Path:
    """SCENARIO with its two reference pictures (PNG, as shipped by scikit-image)."""
    refs = {
        "astronaut.png": picture("astronaut.png", "PNG"),
        "chelsea.png": picture("chelsea.png", "PNG"),
    }
    return write_scenario(tmp_path, SCENARIO, refs)


def sdk_result(client, detect, data: bytes, input_type: int):
    """The SDK reply, or the error code it raised."""
    try:
        return detect(client, data, input_type)
    except TencentCloudSDKException as exc:
        return exc.get_code()


def test_matching_survives_preparation(demo_scenario, sdk, detect, astronaut_image, picture):
    big = astronaut_image.resize((1000, 1000))  # an upscaled original the app would downscale
    prepared = media.prepare(jpeg(big, 95), "astronaut.jpg")
    assert prepared.size[0] <= 640
    variants = {
        "prepared": prepared.data,
        "low quality": jpeg(astronaut_image, 35),
        "small": jpeg(astronaut_image.resize((160, 160)), 80),
        "png": picture("astronaut.png", "PNG"),
    }
    with Sandbox(qps=0, scenario=demo_scenario) as sandbox:
        client = sdk(sandbox)
        for name, data in variants.items():
            reply = sdk_result(client, detect, data, 1)
            assert not isinstance(reply, str), (name, reply)
            assert reply.AttackRiskLevel == "High", name
            assert [d.Type for d in reply.AttackRiskDetailList] == [
                "SuspectedSynthesisImage",
                "SuspecteeAnomalyAttack",
            ]
            hit = reply.ExtraInfo.RetrievalLivenessExtraInfo[0]
            assert (hit.HitGroup, hit.SimilarityScore, hit.HitTemplate) == ("Common", 0.31, "t-1")


def test_different_pictures_are_not_confused(demo_scenario, sdk, detect, picture):
    with Sandbox(qps=0, scenario=demo_scenario) as sandbox:
        client = sdk(sandbox)
        for name in ("coffee.png", "camera.png", "rocket.jpg", "horse.png"):
            reply = sdk_result(client, detect, picture(name), 1)
            assert not isinstance(reply, str), (name, reply)
            assert reply.AttackRiskLevel == "Low", name  # the default, not a rule's outcome
        assert (
            sdk_result(client, detect, picture("chelsea.png", "JPEG"), 1)
            == "FailedOperation.CoveredFace"
        )


def test_matching_survives_video_preparation_and_trim(
    demo_scenario, sdk, detect, astronaut_image, video
):
    clip = video(astronaut_image, seconds=2, fps=10, size=(640, 640))
    prepared = media.prepare(
        clip, "clip.mp4", media.PrepareOptions(max_side=480, video_seconds=1.0)
    )
    assert prepared.kind == "video" and prepared.duration_s <= 1.2
    with Sandbox(qps=0, scenario=demo_scenario) as sandbox:
        client = sdk(sandbox)
        assert detect(client, prepared.data, 2).AttackRiskLevel == "High"
        assert detect(client, clip, 2).AttackRiskLevel == "High"


def test_a_video_can_be_the_reference(tmp_path, sdk, detect, astronaut_image, video, picture):
    text = '[[rule]]\nmatch = "refs/clip.mp4"\nlevel = "Mid"\ntypes = ["SuspectedSynthesisVideo"]\n'
    path = write_scenario(tmp_path, text, {"clip.mp4": video(astronaut_image, seconds=1)})
    with Sandbox(qps=0, scenario=path) as sandbox:
        client = sdk(sandbox)
        assert detect(client, jpeg(astronaut_image), 1).AttackRiskLevel == "Mid"
        assert (
            sdk_result(client, detect, picture("coffee.png"), 1) == "FailedOperation.IncompleteFace"
        )


def test_sha256_rule_matches_exact_bytes_only(
    tmp_path, sdk, detect, astronaut_jpeg, astronaut_image
):
    digest = hashlib.sha256(astronaut_jpeg).hexdigest()
    path = write_scenario(
        tmp_path,
        f'[[rule]]\nsha256 = "{digest.upper()}"\nerror = "UnauthorizedOperation.Arrears"\n',
    )
    with Sandbox(qps=0, scenario=path) as sandbox:
        client = sdk(sandbox)
        assert sdk_result(client, detect, astronaut_jpeg, 1) == "UnauthorizedOperation.Arrears"
        assert detect(client, jpeg(astronaut_image, 70), 1).AttackRiskLevel == "Low"


def test_matched_input_skips_face_checks_but_not_decoding(tmp_path, sdk, detect, picture):
    coffee = picture("coffee.png")
    junk = b"\x89PNG\r\n\x1a\n broken"
    text = (
        f'[[rule]]\nsha256 = "{hashlib.sha256(coffee).hexdigest()}"\nlevel = "Mid"\n\n'
        f'[[rule]]\nsha256 = "{hashlib.sha256(junk).hexdigest()}"\nlevel = "High"\n'
    )
    with Sandbox(qps=0, scenario=write_scenario(tmp_path, text)) as sandbox:
        client = sdk(sandbox)
        assert detect(client, coffee, 1).AttackRiskLevel == "Mid"  # no face, yet a verdict
        assert sdk_result(client, detect, junk, 1) == "FailedOperation.ImageDecodeFailed"


def test_default_verdict_is_configurable(tmp_path, sdk, detect, picture):
    text = '[default]\nlevel = "Mid"\ntypes = ["SuspectedSpoofingAttack"]\nface_check = false\n'
    with Sandbox(qps=0, scenario=write_scenario(tmp_path, text)) as sandbox:
        reply = detect(sdk(sandbox), picture("coffee.png"), 1)
        assert reply.AttackRiskLevel == "Mid"
        assert [d.Type for d in reply.AttackRiskDetailList] == ["SuspectedSpoofingAttack"]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            '[[rule]]\nmatch = "refs/nothere.png"\nlevel = "High"\n',
            "rule 1: match file 'refs/nothere.png' not found",
        ),
        (
            '[[rule]]\nname = "x"\nsha256 = "abc"\nlevel = "High"\n',
            'rule 1 ("x"): sha256 must be 64 hexadecimal',
        ),
        (
            '[[rule]]\nsha256 = "' + "a" * 64 + '"\nlevel = "Severe"\n',
            "level must be one of Low, Mid, High",
        ),
        ('[[rule]]\nsha256 = "' + "a" * 64 + '"\n', "give either level"),
        (
            '[[rule]]\nsha256 = "' + "a" * 64 + '"\nlevel = "Low"\nerror = "InternalError"\n',
            "give either level",
        ),
        ('[[rule]]\nlevel = "Low"\n', "give exactly one of match"),
        (
            '[[rule]]\nsha256 = "'
            + "a" * 64
            + '"\nlevel = "Low"\ntypes = ["SuspectedWatermark"]\n',
            "only reported for Mid and High",
        ),
        ('[[rule]]\nsha256 = "' + "a" * 64 + '"\nerror = "not a code"\n', "error must be a code"),
        (
            '[[rule]]\nsha256 = "' + "a" * 64 + '"\nlevel = "High"\nlevle = "x"\n',
            "unknown key(s) levle",
        ),
        (
            '[[rule]]\nsha256 = "' + "a" * 64 + '"\nlevel = "High"\nextra = "x"\n',
            "extra must be a table",
        ),
        ('[default]\nerror = "InternalError"\n', "[default]: unknown key(s) error"),
        ('[default]\nface_check = "yes"\n', "face_check must be true or false"),
        ("[[rule]\n", "not valid TOML"),
        ('[[rules]]\nlevel = "Low"\n', "unknown key(s) rules"),
        ('[[rule]]\nmatch = "refs/notmedia.png"\nlevel = "High"\n', "cannot decode match file"),
    ],
)
def test_bad_scenarios_are_refused_naming_file_and_rule(tmp_path, text, fragment):
    path = write_scenario(tmp_path, text, {"notmedia.png": b"hello"})
    with pytest.raises(ScenarioError) as info:
        Sandbox(scenario=path)
    assert str(info.value).startswith(str(path))
    assert fragment in str(info.value)


def test_missing_scenario_file(tmp_path):
    with pytest.raises(ScenarioError, match="scenario file not found"):
        load_scenario(tmp_path / "absent.toml")


def test_closest_rule_wins_and_distance_is_reported(demo_scenario, astronaut_image):
    scenario = load_scenario(demo_scenario)
    data = jpeg(astronaut_image, 50)
    match = scenario.match(hashlib.sha256(data).hexdigest(), lambda: media.perceptual_hash(data))
    assert match is not None and match.rule.name == "astronaut deepfake"
    assert match.distance is not None and match.distance <= 10


def test_cli_reports_a_bad_scenario_in_one_line(tmp_path):
    path = write_scenario(tmp_path, '[[rule]]\nlevel = "Low"\n')
    result = subprocess.run(
        [sys.executable, "-m", "sandbox", "--port", "0", "--scenario", str(path)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "bad scenario file" in lines[0] and "场景文件有误" in lines[0] and "rule 1" in lines[0]
    assert "Traceback" not in result.stderr
