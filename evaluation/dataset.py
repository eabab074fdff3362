"""Labelled sets: a folder of classes, a CSV manifest, or a zip of either.

Folder layout::

    bona_fide/ (or real/, live/)   any files, any depth
    attack/    (or fake/, spoof/)  sub-folders name the attack type: attack/print/a.jpg

Manifest: CSV rows `path,label[,attack_type]`, an optional header row, paths relative to
the manifest; a file listed twice is one item (the later rows are skipped as `duplicate`).
Entries that cannot be used are listed in `Dataset.skipped` with a reason (a zip entry
whose name this file system refuses, too: `bad_name`); names that are not UTF-8 are kept
with the odd bytes shown as `\\xNN`. Only a source that cannot be read at all raises
`DatasetError`.
"""

from __future__ import annotations

import contextlib
import contextvars
import csv
import errno
import hashlib
import io
import shutil
import tempfile
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from evaluation.models import ATTACK, BONA_FIDE, EvaluationError

__all__ = [
    "MEDIA_SUFFIXES",
    "UNSPECIFIED_TYPE",
    "Dataset",
    "DatasetError",
    "DatasetItem",
    "SkippedEntry",
    "ZipLimits",
    "extract_zip",
    "load_dataset",
    "open_dataset",
]

UNSPECIFIED_TYPE = "unspecified"
LABEL_ALIASES = {
    "bona_fide": BONA_FIDE,
    "bonafide": BONA_FIDE,
    "bona-fide": BONA_FIDE,
    "real": BONA_FIDE,
    "live": BONA_FIDE,
    "genuine": BONA_FIDE,
    "attack": ATTACK,
    "fake": ATTACK,
    "spoof": ATTACK,
}
CLASS_DIRS = {"bona_fide": BONA_FIDE, "real": BONA_FIDE, "live": BONA_FIDE}
CLASS_DIRS |= {"attack": ATTACK, "fake": ATTACK, "spoof": ATTACK}
MEDIA_SUFFIXES = frozenset(
    [
        ".jpg",
        ".jpeg",
        ".png",
        ".webp",
        ".bmp",
        ".gif",
        ".tif",
        ".tiff",
        ".heic",
        ".heif",
        ".mp4",
        ".mov",
        ".avi",
        ".flv",
        ".webm",
        ".mkv",
        ".m4v",
    ]
)
IGNORED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini", "__MACOSX"}
# Folders a load may read from (set by `evaluation.paths.confined`); None: anywhere.
CONFINED_TO: contextvars.ContextVar[tuple[Path, ...] | None] = contextvars.ContextVar(
    "CONFINED_TO", default=None
)
OUTSIDE_DETAIL = "this path is not in a folder this page may use"


def _outside(file: Path) -> bool:
    """Whether `file` resolves (links followed) outside the folders a load is confined to."""
    roots = CONFINED_TO.get()
    if roots is None:
        return False
    try:
        resolved = file.resolve()
    except (OSError, RuntimeError):
        return True
    return not any(resolved == root or resolved.is_relative_to(root) for root in roots)


class DatasetError(EvaluationError):
    """The source as a whole cannot be used (missing, unsupported, unsafe zip)."""


@dataclass(frozen=True)
class DatasetItem:
    """One labelled file: `path` is relative to the dataset root (POSIX), `file` is where
    to read it, `sha256` is of its bytes as stored."""

    path: str
    file: Path
    label: str
    attack_type: str | None
    sha256: str
    size: int


@dataclass(frozen=True)
class SkippedEntry:
    """An entry left out of the run, with a reason code and a readable detail."""

    path: str
    code: str
    detail: str


@dataclass(frozen=True)
class Dataset:
    """The items of a labelled set and the entries that were left out."""

    source: str
    root: Path
    kind: str
    items: tuple[DatasetItem, ...]
    skipped: tuple[SkippedEntry, ...]

    def counts(self) -> dict[str, int]:
        """Items per class: `{"bona_fide": n, "attack": m}`."""
        counter = Counter(item.label for item in self.items)
        return {BONA_FIDE: counter[BONA_FIDE], ATTACK: counter[ATTACK]}

    def attack_types(self) -> dict[str | None, int]:
        """Attack items per attack type (None: no type given), sorted by name."""
        counter = Counter(item.attack_type for item in self.items if item.label == ATTACK)
        return {name: counter[name] for name in sorted(counter, key=str)}


