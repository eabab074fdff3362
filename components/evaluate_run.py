"""The Evaluate tab's run: a background thread owned by the session, its cancel token and
the progress panel that polls it.

The run does not live in the page's script: a language switch, a tab switch or any other
widget change reruns the page while the thread keeps sending. The page reads the job's
latest progress in a fragment that refreshes itself once a second while the run is
going, and redraws the whole page once when it ends so Results shows the run just made.

The run is owned by the browser session that started it: when Streamlit's runtime has
not known that session as connected for `SESSION_GRACE_S` (the tab was closed; a brief
reconnect does not count), the run is cancelled like Cancel does, so nobody pays for
calls no one will see. What was done is kept and the run can be continued.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from components.i18n import t
from components.state import EVAL_CANCEL, EVAL_JOB, EVAL_PICK_RUN, EVAL_RUN_ID
from components.text import as_text
from evaluation import (
    EvaluationError,
    Progress,
    RunnerOptions,
    RunSummary,
    Store,
    run_evaluation,
)

if TYPE_CHECKING:
    from client import DetectClient
    from evaluation import Dataset, RunSettings
    from media import PrepareOptions

__all__ = [
    "SESSION_GRACE_S",
    "EvaluationJob",
    "SessionWatch",
    "current_job",
    "duration",
    "job_panel",
    "start_job",
]

POLL_S = 1.0
SESSION_GRACE_S = 60.0  # a session disconnected this long has ended (not a reconnect)


@dataclass
class SessionWatch:
    """Whether the browser session that started a run has ended: `is_active` said no
    for `grace_s` in a row (a reconnect in between starts the count again)."""

    is_active: Callable[[], bool]
    grace_s: float = SESSION_GRACE_S
    clock: Callable[[], float] = time.monotonic
    gone_since: float | None = None

    def ended(self) -> bool:
        """True once the session has been gone for `grace_s`."""
        if self.is_active():
            self.gone_since = None
            return False
        now = self.clock()
        if self.gone_since is None:
            self.gone_since = now
        return now - self.gone_since >= self.grace_s


def _this_session() -> SessionWatch | None:
    """A watch on the session running this script (None outside a Streamlit server)."""
    ctx = get_script_run_ctx()
    if ctx is None or not Runtime.exists():
        return None
    runtime, session_id = Runtime.instance(), ctx.session_id
    return SessionWatch(lambda: bool(runtime.is_active_session(session_id)))


@dataclass
class EvaluationJob:
    """One run in a background thread: what it was asked, its cancel token, and what the
    thread last reported. Only the thread writes `progress`, `summary` and `problem`."""

    store_path: Path
    settings: RunSettings
    cancel: threading.Event = field(default_factory=threading.Event)
    progress: Progress | None = None
    summary: RunSummary | None = None
    problem: EvaluationError | None = None
    failed: str | None = None
    thread: threading.Thread | None = None
    started_at: float = field(default_factory=time.monotonic)
    shown: bool = False
    note: str | None = None
    session: SessionWatch | None = None
    abandoned: bool = False  # cancelled because the session that started it ended

    @property
    def running(self) -> bool:
        """True while the thread has not ended."""
        return self.thread is not None and self.thread.is_alive()

    def work(
        self,
        dataset: Dataset,
        make_client: Callable[[], DetectClient],
        prepare_options: PrepareOptions,
    ) -> None:
        """The thread's body: run the evaluation on its own store connection."""
        try:
            with Store(self.store_path) as store:
                self.summary = run_evaluation(
                    dataset,
                    store,
                    self.settings,
                    make_client,
                    prepare_options=prepare_options,
                    options=RunnerOptions(
                        qps=self.settings.qps, concurrency=self.settings.concurrency
                    ),
                    progress=self._report,
                    cancel=self.cancel,
                    note=self.note,
                )
        except EvaluationError as exc:  # e.g. another process is running this run
            self.problem = exc
        except Exception as exc:  # never a traceback on the page; the type says enough
            self.failed = type(exc).__name__

    def _report(self, progress: Progress) -> None:
        """Keep the latest progress (one reference assignment: safe to read anywhere);
        cancel the run once its session has ended (checked about twice a second)."""
        self.progress = progress
        if self.session is not None and not self.cancel.is_set() and self.session.ended():
            self.abandoned = True
            self.cancel.set()


