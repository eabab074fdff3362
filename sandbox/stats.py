"""Counters of what the sandbox was sent and how it answered, for tests and demos."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

__all__ = ["MAX_DISTINCT_INPUTS", "Stats"]

# Distinct inputs counted one by one; later new ones are counted together under "other",
# so the counters stay a few hundred KB whatever the sandbox is sent.
MAX_DISTINCT_INPUTS = 2048


class Stats:
    """Thread-safe call counters: total, by result code, by input type, by input sha256
    (the first `MAX_DISTINCT_INPUTS` distinct ones, the rest as "other"), and by
    transport fault."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls = 0
        self._by_code: Counter[str] = Counter()
        self._by_input_type: Counter[str] = Counter()
        self._by_sha256: Counter[str] = Counter()
        self._faults: Counter[str] = Counter()

    def record(
        self,
        code: str | None,
        *,
        input_type: int | None = None,
        sha256: str | None = None,
        fault: str | None = None,
    ) -> None:
        """Count one API call; `code` is the error code or "OK" (None for a transport fault)."""
        with self._lock:
            self._calls += 1
            if code is not None:
                self._by_code[code] += 1
            if input_type is not None:
                self._by_input_type[str(input_type)] += 1
            if sha256 is not None:
                known = sha256 in self._by_sha256 or len(self._by_sha256) < MAX_DISTINCT_INPUTS
                self._by_sha256[sha256 if known else "other"] += 1
            if fault is not None:
                self._faults[fault] += 1

    def snapshot(self) -> dict[str, Any]:
        """A JSON-ready copy: `calls`, `by_code`, `by_input_type`, `by_sha256`, `faults`."""
        with self._lock:
            return {
                "calls": self._calls,
                "by_code": dict(self._by_code),
                "by_input_type": dict(self._by_input_type),
                "by_sha256": dict(self._by_sha256),
                "faults": dict(self._faults),
            }

    def reset(self) -> None:
        """Set every counter back to zero."""
        with self._lock:
            self._calls = 0
            self._by_code.clear()
            self._by_input_type.clear()
            self._by_sha256.clear()
            self._faults.clear()
