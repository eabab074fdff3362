"""Counters that outlive a browser session: passcode attempts and calls to the real service.

A reload or a new tab starts a new Streamlit session, so anything kept in session state
can be reset by the visitor. These counters live in a small SQLite file in the app's data
folder, keyed by a visitor key (see `components.visitor`) and shared by every session and
every server process of the deployment. No Streamlit here: tests drive it with a clock.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = ["LEDGER_FILE", "Budget", "Ledger"]

LEDGER_FILE = "ledger.sqlite"
ATTEMPT_WINDOW_S = 60.0
_SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (visitor TEXT NOT NULL, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS calls (visitor TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS attempts_at ON attempts (at);
CREATE INDEX IF NOT EXISTS calls_at ON calls (at);
"""


@dataclass(frozen=True)
class Budget:
    """Calls used and left in the current window, for one visitor and for the deployment."""

    visitor_used: int
    visitor_cap: int
    deployment_used: int
    deployment_cap: int

    @property
    def left(self) -> int:
        """Calls this visitor may still send now (the tighter of the two caps)."""
        return max(
            0,
            min(self.visitor_cap - self.visitor_used, self.deployment_cap - self.deployment_used),
        )

    @property
    def deployment_exhausted(self) -> bool:
        """Whether the whole deployment has used its budget (not only this visitor)."""
        return self.deployment_used >= self.deployment_cap


class Ledger:
    """Passcode attempts and real-service calls in `<folder>/ledger.sqlite`.

    Every method opens its own short transaction, so several sessions and processes can
    share the file; `clock` is the only time source."""

    def __init__(self, folder: Path, *, clock: Callable[[], float] = time.time) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / LEDGER_FILE
        self._clock = clock
        self._lock = threading.Lock()
        with self._connect() as db:
            db.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction that waits for other writers instead of failing."""
        db = sqlite3.connect(self.path, timeout=10.0, isolation_level="IMMEDIATE")
        try:
            with db:
                yield db
        finally:
            db.close()

    def _count(self, db: sqlite3.Connection, table: str, since: float, visitor: str | None) -> int:
        """Rows of `table` since `since`, for one visitor or for everyone."""
        sql = f"SELECT COUNT(*) FROM {table} WHERE at > ?"  # noqa: S608 - fixed table names
        args: tuple[object, ...] = (since,)
        if visitor is not None:
            sql += " AND visitor = ?"
            args += (visitor,)
        return int(db.execute(sql, args).fetchone()[0])

    def _oldest(self, db: sqlite3.Connection, since: float, visitor: str | None) -> float:
        """The time of the oldest wrong attempt since `since` (for one visitor or everyone)."""
        sql = "SELECT MIN(at) FROM attempts WHERE at > ?"
        args: tuple[object, ...] = (since,)
        if visitor is not None:
            sql += " AND visitor = ?"
            args += (visitor,)
        found = db.execute(sql, args).fetchone()[0]
        return float(found) if found is not None else self._clock()

    # --- passcode -------------------------------------------------------------------

    def passcode_wait(self, visitor: str, *, per_visitor: int, everyone: int) -> float:
        """Seconds before this visitor may try a passcode again (0 when it may now).

        At most `per_visitor` wrong attempts a minute for one visitor, and `everyone`
        across all visitors (a guesser spreading over many sessions slows everyone down)."""
        now = self._clock()
        since = now - ATTEMPT_WINDOW_S
        with self._lock, self._connect() as db:
            waits = [0.0]
            for who, cap in ((visitor, per_visitor), (None, everyone)):
                if self._count(db, "attempts", since, who) >= cap:
                    waits.append(self._oldest(db, since, who) + ATTEMPT_WINDOW_S - now)
        return max(waits)

    def note_wrong_passcode(self, visitor: str) -> None:
        """Count one wrong passcode for this visitor (and for everyone)."""
        with self._lock, self._connect() as db:
            db.execute("INSERT INTO attempts VALUES (?, ?)", (visitor, self._clock()))
            db.execute("DELETE FROM attempts WHERE at < ?", (self._clock() - 3600.0,))

    # --- call budget ----------------------------------------------------------------

    def budget(
        self, visitor: str, *, visitor_cap: int, deployment_cap: int, window_s: float
    ) -> Budget:
        """Calls used by this visitor and by the whole deployment in the last `window_s`."""
        since = self._clock() - window_s
        with self._lock, self._connect() as db:
            mine = self._count(db, "calls", since, visitor)
            everyone = self._count(db, "calls", since, None)
        return Budget(mine, visitor_cap, everyone, deployment_cap)

    def take_call(
        self, visitor: str, *, visitor_cap: int, deployment_cap: int, window_s: float
    ) -> bool:
        """Count one call if both caps allow it (checked and counted in one transaction)."""
        now = self._clock()
        since = now - window_s
        with self._lock, self._connect() as db:
            if self._count(db, "calls", since, visitor) >= visitor_cap:
                return False
            if self._count(db, "calls", since, None) >= deployment_cap:
                return False
            db.execute("INSERT INTO calls VALUES (?, ?)", (visitor, now))
            db.execute("DELETE FROM calls WHERE at < ?", (now - max(window_s, 3600.0) * 2,))
        return True
