"""This browser session's memory: every key the page keeps in `st.session_state`.

Everything lives in `st.session_state` and nothing is written to disk; closing the tab
forgets it all. Only the check on screen keeps its media bytes: History and the
no-resend cache keep results and a small picture, and History at most `HISTORY_LIMIT`
entries.

This module is the only one that touches `st.session_state` (a test checks it). Every key
is listed below once, with the type it holds and what it is for: a `Slot` for the page's
own memory, a `SlotFamily` for keys made per element (e.g. per recorder), a `Widget` for a
widget's key (its value is Streamlit's; the page reads it, or sets it before drawing) and
a `WidgetFamily` for widget keys made per item (a gallery sample's button). Every other
module passes these names, never a literal key (a test checks that too).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

import streamlit as st
from streamlit.errors import StreamlitAPIException

if TYPE_CHECKING:
    from client import Credentials, DetectClient
    from components.batch import BatchState
    from components.check_run import CheckOutcome
    from components.evaluate_inputs import SessionFolder
    from components.evaluate_run import EvaluationJob
    from components.sending import BackgroundCheck
    from components.webcam_recorder import RecordedClip
    from components.webcam_snapshot import Snapshot
    from evaluation import Dataset, Plan, Store
    from media import Prepared, PrepareOptions

__all__ = [
    "OPEN_TAB",
    "PAGE_TABS",
    "TABS",
    "TABS_DEFAULT",
    "TABS_LANG",
    "remember_open_tab",
    "tab_to_open",
    "BACKEND",
    "BATCH",
    "BATCH_CANCEL",
    "BATCH_CSV",
    "BATCH_OPEN",
    "BATCH_SEND_ALL_ANYWAY",
    "BATCH_SEND_ANYWAY",
    "BATCH_START",
    "BATCH_UPLOAD",
    "CALLS",
    "CANCELLED_CHECKS",
    "CHECKS_REVISION",
    "CHECK_JOB",
    "CHECK_AGAIN",
    "CHECK_CANCEL",
    "CHECK_SEND",
    "CLEAR_HISTORY",
    "CLEAR_HISTORY_CONFIRM",
    "CLEAR_HISTORY_KEEP",
    "CLIENT",
    "CLIP_CURRENT",
    "CLIP_SEEN_IDS",
    "CURRENT",
    "CUSTOM_ENDPOINT",
    "ENDPOINT_CHOICE",
    "EVAL_CANCEL",
    "EVAL_CMP_A",
    "EVAL_CMP_B",
    "EVAL_COMPARE_CACHE",
    "EVAL_CONCURRENCY",
    "EVAL_DL_CSV",
    "EVAL_DL_HTML",
    "EVAL_DL_JSON",
    "EVAL_FILES",
    "EVAL_FILTER_LABEL",
    "EVAL_FILTER_OUTCOME",
    "EVAL_FILTER_WRONG",
    "EVAL_FOLDER",
    "EVAL_GALLERY_TYPES",
    "EVAL_ITEMS",
    "EVAL_ITEMS_PAGE",
    "EVAL_JOB",
    "EVAL_PICK_RUN",
    "EVAL_PLAN",
    "EVAL_QPS",
    "EVAL_RELOAD",
    "EVAL_RUNS_CACHE",
    "EVAL_RUN_ID",
    "EVAL_RUN_NAME",
    "EVAL_RUN_NOTE",
    "EVAL_SELECTED_PATH",
    "EVAL_SESSION_FOLDER",
    "EVAL_SETS",
    "EVAL_UPLOAD_DIGEST",
    "EVAL_SOURCE_MODE",
    "EVAL_START",
    "EVAL_STORE_HANDLE",
    "EVAL_STORE_MODE",
    "EVAL_STORE_NAME",
    "EVAL_STORE_NEW",
    "EVAL_STORE_PATH",
    "EVAL_VIEW_CACHE",
    "EVAL_ZIP",
    "FORGET_KEYS",
    "HANDOVER_HTML",
    "HANDOVER_PICTURE",
    "HANDOVER_PNG",
    "HISTORY",
    "HISTORY_CONFIRM_CLEAR",
    "HISTORY_LIMIT",
    "HISTORY_OPEN",
    "INPUTS",
    "KEPT",
    "LANG",
    "MAX_SIDE",
    "OUTCOMES",
    "OUTCOMES_LIMIT",
    "PASSCODE_FORM",
    "PASSCODE_INPUT",
    "PASSCODE_REFUSED",
    "PASTED",
    "PASTE_FEEDBACK",
    "PASTE_FORM",
    "PASTE_ID",
    "PASTE_KEY",
    "PASTE_TOKEN",
    "PENDING_PREPARED",
    "RAW_INPUT",
    "RECHECK",
    "REGION",
    "SAMPLE_BUTTON",
    "SAMPLE_ID",
    "SENT_CONTENT",
    "SESSION_KEYS",
    "SHOWN",
    "SNAPSHOT_CURRENT",
    "SNAPSHOT_SEEN_IDS",
    "THUMBNAILS",
    "UNFINISHED",
    "UNLOCKED",
    "UPLOAD",
    "VERDICT_ANCHOR",
    "VIDEO_SECONDS",
    "VIDEO_START",
    "WAY_IN",
    "WEBCAM_RECORDER",
    "WEBCAM_SNAPSHOT",
    "Slot",
    "SlotFamily",
    "Widget",
    "WidgetFamily",
    "add_to_history",
    "calls_made",
    "checks_revision",
    "clear_history",
    "clear_session_checks",
    "count_call",
    "finish_kept_check",
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

    def start(self, value: T) -> None:
        """Give the widget its first value through the session; it is then drawn with no
        default of its own (a default beside a value the session wrote makes Streamlit warn,
        and a language switch writes every value back)."""
        if not self.is_set():
            self.set(value)

    def set(self, value: T) -> None:
        """The value the widget shows on its next drawing."""
        st.session_state[self.key] = value

    def forget(self) -> None:
        """Drop the widget's value."""
        st.session_state.pop(self.key, None)