def current_job() -> EvaluationJob | None:
    """This session's run, running or ended (None before the first Start)."""
    return EVAL_JOB.get()


def start_job(
    store_path: Path,
    dataset: Dataset,
    settings: RunSettings,
    make_client: Callable[[], DetectClient],
    prepare_options: PrepareOptions,
    note: str | None = None,
) -> EvaluationJob:
    """Start a run in a background thread unless one is going; returns the session's job.
    `note` replaces the run's stored note (None keeps it)."""
    job = current_job()
    if job is not None and job.running:
        return job
    job = EvaluationJob(store_path, settings, note=note, session=_this_session())
    job.thread = threading.Thread(
        target=job.work,
        args=(dataset, make_client, prepare_options),
        name="evaluation-page-run",
        daemon=True,
    )
    EVAL_JOB.set(job)
    job.thread.start()
    return job


def duration(seconds: float | None) -> str:
    """`1 h 02 min`, `3 min 05 s` or `12 s`."""
    if seconds is None:
        return "–"
    s = int(round(seconds))
    if s >= 3600:
        return f"{s // 3600} h {s % 3600 // 60:02d} min"
    return f"{s // 60} min {s % 60:02d} s" if s >= 60 else f"{s} s"


def _cancel(job: EvaluationJob) -> None:
    """The Cancel button's callback: set the token; the thread stops after its calls."""
    job.cancel.set()


def _progress_ui(job: EvaluationJob, lang: str) -> None:
    """The bar, the counts and Cancel while a run is going."""
    p = job.progress
    if p is None:
        st.progress(0.0, text=t("evaluate.preparing", lang))
    else:
        text = t(
            "evaluate.progress",
            lang,
            done=p.done,
            total=p.total,
            rate=p.rate_per_s,
            eta=duration(p.eta_s),
            errors=p.errors,
        )
        st.progress(min(p.fraction, 1.0), text=text)
        if p.resent:
            st.caption(t("evaluate.resent", lang, count=p.resent))


def _ended_ui(job: EvaluationJob, lang: str) -> None:
    """What the run that ended said: finished, cancelled, stopped, or why it could not run."""
    if job.problem is not None:
        st.error(
            t("evaluate.store_problem", lang, reason=as_text(job.problem.text(lang))),
            icon=":material/error:",
        )
        return
    if job.failed is not None or job.summary is None:
        st.error(t("evaluate.run_failed", lang, kind=job.failed or "?"), icon=":material/error:")
        return
    s = job.summary
    if s.resent:
        st.info(t("evaluate.resent", lang, count=s.resent))
    elif s.interrupted:
        st.warning(t("evaluate.interrupted", lang, count=s.interrupted))
    if s.stopped_code:
        # Service text is shown as text: a message holding Markdown links nothing, fetches nothing.
        message = as_text(s.stopped_message)
        st.error(t("evaluate.stopped", lang, code=as_text(s.stopped_code), message=message))
    elif s.cancelled:
        st.warning(t("evaluate.cancelled", lang, done=s.done, total=s.total))
    else:
        st.success(t("evaluate.finished", lang, done=s.done, calls=s.calls, errors=s.errors))


def job_panel(lang: str) -> None:
    """The run's panel: live progress while it runs (refreshed once a second without
    rerunning the page), what it said once it ended. When it ends, the page is redrawn
    once with the new run selected in Results."""
    job = current_job()
    if job is None:
        return

    if not job.running:
        if not job.shown:  # the run just ended: Results follows it
            job.shown = True
            if job.summary is not None:
                EVAL_RUN_ID.set(job.summary.run_id)
                EVAL_PICK_RUN.set(job.summary.run_id)
        _ended_ui(job, lang)
        return

    def panel() -> None:
        if job.running:
            _progress_ui(job, lang)
        else:
            st.rerun()  # the whole page: plan, Start and Results follow the run that ended

    st.fragment(panel, run_every=POLL_S)()
    st.button(
        t("evaluate.cancelling", lang) if job.cancel.is_set() else t("evaluate.cancel", lang),
        key=EVAL_CANCEL.key,
        help=t("evaluate.cancel_help", lang),
        on_click=_cancel,
        args=(job,),
        disabled=job.cancel.is_set(),
    )