@dataclass(frozen=True)
class ZipLimits:
    """Bounds on what a zip may unpack to (zip bombs, runaway archives)."""

    max_members: int = 20_000
    max_total_bytes: int = 2 * 1024**3
    max_member_bytes: int = 200 * 1024**2


def _hash_file(path: Path) -> tuple[str, int]:
    """Hex SHA-256 and size of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _shown(name: str) -> str:
    """A file name as text that can be stored and printed: bytes that are not UTF-8 (kept
    by the file system as surrogate escapes) appear as `\\xNN`."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return name


def _ignored(rel: PurePosixPath) -> bool:
    """Hidden files and OS droppings are skipped silently."""
    return any(part in IGNORED_NAMES or part.startswith(".") for part in rel.parts)


def _make_item(
    file: Path, rel: str, label: str, attack_type: str | None
) -> DatasetItem | SkippedEntry:
    """Hash one file into an item, or say why it cannot be one."""
    if _outside(file):  # refused before anything is read, whether it exists or not
        return SkippedEntry(rel, "outside", OUTSIDE_DETAIL)
    if file.suffix.lower() not in MEDIA_SUFFIXES:
        return SkippedEntry(
            rel, "not_media", f"not a picture or video ({file.suffix or 'no extension'})"
        )
    try:
        sha, size = _hash_file(file)
    except OSError as exc:
        return SkippedEntry(rel, "unreadable", f"cannot be read: {exc.strerror or exc}")
    if size == 0:
        return SkippedEntry(rel, "empty", "the file is empty")
    return DatasetItem(rel, file, label, attack_type if label == ATTACK else None, sha, size)


def _class_dirs(root: Path) -> dict[Path, str]:
    """Top-level folders of `root` that name a class (case-insensitive)."""
    found: dict[Path, str] = {}
    for child in sorted(root.iterdir()):
        if child.is_dir() and child.name.lower() in CLASS_DIRS:
            found[child] = CLASS_DIRS[child.name.lower()]
    return found


def _load_folder(root: Path, source: str, kind: str) -> Dataset:
    """Walk a folder of class sub-folders."""
    classes = _class_dirs(root)
    items: list[DatasetItem] = []
    skipped: list[SkippedEntry] = []
    seen: set[str] = set()
    for file in sorted(p for p in root.rglob("*") if p.is_file() or p.is_symlink()):
        rel = PurePosixPath(_shown(file.relative_to(root).as_posix()))
        if _ignored(rel):
            continue
        if str(rel) in seen:  # two names that differ only in undecodable bytes
            skipped.append(SkippedEntry(str(rel), "duplicate", "the same name appears twice"))
            continue
        seen.add(str(rel))
        top = root / rel.parts[0]
        if len(rel.parts) < 2 or top not in classes:
            skipped.append(SkippedEntry(str(rel), "unlabelled", "not inside bona_fide/ or attack/"))
            continue
        label = classes[top]
        attack_type = rel.parts[1] if len(rel.parts) > 2 else UNSPECIFIED_TYPE
        if file.is_symlink() and kind == "zip":
            skipped.append(SkippedEntry(str(rel), "unsafe", "links are not followed in a zip"))
            continue
        made = _make_item(file, str(rel), label, attack_type)
        if isinstance(made, DatasetItem):
            items.append(made)
        else:
            skipped.append(made)
    return Dataset(source, root, kind, tuple(items), tuple(skipped))


def _manifest_rows(manifest: Path) -> list[list[str]]:
    """The CSV rows of a manifest (UTF-8, BOM tolerated), header dropped."""
    try:
        text = manifest.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(
            "manifest_unreadable",
            f"cannot read the manifest {manifest.name}: {exc}",
            f"无法读取清单 {manifest.name}：{exc}",
        ) from exc
    rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    if rows and rows[0] and rows[0][0].strip().lower() in {"path", "file", "filename"}:
        rows = rows[1:]
    return rows


