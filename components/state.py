"""This browser session's memory: every key the page keeps in `st.session_state`.

Everything lives in `st.session_state` and nothing is written to disk; closing the tab
forgets it all. Only the check on screen keeps its media bytes: History and the
no-resend cache keep results and a small picture, and History at most `HISTORY_LIMIT`
entries.

This module is the only one that touches `st.session_state` (a test checks it). Every key
is listed below once, with the type it holds and what it is for: a `Slot` for the page's
own memory, a `SlotFamily` for keys made per element (e.g. per recorder), a `Widget` for a
widget's key (its value is Streamlit's; the page reads it, or sets it before drawing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

import streamlit as st
from streamlit.errors import StreamlitAPIException

if TYPE_CHECKING:
    from client import Credentials, FaceIdClient
    from components.batch import BatchState
    from components.checking import CheckOutcome
    from components.evaluate_inputs import SessionFolder
    from components.evaluate_run import EvaluationJob
    from components.webcam_clip import RecordedClip
    from components.webcam_snapshot import Snapshot
    from evaluation import Dataset, Plan, Store
    from media import Prepared

__all__ = [
    "BACKEND",
    "BATCH",
    "CALLS",
    "CANCELLED_CHECKS",
    "CHECKS_REVISION",
    "CLIENT",
    "CLIP_CURRENT",
    "CLIP_SEEN_IDS",
    "CURRENT",
    "CUSTOM_ENDPOINT",
    "ENDPOINT_CHOICE",
    "EVAL_CACHES",
    "EVAL_ITEMS",
    "EVAL_JOB",
    "EVAL_PICK_RUN",
    "EVAL_PLAN",
    "EVAL_RUN_ID",
    "EVAL_SELECTED_PATH",
    "EVAL_SESSION_FOLDER",
    "EVAL_SETS",
    "EVAL_STORE_HANDLE",
    "EVAL_STORE_NEW",
    "HISTORY",
    "HISTORY_CONFIRM_CLEAR",
    "HISTORY_LIMIT",
    "INPUTS",
    "KEPT",
    "LANG",
    "MAX_SIDE",
    "OUTCOMES",
    "OUTCOMES_LIMIT",
    "PASSCODE_INPUT",
    "PASSCODE_REFUSED",
    "PASTED",
    "PASTE_FEEDBACK",
    "PASTE_ID",
    "PASTE_KEY",
    "PASTE_TOKEN",
    "PENDING_PREPARED",
    "RECHECK",
    "REGION",
    "SAMPLE_ID",
    "SENT_CONTENT",
    "SESSION_KEYS",
    "SHOWN",
    "SNAPSHOT_CURRENT",
    "SNAPSHOT_SEEN_IDS",
    "THUMBNAILS",
    "UNLOCKED",
    "VIDEO_SECONDS",
    "VIDEO_START",
    "Slot",
    "SlotFamily",
    "Widget",
    "add_to_history",
    "calls_made",
    "checks_revision",
    "clear_history",
    "clear_session_checks",
    "count_call",
    "forget_pasted_credentials",
    "history",
    "init_state",
    "input_key",
    "is_unlocked",
    "keep_on_screen",
    "mark_shown",
    "outcome_for",
    "pasted_credentials",
    "reassert_widget_values",
    "remember",
    "request_recheck",
    "session_thumbnail",
    "set_pasted_credentials",
    "shown_key",
    "take_recheck",
    "unlock",
]

T = TypeVar("T")

HISTORY_LIMIT = 50  # checks listed in History; older ones are forgotten
OUTCOMES_LIMIT = 200  # media-less results kept so the same content is not sent twice


@dataclass(frozen=True)
class Slot(Generic[T]):
    """One key of the page's own memory: its name, what it is for, and its first value
    (the type parameter says what it holds)."""

    name: str
    purpose: str
    start: Callable[[], T]

    def get(self) -> T:
        """The value kept (its first value, kept from now on, if none yet)."""
        if self.name not in st.session_state:
            st.session_state[self.name] = self.start()
        return cast(T, st.session_state[self.name])

    def set(self, value: T) -> T:
        """Keep `value`; returns it."""
        st.session_state[self.name] = value
        return value

    def forget(self) -> None:
        """Drop the key (the next `get` starts again)."""
        st.session_state.pop(self.name, None)


@dataclass(frozen=True)
class SlotFamily(Generic[T]):
    """Keys made per element or per name (`pattern` with one `{}`), all holding one type."""

    pattern: str
    purpose: str
    start: Callable[[], T]

    def of(self, part: str) -> Slot[T]:
        """The key for one element."""
        return Slot(self.pattern.format(part), self.purpose, self.start)


@dataclass(frozen=True)
class Widget(Generic[T]):
    """A widget's key: Streamlit keeps its value; the page reads it, or sets it before the
    widget is drawn (never for buttons and uploaders, whose values cannot be set)."""

    key: str
    purpose: str

    def value(self) -> T | None:
        """The widget's value, None before it is drawn or set."""
        return cast("T | None", st.session_state.get(self.key))

    def is_set(self) -> bool:
        """Whether the widget has a value (drawn on an earlier run, or set)."""
        return self.key in st.session_state

    def set(self, value: T) -> None:
        """The value the widget shows on its next drawing."""
        st.session_state[self.key] = value

    def forget(self) -> None:
        """Drop the widget's value."""
        st.session_state.pop(self.key, None)


