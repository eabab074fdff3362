"""`components.batch_files`: collecting uploads and zips within limits, and the CSV."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from components.batch_files import BatchError, BatchLimits, batch_csv, collect_files


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def test_uploads_and_zip_members_in_order_and_the_temp_folder_is_removed(tmp_path: Path) -> None:
    tmp_path = tmp_path / "work"
    tmp_path.mkdir()
    archive = _zip({"b/2.jpg": b"two", "a/1.jpg": b"one", "../evil.jpg": b"x", "__MACOSX/x": b""})
    collected = collect_files([("x.jpg", b"zero"), ("set.zip", archive)], temp_dir=tmp_path)
    assert [f.name for f in collected.files] == ["x.jpg", "set.zip/a/1.jpg", "set.zip/b/2.jpg"]
    assert [(u.name, u.code) for u in collected.left_out] == [("set.zip/../evil.jpg", "unsafe")]
    assert list(tmp_path.iterdir()) == []  # unpacked files gone


def test_identical_content_is_counted_once() -> None:
    collected = collect_files([("a.jpg", b"same"), ("b.jpg", b"same"), ("c.jpg", b"other")])
    assert collected.distinct == 2


@pytest.mark.parametrize(
    ("uploads", "code"),
    [
        ([(f"{i}.jpg", b"x") for i in range(4)], "too_many"),
        ([("z.zip", _zip({f"{i}.jpg": b"x" for i in range(4)}))], "too_many"),
        ([("a.jpg", b"x" * 60), ("b.jpg", b"y" * 60)], "too_big"),
        ([("z.zip", _zip({"a.jpg": b"x" * 150}))], "too_big"),
        ([("z.zip", b"PK\x03\x04 not really a zip")], "bad_zip"),
    ],
)
def test_limits_refuse_the_whole_upload_with_a_message(uploads, code, tmp_path: Path) -> None:
    tmp_path = tmp_path / "work"
    tmp_path.mkdir()
    limits = BatchLimits(max_files=3, max_total_bytes=100)
    with pytest.raises(BatchError) as caught:
        collect_files(uploads, limits, temp_dir=tmp_path)
    assert caught.value.code == code
    assert caught.value.text("zh") != caught.value.text("en")
    assert list(tmp_path.iterdir()) == []


def test_the_csv_defuses_formulas_from_file_names_and_messages() -> None:
    text = batch_csv(
        [
            {"row": 1, "name": '=HYPERLINK("http://x")', "error_message": "+1", "level": "Low"},
            {"row": 2, "name": "plain.jpg", "same_as_row": 1},
        ]
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["name"].startswith("'=") and rows[0]["error_message"] == "'+1"
    assert rows[1]["name"] == "plain.jpg" and rows[1]["same_as_row"] == "1"


_MEASURE = r"""
import io, resource, sys, tempfile, zipfile
from pathlib import Path
from components.batch_files import BatchError, BatchLimits, collect_files

buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
    with zf.open("bomb.jpg", "w", force_zip64=True) as member:
        chunk = b"\0" * (1 << 20)
        for _ in range(int(sys.argv[2])):
            member.write(chunk)
bomb = buffer.getvalue()
work = Path(tempfile.mkdtemp())
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    collect_files([("bomb.zip", bomb)], BatchLimits(max_total_bytes=20 << 20), temp_dir=work)
except BatchError as exc:
    code = exc.code
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(code, len(bomb), (after - before) // 1024, len(list(work.iterdir())))
"""


def test_a_zip_bomb_is_refused_in_bounded_memory_and_leaves_no_files() -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, "bomb", "512"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    code, packed, grown_mb, left = out[0], int(out[1]), int(out[2]), int(out[3])
    assert code == "too_big" and packed < 2 << 20  # 512 MB of zeros in under 2 MB
    assert grown_mb < 64, f"peak memory grew {grown_mb} MB unpacking a 512 MB bomb"
    assert left == 0
