"""The evaluation store: one SQLite file (WAL) holding runs, their items and the results.

Results are keyed by (config_key, content sha256), not by run: any run with the same
backend, endpoint and preparation settings reuses them, so content is never sent twice.
Before a call goes out its content is marked in flight; the result replaces the mark in
one transaction. A mark left behind by a killed process means "the service may have seen
this": by default the next run sends it again (at most the calls that were in flight, so
its figures equal an uninterrupted run's) and counts it on the run; with
`resend=False` it is recorded as `Evaluation.Interrupted` instead, never paid twice.
No secrets and no media bytes are stored.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from client import InvalidResponse, RequestTimeout, TransportError
from evaluation.models import EvaluationError, Outcome, ResultRow, RunInfo, RunSettings

if TYPE_CHECKING:
    from evaluation.dataset import Dataset

__all__ = ["INTERRUPTED", "NOTE_MAX_CHARS", "UNCERTAIN_CODES", "Store", "StoreError"]

INTERRUPTED = "Evaluation.Interrupted"
# Outcomes after which the service may or may not have processed (and billed) the call.
UNCERTAIN_CODES = frozenset(
    {INTERRUPTED, RequestTimeout.code, InvalidResponse.code, TransportError.code}
)
NOTE_MAX_CHARS = 2000  # a run's note is free text; longer ones are cut
SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    config_key TEXT NOT NULL,
    settings_json TEXT NOT NULL,
    status TEXT NOT NULL,
    pid INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    interrupted INTEGER NOT NULL DEFAULT 0,
    resent INTEGER NOT NULL DEFAULT 0,
    note TEXT,
    UNIQUE (source, config_key)
);
CREATE TABLE IF NOT EXISTS items (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    path TEXT NOT NULL,
    label TEXT NOT NULL,
    attack_type TEXT,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (run_id, path)
);
CREATE TABLE IF NOT EXISTS skipped (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    path TEXT NOT NULL,
    code TEXT NOT NULL,
    detail TEXT NOT NULL,
    PRIMARY KEY (run_id, path)
);
CREATE TABLE IF NOT EXISTS results (
    config_key TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    run_id INTEGER,
    level TEXT,
    level_raw TEXT,
    traces_json TEXT NOT NULL DEFAULT '[]',
    request_id TEXT,
    latency_ms REAL,
    attempts INTEGER NOT NULL DEFAULT 0,
    error_code TEXT,
    error_message TEXT,
    retryable INTEGER NOT NULL DEFAULT 0,
    prepared_json TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    PRIMARY KEY (config_key, sha256)
);
CREATE TABLE IF NOT EXISTS inflight (
    config_key TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    run_id INTEGER,
    pid INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    PRIMARY KEY (config_key, sha256)
);
"""


class StoreError(EvaluationError):
    """The store file cannot be used (not SQLite, locked by a live run, ...)."""


