"""Per-SecretId token buckets: `qps` requests per second with a burst of `qps`.

Beyond the budget a call gets `RequestLimitExceeded`; the message quotes how many
requests the caller made in the last second, as the service's message does.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["RateDecision", "RateLimiter"]


@dataclass(frozen=True)
class RateDecision:
    """Whether a call may go ahead, and the figures the rejection message quotes."""

    allowed: bool
    count_last_second: int
    limit: int


class _Bucket:
    """One caller's tokens and the times of its calls in the last second."""

    def __init__(self, capacity: float, now: float) -> None:
        self.tokens = capacity
        self.updated = now
        self.recent: deque[float] = deque()


class RateLimiter:
    """Thread-safe token buckets keyed by SecretId; `qps <= 0` means no limit."""

    def __init__(self, qps: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.qps = qps
        self._capacity = max(qps, 1.0)
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, _Bucket] = {}

    def acquire(self, key: str) -> RateDecision:
        """Spend one token of `key`'s bucket if there is one."""
        if self.qps <= 0:
            return RateDecision(True, 0, 0)
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = _Bucket(self._capacity, now)
            bucket.tokens = min(self._capacity, bucket.tokens + (now - bucket.updated) * self.qps)
            bucket.updated = now
            bucket.recent.append(now)
            while bucket.recent and bucket.recent[0] <= now - 1.0:
                bucket.recent.popleft()
            allowed = bucket.tokens >= 1.0
            if allowed:
                bucket.tokens -= 1.0
            return RateDecision(allowed, len(bucket.recent), math.ceil(self.qps))

    def clear(self) -> None:
        """Forget every caller's history (full buckets again)."""
        with self._lock:
            self._buckets.clear()
