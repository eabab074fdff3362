"""Hostile files through `python -m media prepare`, each in a fresh process: the outcome
(prepared, or the right refusal in both languages) and a bound on the child's peak memory
(above an idle child that only imports the package) and time (CPU seconds, which a busy
machine does not inflate; bench/hostile.py reports wall time)."""

from __future__ import annotations

import io
import json
import struct
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.hostile_corpus import CORPUS, Hostile, Measured, measure_child, write_corpus

ROOT = Path(__file__).resolve().parents[2]
PEAK_ABOVE_IDLE_MB = 600
MAX_SECONDS = 15.0


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_corpus(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def idle_mb() -> float:
    idle = measure_child([sys.executable, "-c", "import media.cli"], cwd=str(ROOT))
    assert idle.returncode == 0, idle.stderr
    return idle.peak_mb


def prepare_in_child(path: Path, out: Path, lang: str = "en") -> Measured:
    argv = [sys.executable, "-m", "media", "prepare", str(path), "--out", str(out), "--json"]
    return measure_child([*argv, "--lang", lang], cwd=str(ROOT), timeout_s=120)


@pytest.mark.parametrize("entry", CORPUS, ids=[entry.name for entry in CORPUS])
def test_hostile_file_is_handled_in_bounded_memory_and_time(
    entry: Hostile, corpus: dict[str, Path], idle_mb: float, tmp_path: Path
) -> None:
    run = prepare_in_child(corpus[entry.name], tmp_path / "out.bin")
    above_idle = run.peak_mb - idle_mb
    assert above_idle <= PEAK_ABOVE_IDLE_MB, f"{entry.name}: {run.peak_mb:.0f} MB peak"
    # CPU time, not wall time: the bound holds on a machine shared with other jobs.
    assert run.cpu_s <= MAX_SECONDS, f"{entry.name}: {run.cpu_s:.1f} s of CPU"
    assert "Traceback" not in run.stderr
    if "ok" in entry.outcomes and run.returncode == 0:
        report = json.loads(run.stdout)
        assert (tmp_path / "out.bin").stat().st_size > 0 and report["base64_bytes"] <= 10 * 2**20
        return
    assert run.returncode == 2, run.stderr
    message = run.stderr.strip()
    assert message.startswith("error: ") and "\n" not in message
    codes = {code for code in entry.outcomes if code != "ok"}
    assert codes, f"{entry.name} should have been prepared: {message}"
    expected_words = {
        "too_many_pixels": "too large to decode safely",
        "corrupt_video": "The video cannot be decoded (damaged",
    }
    assert any(expected_words[code] in message for code in codes), message


def test_refusals_name_the_reason_in_chinese(corpus: dict[str, Path], tmp_path: Path) -> None:
    huge_frame = prepare_in_child(corpus["frame_16000x16000_16bit.mov"], tmp_path / "a", "zh")
    assert huge_frame.returncode == 2 and "视频画面过大" in huge_frame.stderr
    damaged = prepare_in_child(corpus["broken_moov.mp4"], tmp_path / "b", "zh")
    assert damaged.returncode == 2 and "无法解码此视频（文件损坏" in damaged.stderr


def test_same_timestamp_frames_stop_at_the_frame_budget(
    corpus: dict[str, Path], tmp_path: Path
) -> None:
    run = prepare_in_child(corpus["same_timestamp_300000.mkv"], tmp_path / "out.mp4")
    assert run.returncode == 0, run.stderr
    steps = json.loads(run.stdout)["steps"]
    assert any("stopped decoding" in step and "limit of" in step for step in steps), steps


def test_many_exif_segments_keep_the_picture(corpus: dict[str, Path], tmp_path: Path) -> None:
    from media import prepare
    from media.jpeg_metadata import bounded_jpeg_metadata

    data = corpus["exif_1600_segments.jpg"].read_bytes()
    bounded = bounded_jpeg_metadata(data)
    assert len(bounded) < 100_000 < len(data)
    assert prepare(data).size == prepare(bounded).size


def _with_size(jpeg: bytes, width: int, height: int, sof: bytes) -> bytes:
    """`jpeg` with the size in its SOF segment (`sof`: b"\\xff\\xc0" or b"\\xff\\xc2")
    replaced: a small file declaring a large picture."""
    at = jpeg.index(sof)
    return jpeg[: at + 5] + struct.pack(">HH", height, width) + jpeg[at + 9 :]


def test_a_progressive_jpeg_is_refused_from_a_lower_pixel_count() -> None:
    from media import MediaError, identify

    picture = Image.new("RGB", (256, 256), (90, 120, 150))
    progressive, baseline = io.BytesIO(), io.BytesIO()
    picture.save(progressive, format="JPEG", progressive=True)
    picture.save(baseline, format="JPEG")
    # 81 megapixels: over the progressive limit (its decoder keeps every coefficient),
    # under the baseline one (decoded at 1/8 scale).
    huge_progressive = _with_size(progressive.getvalue(), 9000, 9000, b"\xff\xc2")
    with pytest.raises(MediaError) as caught:
        identify(huge_progressive)
    assert caught.value.code == "too_many_pixels" and "9000x9000" in str(caught.value)
    info = identify(_with_size(baseline.getvalue(), 9000, 9000, b"\xff\xc0"))
    assert (info.width, info.height) == (9000, 9000)  # baseline: decoded at reduced scale


def test_high_depth_pictures_become_rgb_in_strips_with_the_same_levels() -> None:
    from media.images import to_rgb

    values = np.linspace(-5.0, 5.0, 700 * 300, dtype=np.float32).reshape(700, 300)
    values[0, 0], values[1, 1] = np.nan, np.inf
    converted, note = to_rgb(Image.fromarray(values, mode="F"))
    grey = np.asarray(converted)[:, :, 0]
    assert converted.mode == "RGB" and converted.size == (300, 700) and "floating" in note
    assert grey[0, 0] == 0 and grey[1, 1] == 0  # NaN and infinity: the darkest level
    assert grey[0, 2] == 0 and grey[-1, -1] == 255 and grey[350, 0] in (127, 128)
    sixteen = Image.fromarray(np.full((600, 80), 65535, dtype=np.uint16))
    assert np.asarray(to_rgb(sixteen)[0]).min() == 255