def _now() -> str:
    """UTC time as ISO 8601, seconds precision."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _pid_alive(pid: int | None) -> bool:
    """Whether a process with this id still runs on this machine."""
    if not pid or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _unusable(path: Path, reason: str) -> StoreError:
    """The error for a file that cannot be an evaluation database."""
    return StoreError(
        "store_unusable",
        f"{path}: not a usable evaluation database ({reason})",
        f"{path}：不是可用的评测数据库（{reason}）",
    )


def _refuse_foreign_database(db: sqlite3.Connection, path: Path) -> None:
    """StoreError for an SQLite file that holds other tables but no evaluation runs: it
    belongs to something else and is left exactly as it was (no tables added, no WAL)."""
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if tables and "runs" not in tables:
        raise _unusable(path, "it is another program's SQLite database; use a new file")


class Store:
    """A thread-safe handle on one evaluation database; every write is its own transaction."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                self.path, check_same_thread=False, isolation_level=None, timeout=30.0
            )
        except (sqlite3.DatabaseError, OSError) as exc:
            raise _unusable(self.path, str(exc)) from exc
        try:
            _refuse_foreign_database(self._db, self.path)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
            self._migrate()
        except (sqlite3.DatabaseError, OSError) as exc:
            self._db.close()
            raise _unusable(self.path, str(exc)) from exc
        except StoreError:
            self._db.close()
            raise

    def _migrate(self) -> None:
        """Add the columns later versions keep on runs to a store made by an earlier one
        (in one transaction, so two connections opening an old store at once agree)."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(runs)")}
            for name in ("interrupted", "resent"):
                if name not in columns:
                    self._db.execute(
                        f"ALTER TABLE runs ADD COLUMN {name} INTEGER NOT NULL DEFAULT 0"
                    )
            if "note" not in columns:
                self._db.execute("ALTER TABLE runs ADD COLUMN note TEXT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write(self, statements: Iterable[tuple[str, Any]]) -> None:
        """Run statements in one immediate transaction."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for sql, params in statements:
                    self._db.execute(sql, params)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _read(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        """All rows of a query."""
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def open_run(
        self, source: str, settings: RunSettings, dataset: Dataset, *, note: str | None = None
    ) -> int:
        """Start a run, or continue the one with the same source and settings.

        The run's item list is replaced by the dataset's current one. `note` (free text,
        cut at `NOTE_MAX_CHARS`) replaces the run's note; None keeps it, "" clears it.
        Raises StoreError when another live process is running it."""
        key = settings.config_key
        found = self._read(
            "SELECT id, status, pid, settings_json FROM runs WHERE source=? AND config_key=?",
            (source, key),
        )
        if found and settings.name is None:
            kept = json.loads(found[0][3]).get("name")
            settings = replace(settings, name=kept or None)
        if found and found[0][1] == "running" and _pid_alive(found[0][2]):
            raise StoreError(
                "run_busy",
                f"process {found[0][2]} is still running this evaluation on {self.path.name}",
                f"进程 {found[0][2]} 仍在 {self.path.name} 上运行此评测",
            )
        settings_json = json.dumps(settings.as_dict(), sort_keys=True)
        now = _now()
        if found:
            run_id = int(found[0][0])
            head = [
                (
                    "UPDATE runs SET settings_json=?, status='running', pid=?, updated_at=? WHERE id=?",
                    (settings_json, os.getpid(), now, run_id),
                ),
            ]
        else:
            self._write(
                [
                    (
                        "INSERT INTO runs (source, config_key, settings_json, status, pid, created_at, updated_at)"
                        " VALUES (?, ?, ?, 'running', ?, ?, ?)",
                        (source, key, settings_json, os.getpid(), now, now),
                    ),
                ]
            )
            run_id = int(
                self._read("SELECT id FROM runs WHERE source=? AND config_key=?", (source, key))[0][
                    0
                ]
            )
            head = []
        rows = [
            (
                "INSERT INTO items (run_id, path, label, attack_type, sha256) VALUES (?, ?, ?, ?, ?)",
                (run_id, it.path, it.label, it.attack_type, it.sha256),
            )
            for it in dataset.items
        ]
        skipped = [
            (
                "INSERT OR REPLACE INTO skipped (run_id, path, code, detail) VALUES (?, ?, ?, ?)",
                (run_id, s.path, s.code, s.detail),
            )
            for s in dataset.skipped
        ]
        self._write(
            head
            + [
                ("DELETE FROM items WHERE run_id=?", (run_id,)),
                ("DELETE FROM skipped WHERE run_id=?", (run_id,)),
            ]
            + rows
            + skipped
            + _note_statement(run_id, note)
        )
        return run_id

    def settle_interrupted(self, config_key: str, run_id: int, *, resend: bool = True) -> int:
        """Settle in-flight marks left by dead processes: dropped so the content is sent
        again (`resend`, the default), or recorded as `Evaluation.Interrupted` results.
        The run counts them (`RunInfo.interrupted`, `RunInfo.resent`). Returns how many."""
        marks = self._read("SELECT sha256, pid FROM inflight WHERE config_key=?", (config_key,))
        stale = [sha for sha, pid in marks if not _pid_alive(pid)]
        statements: list[tuple[str, Any]] = []
        for sha in stale:
            statements.append(
                ("DELETE FROM inflight WHERE config_key=? AND sha256=?", (config_key, sha))
            )
            if not resend:
                outcome = Outcome(
                    sha,
                    attempts=1,
                    error_code=INTERRUPTED,
                    error_message="the run stopped while this call was in flight; not sent again",
                )
                statements.append(_upsert(config_key, run_id, outcome))
        if statements:
            statements.append(
                (
                    "UPDATE runs SET interrupted=interrupted+?, resent=resent+? WHERE id=?",
                    (len(stale), len(stale) if resend else 0, run_id),
                )
            )
            self._write(statements)
        return len(stale)

    def final_hashes(self, config_key: str, *, resend_uncertain: bool = False) -> set[str]:
        """Content hashes whose result is final under these settings (not to be sent again).

        With `resend_uncertain`, outcomes that may not have reached the service
        (`UNCERTAIN_CODES`) are not final."""
        rows = self._read(
            "SELECT sha256, error_code FROM results WHERE config_key=? AND retryable=0",
            (config_key,),
        )
        return {sha for sha, code in rows if not (resend_uncertain and code in UNCERTAIN_CODES)}

    def clear_inflight(self, config_key: str, sha256: str) -> None:
        """Drop an in-flight mark after an answer saying the call was not processed."""
        self._write(
            [("DELETE FROM inflight WHERE config_key=? AND sha256=?", (config_key, sha256))]
        )

    def mark_inflight(self, config_key: str, run_id: int, sha256: str) -> None:
        """Record, durably, that a call with this content is about to go out."""
        self._write(
            [
                (
                    "INSERT OR REPLACE INTO inflight (config_key, sha256, run_id, pid, started_at) VALUES (?, ?, ?, ?, ?)",
                    (config_key, sha256, run_id, os.getpid(), _now()),
                ),
            ]
        )

    def record(self, config_key: str, run_id: int, outcome: Outcome) -> None:
        """Store one outcome and clear its in-flight mark, atomically."""
        self._write(
            [
                _upsert(config_key, run_id, outcome),
                (
                    "DELETE FROM inflight WHERE config_key=? AND sha256=?",
                    (config_key, outcome.sha256),
                ),
            ]
        )

    def set_status(self, run_id: int, status: str) -> None:
        """Mark a run running / finished / cancelled / stopped."""
        self._write(
            [("UPDATE runs SET status=?, updated_at=? WHERE id=?", (status, _now(), run_id))]
        )

    def runs(self) -> list[RunInfo]:
        """Every run in the store, oldest first (three queries, whatever the number of runs)."""
        counts = {
            int(run_id): (int(items), int(done))
            for run_id, items, done in self._read(
                "SELECT i.run_id, COUNT(*), COUNT(x.sha256) FROM items i JOIN runs r ON r.id=i.run_id"
                " LEFT JOIN results x ON x.config_key=r.config_key AND x.sha256=i.sha256"
                " GROUP BY i.run_id"
            )
        }
        skipped: dict[int, list[tuple[str, str, str]]] = {}
        for run_id, path, code, detail in self._read(
            "SELECT run_id, path, code, detail FROM skipped ORDER BY run_id, path"
        ):
            skipped.setdefault(int(run_id), []).append((path, code, detail))
        rows = self._read(f"SELECT {_RUN_COLUMNS} FROM runs ORDER BY id")
        return [_run_info(row, counts, skipped) for row in rows]

    def latest_run_id(self) -> int | None:
        """The most recently updated run, or None for an empty store."""
        rows = self._read("SELECT id FROM runs ORDER BY updated_at DESC, id DESC LIMIT 1")
        return int(rows[0][0]) if rows else None

    def run(self, run_id: int) -> RunInfo:
        """One run's settings and counts; StoreError when there is no such run."""
        rows = self._read(f"SELECT {_RUN_COLUMNS} FROM runs WHERE id=?", (run_id,))
        if not rows:
            raise StoreError(
                "no_run",
                f"no run {run_id} in {self.path.name}",
                f"{self.path.name} 中没有第 {run_id} 次运行",
            )
        items, done = self._read(
            "SELECT COUNT(*), COUNT(r.sha256) FROM items i LEFT JOIN results r"
            " ON r.config_key=? AND r.sha256=i.sha256 WHERE i.run_id=?",
            (rows[0][2], run_id),
        )[0]
        skipped = self._read(
            "SELECT path, code, detail FROM skipped WHERE run_id=? ORDER BY path", (run_id,)
        )
        return _run_info(rows[0], {run_id: (int(items), int(done))}, {run_id: skipped})

    def rows(self, run_id: int) -> list[ResultRow]:
        """The run's items joined with their results, in path order."""
        key = self._read("SELECT config_key FROM runs WHERE id=?", (run_id,))
        if not key:
            return []
        query = (
            "SELECT i.path, i.label, i.attack_type, i.sha256, r.level, r.traces_json, r.request_id,"
            " r.latency_ms, r.attempts, r.error_code, r.error_message, r.sha256 IS NOT NULL,"
            " json_extract(r.prepared_json, '$.kind'), json_extract(r.prepared_json, '$.face_px')"
            " FROM items i LEFT JOIN results r ON r.config_key=? AND r.sha256=i.sha256"
            " WHERE i.run_id=? ORDER BY i.path"
        )
        out = []
        for row in self._read(query, (key[0][0], run_id)):
            (
                path,
                label,
                attack_type,
                sha,
                level,
                traces,
                rid,
                latency,
                attempts,
                code,
                message,
                done,
                kind,
                face_px,
            ) = row
            out.append(
                ResultRow(
                    path,
                    label,
                    attack_type,
                    sha,
                    level,
                    tuple(json.loads(traces or "[]")),
                    rid,
                    latency,
                    int(attempts or 0),
                    code,
                    message,
                    bool(done),
                    kind or _kind_of(path),
                    None if face_px is None else int(face_px),
                )
            )
        return out


_RUN_COLUMNS = (
    "id, source, config_key, settings_json, status, created_at, updated_at, interrupted, resent,"
    " note"
)
_VIDEO_SUFFIXES = (".mp4", ".mov", ".avi", ".flv", ".webm", ".mkv", ".m4v")


def _kind_of(path: str) -> str:
    """`video` or `image` from a file name, for items that were never prepared."""
    return "video" if path.lower().endswith(_VIDEO_SUFFIXES) else "image"


def _run_info(
    row: tuple[Any, ...],
    counts: dict[int, tuple[int, int]],
    skipped: dict[int, Any],
) -> RunInfo:
    """A RunInfo from a `_RUN_COLUMNS` row and the counts gathered for it."""
    run_id, source, _key, settings_json, status, created, updated, interrupted, resent, note = row
    items, done = counts.get(int(run_id), (0, 0))
    return RunInfo(
        int(run_id),
        source,
        RunSettings.from_dict(json.loads(settings_json)),
        status,
        created,
        updated,
        items,
        done,
        tuple(tuple(s) for s in skipped.get(int(run_id), ())),
        int(resent or 0),
        int(interrupted or 0),
        note or None,
    )


def _note_statement(run_id: int, note: str | None) -> list[tuple[str, Any]]:
    """The statement that sets a run's note (none when `note` is None: kept as it was)."""
    if note is None:
        return []
    text = note.strip()[:NOTE_MAX_CHARS] or None
    return [("UPDATE runs SET note=? WHERE id=?", (text, run_id))]


def _upsert(config_key: str, run_id: int, o: Outcome) -> tuple[str, Any]:
    """The statement that stores (or replaces) one outcome."""
    return (
        "INSERT INTO results (config_key, sha256, run_id, level, level_raw, traces_json, request_id,"
        " latency_ms, attempts, error_code, error_message, retryable, prepared_json, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (config_key, sha256) DO UPDATE SET run_id=excluded.run_id, level=excluded.level,"
        " level_raw=excluded.level_raw, traces_json=excluded.traces_json, request_id=excluded.request_id,"
        " latency_ms=excluded.latency_ms, attempts=results.attempts + excluded.attempts,"
        " error_code=excluded.error_code, error_message=excluded.error_message,"
        " retryable=excluded.retryable, prepared_json=excluded.prepared_json, created_at=excluded.created_at",
        (
            config_key,
            o.sha256,
            run_id,
            o.level,
            o.level_raw,
            json.dumps(list(o.traces)),
            o.request_id,
            o.latency_ms,
            o.attempts,
            o.error_code,
            o.error_message,
            int(o.retryable),
            json.dumps(o.prepared, sort_keys=True),
            _now(),
        ),
    )
