"""Pacing and policy for runs: the token bucket, which errors stop a run, the runner's
options, its progress and summary values, and the settings a run is stored with."""

from __future__ import annotations

import hashlib
import math
import platform
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx
import PIL

from client import ConfigError
from evaluation.models import RunSettings
from media import PrepareOptions

__all__ = [
    "FATAL_PREFIXES",
    "Progress",
    "RunSummary",
    "RunnerOptions",
    "TokenBucket",
    "default_concurrency",
    "is_fatal_code",
    "make_settings",
    "sandbox_identity",
]

__version__ = "0.1.0"
# Errors about the account or the settings, not the item: every further call would fail too.
FATAL_PREFIXES = (
    "AuthFailure",
    "UnauthorizedOperation",
    "InvalidAction",
    "NoSuchVersion",
    "UnsupportedRegion",
    ConfigError.code,
)


def is_fatal_code(code: str) -> bool:
    """Whether an error code stops the whole run."""
    return any(code == p or code.startswith(p + ".") for p in FATAL_PREFIXES)


def default_concurrency(qps: float) -> int:
    """Enough workers to keep the quota busy through ~1 s of latency, within reason."""
    return max(2, min(32, math.ceil(qps * 2)))


class TokenBucket:
    """Thread-safe pacing at `rate` per second with a burst of `burst` (GCRA form)."""

    def __init__(
        self, rate: float, burst: float = 1.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.interval = 1.0 / rate
        self.tolerance = max(burst - 1.0, 0.0) * self.interval
        self._clock = clock
        self._lock = threading.Lock()
        self._tat = clock()

    def reserve(self) -> float:
        """Claim the next slot; returns the clock time at which it may be used."""
        with self._lock:
            now = self._clock()
            at = max(now, self._tat - self.tolerance)
            self._tat = max(self._tat, at) + self.interval
            return at

    def acquire(self, cancel: threading.Event | None = None) -> bool:
        """Wait for a slot; False when `cancel` was set while waiting."""
        wait = self.reserve() - self._clock()
        if wait > 0:
            if cancel is not None:
                return not cancel.wait(wait)
            time.sleep(wait)
        return not (cancel is not None and cancel.is_set())


@dataclass(frozen=True)
class RunnerOptions:
    """How hard to push: requests per second, workers, retries and back-off."""

    qps: float = 1.0
    concurrency: int | None = None
    max_attempts: int = 6
    backoff_base_s: float = 0.5
    backoff_max_s: float = 8.0
    max_transport_failures: int = 5
    resend_uncertain: bool = False

    @property
    def workers(self) -> int:
        """The number of worker threads."""
        return self.concurrency or default_concurrency(self.qps)


@dataclass(frozen=True)
class Progress:
    """Where a run stands: items done (stored earlier or now), calls, rate and time left."""

    total: int
    done: int
    cached: int
    calls: int
    errors: int
    retries: int
    elapsed_s: float
    rate_per_s: float
    eta_s: float | None
    last_path: str | None = None

    @property
    def fraction(self) -> float:
        """Share of items done, 0..1."""
        return self.done / self.total if self.total else 1.0


@dataclass(frozen=True)
class RunSummary:
    """How a run ended. `stopped_code` is set when an account-level error stopped it."""

    run_id: int
    total: int
    done: int
    cached: int
    calls: int
    errors: int
    interrupted: int
    cancelled: bool
    elapsed_s: float
    stopped_code: str | None = None
    stopped_message: str | None = None

    @property
    def status(self) -> str:
        """finished / cancelled / stopped / incomplete."""
        if self.stopped_code:
            return "stopped"
        if self.cancelled:
            return "cancelled"
        return "finished" if self.done >= self.total else "incomplete"


def sandbox_identity(scenario: Path | None) -> str:
    """How a local sandbox is named in run settings: its port changes every start, its
    scenario decides the answers, so results are shared between sandboxes with one scenario."""
    if scenario is None or not scenario.is_file():
        return "local-sandbox:default"
    return f"local-sandbox:{hashlib.sha256(scenario.read_bytes()).hexdigest()[:12]}"


def make_settings(
    backend: str,
    endpoint: str,
    region: str | None,
    qps: float,
    concurrency: int,
    prepare_options: PrepareOptions,
) -> RunSettings:
    """RunSettings with the preparation options and the versions of what made the run."""
    versions = {
        "evaluation": __version__,
        "python": platform.python_version(),
        "httpx": httpx.__version__,
        "pillow": PIL.__version__,
    }
    return RunSettings(
        backend, endpoint, region, qps, concurrency, asdict(prepare_options), versions
    )
