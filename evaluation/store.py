"""The evaluation store: one SQLite file (WAL) holding runs, their items and the results.

Results are keyed by (config_key, content sha256), not by run: any run with the same
backend, endpoint and preparation settings reuses them, so content is never sent twice.
Before a call goes out its content is marked in flight; the result replaces the mark in
one transaction. A mark left behind by a killed process means "the service may have seen
this": the next run records it as `Evaluation.Interrupted` instead of sending it again.
No secrets and no media bytes are stored.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from client import InvalidResponse, RequestTimeout, TransportError
from evaluation.models import EvaluationError, Outcome, ResultRow, RunInfo, RunSettings

if TYPE_CHECKING:
    from evaluation.dataset import Dataset

__all__ = ["INTERRUPTED", "UNCERTAIN_CODES", "Store", "StoreError"]

INTERRUPTED = "Evaluation.Interrupted"
# Outcomes after which the service may or may not have processed (and billed) the call.
UNCERTAIN_CODES = frozenset(
    {INTERRUPTED, RequestTimeout.code, InvalidResponse.code, TransportError.code}
)
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
        except (sqlite3.DatabaseError, OSError) as exc:
            self._db.close()
            raise _unusable(self.path, str(exc)) from exc
        except StoreError:
            self._db.close()
            raise

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

    def open_run(self, source: str, settings: RunSettings, dataset: Dataset) -> int:
        """Start a run, or continue the one with the same source and settings.

        The run's item list is replaced by the dataset's current one. Raises StoreError
        when another live process is running it."""
        key = settings.config_key
        found = self._read(
            "SELECT id, status, pid FROM runs WHERE source=? AND config_key=?", (source, key)
        )
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
        )
        return run_id

    def settle_interrupted(self, config_key: str, run_id: int, *, resend: bool = False) -> int:
        """Turn in-flight marks left by dead processes into `Evaluation.Interrupted` results
        (or drop them when `resend`, so they are sent again). Returns how many there were."""
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
        """Every run in the store, oldest first."""
        ids = [row[0] for row in self._read("SELECT id FROM runs ORDER BY id")]
        return [self.run(run_id) for run_id in ids]

    def latest_run_id(self) -> int | None:
        """The most recently updated run, or None for an empty store."""
        rows = self._read("SELECT id FROM runs ORDER BY updated_at DESC, id DESC LIMIT 1")
        return int(rows[0][0]) if rows else None

    def run(self, run_id: int) -> RunInfo:
        """One run's settings and counts; StoreError when there is no such run."""
        rows = self._read(
            "SELECT source, config_key, settings_json, status, created_at, updated_at FROM runs WHERE id=?",
            (run_id,),
        )
        if not rows:
            raise StoreError(
                "no_run",
                f"no run {run_id} in {self.path.name}",
                f"{self.path.name} 中没有第 {run_id} 次运行",
            )
        source, key, settings_json, status, created, updated = rows[0]
        items, done = self._read(
            "SELECT COUNT(*), COUNT(r.sha256) FROM items i LEFT JOIN results r"
            " ON r.config_key=? AND r.sha256=i.sha256 WHERE i.run_id=?",
            (key, run_id),
        )[0]
        skipped = self._read(
            "SELECT path, code, detail FROM skipped WHERE run_id=? ORDER BY path", (run_id,)
        )
        return RunInfo(
            run_id,
            source,
            RunSettings.from_dict(json.loads(settings_json)),
            status,
            created,
            updated,
            int(items),
            int(done),
            tuple(tuple(s) for s in skipped),  # type: ignore[misc]
        )

    def rows(self, run_id: int) -> list[ResultRow]:
        """The run's items joined with their results, in path order."""
        key = self._read("SELECT config_key FROM runs WHERE id=?", (run_id,))
        if not key:
            return []
        query = (
            "SELECT i.path, i.label, i.attack_type, i.sha256, r.level, r.traces_json, r.request_id,"
            " r.latency_ms, r.attempts, r.error_code, r.error_message, r.sha256 IS NOT NULL"
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
                )
            )
        return out


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