def _load_manifest(manifest: Path, source: str, kind: str, confine: bool) -> Dataset:
    """Read a `path,label[,attack_type]` manifest; `confine` keeps paths inside its folder."""
    root = manifest.parent.resolve()
    items: list[DatasetItem] = []
    skipped: list[SkippedEntry] = []
    first_row: dict[str, int] = {}
    for number, row in enumerate(_manifest_rows(manifest), start=1):
        cells = [cell.strip() for cell in row]
        name = cells[0] if cells else f"row {number}"
        if len(cells) < 2 or not cells[0]:
            skipped.append(SkippedEntry(name, "bad_row", f"row {number}: expected path,label"))
            continue
        label = LABEL_ALIASES.get(cells[1].lower())
        if label is None:
            skipped.append(SkippedEntry(name, "unlabelled", f"unknown label {cells[1]!r}"))
            continue
        file = (root / cells[0]).resolve()
        if confine and not file.is_relative_to(root):
            skipped.append(SkippedEntry(name, "unsafe", "path leaves the archive"))
            continue
        if _outside(file):
            skipped.append(SkippedEntry(name, "outside", OUTSIDE_DETAIL))
            continue
        if not file.is_file():
            skipped.append(SkippedEntry(name, "missing", "no such file"))
            continue
        attack_type = (cells[2] if len(cells) > 2 else "") or UNSPECIFIED_TYPE
        rel = file.relative_to(root).as_posix() if file.is_relative_to(root) else str(file)
        rel = _shown(rel)
        if rel in first_row:  # one file is one item, however often it is listed
            detail = f"row {number}: already listed in row {first_row[rel]}"
            skipped.append(SkippedEntry(name, "duplicate", detail))
            continue
        first_row[rel] = number
        made = _make_item(file, rel, label, attack_type)
        if isinstance(made, DatasetItem):
            items.append(made)
        else:
            skipped.append(made)
    return Dataset(source, root, kind, tuple(items), tuple(skipped))


def _load_directory(root: Path, source: str, kind: str) -> Dataset:
    """A folder is a class layout, or holds one manifest, or wraps one such folder."""
    if _class_dirs(root):
        return _load_folder(root, source, kind)
    manifests = sorted(p for p in root.glob("*.csv") if p.is_file())
    if len(manifests) == 1:
        return _load_manifest(manifests[0], source, kind, confine=kind == "zip")
    children = [p for p in root.iterdir() if not _ignored(PurePosixPath(p.name))]
    if len(children) == 1 and children[0].is_dir() and not children[0].is_symlink():
        return _load_directory(children[0], source, kind)
    raise DatasetError(
        "no_layout",
        f"{source}: expected bona_fide/ and attack/ folders or one CSV manifest",
        f"{source}：需要 bona_fide/ 与 attack/ 文件夹，或一个 CSV 清单",
    )


def _safe_member_path(name: str) -> PurePosixPath | None:
    """The member's relative path, or None when it is absolute or climbs out."""
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        return None
    return path


# What reading one zip member raises when that member is damaged, encrypted or uses a
# compression method this Python cannot read.
_MEMBER_ERRORS = (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError)


def _one_line(exc: BaseException) -> str:
    """An exception's first line, kept short, or its type name."""
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__


def extract_zip(archive: Path, dest: Path, limits: ZipLimits | None = None) -> list[SkippedEntry]:
    """Unpack `archive` into `dest` safely: no paths outside `dest`, no links, bounded size.

    Unsafe, damaged and encrypted members are returned as skipped entries; an archive
    that is not a zip, or exceeds a limit, raises DatasetError."""
    limits = limits or ZipLimits()
    skipped: list[SkippedEntry] = []
    total = 0
    try:
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            if len(members) > limits.max_members:
                raise _too_big(archive, f"more than {limits.max_members} entries")
            for info in members:
                rel = _safe_member_path(info.filename)
                is_link = (info.external_attr >> 16) & 0o170000 == 0o120000
                if rel is None or is_link:
                    skipped.append(SkippedEntry(info.filename, "unsafe", "unsafe path in the zip"))
                    continue
                if info.is_dir() or _ignored(rel):
                    continue
                target = dest.joinpath(*rel.parts)
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    total += _copy_member(zf, info, target, limits, total, archive)
                except _MEMBER_ERRORS as exc:  # one damaged or encrypted entry, not the zip
                    _remove_partial(target)
                    detail = f"cannot be unpacked: {_one_line(exc)}"
                    skipped.append(SkippedEntry(info.filename, "unreadable", detail))
                except OSError as exc:  # a name this file system refuses: that entry only
                    if exc.errno in _WHOLE_SOURCE_ERRNOS:
                        raise
                    _remove_partial(target)
                    detail = f"cannot be unpacked here: {exc.strerror or _one_line(exc)}"
                    skipped.append(SkippedEntry(info.filename, "bad_name", detail))
    except zipfile.BadZipFile as exc:
        raise DatasetError(
            "bad_zip",
            f"{archive.name} is not a readable zip: {exc}",
            f"{archive.name} 不是可读的 zip：{exc}",
        ) from exc
    return skipped


