"""The files of a several-files check: uploads and the members of uploaded zips, bounded
in number and bytes. No Streamlit: the page and the tests call it alike.

A zip is unpacked with the evaluation library's safe `extract_zip` (no paths outside, no
links, bounded size) into a temporary folder that is removed before this returns.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import tempfile
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.text import Message, MessageError
from evaluation import EvaluationError, ZipLimits, extract_zip
from evaluation.report import defuse_cell  # the project's one CSV-injection rule

__all__ = [
    "CSV_COLUMNS",
    "MAX_FILES",
    "MAX_TOTAL_BYTES",
    "BatchError",
    "BatchFile",
    "BatchLimits",
    "Collected",
    "Unpacked",
    "batch_csv",
    "collect_files",
]

MAX_FILES = 20
MAX_TOTAL_BYTES = 200 * 1024 * 1024  # the page's upload cap for one file, for all of them
ZIP_MAGIC = b"PK\x03\x04"
# No file name in these messages: the page shows them as Markdown.
BAD_ZIP_EN = "One of the zips cannot be read (damaged, or not a zip). Remove it and try again."
BAD_ZIP_ZH = "其中一个 zip 无法读取（已损坏或不是 zip 文件）。请移除后重试。"
CSV_COLUMNS = (
    "row",
    "name",
    "sha256",
    "level",
    "traces",
    "preflight",
    "request_id",
    "error_code",
    "error_message",
    "same_as_row",
    "backend",
    "checked_at",
)


@dataclass(frozen=True)
class BatchLimits:
    """How many files, and how many bytes in all, one several-files check takes."""

    max_files: int = MAX_FILES
    max_total_bytes: int = MAX_TOTAL_BYTES


@dataclass(frozen=True)
class BatchFile:
    """One picture or video to check: its name (zip members: `archive.zip/inner/path`)."""

    name: str
    data: bytes = field(repr=False)
    sha256: str


@dataclass(frozen=True)
class Unpacked:
    """A zip member that could not be unpacked (damaged, encrypted or unsafe): its own row."""

    name: str
    code: str  # "unreadable" or "unsafe", as the evaluation library says


@dataclass(frozen=True)
class Collected:
    """What a several-files upload holds: the files, and the zip members left out."""

    files: tuple[BatchFile, ...]
    left_out: tuple[Unpacked, ...] = ()

    @property
    def distinct(self) -> int:
        """How many different contents there are (each is checked once)."""
        return len({f.sha256 for f in self.files})


class BatchError(MessageError):
    """Why a whole upload is refused (too many files, too many bytes, not a readable zip),
    in English and Chinese (`.text(lang)`; `.reason` is the `Message`)."""

    def __init__(self, code: str, en: str, zh: str) -> None:
        super().__init__(Message(code, en, zh))


def _too_many(count: int, limits: BatchLimits) -> BatchError:
    return BatchError(
        "too_many",
        f"{count} files: at most {limits.max_files} at once. Remove some and try again.",
        f"共 {count} 个文件：一次最多 {limits.max_files} 个。请去掉一些后重试。",
    )


def _too_big(limits: BatchLimits) -> BatchError:
    mb = limits.max_total_bytes // (1024 * 1024)
    return BatchError(
        "too_big",
        f"The files add up to more than {mb} MB. Check fewer or smaller files at once.",
        f"文件总大小超过 {mb} MB。请一次检测更少或更小的文件。",
    )


def _file(name: str, data: bytes) -> BatchFile:
    return BatchFile(name, data, hashlib.sha256(data).hexdigest())


def _check_declared(data: bytes, limits: BatchLimits, count: int, budget: int) -> None:
    """Refuse from the zip's own directory, before unpacking anything, when it declares
    too many files or too many bytes (the unpacking counts real bytes again)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = [info for info in zf.infolist() if not info.is_dir()]
    except zipfile.BadZipFile as exc:
        raise BatchError("bad_zip", BAD_ZIP_EN, BAD_ZIP_ZH) from exc
    if count + len(members) > limits.max_files * 10:
        raise _too_many(count + len(members), limits)
    if sum(info.file_size for info in members) > budget:
        raise _too_big(limits)


def _unzip(
    name: str, data: bytes, limits: BatchLimits, already: tuple[int, int], temp_dir: Path | None
) -> tuple[list[BatchFile], list[Unpacked]]:
    """The members of one uploaded zip, read back from a temporary folder removed here."""
    count, total = already
    budget = limits.max_total_bytes - total
    _check_declared(data, limits, count, budget)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name)[-80:] or "upload.zip"
    files: list[BatchFile] = []
    with tempfile.TemporaryDirectory(prefix="batch-", dir=temp_dir) as tmp:
        archive = Path(tmp) / safe
        archive.write_bytes(data)
        out = Path(tmp) / "files"
        out.mkdir()
        zip_limits = ZipLimits(
            max_members=limits.max_files * 10,
            max_total_bytes=max(budget, 0),
            max_member_bytes=max(budget, 0),
        )
        try:
            skipped = extract_zip(archive, out, zip_limits)
        except EvaluationError as exc:
            if exc.code == "zip_too_big":
                raise _too_big(limits) from exc
            raise BatchError(exc.code, BAD_ZIP_EN, BAD_ZIP_ZH) from exc
        paths = sorted(p for p in out.rglob("*") if p.is_file())
        if count + len(paths) > limits.max_files:
            raise _too_many(count + len(paths), limits)
        for path in paths:
            files.append(_file(f"{name}/{path.relative_to(out).as_posix()}", path.read_bytes()))
    left_out = [Unpacked(f"{name}/{entry.path}", entry.code) for entry in skipped]
    return files, left_out


def collect_files(
    uploads: Iterable[tuple[str, bytes]],
    limits: BatchLimits | None = None,
    *,
    temp_dir: Path | None = None,
) -> Collected:
    """The files to check from `(name, bytes)` uploads, zips unpacked, in upload order.

    Raises BatchError past `limits` (count of files, total bytes) or for an unreadable
    zip; a damaged member of a good zip is left out as an `Unpacked` row instead."""
    limits = limits or BatchLimits()
    files: list[BatchFile] = []
    left_out: list[Unpacked] = []
    total = 0
    for name, data in uploads:
        if data.startswith(ZIP_MAGIC):
            members, skipped = _unzip(name, data, limits, (len(files), total), temp_dir)
            files.extend(members)
            left_out.extend(skipped)
            total += sum(len(member.data) for member in members)
        else:
            files.append(_file(name, data))
            total += len(data)
        if len(files) > limits.max_files:
            raise _too_many(len(files), limits)
        if total > limits.max_total_bytes:
            raise _too_big(limits)
    return Collected(tuple(files), tuple(left_out))


def batch_csv(records: Sequence[Mapping[str, Any]]) -> str:
    """One CSV line per row (`CSV_COLUMNS`); text a spreadsheet would run as a formula
    (a file name or a service message starting with `=`, `+`, `-`, `@`) is defused."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        writer.writerow(
            [
                defuse_cell(str(value))
                if isinstance(value, str)
                else ("" if value is None else value)
                for value in (record.get(column) for column in CSV_COLUMNS)
            ]
        )
    return buf.getvalue()
