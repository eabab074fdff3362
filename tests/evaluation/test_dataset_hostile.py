"""Datasets that used to abort a whole run: a file listed twice, names that are not UTF-8,
a zip with one entry this file system refuses. Each now runs, with the odd entry listed."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from evaluation import Store
from evaluation.dataset import load_dataset, open_dataset
from sandbox import Sandbox


def test_a_file_listed_twice_is_one_item(tmp_path: Path, kit) -> None:
    (tmp_path / "a.jpg").write_bytes(kit.picture(1))
    (tmp_path / "b.jpg").write_bytes(kit.picture(2))
    manifest = tmp_path / "set.csv"
    manifest.write_text("path,label\na.jpg,real\nb.jpg,fake\n./a.jpg,fake\na.jpg,real\n")
    ds = load_dataset(manifest)
    assert [item.path for item in ds.items] == ["a.jpg", "b.jpg"]
    assert [(s.code, s.detail) for s in ds.skipped] == [
        ("duplicate", "row 3: already listed in row 1"),
        ("duplicate", "row 4: already listed in row 1"),
    ]


def test_names_that_are_not_utf8_are_kept_escaped(tmp_path: Path, kit) -> None:
    folder = os.fsencode(tmp_path / "real")
    os.makedirs(folder)
    with open(os.path.join(folder, b"caf\xe9.jpg"), "wb") as out:  # Latin-1, not UTF-8
        out.write(kit.picture(3))
    ds = load_dataset(tmp_path)
    (item,) = ds.items
    assert item.path == "real/caf\\xe9.jpg" and item.path.encode("utf-8")
    assert item.file.read_bytes() == kit.picture(3)


def test_a_zip_with_one_refused_name_runs_without_it(tmp_path: Path, kit) -> None:
    archive = tmp_path / "set.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("real/ok.jpg", kit.picture(4))
        zf.writestr("real/" + "n" * 300 + ".jpg", kit.picture(5))  # longer than NAME_MAX
        zf.writestr("fake/clash", b"a file where a folder comes next")
        zf.writestr("fake/clash/inner.jpg", kit.picture(6))
        zf.writestr("fake/fine.jpg", kit.picture(7))
    with open_dataset(archive) as ds:
        assert sorted(item.path for item in ds.items) == ["fake/fine.jpg", "real/ok.jpg"]
        refused = {s.path: s.code for s in ds.skipped}
    assert refused["real/" + "n" * 300 + ".jpg"] == "bad_name"
    assert refused["fake/clash/inner.jpg"] == "bad_name"


def test_a_run_over_every_odd_entry_finishes(tmp_path: Path, kit, cli_env) -> None:
    root = tmp_path / "set"
    kit.write_folder(root, {"bona_fide": 2, "attack/print": 2})
    with open(os.path.join(os.fsencode(root / "bona_fide"), b"\xff\xfe odd.jpg"), "wb") as out:
        out.write(kit.picture(8))
    scenario = tmp_path / "s.toml"
    scenario.write_text('[default]\nlevel = "Low"\nface_check = false\n')
    db = tmp_path / "odd.db"
    with Sandbox(qps=0, scenario=scenario) as box:
        run = subprocess.run(
            [sys.executable, "-m", "evaluation", "run", str(root), "--db", str(db)]
            + ["--endpoint", box.url, "--qps", "20"],
            env=cli_env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    with Store(db) as store:
        run_id = store.latest_run_id()
        assert run_id is not None
        paths = {row.path for row in store.rows(run_id)}
    assert "bona_fide/\\xff\\xfe odd.jpg" in paths and len(paths) == 5


def test_every_reason_an_entry_is_left_out_has_words_in_both_languages() -> None:
    """The Evaluate tab names a left-out entry's reason by its code on the Chinese page;
    every code the dataset loader gives has a translation."""
    import ast

    import evaluation.dataset as dataset_module
    from components.i18n import load_strings

    tree = ast.parse(Path(dataset_module.__file__).read_text(encoding="utf-8"))
    codes = {
        call.args[1].value
        for call in ast.walk(tree)
        if isinstance(call, ast.Call)
        and getattr(call.func, "id", None) == "SkippedEntry"
        and isinstance(call.args[1], ast.Constant)
    }
    assert {"not_media", "duplicate", "unlabelled", "bad_name"} <= codes
    for lang in ("zh", "en"):
        strings = load_strings(lang)
        assert not [c for c in codes if f"evaluate.skip_{c}" not in strings], lang
