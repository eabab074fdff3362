"""This browser session's memory: checks made, history, call count, pasted keys.

Everything lives in `st.session_state` and nothing is written to disk; closing the tab
forgets it all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import streamlit as st

if TYPE_CHECKING:
    from client import Credentials
    from components.checking import CheckOutcome

__all__ = [
    "calls_made",
    "clear_history",
    "count_call",
    "forget_pasted_credentials",
    "history",
    "init_state",
    "mark_shown",
    "is_unlocked",
    "outcome_for",
    "pasted_credentials",
    "remember",
    "request_recheck",
    "session_thumbnail",
    "set_pasted_credentials",
    "take_recheck",
    "unlock",
]

_DEFAULTS: dict[str, Any] = {
    "outcomes": {},  # check key -> CheckOutcome (the same content is not sent twice)
    "history": [],  # CheckOutcome, oldest first
    "calls": 0,  # calls sent to a backend in this session
    "recheck": None,  # a check key the user asked to send again
    "pasted": None,  # Credentials pasted into the sidebar, this session only
    "unlocked": False,  # passcode accepted
    "shown": None,  # the check key on screen in the Check tab
}


def init_state() -> None:
    """Create the session's keys on first run."""
    for name, value in _DEFAULTS.items():
        if name not in st.session_state:
            st.session_state[name] = value.copy() if hasattr(value, "copy") else value


def outcome_for(key: str) -> CheckOutcome | None:
    """The earlier outcome for this content and settings, if any."""
    return st.session_state["outcomes"].get(key)


def remember(outcome: CheckOutcome, *, replaces: CheckOutcome | None = None) -> None:
    """Keep an outcome for its key and add it to the history (in place of `replaces`)."""
    st.session_state["outcomes"][outcome.key] = outcome
    entries = st.session_state["history"]
    if replaces is not None and any(entry is replaces for entry in entries):
        entries[next(i for i, entry in enumerate(entries) if entry is replaces)] = outcome
    else:
        entries.append(outcome)


def history() -> list[CheckOutcome]:
    """This session's checks, newest first."""
    return list(reversed(st.session_state["history"]))


def clear_history() -> None:
    """Forget this session's checks; only the one on screen stays (so it is not resent)."""
    shown = st.session_state.get("shown")
    outcomes = st.session_state["outcomes"]
    st.session_state["history"] = []
    st.session_state["outcomes"] = {shown: outcomes[shown]} if shown in outcomes else {}
    st.session_state["thumbnails"] = {}


def session_thumbnail(outcome: CheckOutcome) -> bytes | None:
    """A small JPEG of a check's input, made once per check and kept in this session only."""
    from components.checking import thumbnail_jpeg

    thumbnails = st.session_state.setdefault("thumbnails", {})
    name = f"{outcome.key}@{outcome.checked_at}"
    if name not in thumbnails:
        thumbnails[name] = thumbnail_jpeg(outcome.sent_or_original)
    return thumbnails[name]


def mark_shown(key: str) -> None:
    """Note which check the Check tab shows now."""
    st.session_state["shown"] = key


def calls_made() -> int:
    """How many calls this session has sent."""
    return int(st.session_state["calls"])


def count_call() -> None:
    """Count one call against the session's cap."""
    st.session_state["calls"] = calls_made() + 1


def request_recheck(key: str) -> None:
    """Ask for this content to be sent again on the next run (button callback)."""
    st.session_state["recheck"] = key


def take_recheck(key: str) -> bool:
    """True once if the user asked to send this content again."""
    if st.session_state.get("recheck") == key:
        st.session_state["recheck"] = None
        return True
    return False


def pasted_credentials() -> Credentials | None:
    """Keys pasted into the sidebar for this session, if any."""
    return st.session_state.get("pasted")


def set_pasted_credentials(credentials: Credentials) -> None:
    """Use pasted keys for the rest of this session."""
    st.session_state["pasted"] = credentials


def forget_pasted_credentials() -> None:
    """Drop pasted keys."""
    st.session_state["pasted"] = None


def is_unlocked() -> bool:
    """Whether this session entered the passcode."""
    return bool(st.session_state.get("unlocked"))


def unlock() -> None:
    """Remember that this session entered the right passcode."""
    st.session_state["unlocked"] = True
