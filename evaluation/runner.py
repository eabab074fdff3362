"""The rate-limited, resumable runner: dataset -> media.prepare -> client -> store.

A limiter spaces calls at the configured requests per second and never starts more than
the quota in any one-second window; a few worker threads keep calls in flight so network
latency does not eat the quota. Items go out in the plan's balanced order (labels and
attack types interleaved), so a partial run is a fair sample. Calls found in flight from a
killed run are sent again by default (`RunnerOptions.resend_interrupted`). Errors the service did
not process (`RequestLimitExceeded*`, connection failures, ...) back off and retry; other
errors are stored per item and the run goes on; account-level errors (authentication,
arrears, unsupported region) stop the run. Progress is reported from the calling thread,
so a Streamlit page can draw it.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from client import ApiError, ConfigError, DetectClient, ServiceError, TransportError
from client.api import backoff_delay
from evaluation.dataset import Dataset, DatasetItem
from evaluation.models import LEVELS, Outcome, RunSettings
from evaluation.pacing import TokenBucket
from evaluation.plan import make_plan
from evaluation.policy import is_fatal_code
from evaluation.progress import Progress, RunnerOptions, RunSummary
from evaluation.store import Store
from media import MediaError, PrepareOptions, prepare

__all__ = ["run_evaluation"]


class _Stop(Exception):
    """An account-level error: stop the run."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class _Job:
    """An item ready to send: its prepared bytes and what is stored about them."""

    item: DatasetItem
    data: bytes
    input_type: int
    info: dict[str, Any]


