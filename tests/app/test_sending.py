"""The Check tab's background check and its cancel token, without Streamlit."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, cast

import pytest

from components.sending import CheckCancelled, start_check, unless_cancelled

if TYPE_CHECKING:
    from client import FaceIdClient


class _Sender:
    """Stands for the session's client factory: counts the clients asked for (each one
    is asked for right before its send)."""

    def __init__(self) -> None:
        self.sent = 0

    def __call__(self) -> FaceIdClient:
        self.sent += 1
        return cast("FaceIdClient", object())


def test_a_check_cancelled_while_preparing_is_never_sent() -> None:
    sender = _Sender()
    preparing, go_on = threading.Event(), threading.Event()

    def work(cancel: threading.Event) -> str:
        preparing.set()
        assert go_on.wait(10)  # a long video preparation
        unless_cancelled(sender, cancel)()
        return "verdict"

    job = start_check("key", work)
    assert preparing.wait(10)
    job.cancel.set()  # what the Cancel button does
    go_on.set()
    assert job.done.wait(10)
    assert sender.sent == 0
    with pytest.raises(CheckCancelled):
        job.result()


def test_the_worker_hands_back_its_value_or_its_error() -> None:
    sender = _Sender()

    def work(cancel: threading.Event) -> str:
        unless_cancelled(sender, cancel)()
        return "verdict"

    job = start_check("key", work)
    assert job.done.wait(10)
    assert job.result() == "verdict" and sender.sent == 1
    failing = start_check("other", lambda cancel: 1 // 0)
    assert failing.done.wait(10)
    with pytest.raises(ZeroDivisionError):
        failing.result()


def test_a_cancellation_passes_through_what_turns_errors_into_problems() -> None:
    # run_check turns every Exception into a Problem: a cancellation must not be one.
    assert not issubclass(CheckCancelled, Exception)


def test_clearing_the_session_drops_a_check_still_running() -> None:
    """Clear History also gives up a background check: its token is set (a check not yet
    sent is never sent) and the session no longer holds it, nor its input's bytes."""
    from streamlit.testing.v1 import AppTest

    def page() -> None:
        import threading

        import streamlit as st

        from components.sending import start_check
        from components.state import CHECK_JOB, clear_session_checks

        release = threading.Event()
        job = start_check("key", lambda cancel: release.wait(10) or b"media bytes")
        CHECK_JOB.set(job)
        clear_session_checks()
        release.set()
        st.session_state["seen"] = (job.cancel.is_set(), CHECK_JOB.get() is None)

    at = AppTest.from_function(page).run()
    assert not at.exception
    assert at.session_state["seen"] == (True, True)
