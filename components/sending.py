"""When the Check tab may send, and sending so that the user can cancel.

- On Tencent Cloud (real, billed) a new input is sent only by a click on "Check"; an
  input the pre-flight finds no face, several faces or a face under 100 px in needs
  "Send anyway" instead.
- On either backend a settings change (image box, video window, backend, endpoint) never
  re-sends content already checked: the page says "settings changed: check again".
- A check runs in a worker thread, kept across reruns, while the page shows the elapsed
  time and a Cancel button that sets the check's cancel token; a cancelled input is not
  sent again until the user asks (and one cancelled before its send is never sent).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from client import ApiError, ConfigError
from components.i18n import t
from components.state import (
    CANCELLED_CHECKS,
    CHECK_CANCEL,
    CHECK_JOB,
    CHECK_SEND,
    PENDING_PREPARED,
    SENT_CONTENT,
    request_recheck,
)
from components.text import as_text
from media import MediaError, prepare

if TYPE_CHECKING:
    from client import DetectClient
    from components.context import AppContext
    from media import Prepared

__all__ = [
    "CONFIRM_WARNINGS",
    "BackgroundCheck",
    "CheckCancelled",
    "check_running",
    "client_for_worker",
    "content_seen_with_other_settings",
    "in_fragment_run",
    "may_send_ui",
    "note_sent",
    "pending_prepared",
    "run_cancellable",
    "start_check",
    "unless_cancelled",
]

T = TypeVar("T")
CONFIRM_WARNINGS = frozenset({"no_face", "multiple_faces", "small_face"})
POLL_S = 0.25  # the elapsed time shown is updated this often
SHOW_AFTER_S = 0.5  # a check answered sooner shows no timer and no Cancel button
RERUN_EVERY_S = 1.0  # a fragment run waiting for its worker reruns this often (see Cancel)


def _content_sha(data: bytes) -> str:
    """The content part of a check key."""
    return hashlib.sha256(data).hexdigest()


def _seen() -> dict[str, str]:
    """Content sha256 -> the check key it was last sent (or offered) under."""
    return SENT_CONTENT.get()


def note_sent(key: str) -> None:
    """Remember that this content was sent (or offered for sending) under `key`."""
    _seen()[key.split(":", 1)[0]] = key
    CANCELLED_CHECKS.get().discard(key)


def content_seen_with_other_settings(key: str) -> bool:
    """Whether the same content was already sent under other settings."""
    earlier = _seen().get(key.split(":", 1)[0])
    return earlier is not None and earlier != key


def _mark_cancelled(key: str) -> None:
    """Do not send this input again until asked."""
    CANCELLED_CHECKS.get().add(key)


def pending_prepared(key: str) -> Prepared | None:
    """The input prepared for the confirmation step, if it is the one for `key`."""
    pending = PENDING_PREPARED.get()
    return pending[1] if pending and pending[0] == key else None


def _prepared_for(ctx: AppContext, data: bytes, filename: str | None, key: str) -> Prepared | None:
    """Prepare the input once for the confirmation step (None when it cannot be: the check
    then explains why, without sending anything)."""
    found = pending_prepared(key)
    if found is not None:
        return found
    try:
        prepared = prepare(data, filename, ctx.prepare_options)
    except MediaError:
        return None
    PENDING_PREPARED.set((key, prepared))
    return prepared


def _send_button(label_key: str, key: str, lang: str, *, primary: bool = True) -> None:
    """The button that sends this input on the next run."""
    st.button(
        t(label_key, lang),
        key=CHECK_SEND.key,
        on_click=request_recheck,
        args=(key,),
        icon=":material/send:",
        type="primary" if primary else "secondary",
    )


def may_send_ui(ctx: AppContext, data: bytes, filename: str | None, key: str) -> bool:
    """True when this new input may be sent now; otherwise draws what the user can do."""
    lang = ctx.lang
    if key in CANCELLED_CHECKS.get():
        st.info(t("check.cancelled", lang), icon=":material/cancel:")
        _send_button("check.again", key, lang)
        return False
    changed = content_seen_with_other_settings(key)
    if ctx.backend != "tencent":
        if changed:
            st.info(t("check.settings_changed", lang), icon=":material/tune:")
            _send_button("check.again", key, lang)
        return not changed
    if changed:
        st.info(t("check.settings_changed", lang), icon=":material/tune:")
    prepared = _prepared_for(ctx, data, filename, key)
    if prepared is None:
        return True  # unusable input: the check explains why, and sends nothing
    risky = [w for w in prepared.warnings if w.code in CONFIRM_WARNINGS]
    st.warning(t("check.live_ready", lang), icon=":material/payments:")
    for warning in risky:
        st.warning(as_text(warning.text(lang)), icon=":material/face_retouching_off:")
    if risky:
        st.caption(t("check.confirm_hint", lang))
        _send_button("check.send_anyway", key, lang, primary=False)
    else:
        _send_button("check.send", key, lang)
    return False


def client_for_worker(ctx: AppContext) -> Callable[[], DetectClient]:
    """The session's client, fetched here in the script thread (session state is not
    reachable from a worker); a configuration error is raised when the worker asks."""
    from components.backend import session_client

    try:
        client = session_client(ctx)
    except (ApiError, ConfigError) as error:
        failure = error

        def refuse() -> DetectClient:
            raise failure

        return refuse
    return lambda: client


class CheckCancelled(BaseException):
    """Raised in a worker instead of sending, once the user cancelled its check (a
    BaseException like Streamlit's own stop signals: nothing on the way catches it)."""


@dataclass
class BackgroundCheck(Generic[T]):
    """One check running in a worker thread, kept across reruns (session state): its
    input's key, the cancel token the Cancel button sets, and, once `done`, the worker's
    value or error. No Streamlit here."""

    key: str
    cancel: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    started: float = field(default_factory=time.monotonic)
    value: T | None = None
    error: BaseException | None = None

    def result(self) -> T:
        """The worker's value, or its error raised again (only once `done`)."""
        if self.error is not None:
            raise self.error
        return cast("T", self.value)


def start_check(key: str, work: Callable[[threading.Event], T]) -> BackgroundCheck[T]:
    """`work(cancel)` started in a daemon thread, as the background check of `key`."""
    job: BackgroundCheck[T] = BackgroundCheck(key)

    def target() -> None:
        try:
            job.value = work(job.cancel)
        except BaseException as error:  # noqa: BLE001 - handed to the script thread
            job.error = error
        finally:
            job.done.set()

    threading.Thread(target=target, name="page-check", daemon=True).start()
    return job


def unless_cancelled(
    client: Callable[[], DetectClient], cancel: threading.Event
) -> Callable[[], DetectClient]:
    """`client`, refused with CheckCancelled once `cancel` is set: a check cancelled while
    its input is being prepared is never sent."""

    def checked_client() -> DetectClient:
        if cancel.is_set():
            raise CheckCancelled
        return client()

    return checked_client


def in_fragment_run() -> bool:
    """Whether this script run redraws only a fragment (not the whole page)."""
    run = get_script_run_ctx()
    return bool(run is not None and run.fragment_ids_this_run)


def _job_for(key: str) -> BackgroundCheck[Any] | None:
    """The session's background check of this input, if one is running or unread. One for
    another input is given up (cancelled: its answer is dropped, as when leaving it)."""
    job = CHECK_JOB.get()
    if job is not None and job.key != key:
        job.cancel.set()
        _mark_cancelled(job.key)
        CHECK_JOB.forget()
        return None
    return job


def check_running(key: str) -> bool:
    """Whether a background check of this input was started and not read yet."""
    return _job_for(key) is not None


def _cancel_job(key: str) -> None:
    """Cancel button callback: set the check's token; the input is not sent again by itself."""
    job = CHECK_JOB.get()
    if job is not None and job.key == key:
        job.cancel.set()
    _mark_cancelled(key)


def _wait_ui(
    job: BackgroundCheck[Any],
    key: str,
    lang: str,
    label: Callable[[float], str] | None,
    this_run: float,
) -> None:
    """The elapsed time (or `label`) and Cancel, until the worker is done; a fragment run
    reruns itself every `RERUN_EVERY_S` meanwhile (see `run_cancellable`)."""
    slot = st.empty()
    with slot.container():
        status = st.empty()
        st.button(
            t("check.cancel", lang),
            key=CHECK_CANCEL.key,
            on_click=_cancel_job,
            args=(key,),
            icon=":material/cancel:",
        )
    while True:
        elapsed = time.monotonic() - job.started
        if label is None:
            status.caption(t("check.waiting", lang, seconds=int(elapsed)))
        else:
            # An ease-out that never reaches the end: honest about not knowing the total.
            status.progress(min(0.95, 1 - 1 / (1 + elapsed / 4)), text=label(elapsed))
        if job.done.wait(POLL_S):
            break
        if time.monotonic() - this_run >= RERUN_EVERY_S and in_fragment_run():
            st.rerun(scope="fragment")  # a queued click (Cancel) takes effect now
    slot.empty()


def run_cancellable(
    work: Callable[[threading.Event], T],
    key: str,
    lang: str,
    *,
    label: Callable[[float], str] | None = None,
) -> T | None:
    """Run `work(cancel)` in a worker thread (kept across reruns), showing the elapsed time
    (or `label(elapsed_s)` with a moving bar: what long work is doing) and a Cancel button;
    the worker's value, or None once the user cancelled (its answer is dropped).

    `cancel` is the check's token: the Cancel button sets it (pass the client through
    `unless_cancelled` so a check cancelled before its send is never sent). Inside a
    fragment a click is queued until the run ends, so a fragment run waits at most
    `RERUN_EVERY_S` and then reruns itself (`st.rerun(scope="fragment")`): the queued
    click takes effect and the next run waits for the same worker. A run interrupted by
    a click elsewhere leaves the worker running for the next run too."""
    job = _job_for(key)
    if job is None:
        job = start_check(key, work)
        CHECK_JOB.set(job)
    if job.cancel.is_set():
        CHECK_JOB.forget()
        return None
    this_run = time.monotonic()
    # A quick answer comes alone: no Cancel button or timer drawn and taken away before it.
    if not job.done.wait(max(0.0, SHOW_AFTER_S - (this_run - job.started))):
        _wait_ui(job, key, lang, label, this_run)
    CHECK_JOB.forget()
    return job.result()