class _Run:
    """The shared state of one run: preparers feed a short queue of ready items, senders
    pace them through the token bucket. Preparation (CPU) and calls (I/O) overlap."""

    def __init__(
        self,
        dataset: Dataset,
        store: Store,
        settings: RunSettings,
        options: RunnerOptions,
        prepare_options: PrepareOptions,
        cancel: threading.Event,
        note: str | None = None,
    ) -> None:
        self.store, self.settings, self.options = store, settings, options
        self.prepare_options = prepare_options
        self.key = settings.config_key
        self.cancel = cancel
        self.halt = threading.Event()
        self.bucket = TokenBucket(options.qps)
        self.events: queue.Queue[str | None] = queue.Queue()  # item paths; None when a sender ends
        self.ready: queue.Queue[_Job | None] = queue.Queue()  # None: no more jobs
        self.lock = threading.Lock()
        self.calls = self.errors = self.retries = self.transport_failures = 0
        self.stop: _Stop | None = None
        self.run_id = store.open_run(dataset.source, settings, dataset, note=note)
        resend = options.resend_interrupted or options.resend_uncertain
        self.interrupted = store.settle_interrupted(self.key, self.run_id, resend=resend)
        self.resent = self.interrupted if resend else 0
        final = store.final_hashes(self.key, resend_uncertain=options.resend_uncertain)
        self.by_sha: dict[str, list[DatasetItem]] = {}
        for item in dataset.items:
            self.by_sha.setdefault(item.sha256, []).append(item)
        plan = make_plan(dataset, final, options.qps, options.seed)
        self.total = plan.items
        self.cached = plan.stored_items
        self.done = self.cached
        self.first_call: float | None = None
        self.last_call: float | None = None
        self.todo: queue.Queue[DatasetItem] = queue.Queue()
        for item in plan.to_send:
            self.todo.put(item)
        self.pending_contents = self.todo.qsize()
        self.senders = min(options.workers, self.pending_contents)
        self.preparers = min(os.cpu_count() or 1, 4, self.pending_contents)
        self.preparers_left = self.preparers

    def stopped(self) -> bool:
        """Whether workers should take no new item."""
        return self.cancel.is_set() or self.halt.is_set()

    def _record(self, item: DatasetItem, outcome: Outcome) -> None:
        """Store an outcome and count every item sharing its content as done."""
        self.store.record(self.key, self.run_id, outcome)
        with self.lock:
            self.done += len(self.by_sha[item.sha256])
            self.errors += outcome.error_code is not None
        self.events.put(item.path)

    def preparer(self) -> None:
        """Prepare items ahead of the senders (at most two per sender waiting)."""
        try:
            while not self.stopped():
                try:
                    item = self.todo.get_nowait()
                except queue.Empty:
                    return
                job = self._prepare(item)
                if isinstance(job, Outcome):
                    self._record(item, job)
                    continue
                while self.ready.qsize() >= 2 * self.senders and not self.stopped():
                    time.sleep(0.01)
                self.ready.put(job)
        finally:
            with self.lock:
                self.preparers_left -= 1
                last = self.preparers_left == 0
            if last:
                for _ in range(self.senders):
                    self.ready.put(None)

    def _prepare(self, item: DatasetItem) -> _Job | Outcome:
        """Read and prepare one item; media problems become the item's stored outcome."""
        try:
            prepared = prepare(item.file.read_bytes(), item.file.name, self.prepare_options)
        except OSError as exc:
            return Outcome(
                item.sha256,
                error_code="Evaluation.Unreadable",
                error_message=str(exc.strerror or exc),
            )
        except MediaError as exc:
            return Outcome(item.sha256, error_code=f"Media.{exc.code}", error_message=exc.en)
        except Exception as exc:  # a decoder failing on hostile bytes: this item only
            return Outcome(
                item.sha256,
                error_code="Evaluation.PrepareFailed",
                error_message=f"{type(exc).__name__}: {exc}"[:300],
            )
        info = {
            "kind": prepared.kind,
            "input_type": prepared.input_type,
            "size": list(prepared.size),
            "bytes": len(prepared.data),
            "sha256": prepared.sha256,
            "warnings": [w.code for w in prepared.warnings],
            "face_px": max((face.size for face in prepared.faces), default=None),
        }
        return _Job(item, prepared.data, prepared.input_type, info)

    def sender(self, client: DetectClient) -> None:
        """Send ready items until there are none or the run is stopped; report each one."""
        try:
            while not self.stopped():
                try:
                    job = self.ready.get(timeout=0.2)
                except queue.Empty:
                    continue
                if job is None:
                    return
                try:
                    outcome = self._send(job, client)
                except _Stop as stop:
                    self._halt(stop)
                    return
                if outcome is None:
                    return
                self._record(job.item, outcome)
        finally:
            self.events.put(None)

    def _halt(self, stop: _Stop) -> None:
        """Remember the first account-level error and stop every worker."""
        with self.lock:
            self.stop = self.stop or stop
        self.halt.set()

    def _send(self, job: _Job, client: DetectClient) -> Outcome | None:
        """Send one prepared item, retrying what the service did not process.

        None means the run was stopped before the item was sent."""
        item, info = job.item, job.info
        attempts = 0
        while True:
            if self.halt.is_set() or self.cancel.is_set():
                return None
            # marked before the limiter grants the start, so the call goes out right after it
            self.store.mark_inflight(self.key, self.run_id, item.sha256)
            if not self.bucket.acquire(self.cancel) or self.halt.is_set():
                self.store.clear_inflight(self.key, item.sha256)
                return None
            attempts += 1
            with self.lock:
                self.calls += 1
                now = time.monotonic()
                self.first_call = self.first_call if self.first_call is not None else now
                self.last_call = now
            try:
                detection = client.detect(job.data, job.input_type)
            except ConfigError as exc:  # raised before anything is sent: the run stops
                self.store.clear_inflight(self.key, item.sha256)
                raise _Stop(exc.code, str(exc)) from None
            except ApiError as exc:
                outcome = self._on_error(exc, item, attempts, info)
                if outcome is not None:
                    return outcome
                continue
            with self.lock:
                self.transport_failures = 0
            level = detection.level.value
            known = level in LEVELS
            return Outcome(
                item.sha256,
                level=level if known else None,
                level_raw=detection.level_raw,
                traces=tuple(t.type for t in detection.traces),
                request_id=detection.request_id,
                latency_ms=detection.latency_ms,
                attempts=attempts - 1 + detection.attempts,
                error_code=None if known else "Evaluation.UnknownLevel",
                error_message=None if known else f"unknown AttackRiskLevel {detection.level_raw!r}",
                prepared=info,
            )

    def _on_error(
        self, exc: ApiError, item: DatasetItem, attempts: int, info: dict[str, Any]
    ) -> Outcome | None:
        """Decide after a failed call: None to retry (after a back-off), or the outcome to store."""
        code = exc.code
        transport = isinstance(exc, TransportError)
        with self.lock:
            self.transport_failures = self.transport_failures + 1 if transport else 0
            failures = self.transport_failures
        if is_fatal_code(code):
            self.store.clear_inflight(self.key, item.sha256)
            raise _Stop(code, str(exc))
        request_id = exc.request_id
        if exc.retryable and attempts < self.options.max_attempts:
            self.store.clear_inflight(self.key, item.sha256)
            with self.lock:
                self.retries += 1
            delay = backoff_delay(
                attempts, base=self.options.backoff_base_s, cap=self.options.backoff_max_s
            )
            if self.cancel.wait(delay):
                return Outcome(
                    item.sha256,
                    attempts=attempts,
                    error_code=code,
                    error_message=str(exc),
                    retryable=True,
                    prepared=info,
                )
            return None
        if transport and failures >= self.options.max_transport_failures:
            self._halt(
                _Stop(code, f"{failures} calls in a row got no answer from the service: {exc}")
            )
        message = str(exc.message) if isinstance(exc, ServiceError) else str(exc)
        return Outcome(
            item.sha256,
            request_id=request_id,
            attempts=attempts,
            error_code=code,
            error_message=message,
            retryable=exc.retryable,
            prepared=info,
        )

    def progress(self, started: float, last: str | None) -> Progress:
        """A snapshot of the counters. The rate is calls sent per second between the first
        and the last call's start (what the quota limits); time left is from items done."""
        with self.lock:
            elapsed = time.monotonic() - started
            span = (
                self.last_call - self.first_call
                if self.first_call is not None and self.last_call is not None
                else 0.0
            )
            rate = (self.calls - 1) / span if self.calls > 1 and span > 0 else 0.0
            fresh = self.done - self.cached
            left = self.total - self.done
            throughput = fresh / elapsed if elapsed > 0 and fresh else 0.0
            eta = (
                left / throughput if throughput > 0 else (left / self.options.qps if left else 0.0)
            )
            return Progress(
                self.total,
                self.done,
                self.cached,
                self.calls,
                self.errors,
                self.retries,
                elapsed,
                rate,
                eta,
                last,
                self.resent,
            )


