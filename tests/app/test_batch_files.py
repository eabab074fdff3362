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