def _none() -> None:
    return None


# The Check tab and History.
OUTCOMES: Slot[dict[str, CheckOutcome]] = Slot(
    "outcomes", "check key -> media-less outcome: the same content is not sent twice", dict
)
CURRENT: Slot[CheckOutcome | None] = Slot(
    "current", "the check on screen, the only one with its media bytes", _none
)
HISTORY: Slot[list[CheckOutcome]] = Slot(
    "history", "media-less outcomes, oldest first, at most HISTORY_LIMIT", list
)
CHECKS_REVISION: Slot[int] = Slot(
    "checks_revision", "bumped whenever History changes (the Check tab redraws the page)", int
)
INPUTS: Slot[int] = Slot(
    "inputs", "bumped by clearing: the Check tab's input widgets start empty again", int
)
CALLS: Slot[int] = Slot("calls", "calls sent to a backend in this session", int)
RECHECK: Slot[str | None] = Slot("recheck", "a check key the user asked to send again", _none)
SHOWN: Slot[str | None] = Slot("shown", "the check key on screen in the Check tab", _none)
THUMBNAILS: Slot[dict[str, bytes | None]] = Slot(
    "thumbnails", "'key@checked_at' -> a 160 px JPEG for tables (at most 2*HISTORY_LIMIT)", dict
)
SAMPLE_ID: Slot[str | None] = Slot("sample_id", "the gallery sample picked", _none)
HISTORY_CONFIRM_CLEAR: Slot[bool] = Slot(
    "history_confirm_clear", "History asks 'forget every check?' before clearing", bool
)
SENT_CONTENT: Slot[dict[str, str]] = Slot(
    "sent_content", "content sha256 -> the check key it was last sent (or offered) under", dict
)
CANCELLED_CHECKS: Slot[set[str]] = Slot(
    "cancelled_checks", "check keys cancelled: not sent again until the user asks", set
)
PENDING_PREPARED: Slot[tuple[str, Prepared] | None] = Slot(
    "pending_prepared", "(check key, input prepared for the 'Check' confirmation)", _none
)
BATCH: Slot[BatchState | None] = Slot("batch", "the several-files table and its run", _none)
CLIP_SEEN_IDS: SlotFamily[list[str]] = SlotFamily(
    "_{}_seen_ids", "recording ids the clip recorder handed over already", list
)
CLIP_CURRENT: SlotFamily[RecordedClip | None] = SlotFamily(
    "_{}_current", "the clip recorder's latest recording (the tab's answer)", _none
)
SNAPSHOT_SEEN_IDS: SlotFamily[list[str]] = SlotFamily(
    "_{}_seen_ids", "photo ids the snapshot element handed over already", list
)
SNAPSHOT_CURRENT: SlotFamily[Snapshot | None] = SlotFamily(
    "_{}_current", "the snapshot element's latest photo (the tab's answer)", _none
)

