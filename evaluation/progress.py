"""The runner's plain values: the options it is given, the progress it reports and the
summary it returns."""

from __future__ import annotations

from dataclasses import dataclass

from evaluation.policy import default_concurrency

__all__ = ["Progress", "RunSummary", "RunnerOptions"]


@dataclass(frozen=True)
class RunnerOptions:
    """How hard to push: requests per second, calls in flight, retries and back-off.

    `resend_interrupted` (default on) sends again what was in flight when an earlier run
    was killed, so its figures equal an uninterrupted run's (at most `concurrency` calls are
    repeated); off, those items are kept as `Evaluation.Interrupted`, never paid twice.
    `resend_uncertain` also sends again timeouts after sending and unreadable replies."""

    qps: float = 1.0
    concurrency: int | None = None
    max_attempts: int = 6
    backoff_base_s: float = 0.5
    backoff_max_s: float = 8.0
    max_transport_failures: int = 5
    resend_uncertain: bool = False
    resend_interrupted: bool = True
    seed: int = 0

    @property
    def workers(self) -> int:
        """The number of calls kept in flight."""
        return self.concurrency or default_concurrency(self.qps)


@dataclass(frozen=True)
class Progress:
    """Where a run stands: items done (stored earlier or now), calls, rate and time left.

    `rate_per_s` is calls sent per second (what the quota limits), measured from the first
    call's start to the last one's; `eta_s` comes from the items finished so far."""

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
    resent: int = 0

    @property
    def fraction(self) -> float:
        """Share of items done, 0..1."""
        return self.done / self.total if self.total else 1.0


@dataclass(frozen=True)
class RunSummary:
    """How a run ended. `stopped_code` is set when an account-level error stopped it.

    `interrupted` counts calls found in flight from an earlier, killed run: sent again
    (`resent`) or kept as `Evaluation.Interrupted`."""

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
    resent: int = 0

    @property
    def status(self) -> str:
        """finished / cancelled / stopped / incomplete."""
        if self.stopped_code:
            return "stopped"
        if self.cancelled:
            return "cancelled"
        return "finished" if self.done >= self.total else "incomplete"
