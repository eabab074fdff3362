"""Long work with visible progress: run it beside the page and say what is happening,
with the seconds elapsed, until it is done (a bare spinner looks stuck after a few s)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

__all__ = ["TICK_S", "with_progress"]

T = TypeVar("T")
# How often the label is refreshed.
TICK_S = 0.25


def with_progress(work: Callable[[], T], label: Callable[[float], str]) -> T:
    """Run `work()` on a helper thread (it keeps this run's context, so it may use the
    session) and show `label(elapsed_s)` with a moving bar until it returns; returns its
    result, or raises what it raised. The bar moves with time, not with the work's own
    progress: the label says what is being done."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["result"] = work()
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller below
            box["error"] = exc

    worker = threading.Thread(target=run, name="check-work", daemon=True)
    add_script_run_ctx(worker, get_script_run_ctx())
    started = time.monotonic()
    worker.start()
    placeholder = st.empty()
    try:
        while worker.is_alive():
            elapsed = time.monotonic() - started
            # An ease-out that never reaches the end: honest about not knowing the total.
            share = 1 - 1 / (1 + elapsed / 4)
            placeholder.progress(min(0.95, share), text=label(elapsed))
            worker.join(TICK_S)
    finally:
        placeholder.empty()
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["result"]  # type: ignore[return-value]