# OS errors that concern the whole unpacking (full disk, read-only place), not one name.
_WHOLE_SOURCE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.EACCES}


def _remove_partial(target: Path) -> None:
    """Remove what a failed member left behind (a file only, never a folder)."""
    with contextlib.suppress(OSError):
        if target.is_file() or target.is_symlink():
            target.unlink()


def _copy_member(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    target: Path,
    limits: ZipLimits,
    total: int,
    archive: Path,
) -> int:
    """Copy one member, counting the bytes actually written against the limits."""
    written = 0
    with zf.open(info) as src, target.open("wb") as out:
        for chunk in iter(lambda: src.read(1 << 20), b""):
            written += len(chunk)
            if written > limits.max_member_bytes:
                raise _too_big(
                    archive, f"{info.filename} unpacks to more than {limits.max_member_bytes} bytes"
                )
            if total + written > limits.max_total_bytes:
                raise _too_big(archive, f"unpacks to more than {limits.max_total_bytes} bytes")
            out.write(chunk)
    return written


def _too_big(archive: Path, what: str) -> DatasetError:
    """The error for a zip that exceeds a limit."""
    return DatasetError(
        "zip_too_big", f"{archive.name}: {what}", f"{archive.name}：超出限制（{what}）"
    )


def load_dataset(
    source: str | Path, *, extract_to: Path | None = None, limits: ZipLimits | None = None
) -> Dataset:
    """Read a folder, a CSV manifest or a zip (unpacked into `extract_to`, which must exist).
    A source the system will not let us read (permissions, I/O error, disk full while
    unpacking) is a `DatasetError`, like every other unusable source."""
    path = Path(source).expanduser()
    label = str(path.resolve())
    try:
        return _load_source(path, label, extract_to, limits)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise DatasetError(
            "unreadable", f"{label}: cannot be read ({reason})", f"{label}：无法读取（{reason}）"
        ) from exc


def _load_source(
    path: Path, label: str, extract_to: Path | None, limits: ZipLimits | None
) -> Dataset:
    """`load_dataset` by kind of source."""
    if path.is_dir():
        return _load_directory(path.resolve(), label, "folder")
    if path.is_file() and path.suffix.lower() == ".csv":
        return _load_manifest(path.resolve(), label, "manifest", confine=False)
    if path.is_file() and zipfile.is_zipfile(path):
        if extract_to is None:
            raise ValueError("a zip source needs extract_to (or use open_dataset)")
        unsafe = extract_zip(path, extract_to, limits)
        dataset = _load_directory(extract_to.resolve(), label, "zip")
        return Dataset(label, dataset.root, "zip", dataset.items, tuple(unsafe) + dataset.skipped)
    if not path.exists():
        raise DatasetError(
            "missing", f"{label}: no such file or folder", f"{label}：文件或文件夹不存在"
        )
    raise DatasetError(
        "unsupported",
        f"{label}: expected a folder, a .csv manifest or a .zip",
        f"{label}：需要文件夹、.csv 清单或 .zip",
    )


@contextlib.contextmanager
def open_dataset(source: str | Path, *, limits: ZipLimits | None = None) -> Iterator[Dataset]:
    """`load_dataset` with a zip unpacked into a temporary folder removed afterwards."""
    path = Path(source).expanduser()
    if not (path.is_file() and path.suffix.lower() != ".csv" and zipfile.is_zipfile(path)):
        yield load_dataset(path, limits=limits)
        return
    tmp = Path(tempfile.mkdtemp(prefix="evaluation-"))
    try:
        yield load_dataset(path, extract_to=tmp, limits=limits)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