_LOCKS_GUARD = threading.Lock()
_LOCKS: dict[tuple[str, str], threading.Lock] = {}


def _run_lock(store: Store, config_key: str) -> threading.Lock:
    """One lock per store file and settings in this process: a run started while an earlier
    one is still finishing its calls in flight (a page rerun) waits for it instead of
    sending the same content again."""
    with _LOCKS_GUARD:
        return _LOCKS.setdefault((str(store.path.resolve()), config_key), threading.Lock())


def _watch(
    state: _Run, senders: int, started: float, progress: Callable[[Progress], None] | None
) -> str | None:
    """Report progress from the calling thread until every sender has ended; the last path."""
    last: str | None = None
    if progress:
        progress(state.progress(started, last))
    running = senders
    while running:
        try:
            event = state.events.get(timeout=0.5)
        except queue.Empty:
            event = ""
        if event is None:
            running -= 1
        last = event or last
        if progress:
            progress(state.progress(started, last))
    return last


def run_evaluation(
    dataset: Dataset,
    store: Store,
    settings: RunSettings,
    make_client: Callable[[], DetectClient],
    *,
    options: RunnerOptions | None = None,
    prepare_options: PrepareOptions | None = None,
    progress: Callable[[Progress], None] | None = None,
    cancel: threading.Event | None = None,
    note: str | None = None,
) -> RunSummary:
    """Run (or continue) an evaluation; blocks until done, cancelled or stopped.

    `note` replaces the run's stored note (None keeps it, "" clears it).
    `progress` is called from the calling thread after each item and about twice a
    second. Account-level errors end the run with `RunSummary.stopped_code` set."""
    options = options or RunnerOptions(qps=settings.qps, concurrency=settings.concurrency)
    prepare_options = prepare_options or PrepareOptions(**settings.prepare)
    cancel = cancel or threading.Event()
    with _run_lock(store, settings.config_key):
        return _run_locked(
            dataset, store, settings, make_client, options, prepare_options, progress, cancel, note
        )


def _run_locked(
    dataset: Dataset,
    store: Store,
    settings: RunSettings,
    make_client: Callable[[], DetectClient],
    options: RunnerOptions,
    prepare_options: PrepareOptions,
    progress: Callable[[Progress], None] | None,
    cancel: threading.Event,
    note: str | None = None,
) -> RunSummary:
    """The body of `run_evaluation`, with this process's lock on the settings held."""
    state = _Run(dataset, store, settings, options, prepare_options, cancel, note)
    started = time.monotonic()
    try:
        client = make_client() if state.pending_contents else None
    except (ApiError, ConfigError) as exc:
        state.halt.set()
        state.stop, client = _Stop(exc.code, str(exc)), None
    if client is not None:
        client.max_retries = 0  # retries go through this runner's bucket instead
    senders = [
        threading.Thread(
            target=state.sender, args=(client,), name=f"evaluation-send-{i}", daemon=True
        )
        for i in range(state.senders if client is not None else 0)
    ]
    preparers = [
        threading.Thread(target=state.preparer, name=f"evaluation-prepare-{i}", daemon=True)
        for i in range(state.preparers)
    ]
    workers = preparers + senders
    for thread in workers:
        thread.start()
    try:
        last = _watch(state, len(senders), started, progress)
    except BaseException:  # e.g. the page's script stopped by a click: finish cleanly, keep results
        cancel.set()
        for thread in workers:
            thread.join()
        store.set_status(state.run_id, "cancelled")
        raise
    finally:
        for thread in workers:
            thread.join()
        if client is not None:
            client.close()
    snap = state.progress(started, last)
    if progress:
        progress(snap)
    stop = state.stop
    summary = RunSummary(
        state.run_id,
        state.total,
        snap.done,
        state.cached,
        snap.calls,
        snap.errors,
        state.interrupted,
        cancel.is_set(),
        snap.elapsed_s,
        stop.code if stop else None,
        stop.message if stop else None,
        state.resent,
    )
    store.set_status(state.run_id, summary.status)
    return summary
