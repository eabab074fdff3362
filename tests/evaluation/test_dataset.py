"""Datasets: folder layouts, CSV manifests and zips, with unusable entries listed, not fatal."""

from __future__ import annotations

import hashlib
import stat
import zipfile
from pathlib import Path

import pytest

from evaluation.dataset import DatasetError, ZipLimits, load_dataset, open_dataset


def _touch(path: Path, data: bytes = b"\xff\xd8 not really a jpeg") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _folder(root: Path) -> None:
    _touch(root / "real" / "a.jpg", b"a")
    _touch(root / "real" / "nested" / "b.png", b"b")
    _touch(root / "spoof" / "print" / "c.jpg", b"c")
    _touch(root / "spoof" / "replay" / "d.mp4", b"d")
    _touch(root / "spoof" / "e.jpg", b"e")
    _touch(root / "spoof" / "print" / "notes.txt", b"text")
    _touch(root / "spoof" / "print" / "empty.jpg", b"")
    _touch(root / "other" / "f.jpg", b"f")
    _touch(root / "loose.jpg", b"g")
    _touch(root / "real" / ".DS_Store", b"junk")


def test_folder_layout_with_aliases_and_attack_types(tmp_path: Path) -> None:
    _folder(tmp_path)
    ds = load_dataset(tmp_path)
    by_path = {item.path: item for item in ds.items}
    assert set(by_path) == {
        "real/a.jpg",
        "real/nested/b.png",
        "spoof/print/c.jpg",
        "spoof/replay/d.mp4",
        "spoof/e.jpg",
    }
    assert by_path["real/nested/b.png"].label == "bona_fide"
    assert by_path["real/nested/b.png"].attack_type is None
    assert by_path["spoof/print/c.jpg"].attack_type == "print"
    assert by_path["spoof/e.jpg"].attack_type == "unspecified"
    assert by_path["real/a.jpg"].sha256 == hashlib.sha256(b"a").hexdigest()
    assert ds.counts() == {"bona_fide": 2, "attack": 3}
    assert ds.attack_types() == {"print": 1, "replay": 1, "unspecified": 1}
    reasons = {s.path: s.code for s in ds.skipped}
    assert reasons == {
        "spoof/print/notes.txt": "not_media",
        "spoof/print/empty.jpg": "empty",
        "other/f.jpg": "unlabelled",
        "loose.jpg": "unlabelled",
    }


def test_unreadable_file_is_listed_not_fatal(tmp_path: Path) -> None:
    _touch(tmp_path / "bona_fide" / "ok.jpg", b"ok")
    (tmp_path / "bona_fide" / "gone.jpg").symlink_to(tmp_path / "nowhere.jpg")
    ds = load_dataset(tmp_path)
    assert [(s.path, s.code) for s in ds.skipped] == [("bona_fide/gone.jpg", "unreadable")]
    assert [i.path for i in ds.items] == ["bona_fide/ok.jpg"]


def test_manifest_with_header_relative_paths_and_bad_rows(tmp_path: Path) -> None:
    _touch(tmp_path / "data" / "x.jpg", b"x")
    _touch(tmp_path / "data" / "y.jpg", b"y")
    _touch(tmp_path / "z.webp", b"z")
    manifest = tmp_path / "data" / "list.csv"
    manifest.write_text(
        "path,label,attack_type\n"
        "x.jpg,bona_fide\n"
        "y.jpg,attack,deepfake\n"
        "../z.webp,fake,\n"
        "missing.jpg,attack,print\n"
        "x.jpg,maybe\n"
        "lonely\n",
        encoding="utf-8",
    )
    ds = load_dataset(manifest)
    assert [(i.path, i.label, i.attack_type) for i in ds.items] == [
        ("x.jpg", "bona_fide", None),
        ("y.jpg", "attack", "deepfake"),
        (str((tmp_path / "z.webp").resolve()), "attack", "unspecified"),
    ]
    assert [(s.path, s.code) for s in ds.skipped] == [
        ("missing.jpg", "missing"),
        ("x.jpg", "unlabelled"),
        ("lonely", "bad_row"),
    ]


def test_zip_of_a_folder_wrapped_in_one_directory(tmp_path: Path) -> None:
    archive = tmp_path / "set.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("myset/bona_fide/a.jpg", b"a")
        zf.writestr("myset/attack/mask/b.jpg", b"b")
        zf.writestr("__MACOSX/myset/._a.jpg", b"junk")
    with open_dataset(archive) as ds:
        extracted = ds.root
        assert ds.kind == "zip"
        assert {(i.path, i.attack_type) for i in ds.items} == {
            ("bona_fide/a.jpg", None),
            ("attack/mask/b.jpg", "mask"),
        }
        assert extracted.exists()
    assert not extracted.exists(), "the temporary folder is removed afterwards"