@dataclass(frozen=True)
class WidgetFamily:
    """Widget keys made per item or per place (`pattern` with one `{}`)."""

    pattern: str
    purpose: str

    def of(self, part: object) -> str:
        """The widget key for one item or place."""
        return self.pattern.format(part)


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
UNFINISHED: Slot[tuple[str, float, PrepareOptions] | None] = Slot(
    "unfinished",
    "(key, checked_at, options) of the check on screen, kept before its face pre-flight "
    "and History's picture were made (`finish_kept_check` makes them)",
    _none,
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
CHECK_JOB: Slot[BackgroundCheck[Any] | None] = Slot(
    "check_job", "the check running in a worker (kept across reruns), its cancel token", _none
)
BATCH: Slot[BatchState | None] = Slot("batch", "the several-files table and its run", _none)
# The page's tabs, by name; `st.tabs` knows them by their label, which a language switch
# changes (and with it the tabs' identity).
TABS = ("check", "history", "evaluate", "about")
OPEN_TAB: Slot[str] = Slot("open_tab", "the tab open in the last run, by name", lambda: TABS[0])
TABS_LANG: Slot[str | None] = Slot("tabs_lang", "the language the tabs opened in", _none)
TABS_DEFAULT: Slot[str] = Slot(
    "tabs_default", "the tab st.tabs opens with in this language, by name", lambda: TABS[0]
)
CLIP_SEEN_IDS: SlotFamily[list[str]] = SlotFamily(
    "_{}_seen_ids", "recording ids the webcam recorder handed over already", list
)
CLIP_CURRENT: SlotFamily[RecordedClip | None] = SlotFamily(
    "_{}_current", "the webcam recorder's latest recording (the tab's answer)", _none
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
CLIENT: Slot[tuple[str, DetectClient] | None] = Slot(
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
EVAL_UPLOAD_DIGEST: Slot[tuple[str, str] | None] = Slot(
    "eval_upload_digest", "(file id, SHA-256) of the zip uploaded last", _none
)
EVAL_SELECTED_PATH: Slot[str | None] = Slot(
    "eval_selected_path", "the item picked in the results table, by path", _none
)
EVAL_RUN_ID: Slot[int | None] = Slot("eval_run_id", "the run that just ended", _none)
EVAL_JOB: Slot[EvaluationJob | None] = Slot(
    "eval_job", "this session's evaluation run, running or ended", _none
)
# The last few values of a results computation, by what it was computed from.
EVAL_RUNS_CACHE: Slot[dict[tuple[Any, ...], Any]] = Slot(
    "eval_runs_cache", "the store's runs, read again only after a write", dict
)
EVAL_VIEW_CACHE: Slot[dict[tuple[Any, ...], Any]] = Slot(
    "eval_view_cache", "the last few runs' tables, metrics and charts", dict
)
EVAL_FILES: Slot[dict[tuple[Any, ...], Any]] = Slot(
    "eval_files", "the set's item path -> its file, for the gallery", dict
)
EVAL_COMPARE_CACHE: Slot[dict[tuple[Any, ...], Any]] = Slot(
    "eval_compare_cache", "two runs compared, as the tables shown", dict
)

# The sidebar's widgets.
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
FORGET_KEYS: Widget[bool] = Widget("forget_keys", "button: drop the pasted keys")
PASTE_FORM: Widget[Any] = Widget("paste_keys", "the form around the paste fields")
PASSCODE_FORM: Widget[Any] = Widget("passcode_form", "the form around the passcode")

# The Check tab's widgets. Its inputs' keys change after clearing (see `input_key`).
PAGE_TABS: Widget[str] = Widget("tabs", "the page's tabs (the open tab's label)")
WAY_IN: Widget[str] = Widget("way_in", "sample, camera, upload, clip or batch")
UPLOAD: Widget[Any] = Widget("upload", "the uploaded file")
WEBCAM_RECORDER: Widget[Any] = Widget("webcam_recorder", "the webcam recorder element")
WEBCAM_SNAPSHOT: Widget[Any] = Widget("webcam_snapshot", "the snapshot element")
SAMPLE_BUTTON = WidgetFamily("sample_{}", "button: pick this gallery sample")
CHECK_AGAIN: Widget[bool] = Widget("check_again", "button: send this input again")
CHECK_SEND: Widget[bool] = Widget("check_send", "button: send this input (real service)")
CHECK_CANCEL: Widget[bool] = Widget("check_cancel", "button: cancel the check under way")
VERDICT_ANCHOR: Widget[Any] = Widget("verdict_anchor", "reports the verdict painted")
RAW_INPUT = WidgetFamily("raw-input-{}", "download: the input of one check (raw view)")
HANDOVER_PICTURE = WidgetFamily("{}_handover_picture", "download: the picture sent")
HANDOVER_HTML = WidgetFamily("{}_handover_html", "download: the HTML hand-over")
HANDOVER_PNG = WidgetFamily("{}_handover_png", "download: the PNG hand-over")
BATCH_UPLOAD: Widget[Any] = Widget("batch_upload", "several files or a zip")
BATCH_START: Widget[bool] = Widget("batch_start", "button: check the files")
BATCH_CANCEL: Widget[bool] = Widget("batch_cancel", "button: stop the several-files run")
BATCH_SEND_ANYWAY = WidgetFamily(
    "batch_send_anyway_{}", "button: send one file the pre-flight held back (real service)"
)
BATCH_SEND_ALL_ANYWAY: Widget[bool] = Widget(
    "batch_send_all_anyway", "button: send every file the pre-flight held back"
)
BATCH_OPEN: Widget[str] = Widget("batch_open", "the several-files row opened")
BATCH_CSV: Widget[bool] = Widget("batch_csv", "download: the several-files table")

# History's widgets.
HISTORY_OPEN: Widget[str] = Widget("history_open", "the History entry opened")
CLEAR_HISTORY: Widget[bool] = Widget("clear_history", "button: forget every check")
CLEAR_HISTORY_CONFIRM: Widget[bool] = Widget("clear_history_confirm", "button: yes, forget")
CLEAR_HISTORY_KEEP: Widget[bool] = Widget("clear_history_keep", "button: no, keep them")

# The Evaluate tab's widgets.
EVAL_SOURCE_MODE: Widget[str] = Widget("eval_source_mode", "a folder on the server or a zip")
EVAL_FOLDER: Widget[str] = Widget("eval_folder", "the set's folder, manifest or zip path")
EVAL_RELOAD: Widget[bool] = Widget("eval_reload", "button: read the set again")
EVAL_ZIP: Widget[Any] = Widget("eval_zip", "an uploaded zip of a set")
# Upload widgets: their value (a file, or [] for several) can never be set.
UPLOADERS = (UPLOAD, BATCH_UPLOAD, EVAL_ZIP)
EVAL_STORE_NAME: Widget[str] = Widget("eval_store_name", "the store picked, or a new one")
EVAL_STORE_NEW: Widget[str] = Widget("eval_store_new", "a new store's name")
EVAL_STORE_MODE: Widget[str] = Widget("eval_store_mode", "a named store or a path")
EVAL_STORE_PATH: Widget[str] = Widget("eval_store_path", "the store's path")
EVAL_QPS: Widget[float] = Widget("eval_qps", "calls per second")
EVAL_CONCURRENCY: Widget[int] = Widget("eval_concurrency", "calls in flight")
EVAL_RUN_NAME: Widget[str] = Widget("eval_run_name", "the run's name")
EVAL_RUN_NOTE: Widget[str] = Widget("eval_run_note", "the run's note")
EVAL_START: Widget[bool] = Widget("eval_start", "button: start the run")
EVAL_CANCEL: Widget[bool] = Widget("eval_cancel", "button: cancel the run")
EVAL_PICK_RUN: Widget[int] = Widget("eval_pick_run", "the run shown in Results")
EVAL_FILTER_LABEL: Widget[list[str]] = Widget("eval_filter_label", "items: labels shown")
EVAL_FILTER_OUTCOME: Widget[list[str]] = Widget("eval_filter_outcome", "items: outcomes shown")
EVAL_FILTER_WRONG: Widget[bool] = Widget("eval_filter_wrong", "items: only the wrong ones")
EVAL_ITEMS_PAGE: Widget[int] = Widget("eval_items_page", "items: the page shown")
EVAL_ITEMS: Widget[Any] = Widget("eval_items", "the results table's selection event")
EVAL_GALLERY_TYPES: Widget[list[str]] = Widget("eval_gallery_types", "gallery: traces shown")
EVAL_DL_CSV: Widget[bool] = Widget("eval_dl_csv", "download: the run as CSV")
EVAL_DL_JSON: Widget[bool] = Widget("eval_dl_json", "download: the run as JSON")
EVAL_DL_HTML: Widget[bool] = Widget("eval_dl_html", "download: the run's report")
EVAL_CMP_A: Widget[int] = Widget("eval_cmp_a", "compare: the first run")
EVAL_CMP_B: Widget[int] = Widget("eval_cmp_b", "compare: the second run")

SESSION_KEYS: tuple[Slot[Any] | SlotFamily[Any] | Widget[Any] | WidgetFamily, ...] = (
    OPEN_TAB,
    TABS_LANG,
    TABS_DEFAULT,
    OUTCOMES,
    CURRENT,
    HISTORY,
    UNFINISHED,
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
    CHECK_JOB,
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
    EVAL_UPLOAD_DIGEST,
    EVAL_SELECTED_PATH,
    EVAL_RUN_ID,
    EVAL_JOB,
    EVAL_RUNS_CACHE,
    EVAL_VIEW_CACHE,
    EVAL_FILES,
    EVAL_COMPARE_CACHE,
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
    FORGET_KEYS,
    PASTE_FORM,
    PASSCODE_FORM,
    PAGE_TABS,
    WAY_IN,
    UPLOAD,
    WEBCAM_RECORDER,
    WEBCAM_SNAPSHOT,
    SAMPLE_BUTTON,
    CHECK_AGAIN,
    CHECK_SEND,
    CHECK_CANCEL,
    VERDICT_ANCHOR,
    RAW_INPUT,
    HANDOVER_PICTURE,
    HANDOVER_HTML,
    HANDOVER_PNG,
    BATCH_UPLOAD,
    BATCH_START,
    BATCH_CANCEL,
    BATCH_SEND_ANYWAY,
    BATCH_SEND_ALL_ANYWAY,
    BATCH_OPEN,
    BATCH_CSV,
    HISTORY_OPEN,
    CLEAR_HISTORY,
    CLEAR_HISTORY_CONFIRM,
    CLEAR_HISTORY_KEEP,
    EVAL_SOURCE_MODE,
    EVAL_FOLDER,
    EVAL_RELOAD,
    EVAL_ZIP,
    EVAL_STORE_NAME,
    EVAL_STORE_NEW,
    EVAL_STORE_MODE,
    EVAL_STORE_PATH,
    EVAL_QPS,
    EVAL_CONCURRENCY,
    EVAL_RUN_NAME,
    EVAL_RUN_NOTE,
    EVAL_START,
    EVAL_CANCEL,
    EVAL_PICK_RUN,
    EVAL_FILTER_LABEL,
    EVAL_FILTER_OUTCOME,
    EVAL_FILTER_WRONG,
    EVAL_ITEMS_PAGE,
    EVAL_ITEMS,
    EVAL_GALLERY_TYPES,
    EVAL_DL_CSV,
    EVAL_DL_JSON,
    EVAL_DL_HTML,
    EVAL_CMP_A,
    EVAL_CMP_B,
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
    uploaders = {widget.key for widget in UPLOADERS}
    for key in list(state.keys()):
        if key == skip.key or str(key).startswith(("_", "FormSubmitter:")):
            continue
        if str(key).split("~", 1)[0] in uploaders:  # an empty upload is [], yet not settable
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
    finish_kept_check()
    current = CURRENT.get()
    if current is not None and current.key == key:
        return current
    return OUTCOMES.get().get(key)


def _changed_history() -> None:
    CHECKS_REVISION.set(CHECKS_REVISION.get() + 1)


def checks_revision() -> int:
    """A number that changes whenever History changes."""
    return CHECKS_REVISION.get()


def _keep_light(light: CheckOutcome, replaces: tuple[str, float] | None) -> None:
    """Put a media-less outcome in the no-resend cache and in History (in place of the
    entry `replaces` names by key and time, else added)."""
    cache = OUTCOMES.get()
    cache.pop(light.key, None)
    cache[light.key] = light
    while len(cache) > OUTCOMES_LIMIT:
        cache.pop(next(iter(cache)))
    entries = HISTORY.get()
    index = next(
        (i for i, entry in enumerate(entries) if (entry.key, entry.checked_at) == replaces),
        None,
    )
    if index is None:
        entries.append(light)
    else:
        entries[index] = light
    del entries[:-HISTORY_LIMIT]
    _changed_history()


def remember(
    outcome: CheckOutcome,
    *,
    replaces: CheckOutcome | None = None,
    show: bool = True,
    finish: PrepareOptions | None = None,
) -> None:
    """Keep an outcome for its key and add it to the history (in place of `replaces`).

    With `show` it becomes the check on screen, the one outcome that keeps its media.
    With `finish` (and `show`) it is kept as it is: its face pre-flight (with these
    options) and History's picture are made by `finish_kept_check`, in the next run, so
    the verdict this run sends is not delayed by them."""
    from components.check_run import without_media

    finish_kept_check()  # the check on screen before this one, while its media is held
    later = finish if show else None
    _keep_light(
        without_media(outcome, picture=later is None),
        (replaces.key, replaces.checked_at) if replaces is not None else None,
    )
    if show:
        CURRENT.set(outcome)
    UNFINISHED.set(None if later is None else (outcome.key, outcome.checked_at, later))


def finish_kept_check() -> None:
    """Make what `remember(finish=...)` left for later: the face pre-flight of the check on
    screen and History's picture of it (nothing is sent). Cheap when nothing is left."""
    from components.check_run import with_face_preflight, without_media

    unfinished = UNFINISHED.get()
    if unfinished is None:
        return
    UNFINISHED.set(None)
    key, checked_at, options = unfinished
    current = CURRENT.get()
    if current is None or (current.key, current.checked_at) != (key, checked_at):
        return  # cleared meanwhile
    finished = with_face_preflight(current, options)
    CURRENT.set(finished)
    _keep_light(without_media(finished), (key, checked_at))


def keep_on_screen(outcome: CheckOutcome) -> None:
    """Make this outcome (with its media) the check on screen, without listing it again."""
    finish_kept_check()
    CURRENT.set(outcome)


def add_to_history(outcome: CheckOutcome) -> bool:
    """List an earlier result again under another way in or name (e.g. a sample checked
    before as an upload): True if added; nothing is sent. Each (content and settings, way
    in, name) is listed once."""
    from components.check_run import without_media

    finish_kept_check()
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


def input_key(widget: Widget[Any]) -> str:
    """The key of one of the Check tab's input widgets; a new one after clearing, so the
    widget starts empty."""
    generation = INPUTS.get()
    return widget.key if generation == 0 else f"{widget.key}~{generation}"


def clear_session_checks() -> None:
    """Forget every check of this session: History, the no-resend cache, the Check tab's
    input and verdict (its widgets start empty), and the several-files table."""
    job = CHECK_JOB.get()
    if job is not None:  # a check still running: dropped, its answer and bytes with it
        job.cancel.set()
        CHECK_JOB.forget()
    HISTORY.set([])
    OUTCOMES.set({})
    CURRENT.set(None)
    UNFINISHED.set(None)
    SHOWN.set(None)
    RECHECK.set(None)
    SAMPLE_ID.set(None)
    THUMBNAILS.forget()
    CLIP_CURRENT.of(input_key(WEBCAM_RECORDER)).forget()
    BATCH.forget()
    INPUTS.set(INPUTS.get() + 1)
    _changed_history()


def clear_history() -> None:
    """Forget this session's checks (see `clear_session_checks`)."""
    clear_session_checks()


def session_thumbnail(outcome: CheckOutcome) -> bytes | None:
    """A small JPEG (160 px) of a check's input for tables, made once from the picture kept
    with it (or, for the check on screen, its media) and kept in this session only."""
    from components.check_run import thumbnail_jpeg

    thumbnails = THUMBNAILS.get()
    name = outcome.check_id
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


def tab_to_open(lang: str, label_of: Callable[[str, str], str]) -> str:
    """The tab `st.tabs` opens with (by name): the first at first, then the one open when
    the language last changed. `label_of(name, lang)` is a tab's label. The answer stays
    the same within one language, so switching tabs does not change the tabs' identity
    (which would redraw their content)."""
    previous = TABS_LANG.get()
    if previous != lang:
        # The browser still reports the open tab by its label in the previous language.
        by_label = {label_of(name, previous): name for name in TABS} if previous else {}
        TABS_DEFAULT.set(by_label.get(str(PAGE_TABS.value() or ""), OPEN_TAB.get()))
        TABS_LANG.set(lang)
    return TABS_DEFAULT.get()


def remember_open_tab(name: str) -> None:
    """Remember which tab is open (by name), for `tab_to_open` after a language switch."""
    OPEN_TAB.set(name)
