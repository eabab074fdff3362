"""`python -m media prepare`: files written, reports printed, exit codes, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image

from media import MediaError, files, prepare

ROOT = Path(__file__).resolve().parents[2]


# Run the command line in a fresh interpreter from the project root.
def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "media", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_prepares_a_photo_with_a_readable_summary(tmp_path: Path, build: SimpleNamespace) -> None:
    source = tmp_path / "portrait.png"
    source.write_bytes(build.encode(build.selfie(960, 1280), "PNG"))
    result = run("prepare", str(source))
    assert result.returncode == 0, result.stderr
    out = tmp_path / "portrait.prepared.jpg"
    assert Image.open(out).size == (480, 640)
    assert "480x640" in result.stdout and "faces: " in result.stdout and "step:" in result.stdout
    assert result.stderr == ""


def test_json_report_for_a_video_window(tmp_path: Path, clips: Callable[[str], bytes]) -> None:
    source = tmp_path / "long.mp4"
    source.write_bytes(clips("1080p_60s"))
    out = tmp_path / "kept.mp4"
    result = run(
        "prepare",
        str(source),
        "--out",
        str(out),
        "--max-side",
        "480",
        "--start",
        "10",
        "--seconds",
        "2",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["out"] == str(out) and out.read_bytes()[4:8] == b"ftyp"
    assert report["kind"] == "video" and report["size"] == [480, 270]
    assert report["duration_s"] == 2.0 and report["bytes"] == out.stat().st_size
    assert {w["code"] for w in report["warnings"]} >= {"no_face", "low_fps"}


def test_warnings_still_exit_zero_in_chinese(tmp_path: Path) -> None:
    source = tmp_path / "blank.png"
    Image.new("RGB", (400, 300), (90, 90, 90)).save(source)
    result = run("prepare", str(source), "--lang", "zh", "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["warnings"][0]["text"].startswith("未检测到人脸")


def test_unusable_inputs_exit_2_with_one_line(tmp_path: Path, build: SimpleNamespace) -> None:
    cases = {
        "notes.jpg": b"this is not a picture\n",
        "empty.png": b"",
        "bomb.png": build.png_declaring(50000, 50000),
        "cut.jpg": build.encode(build.astronaut(), "JPEG")[:4000],
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        result = run("prepare", str(tmp_path / name))
        assert result.returncode == 2, name
        assert result.stdout == ""
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert not list(tmp_path.glob("*.prepared.*")), "nothing half-written"
    missing = run("prepare", str(tmp_path / "nowhere.mp4"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr


def test_heic_opens_in_a_fresh_process(tmp_path: Path, build: SimpleNamespace) -> None:
    import pillow_heif

    # pillow-heif is registered by media itself, lazily: the child has not imported it.
    source = tmp_path / "IMG_0001.HEIC"
    pillow_heif.from_pillow(build.selfie(600, 800)).save(source, quality=90)
    result = run("prepare", str(source), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["original_format"] == "heic" and report["size"] == [480, 640]
    assert len(report["faces"]) == 1


def test_ctrl_c_is_one_line_and_exit_130(
    tmp_path: Path, monkeypatch, capsys, build: SimpleNamespace
) -> None:
    import media.cli

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    source = tmp_path / "portrait.png"
    source.write_bytes(build.encode(build.selfie(320, 400), "PNG"))
    monkeypatch.setattr(media.cli, "prepare", interrupted)
    assert media.cli.main(["prepare", str(source)]) == 130
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.strip() == "interrupted / 已中断"
    assert not list(tmp_path.glob("*.prepared.*"))


def test_an_interrupted_write_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.jpg"

    def broken_replace(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(KeyboardInterrupt):
        files.write_atomically(target, b"x" * 1000)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("content", "zh_name"),
    [
        (b"hello, world\n", "文本文件"),
        (b"%PDF-1.7\n...", "PDF 文档"),
        (b"ID3\x03\x00", "MP3 音频文件"),
    ],
)
def test_refusals_of_other_content_are_wholly_chinese_in_chinese(
    content: bytes, zh_name: str
) -> None:
    with pytest.raises(MediaError) as caught:
        prepare(content, "upload.jpg")
    text = caught.value.text("zh")
    assert zh_name in text
    assert not any("a" <= ch <= "z" for ch in text.split("；")[0]), text
