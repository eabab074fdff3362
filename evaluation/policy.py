"""Run policy: which errors stop a whole run, and how many calls to keep in flight."""

from __future__ import annotations

import math

from client import ConfigError

__all__ = ["FATAL_PREFIXES", "default_concurrency", "is_fatal_code"]

# Errors about the account or the settings, not the item: every further call would fail too.
FATAL_PREFIXES = (
    "AuthFailure",
    "UnauthorizedOperation",
    "InvalidAction",
    "NoSuchVersion",
    "UnsupportedRegion",
    ConfigError.code,
    "App.CallCapReached",  # the page's call budget is spent: every further call is refused
)


def is_fatal_code(code: str) -> bool:
    """Whether an error code stops the whole run."""
    return any(code == p or code.startswith(p + ".") for p in FATAL_PREFIXES)


def default_concurrency(qps: float) -> int:
    """Enough calls in flight to keep the quota busy through ~1 s of latency, within reason."""
    return max(2, min(32, math.ceil(qps * 2)))