# Keys, backend and the passcode.
PASTED: Slot[Credentials | None] = Slot(
    "pasted", "keys pasted into the sidebar, this session only", _none
)
PASTE_FEEDBACK: Slot[tuple[str, str] | None] = Slot(
    "paste_feedback", "('ok' or 'bad', '') after pasting keys, shown once", _none
)
CLIENT: Slot[tuple[str, FaceIdClient] | None] = Slot(
    "client", "(digest of keys and settings, the session's client), reused across checks", _none
)
UNLOCKED: Slot[bool] = Slot("unlocked", "the passcode was accepted", bool)
PASSCODE_REFUSED: Slot[str | None] = Slot(
    "passcode_refused", "why the last passcode was refused: 'wait' or 'wrong'", _none
)
KEPT: SlotFamily[Any] = SlotFamily(
    "kept_{}", "a sidebar widget's last value, given back on runs that forget it", _none
)

# The Evaluate tab.
EVAL_STORE_HANDLE: Slot[tuple[str, Store] | None] = Slot(
    "eval_store_handle", "(store path, the session's open store)", _none
)
EVAL_PLAN: Slot[tuple[tuple[Any, ...], Plan] | None] = Slot(
    "eval_plan", "(set, settings and store version, the plan for them)", _none
)
EVAL_SESSION_FOLDER: Slot[SessionFolder | None] = Slot(
    "eval_session_folder", "this session's folder for uploads and unpacked sets", _none
)
EVAL_SETS: Slot[dict[str, Dataset]] = Slot("eval_sets", "source path -> the set read", dict)
EVAL_SELECTED_PATH: Slot[str | None] = Slot(
    "eval_selected_path", "the item picked in the results table, by path", _none
)
EVAL_RUN_ID: Slot[int | None] = Slot("eval_run_id", "the run that just ended", _none)
EVAL_JOB: Slot[EvaluationJob | None] = Slot(
    "eval_job", "this session's evaluation run, running or ended", _none
)
EVAL_CACHES: SlotFamily[dict[tuple[Any, ...], Any]] = SlotFamily(
    "{}", "the last few values of one results computation (runs, views, files, thumbnails)", dict
)

# Widgets the page reads or sets through the session (other widget keys are passed only
# to the widget itself).
LANG: Widget[str] = Widget("lang", "the page language switch")
BACKEND: Widget[str] = Widget("backend", "sandbox or tencent")
ENDPOINT_CHOICE: Widget[str] = Widget("endpoint_choice", "mainland, international or custom")
CUSTOM_ENDPOINT: Widget[str] = Widget("custom_endpoint", "a custom endpoint URL")
REGION: Widget[str] = Widget("region", "the X-TC-Region, '' for the default")
MAX_SIDE: Widget[int] = Widget("max_side", "the image box size")
VIDEO_START: Widget[float] = Widget("video_start", "where the video window starts, s")
VIDEO_SECONDS: Widget[float] = Widget("video_seconds", "the video window's length, s")
PASTE_ID: Widget[str] = Widget("paste_id", "a pasted SecretId (emptied once read)")
PASTE_KEY: Widget[str] = Widget("paste_key", "a pasted SecretKey (emptied once read)")
PASTE_TOKEN: Widget[str] = Widget("paste_token", "a pasted token (emptied once read)")
PASSCODE_INPUT: Widget[str] = Widget("passcode_input", "the typed passcode (emptied once read)")
EVAL_STORE_NEW: Widget[str] = Widget("eval_store_new", "a new store's name")
EVAL_ITEMS: Widget[Any] = Widget("eval_items", "the results table's selection event")
EVAL_PICK_RUN: Widget[int] = Widget("eval_pick_run", "the run shown in Results")

