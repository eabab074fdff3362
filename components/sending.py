"""When the Check tab may send, and sending so that the user can cancel.

- On Tencent Cloud (real, billed) a new input is sent only by a click on "Check"; an
  input the pre-flight finds no face, several faces or a face under 100 px in needs
  "Send anyway" instead.
- On either backend a settings change (image box, video window, backend, endpoint) never
  re-sends content already checked: the page says "settings changed: check again".
- A check runs in a worker thread while the page shows the elapsed time and a Cancel
  button; a cancelled input is not sent again until the user asks.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequestType

from client import ApiError, ConfigError
from components.i18n import t
from components.state import (
    CANCELLED_CHECKS,
    CHECK_CANCEL,
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
    "client_for_worker",
    "content_seen_with_other_settings",
    "may_send_ui",
    "note_sent",
    "pending_prepared",
    "run_cancellable",
]

T = TypeVar("T")
CONFIRM_WARNINGS = frozenset({"no_face", "multiple_faces", "small_face"})
POLL_S = 0.25


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
    """Cancel button callback: do not send this input again until asked."""
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


def _click_waiting() -> bool:
    """Whether a click inside a fragment waits for this fragment run to end: Streamlit
    queues such a rerun instead of stopping the run at its next element update."""
    run = get_script_run_ctx()
    requests = getattr(run, "script_requests", None)
    return bool(
        run is not None
        and run.fragment_ids_this_run
        and getattr(requests, "_state", None) == ScriptRequestType.RERUN
    )


def run_cancellable(
    work: Callable[[], T], key: str, lang: str, *, label: Callable[[float], str] | None = None
) -> T:
    """Run `work` in a worker thread, showing the elapsed time (or `label(elapsed_s)` with a
    moving bar: what long work is doing) and a Cancel button.

    A click on Cancel (or anywhere else) reruns the page: Streamlit stops this script at
    its next element update (a click inside a fragment is queued instead, so a fragment
    run reruns itself when it sees one), the worker's answer is dropped, and `may_send_ui`
    says the check was cancelled instead of sending it again."""
    box: dict[str, object] = {}
    done = threading.Event()

    def target() -> None:
        try:
            box["value"] = work()
        except BaseException as error:  # noqa: BLE001 - handed to the script thread
            box["error"] = error
        finally:
            done.set()

    threading.Thread(target=target, name="page-check", daemon=True).start()
    slot = st.empty()
    started = time.monotonic()
    with slot.container():
        status = st.empty()
        st.button(
            t("check.cancel", lang),
            key=CHECK_CANCEL.key,
            on_click=_mark_cancelled,
            args=(key,),
            icon=":material/cancel:",
        )
    try:
        while not done.wait(POLL_S):
            elapsed = time.monotonic() - started
            if _click_waiting():
                # Rerunning the fragment now lets the queued click (Cancel) take effect.
                st.rerun(scope="fragment")
            if label is None:
                status.caption(t("check.waiting", lang, seconds=int(elapsed)))
            else:
                # An ease-out that never reaches the end: honest about not knowing the total.
                status.progress(min(0.95, 1 - 1 / (1 + elapsed / 4)), text=label(elapsed))
    except BaseException:  # the page reran (a click anywhere): the answer is dropped
        _mark_cancelled(key)  # and the input is not sent again by itself
        raise
    slot.empty()
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]
