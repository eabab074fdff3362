"""Pacing: a thread-safe limiter that never starts more than the quota's calls in any
one-second window, and spaces them evenly in between.

The other values that used to live here moved to modules with one job each and are
re-exported for existing imports: `evaluation.policy` (which errors stop a run),
`evaluation.progress` (options, progress, summary), `evaluation.settings` (run settings)."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

from evaluation.policy import FATAL_PREFIXES, default_concurrency, is_fatal_code
from evaluation.progress import Progress, RunnerOptions, RunSummary
from evaluation.settings import __version__, make_settings, sandbox_identity

__all__ = [
    "FATAL_PREFIXES",
    "Progress",
    "RunSummary",
    "RunnerOptions",
    "TokenBucket",
    "__version__",
    "default_concurrency",
    "is_fatal_code",
    "make_settings",
    "sandbox_identity",
]


class TokenBucket:
    """Start times for calls at `rate` per second: consecutive starts are at least
    `1/rate` apart, and no window of `window` seconds holds more than
    `max(1, floor(rate * window))` starts (the service counts calls per second).

    Starts are recorded when granted, just before the call goes out, so a thread that
    wakes late cannot crowd a window. The clock is injectable for tests."""

    def __init__(
        self, rate: float, window: float = 1.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if not (rate > 0 and math.isfinite(rate)):
            raise ValueError("rate must be a finite positive number")
        self.interval = 1.0 / rate
        self.window = window
        self.per_window = max(1, math.floor(rate * window + 1e-9))
        self._clock = clock
        self._lock = threading.Lock()
        self._last: float | None = None
        self._starts: deque[float] = deque(maxlen=self.per_window)

    def try_acquire(self) -> float:
        """Take a start now if the limits allow it (returns 0.0), else the seconds to wait
        before asking again. A start is recorded at the clock time it is granted."""
        with self._lock:
            now = self._clock()
            at = now
            if self._last is not None:
                at = max(at, self._last + self.interval)
            if len(self._starts) == self.per_window:
                at = max(at, self._starts[0] + self.window)
            if at > now:
                return at - now
            self._last = now
            self._starts.append(now)
            return 0.0

    def acquire(self, cancel: threading.Event | None = None) -> bool:
        """Wait for a start; False when `cancel` was set first."""
        while True:
            if cancel is not None and cancel.is_set():
                return False
            wait = self.try_acquire()
            if wait <= 0:
                return True
            if cancel is not None:
                if cancel.wait(wait):
                    return False
            else:
                time.sleep(wait)