def test_zip_slip_and_links_are_refused(tmp_path: Path) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("bona_fide/a.jpg", b"a")
        zf.writestr("../escaped.jpg", b"evil")
        zf.writestr("/abs.jpg", b"evil")
        link = zipfile.ZipInfo("attack/link.jpg")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
    dest = tmp_path / "out"
    dest.mkdir()
    ds = load_dataset(archive, extract_to=dest)
    assert [i.path for i in ds.items] == ["bona_fide/a.jpg"]
    assert {s.path for s in ds.skipped if s.code == "unsafe"} == {
        "../escaped.jpg",
        "/abs.jpg",
        "attack/link.jpg",
    }
    assert not (tmp_path / "escaped.jpg").exists()


def test_manifest_inside_zip_cannot_point_outside(tmp_path: Path) -> None:
    outside = tmp_path / "host.jpg"
    outside.write_bytes(b"host file")
    archive = tmp_path / "m.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("list.csv", f"a.jpg,bona_fide\n{outside},attack\n../host.jpg,attack\n")
        zf.writestr("a.jpg", b"a")
    with open_dataset(archive) as ds:
        assert [i.path for i in ds.items] == ["a.jpg"]
        assert [s.code for s in ds.skipped] == ["unsafe", "unsafe"]


def test_zip_bomb_is_stopped_by_the_size_limit(tmp_path: Path) -> None:
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bona_fide/a.jpg", b"\0" * 5_000_000)
    with (
        pytest.raises(DatasetError) as info,
        open_dataset(archive, limits=ZipLimits(max_member_bytes=1_000_000)),
    ):
        pass
    assert info.value.code == "zip_too_big"
    assert "bomb.zip" in info.value.en and info.value.zh


def _damage_zip_members(archive: Path, corrupt: str, encrypted: str) -> None:
    """Overwrite the middle of `corrupt`'s compressed data; flag `encrypted` as encrypted
    (both in its local header and in the central directory)."""
    raw = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        infos = {i.filename: i for i in zf.infolist()}
    member = infos[corrupt]
    start = member.header_offset + 30 + len(corrupt.encode()) + len(member.extra)
    middle = start + member.compress_size // 2
    raw[middle : middle + 64] = b"\xff" * 64
    flagged = infos[encrypted]
    raw[flagged.header_offset + 6] |= 0x01
    at = raw.find(b"PK\x01\x02")
    while at != -1:
        name_len = int.from_bytes(raw[at + 28 : at + 30], "little")
        if raw[at + 46 : at + 46 + name_len] == encrypted.encode():
            raw[at + 8] |= 0x01
        at = raw.find(b"PK\x01\x02", at + 4)
    archive.write_bytes(bytes(raw))


def test_damaged_or_encrypted_zip_members_are_skipped_not_fatal(tmp_path: Path) -> None:
    archive = tmp_path / "set.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bona_fide/good.jpg", b"good")
        zf.writestr("bona_fide/broken.jpg", bytes(range(256)) * 400)
        zf.writestr("attack/x/locked.jpg", b"locked")
    _damage_zip_members(archive, "bona_fide/broken.jpg", "attack/x/locked.jpg")
    with open_dataset(archive) as ds:
        assert [i.path for i in ds.items] == ["bona_fide/good.jpg"]
        unreadable = {s.path: s.detail for s in ds.skipped if s.code == "unreadable"}
        assert set(unreadable) == {"bona_fide/broken.jpg", "attack/x/locked.jpg"}
        assert all(d.startswith("cannot be unpacked: ") for d in unreadable.values())
        assert not (ds.root / "bona_fide" / "broken.jpg").exists(), "no half-written file"


@pytest.mark.parametrize("name", ["nothing-here", "notes.txt"])
def test_unusable_sources_raise_one_clear_error(tmp_path: Path, name: str) -> None:
    if name.endswith(".txt"):
        (tmp_path / name).write_text("hello")
    with pytest.raises(DatasetError) as info:
        load_dataset(tmp_path / name)
    assert info.value.code in {"missing", "unsupported"}


def test_a_folder_the_system_will_not_list_is_a_dataset_error(tmp_path: Path, monkeypatch) -> None:
    # chmod cannot take read access away from root (these tests may run as root), so
    # the refusal is simulated where the operating system would raise it.
    _folder(tmp_path / "set")
    locked = tmp_path / "set"
    real_iterdir = Path.iterdir

    def iterdir(self: Path):
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    with pytest.raises(DatasetError) as info:
        load_dataset(locked)
    assert info.value.code == "unreadable" and "Permission denied" in info.value.en
    assert "无法读取" in info.value.zh


def test_folder_without_classes_says_what_it_expects(tmp_path: Path) -> None:
    _touch(tmp_path / "pics" / "a.jpg")
    _touch(tmp_path / "more" / "b.jpg")
    with pytest.raises(DatasetError, match="bona_fide/ and attack/"):
        load_dataset(tmp_path)
