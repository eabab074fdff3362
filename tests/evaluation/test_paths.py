"""Server paths on a shared page: allowed roots, manifests and links pointing out, store
names, stale session folders (`evaluation.paths`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from evaluation import load_dataset
from evaluation.paths import (
    PathRefused,
    confine_dataset,
    folder_bytes,
    list_stores,
    remove_stale,
    resolve_within,
    store_path,
)


@pytest.fixture
def layout(tmp_path: Path, kit) -> dict[str, Path]:
    """An allowed root holding a set, and a private folder beside it."""
    root = tmp_path / "allowed"
    private = tmp_path / "private"
    kit.write_folder(root / "set", {"bona_fide": 1, "attack/print": 1})
    kit.write_folder(private, {"bona_fide": 1})
    secret = next((private / "bona_fide").iterdir())
    return {"root": root, "private": private, "secret": secret}


def test_paths_outside_the_roots_get_one_message_whether_they_exist_or_not(layout):
    root, secret = layout["root"], layout["secret"]
    assert resolve_within(root / "set", [root]) == (root / "set").resolve()
    messages = set()
    for path in (
        secret,  # exists
        secret.with_name("nope.jpg"),  # does not
        root / ".." / "private",  # climbs out
        "relative/path",
        "",
    ):
        with pytest.raises(PathRefused) as caught:
            resolve_within(path, [root])
        messages.add((caught.value.en, caught.value.zh))
    assert len(messages) == 1
    (root / "link").symlink_to(layout["private"])
    with pytest.raises(PathRefused):
        resolve_within(root / "link", [root])  # a link inside pointing outside


def test_a_manifest_pointing_outside_an_allowed_root_reads_as_refused(layout):
    root, secret = layout["root"], layout["secret"]
    manifest = root / "set" / "manifest.csv"
    inside = next((root / "set" / "bona_fide").iterdir())
    manifest.write_text(
        "path,label\n"
        f"{inside.relative_to(manifest.parent)},bona_fide\n"
        f"{secret},attack\n"  # absolute, exists
        f"../../private/bona_fide/{secret.name},attack\n"  # relative, climbs out
        "/etc/does-not-exist.jpg,attack\n"  # absolute, missing
    )
    dataset = confine_dataset(load_dataset(manifest), [root])
    assert [item.file for item in dataset.items] == [inside.resolve()]
    outside = [entry for entry in dataset.skipped if entry.code == "outside"]
    assert len(outside) == 3
    assert {entry.detail for entry in outside} == {outside[0].detail}  # one message for all
    assert not any(entry.code == "missing" for entry in dataset.skipped)


def test_links_inside_a_folder_that_point_out_are_refused(layout):
    root = layout["root"]
    (root / "set" / "attack" / "print" / "sneaky.jpg").symlink_to(layout["secret"])
    dataset = confine_dataset(load_dataset(root / "set"), [root])
    assert all(item.file.resolve().is_relative_to(root.resolve()) for item in dataset.items)
    assert [entry.path for entry in dataset.skipped if entry.code == "outside"] == [
        "attack/print/sneaky.jpg"
    ]


@pytest.mark.parametrize(
    "name", ["../evil", "../../etc/passwd", "/abs/evil", "a/b", ".hidden", "x" * 65, "", "a\0b"]
)
def test_store_names_never_become_paths(tmp_path: Path, name: str):
    with pytest.raises(PathRefused):
        store_path(tmp_path / "stores", name)
    assert not (tmp_path / "stores").exists()


def test_store_names_map_to_files_in_the_stores_folder(tmp_path: Path):
    folder = tmp_path / "stores"
    for name in ("evaluation", "客户 A-2", "run_1"):
        path = store_path(folder, name)
        assert path.parent == folder.resolve() and path.name == f"{name}.db"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"")
    (folder / "elsewhere.db").symlink_to(tmp_path / "x.db")
    assert list_stores(folder) == sorted(["evaluation", "客户 A-2", "run_1"])


def test_stale_folders_are_removed_and_fresh_ones_kept(tmp_path: Path):
    old, fresh = tmp_path / "old", tmp_path / "fresh"
    for folder in (old, fresh):
        (folder / "sets").mkdir(parents=True)
        (folder / "sets" / "a.bin").write_bytes(b"x" * 1000)
    day_ago = os.stat(fresh).st_mtime - 2 * 86400
    os.utime(old, (day_ago, day_ago))
    assert folder_bytes(tmp_path) == 2000
    assert remove_stale(tmp_path, max_age_s=86400) == 1
    assert not old.exists() and fresh.exists()


def test_load_confined_never_opens_a_file_outside_the_roots(layout, monkeypatch):
    import evaluation.dataset as dataset_module
    from evaluation.paths import load_confined

    root, secret = layout["root"], layout["secret"]
    (root / "set" / "attack" / "print" / "sneaky.jpg").symlink_to(secret)
    manifest = root / "set" / "manifest.csv"
    read: list[Path] = []
    real_hash = dataset_module._hash_file
    monkeypatch.setattr(
        dataset_module, "_hash_file", lambda path: read.append(path.resolve()) or real_hash(path)
    )
    folder = load_confined(root / "set", [root])
    manifest.write_text(f"path,label\n{secret},attack\n/nowhere/x.jpg,attack\n")
    listed = load_confined(manifest, [root])
    assert secret.resolve() not in read and read, "an outside file was read"
    assert [e.path for e in folder.skipped if e.code == "outside"] == ["attack/print/sneaky.jpg"]
    assert [e.code for e in listed.skipped] == ["outside", "outside"]  # exists or not: same
    assert [e.code for e in load_dataset(manifest).skipped] == ["missing"]  # the CLI, unconfined