SESSION_KEYS: tuple[Slot[Any] | SlotFamily[Any] | Widget[Any], ...] = (
    OUTCOMES,
    CURRENT,
    HISTORY,
    CHECKS_REVISION,
    INPUTS,
    CALLS,
    RECHECK,
    SHOWN,
    THUMBNAILS,
    SAMPLE_ID,
    HISTORY_CONFIRM_CLEAR,
    SENT_CONTENT,
    CANCELLED_CHECKS,
    PENDING_PREPARED,
    BATCH,
    CLIP_SEEN_IDS,
    CLIP_CURRENT,
    SNAPSHOT_SEEN_IDS,
    SNAPSHOT_CURRENT,
    PASTED,
    PASTE_FEEDBACK,
    CLIENT,
    UNLOCKED,
    PASSCODE_REFUSED,
    KEPT,
    EVAL_STORE_HANDLE,
    EVAL_PLAN,
    EVAL_SESSION_FOLDER,
    EVAL_SETS,
    EVAL_SELECTED_PATH,
    EVAL_RUN_ID,
    EVAL_JOB,
    EVAL_CACHES,
    LANG,
    BACKEND,
    ENDPOINT_CHOICE,
    CUSTOM_ENDPOINT,
    REGION,
    MAX_SIDE,
    VIDEO_START,
    VIDEO_SECONDS,
    PASTE_ID,
    PASTE_KEY,
    PASTE_TOKEN,
    PASSCODE_INPUT,
    EVAL_STORE_NEW,
    EVAL_ITEMS,
    EVAL_PICK_RUN,
)
"""Every key this page keeps in the session, each listed once."""


_AT_START = (OUTCOMES, CURRENT, HISTORY, INPUTS, CALLS, RECHECK, PASTED, UNLOCKED, SHOWN)


def init_state() -> None:
    """Create the session's first keys on the first run (the others start on first use)."""
    for slot in _AT_START:
        slot.get()


def reassert_widget_values(*, skip: Widget[Any]) -> None:
    """Write every widget's plain value (text, numbers, lists of them) back, except `skip`'s.

    Streamlit then keeps each value through a relabelling (see the sidebar's language
    switch). Buttons, uploads, editors and chart selections are left alone: their values
    cannot be set, and their labels do not hold their state; private keys too."""
    state = st.session_state
    for key in list(state.keys()):
        if key == skip.key or str(key).startswith(("_", "FormSubmitter:")):
            continue
        try:
            value = state[key]
            values = value if isinstance(value, list | tuple) else [value]
            if not any(isinstance(v, bool) or not isinstance(v, str | int | float) for v in values):
                state[key] = value
        except StreamlitAPIException:
            continue


def outcome_for(key: str) -> CheckOutcome | None:
    """The earlier outcome for this content and settings, if any (media-less unless it is
    the check on screen)."""
    current = CURRENT.get()
    if current is not None and current.key == key:
        return current
    return OUTCOMES.get().get(key)


def _changed_history() -> None:
    CHECKS_REVISION.set(CHECKS_REVISION.get() + 1)


def checks_revision() -> int:
    """A number that changes whenever History changes."""
    return CHECKS_REVISION.get()


def remember(
    outcome: CheckOutcome, *, replaces: CheckOutcome | None = None, show: bool = True
) -> None:
    """Keep an outcome for its key and add it to the history (in place of `replaces`).

    With `show` it becomes the check on screen, the one outcome that keeps its media."""
    from components.checking import without_media

    light = without_media(outcome)
    cache = OUTCOMES.get()
    cache.pop(outcome.key, None)
    cache[outcome.key] = light
    while len(cache) > OUTCOMES_LIMIT:
        cache.pop(next(iter(cache)))
    if show:
        CURRENT.set(outcome)
    entries = HISTORY.get()
    replaced = (replaces.key, replaces.checked_at) if replaces is not None else None
    index = next(
        (i for i, entry in enumerate(entries) if (entry.key, entry.checked_at) == replaced),
        None,
    )
    if index is None:
        entries.append(light)
    else:
        entries[index] = light
    del entries[:-HISTORY_LIMIT]
    _changed_history()


