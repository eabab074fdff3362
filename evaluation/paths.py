"""Server paths a shared page may touch: allowed roots, named stores, session folders.

A page that anyone can open must not read or write the server's files at a visitor's
word. Everything here resolves paths first (`..` and symbolic links included) and then
checks them against the roots the operator allowed; a path outside is refused with one
message that never says whether it exists. Stores are named, not given by path; session
folders (uploads, unpacked sets) are bounded in size and removed when stale.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from evaluation.dataset import (
    CONFINED_TO,
    OUTSIDE_DETAIL,
    Dataset,
    DatasetItem,
    SkippedEntry,
    ZipLimits,
    load_dataset,
)
from evaluation.models import EvaluationError

__all__ = [
    "STORE_SUFFIX",
    "PathRefused",
    "confine_dataset",
    "load_confined",
    "folder_bytes",
    "inside",
    "list_stores",
    "remove_stale",
    "resolve_within",
    "store_path",
]

STORE_SUFFIX = ".db"
MAX_STORE_NAME = 64
_STORE_NAME_RE = re.compile(r"^[^\W_][\w \-]*$")
_REFUSED_EN = OUTSIDE_DETAIL
_REFUSED_ZH = "此路径不在本页面允许使用的文件夹内"


class PathRefused(EvaluationError):
    """A path outside the allowed roots, or a store name that is not a plain name."""


def _refused() -> PathRefused:
    """The one refusal for any path outside the roots (existing or not)."""
    return PathRefused("path_refused", _REFUSED_EN, _REFUSED_ZH)


def _resolved_roots(roots: Iterable[str | Path]) -> list[Path]:
    """The roots as absolute paths with links resolved."""
    return [Path(root).expanduser().resolve() for root in roots]


def inside(path: Path, roots: Sequence[Path]) -> bool:
    """Whether an already resolved `path` is one of `roots` or below one."""
    return any(path == root or path.is_relative_to(root) for root in roots)


def resolve_within(path: str | Path, roots: Iterable[str | Path]) -> Path:
    """`path` resolved (links followed, `..` removed) if it lies inside one of `roots`;
    else `PathRefused`. A relative path is refused: it would depend on the server's
    working directory."""
    text = str(path).strip()
    candidate = Path(text).expanduser()
    if not text or "\0" in text or not candidate.is_absolute():
        raise _refused()
    try:
        resolved = candidate.resolve()
    except (OSError, RuntimeError):  # a link loop, or a path the system refuses
        raise _refused() from None
    if not inside(resolved, _resolved_roots(roots)):
        raise _refused()
    return resolved


def _outside(root: Path, name: str, allowed: Sequence[Path]) -> bool:
    """Whether a dataset entry (relative to `root`, or absolute) resolves outside `allowed`."""
    try:
        return not inside((root / name).resolve(), allowed)
    except (OSError, RuntimeError):
        return True


def confine_dataset(dataset: Dataset, roots: Iterable[str | Path]) -> Dataset:
    """The dataset with every item and left-out entry whose file resolves outside `roots`
    replaced by one "not in an allowed folder" entry (links and manifest rows included),
    so neither the items table nor the left-out list says anything about such files."""
    allowed = _resolved_roots(roots)
    items: list[DatasetItem] = []
    refused: list[SkippedEntry] = []
    for item in dataset.items:
        try:
            ok = inside(item.file.resolve(), allowed)
        except (OSError, RuntimeError):
            ok = False
        if ok:
            items.append(item)
        else:
            refused.append(SkippedEntry(item.path, "outside", _REFUSED_EN))
    skipped = [
        SkippedEntry(entry.path, "outside", _REFUSED_EN)
        if _outside(dataset.root, entry.path, allowed)
        else entry
        for entry in dataset.skipped
    ]
    return replace(dataset, items=tuple(items), skipped=tuple(refused + skipped))


def load_confined(
    source: Path,
    roots: Iterable[str | Path],
    *,
    extract_to: Path | None = None,
    limits: ZipLimits | None = None,
) -> Dataset:
    """`load_dataset` that never reads a file outside `roots` (manifest rows and links are
    refused before they are opened), then `confine_dataset` over the result."""
    allowed = tuple(_resolved_roots(roots))
    token = CONFINED_TO.set(allowed)
    try:
        dataset = load_dataset(source, extract_to=extract_to, limits=limits)
    finally:
        CONFINED_TO.reset(token)
    return confine_dataset(dataset, allowed)


def store_path(folder: Path, name: str) -> Path:
    """The store file for a visitor-given `name` inside `folder` (the app's stores folder).

    A name is letters, digits, spaces, `-` and `_` (any script), at most 64 characters;
    anything else (`../x`, `/etc/x`, `a/b`, `.hidden`) is `PathRefused`."""
    text = name.strip()
    if not text or len(text) > MAX_STORE_NAME or not _STORE_NAME_RE.match(text):
        raise PathRefused(
            "bad_store_name",
            "a store name may hold letters, digits, spaces, - and _ only (64 at most)",
            "存储名称只能包含字母、数字、空格、- 和 _（最多 64 个字符）",
        )
    base = folder.expanduser().resolve()
    target = (base / f"{text}{STORE_SUFFIX}").resolve()
    if target.parent != base:  # pragma: no cover - the name pattern already rules this out
        raise _refused()
    return target


def list_stores(folder: Path) -> list[str]:
    """The names of the stores in `folder`, sorted (regular files only, no links)."""
    if not folder.is_dir():
        return []
    return sorted(
        path.name[: -len(STORE_SUFFIX)]
        for path in folder.iterdir()
        if path.suffix == STORE_SUFFIX and path.is_file() and not path.is_symlink()
    )


def folder_bytes(folder: Path) -> int:
    """Bytes of the regular files below `folder` (links not followed; 0 if missing)."""
    total = 0
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            try:
                stat = os.lstat(os.path.join(dirpath, name))
            except OSError:
                continue
            total += stat.st_size
    return total


def remove_stale(
    folder: Path, *, max_age_s: float, prefix: str = "", now: float | None = None
) -> int:
    """Remove the entries of `folder` (those whose name starts with `prefix`) not modified
    for `max_age_s`, such as session folders left by a crash; returns how many."""
    if not folder.is_dir():
        return 0
    limit = (time.time() if now is None else now) - max_age_s
    removed = 0
    for entry in folder.iterdir():
        if not entry.name.startswith(prefix):
            continue
        try:
            if entry.lstat().st_mtime >= limit:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed += 1
        except OSError:
            continue
    return removed
