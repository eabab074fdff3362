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
