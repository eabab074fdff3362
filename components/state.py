"""This browser session's memory: checks made, history, call count, pasted keys.

Everything lives in `st.session_state` and nothing is written to disk; closing the tab
forgets it all. Only the check on screen keeps its media bytes: History and the
no-resend cache keep results and a small picture, and History at most `HISTORY_LIMIT`
entries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import streamlit as st

if TYPE_CHECKING:
    from client import Credentials
    from components.checking import CheckOutcome

__all__ = [
    "HISTORY_LIMIT",
    "OUTCOMES_LIMIT",
    "add_to_history",
    "calls_made",
    "clear_history",
    "clear_session_checks",
    "input_key",
    "keep_on_screen",
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
    "shown_key",
    "take_recheck",
    "unlock",
]

HISTORY_LIMIT = 50  # checks listed in History; older ones are forgotten
OUTCOMES_LIMIT = 200  # media-less results kept so the same content is not sent twice

_DEFAULTS: dict[str, Any] = {
    "outcomes": {},  # check key -> media-less CheckOutcome (the same content is not sent twice)
    "current": None,  # the check on screen, the only one with its media bytes
    "history": [],  # media-less CheckOutcome, oldest first, at most HISTORY_LIMIT
    "inputs": 0,  # bumped by clearing: the Check tab's input widgets start empty again
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
    """The earlier outcome for this content and settings, if any (media-less unless it is
    the check on screen)."""
    current = st.session_state.get("current")
    if current is not None and current.key == key:
        return current
    return st.session_state["outcomes"].get(key)


def remember(
    outcome: CheckOutcome, *, replaces: CheckOutcome | None = None, show: bool = True
) -> None:
    """Keep an outcome for its key and add it to the history (in place of `replaces`).

    With `show` it becomes the check on screen, the one outcome that keeps its media."""
    from components.checking import without_media

    light = without_media(outcome)
    cache = st.session_state["outcomes"]
    cache.pop(outcome.key, None)
    cache[outcome.key] = light
    while len(cache) > OUTCOMES_LIMIT:
        cache.pop(next(iter(cache)))
    if show:
        st.session_state["current"] = outcome
    entries = st.session_state["history"]
    index = next(
        (
            i
            for i, entry in enumerate(entries)
            if replaces is not None
            and (entry.key, entry.checked_at) == (replaces.key, replaces.checked_at)
        ),
        None,
    )
    if index is None:
        entries.append(light)
    else:
        entries[index] = light
    del entries[:-HISTORY_LIMIT]


def keep_on_screen(outcome: CheckOutcome) -> None:
    """Make this outcome (with its media) the check on screen, without listing it again."""
    st.session_state["current"] = outcome


def add_to_history(outcome: CheckOutcome) -> bool:
    """List an earlier result again under another way in or name (e.g. a sample checked
    before as an upload): True if added; nothing is sent. Each (content and settings, way
    in, name) is listed once."""
    from components.checking import without_media

    entries = st.session_state["history"]
    same = (outcome.key, outcome.source, outcome.filename)
    if any((e.key, e.source, e.filename) == same for e in entries):
        return False
    entries.append(without_media(outcome))
    del entries[:-HISTORY_LIMIT]
    return True


def history() -> list[CheckOutcome]:
    """This session's checks, newest first."""
    return list(reversed(st.session_state["history"]))


def input_key(name: str) -> str:
    """The widget key of one of the Check tab's inputs; a new one after clearing, so the
    widget starts empty."""
    generation = int(st.session_state.get("inputs", 0))
    return name if generation == 0 else f"{name}~{generation}"


def clear_session_checks() -> None:
    """Forget every check of this session: History, the no-resend cache, the Check tab's
    input and verdict (its widgets start empty), and the several-files table."""
    st.session_state["history"] = []
    st.session_state["outcomes"] = {}
    st.session_state["current"] = None
    st.session_state["shown"] = None
    st.session_state["recheck"] = None
    st.session_state["sample_id"] = None
    st.session_state.pop("thumbnails", None)
    st.session_state.pop(f"_{input_key('webcam_clip')}_current", None)
    st.session_state.pop("batch", None)
    st.session_state["inputs"] = int(st.session_state.get("inputs", 0)) + 1


def clear_history() -> None:
    """Forget this session's checks (see `clear_session_checks`)."""
    clear_session_checks()


def session_thumbnail(outcome: CheckOutcome) -> bytes | None:
    """A small JPEG (160 px) of a check's input for tables, made once from the picture kept
    with it (or, for the check on screen, its media) and kept in this session only."""
    from components.checking import thumbnail_jpeg

    thumbnails = st.session_state.setdefault("thumbnails", {})
    name = f"{outcome.key}@{outcome.checked_at}"
    if name not in thumbnails:
        source = outcome.picture or (outcome.sent_or_original if outcome.has_media else None)
        thumbnails[name] = thumbnail_jpeg(source) if source else None
        while len(thumbnails) > 2 * HISTORY_LIMIT:
            thumbnails.pop(next(iter(thumbnails)))
    return thumbnails[name]


def mark_shown(key: str) -> None:
    """Note which check the Check tab shows now."""
    st.session_state["shown"] = key


def shown_key() -> str | None:
    """The check key the Check tab showed last."""
    return st.session_state.get("shown")


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