def keep_on_screen(outcome: CheckOutcome) -> None:
    """Make this outcome (with its media) the check on screen, without listing it again."""
    CURRENT.set(outcome)


def add_to_history(outcome: CheckOutcome) -> bool:
    """List an earlier result again under another way in or name (e.g. a sample checked
    before as an upload): True if added; nothing is sent. Each (content and settings, way
    in, name) is listed once."""
    from components.checking import without_media

    entries = HISTORY.get()
    same = (outcome.key, outcome.source, outcome.filename)
    if any((e.key, e.source, e.filename) == same for e in entries):
        return False
    entries.append(without_media(outcome))
    del entries[:-HISTORY_LIMIT]
    _changed_history()
    return True


def history() -> list[CheckOutcome]:
    """This session's checks, newest first."""
    return list(reversed(HISTORY.get()))


def input_key(name: str) -> str:
    """The widget key of one of the Check tab's inputs; a new one after clearing, so the
    widget starts empty."""
    generation = INPUTS.get()
    return name if generation == 0 else f"{name}~{generation}"


def clear_session_checks() -> None:
    """Forget every check of this session: History, the no-resend cache, the Check tab's
    input and verdict (its widgets start empty), and the several-files table."""
    HISTORY.set([])
    OUTCOMES.set({})
    CURRENT.set(None)
    SHOWN.set(None)
    RECHECK.set(None)
    SAMPLE_ID.set(None)
    THUMBNAILS.forget()
    CLIP_CURRENT.of(input_key("webcam_clip")).forget()
    BATCH.forget()
    INPUTS.set(INPUTS.get() + 1)
    _changed_history()


def clear_history() -> None:
    """Forget this session's checks (see `clear_session_checks`)."""
    clear_session_checks()


def session_thumbnail(outcome: CheckOutcome) -> bytes | None:
    """A small JPEG (160 px) of a check's input for tables, made once from the picture kept
    with it (or, for the check on screen, its media) and kept in this session only."""
    from components.checking import thumbnail_jpeg

    thumbnails = THUMBNAILS.get()
    name = f"{outcome.key}@{outcome.checked_at}"
    if name not in thumbnails:
        source = outcome.picture or (outcome.sent_or_original if outcome.has_media else None)
        thumbnails[name] = thumbnail_jpeg(source) if source else None
        while len(thumbnails) > 2 * HISTORY_LIMIT:
            thumbnails.pop(next(iter(thumbnails)))
    return thumbnails[name]


def mark_shown(key: str) -> None:
    """Note which check the Check tab shows now."""
    SHOWN.set(key)


def shown_key() -> str | None:
    """The check key the Check tab showed last."""
    return SHOWN.get()


def calls_made() -> int:
    """How many calls this session has sent."""
    return CALLS.get()


def count_call() -> None:
    """Count one call against the session's cap."""
    CALLS.set(calls_made() + 1)


def request_recheck(key: str) -> None:
    """Ask for this content to be sent again on the next run (button callback)."""
    RECHECK.set(key)


def take_recheck(key: str) -> bool:
    """True once if the user asked to send this content again."""
    if RECHECK.get() != key:
        return False
    RECHECK.set(None)
    return True


def pasted_credentials() -> Credentials | None:
    """Keys pasted into the sidebar for this session, if any."""
    return PASTED.get()


def set_pasted_credentials(credentials: Credentials) -> None:
    """Use pasted keys for the rest of this session."""
    PASTED.set(credentials)


def forget_pasted_credentials() -> None:
    """Drop pasted keys."""
    PASTED.set(None)


def is_unlocked() -> bool:
    """Whether this session entered the passcode."""
    return UNLOCKED.get()


def unlock() -> None:
    """Remember that this session entered the right passcode."""
    UNLOCKED.set(True)
