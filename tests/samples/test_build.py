"""samples/build.py rebuilds the kit reproducibly and refuses to write media that fail."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import media
from samples import SAMPLES_DIR
from samples import build as build_module
from samples.build import SPECS, SampleSpec, main, verify
from samples.effects import astronaut_path

ROOT = SAMPLES_DIR.parent


def _jpeg(rgb: np.ndarray, quality: int = 85) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def test_the_source_is_the_public_domain_portrait_shipped_with_scikit_image() -> None:
    path = astronaut_path()
    assert path.name == "astronaut.png" and "skimage" in path.parts
    with Image.open(path) as image:
        assert image.size == (512, 512)


@pytest.mark.slow
def test_both_entry_points_rebuild_the_same_bytes_as_each_other(tmp_path: Path) -> None:
    first, second = tmp_path / "script", tmp_path / "module"
    for command in (
        [sys.executable, "samples/build.py", "--out", str(first)],
        [sys.executable, "-m", "samples.build", "--out", str(second)],
    ):
        run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=240)
        assert run.returncode == 0, run.stderr
    names = sorted(spec.file for spec in SPECS)
    assert sorted(p.name for p in first.iterdir()) == names  # no staging folder left behind
    for name in names:
        rebuilt = (first / name).read_bytes()
        assert rebuilt == (second / name).read_bytes(), f"{name} differs between two builds"
        shipped = media.perceptual_hash((SAMPLES_DIR / name).read_bytes())
        assert media.hamming_distance(media.perceptual_hash(rebuilt), shipped) <= 2, name


def test_verify_reports_a_picture_without_a_face_and_an_oversized_file() -> None:
    noise = np.random.default_rng(0).integers(0, 256, (640, 480, 3), dtype=np.uint8)
    problems = verify({"real_photo.jpg": _jpeg(noise, quality=100)})
    assert any("found 0 faces" in problem for problem in problems)
    assert any("limit 150000" in problem for problem in problems)


def test_verify_reports_samples_the_sandbox_could_confuse() -> None:
    real = (SAMPLES_DIR / "real_photo.jpg").read_bytes()
    copy = _jpeg(np.asarray(Image.open(io.BytesIO(real)).convert("RGB")), quality=60)
    problems = verify({"real_photo.jpg": real, "composite_photo.jpg": copy})
    assert len(problems) == 1 and "perceptual hashes only" in problems[0]


def test_verify_accepts_the_shipped_kit() -> None:
    assert verify({spec.file: (SAMPLES_DIR / spec.file).read_bytes() for spec in SPECS}) == []


def test_a_failed_check_writes_nothing_and_says_why_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blank = _jpeg(np.full((640, 480, 3), 128, dtype=np.uint8))
    monkeypatch.setattr(
        build_module, "SPECS", (SampleSpec("real_photo.jpg", "image", lambda s, c: blank),)
    )
    out = tmp_path / "out"
    assert main(["--out", str(out)]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith("error: ") and "real_photo.jpg" in error and "\n" not in error
    assert not out.exists() or list(out.iterdir()) == []
