"""Several files at once on the Check tab: up to `MAX_FILES` pictures or videos (or a zip
of them), checked one after the other at the backend's quota, as a table of verdicts with
thumbnails; cancellable, exportable as CSV, each row opening its full verdict.

The same content is checked once (by content hash, shared with the rest of the page), and
nothing is sent before the user presses Check. A file that cannot be read gets its own
error row; the others go on. On Tencent Cloud each file gets the single check's pre-flight
first: one with no face, several faces or a face under 100 px is held back (not sent, not
billed) until the user presses "Send anyway" for it or for all held files; on the sandbox
the same warnings show in the table and the scenario answers.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import streamlit as st

from components.backend import session_client
from components.batch_files import (
    MAX_FILES,
    MAX_TOTAL_BYTES,
    BatchError,
    BatchFile,
    Collected,
    batch_csv,
    collect_files,
)
from components.check_run import (
    CAP_CODE,
    Problem,
    check_key,
    jpeg_data_url,
    may_have_been_sent,
    run_check,
    thumbnail_jpeg,
)
from components.errors import problem_ui
from components.history import result_text, saved_check_ui
from components.i18n import t
from components.sending import CONFIRM_WARNINGS
from components.state import (
    BATCH,
    BATCH_CANCEL,
    BATCH_CSV,
    BATCH_OPEN,
    BATCH_SEND_ALL_ANYWAY,
    BATCH_SEND_ANYWAY,
    BATCH_START,
    BATCH_UPLOAD,
    add_to_history,
    calls_made,
    count_call,
    input_key,
    outcome_for,
    remember,
)
from components.text import as_text
from evaluation.pacing import TokenBucket, is_fatal_code
from media import MediaError, MediaWarning, prepare

if TYPE_CHECKING:
    from client import DetectClient
    from components.check_run import CheckOutcome
    from components.context import AppContext
    from media import Prepared

__all__ = ["QUOTA_QPS", "BatchRow", "batch_rows", "batch_ui"]

# Requests per second: the page's sandbox runs at the Sandbox default (5/s); Tencent Cloud's
# documented default quota is 1/s per account (CONTRACT.md).
QUOTA_QPS = {"sandbox": 5.0, "tencent": 1.0}
THUMB_SIDE = 160
ROW_HEIGHT = 64
HEADER_HEIGHT = 38
# Refusals that say nothing about the file: the row stays "to check" for a later try.
NOT_DONE_KINDS = ("keys", "cap")


@dataclass
class BatchState:
    """The several-files check of this session: whether it runs, and why it stopped."""

    running: bool = False
    cancelled: bool = False
    stopped: Problem | None = None  # why the run stopped (no keys, the cap, account errors)
    signature: str = ""  # the files and settings the run was started for
    buckets: dict[str, TokenBucket] = field(default_factory=dict)
    # Real service: check key -> the pre-flight warnings that held the file back, and the
    # keys the user said "Send anyway" for (both pruned to the rows on screen).
    held: dict[str, tuple[MediaWarning, ...]] = field(default_factory=dict)
    confirmed: set[str] = field(default_factory=set)

    def bucket(self, backend: str) -> TokenBucket:
        """The pacing of this backend, kept across reruns (a continued run stays paced)."""
        if backend not in self.buckets:
            self.buckets[backend] = TokenBucket(QUOTA_QPS.get(backend, 1.0))
        return self.buckets[backend]

    def keep_only(self, keys: set[str]) -> None:
        """Forget pre-flight holds and confirmations of files no longer uploaded."""
        self.held = {key: found for key, found in self.held.items() if key in keys}
        self.confirmed &= keys


@dataclass(frozen=True)
class BatchRow:
    """One row: a file (or a zip member that could not be unpacked) and its outcome."""

    index: int
    name: str
    sha256: str = ""
    key: str = ""
    outcome: CheckOutcome | None = None
    same_as: int | None = None  # the first row with the same content
    left_out: str | None = None  # why a zip member could not be unpacked
    # Pre-flight warnings that need a confirmation on the real service (no face, several
    # faces, a small face): from the outcome, or from the pre-flight that held it back.
    flags: tuple[MediaWarning, ...] = ()


def _state() -> BatchState:
    state = BATCH.get()
    if state is None:
        state = BatchState()
        BATCH.set(state)
    return state


def _not_about_the_file(problem: Problem) -> bool:
    """A refusal that says nothing about the file (no keys, a call cap or budget)."""
    return problem.kind in NOT_DONE_KINDS or problem.code == CAP_CODE


def _done(outcome: CheckOutcome | None) -> bool:
    """Whether a row has its answer (a verdict, or a refusal about the file itself)."""
    return outcome is not None and (
        outcome.problem is None or not _not_about_the_file(outcome.problem)
    )


def confirm_warnings(prepared: Prepared | None) -> tuple[MediaWarning, ...]:
    """The pre-flight warnings a real call needs a confirmation for."""
    if prepared is None:
        return ()
    return tuple(w for w in prepared.warnings if w.code in CONFIRM_WARNINGS)


def batch_rows(
    collected: Collected,
    ctx: AppContext,
    held: dict[str, tuple[MediaWarning, ...]] | None = None,
) -> list[BatchRow]:
    """The table's rows in upload order, each with the session's outcome for its content
    (and its pre-flight warnings: the outcome's, or those in `held` for a file held back)."""
    rows: list[BatchRow] = []
    first: dict[str, int] = {}
    for number, file in enumerate(collected.files, start=1):
        key = check_key(file.data, ctx)
        outcome = outcome_for(key)
        answered = outcome if _done(outcome) else None
        flags = confirm_warnings(answered.prepared) if answered else (held or {}).get(key, ())
        rows.append(
            BatchRow(
                number,
                file.name,
                file.sha256,
                key,
                answered,
                first.get(key),
                flags=flags,
            )
        )
        first.setdefault(key, number)
    start = len(rows) + 1
    rows += [
        BatchRow(start + i, entry.name, left_out=entry.code)
        for i, entry in enumerate(collected.left_out)
    ]
    return rows


@st.cache_data(show_spinner=False, max_entries=4 * MAX_FILES)
def _thumbnail_url(sha256: str, _data: bytes) -> str | None:
    """A small data: URL picture of a file, cached by its content hash."""
    return jpeg_data_url(thumbnail_jpeg(_data, THUMB_SIDE))


def _result(row: BatchRow, lang: str) -> str:
    if row.left_out:
        return f"❗ {t(f'batch.left_out_{row.left_out}', lang)}"
    if row.outcome is None:
        return f"⏸️ {t('batch.held', lang)}" if row.flags else t("batch.pending", lang)
    return result_text(row.outcome, lang)


def _flags_text(row: BatchRow, lang: str) -> str | None:
    """The row's pre-flight warnings, in the page language."""
    return " ".join(w.text(lang) for w in row.flags) or None


def _table_rows(
    rows: list[BatchRow], files: dict[int, BatchFile], lang: str
) -> list[dict[str, Any]]:
    """Plain rows for the table."""
    out = []
    for row in rows:
        detection = row.outcome.detection if row.outcome else None
        problem = row.outcome.problem if row.outcome else None
        file = files.get(row.index)
        out.append(
            {
                "thumbnail": _thumbnail_url(file.sha256, file.data) if file else None,
                "row": row.index,
                "name": row.name,
                "result": _result(row, lang),
                "traces": ", ".join(detection.trace_types) or None if detection else None,
                "preflight": _flags_text(row, lang),
                "request_id": (detection.request_id if detection else None)
                or (problem.request_id if problem else None),
                "note": t("batch.same_as", lang, row=row.same_as) if row.same_as else None,
            }
        )
    return out


def _csv_records(rows: list[BatchRow]) -> list[dict[str, Any]]:
    """Plain records for the CSV export."""
    records = []
    for row in rows:
        outcome = row.outcome
        detection = outcome.detection if outcome else None
        problem = outcome.problem if outcome else None
        records.append(
            {
                "row": row.index,
                "name": row.name,
                "sha256": row.sha256,
                "level": detection.level_raw if detection else None,
                "traces": ";".join(detection.trace_types) if detection else None,
                "preflight": ";".join(w.code for w in row.flags) or None,
                "request_id": (detection.request_id if detection else None)
                or (problem.request_id if problem else None),
                "error_code": problem.code if problem else (row.left_out and "Batch.LeftOut"),
                "error_message": problem.text("en") if problem else None,
                "same_as_row": row.same_as,
                "backend": outcome.backend if outcome else None,
                "checked_at": time.strftime(
                    "%Y-%m-%dT%H:%M:%S%z", time.localtime(outcome.checked_at)
                )
                if outcome
                else None,
            }
        )
    return records


def _draw_table(target: Any, rows: list[BatchRow], files: dict[int, BatchFile], lang: str) -> None:
    target.dataframe(
        _table_rows(rows, files, lang),
        hide_index=True,
        width="stretch",
        height=len(rows) * ROW_HEIGHT + HEADER_HEIGHT,
        row_height=ROW_HEIGHT,
        placeholder="—",
        column_config={
            "thumbnail": st.column_config.ImageColumn(t("history.thumbnail", lang), width="small"),
            "row": st.column_config.NumberColumn("#", width="small"),
            "name": st.column_config.TextColumn(t("history.name", lang), width="medium"),
            "result": st.column_config.TextColumn(t("history.result", lang), width="medium"),
            "traces": st.column_config.TextColumn(t("history.traces", lang), width="medium"),
            "preflight": st.column_config.TextColumn(t("batch.preflight", lang), width="medium"),
            "request_id": st.column_config.TextColumn("RequestId"),
            "note": st.column_config.TextColumn(t("batch.note", lang)),
        },
    )


def _signature(rows: list[BatchRow]) -> str:
    """What a run was started for: every row's content and settings."""
    return hashlib.sha256("\n".join(row.key for row in rows).encode()).hexdigest()


def _start(signature: str) -> None:
    state = _state()
    state.running, state.cancelled, state.stopped, state.signature = True, False, None, signature


def _send_anyway(keys: list[str], signature: str) -> None:
    """ "Send anyway" for held files: they go with the next run, which starts now."""
    _state().confirmed.update(keys)
    _start(signature)


def _cancel() -> None:
    state = _state()
    state.running, state.cancelled = False, True


def _stops_the_run(outcome: CheckOutcome) -> bool:
    """A refusal every further file would get too (no keys, the cap, account errors)."""
    problem = outcome.problem
    return problem is not None and (_not_about_the_file(problem) or is_fatal_code(problem.code))


def _list_known_files(rows: list[BatchRow]) -> None:
    """Files whose content was checked before under another name (no call): listed in
    History under this name too, once, as the single check does."""
    for row in rows:
        known = row.outcome
        if known is None or row.same_as is not None or known.filename == row.name:
            continue
        add_to_history(replace(known, filename=row.name, source="batch", checked_at=time.time()))


def _run(
    ctx: AppContext,
    calls_cap: int,
    rows: list[BatchRow],
    files: dict[int, BatchFile],
    table: Any,
) -> None:
    """Check every row still to check, paced, redrawing the table after each; results are
    kept as they come, so a Cancel click (which stops the script) loses nothing."""
    lang, state = ctx.lang, _state()
    _list_known_files(rows)
    todo = _sendable(rows, state)
    bar = st.progress(0.0, text=t("batch.progress", lang, done=0, total=len(todo)))
    bucket = state.bucket(ctx.backend)

    def paced_client() -> DetectClient:
        bucket.acquire()  # right before the send: preparing a file takes no slot
        return session_client(ctx)

    for done, row in enumerate(todo, start=1):
        data = files[row.index].data
        prepared = _preflight(ctx, state, row, data)
        if row.key in state.held and row.key not in state.confirmed:
            rows = [replace(r, flags=state.held[r.key]) if r.key == row.key else r for r in rows]
            _draw_table(table, rows, files, lang)
            continue  # held back: not sent until the user says "Send anyway"
        outcome = run_check(
            ctx,
            data,
            filename=row.name,
            source="batch",
            calls_left=calls_cap - calls_made(),
            client=paced_client,
            prepared=prepared,
        )
        if may_have_been_sent(outcome):
            count_call()
        remember(outcome, show=False)
        if _stops_the_run(outcome):
            state.stopped = outcome.problem
            break
        rows = [
            replace(r, outcome=outcome) if r.key == row.key and _done(outcome) else r for r in rows
        ]
        bar.progress(done / len(todo), text=t("batch.progress", lang, done=done, total=len(todo)))
        _draw_table(table, rows, files, lang)
    state.running = False
    st.rerun()


def _preflight(ctx: AppContext, state: BatchState, row: BatchRow, data: bytes) -> Prepared | None:
    """On the real service, the file prepared before its call (None: `run_check` prepares
    it, or explains why it cannot, without sending); a file whose pre-flight needs a
    confirmation it has not had is noted in `state.held`. The sandbox sends at once."""
    if ctx.backend != "tencent" or row.key in state.confirmed:
        return None
    try:
        prepared = prepare(data, row.name, ctx.prepare_options)
    except MediaError:
        return None
    flags = confirm_warnings(prepared)
    if flags:
        state.held[row.key] = flags
    return prepared


def _limits_caption(lang: str) -> str:
    return t("batch.limits", lang, files=MAX_FILES, mb=MAX_TOTAL_BYTES // (1024 * 1024))


def _todo(rows: list[BatchRow]) -> list[BatchRow]:
    """The rows still to send: readable, not answered yet, first of their content."""
    return [row for row in rows if row.key and row.outcome is None and row.same_as is None]


def _held(rows: list[BatchRow], state: BatchState) -> list[BatchRow]:
    """The rows held back by the pre-flight, waiting for "Send anyway"."""
    return [row for row in _todo(rows) if row.key in state.held and row.key not in state.confirmed]


def _sendable(rows: list[BatchRow], state: BatchState) -> list[BatchRow]:
    """The rows a click on Check sends (held ones wait for "Send anyway")."""
    held = {row.index for row in _held(rows, state)}
    return [row for row in _todo(rows) if row.index not in held]


def _held_ui(rows: list[BatchRow], state: BatchState, lang: str) -> None:
    """The files the pre-flight held back, each with "Send anyway", and one for them all."""
    held = _held(rows, state)
    if not held or state.running:
        return
    st.warning(
        t("batch.held_summary", lang, count=len(held)), icon=":material/face_retouching_off:"
    )
    st.caption(t("check.confirm_hint", lang))
    signature = _signature(rows)
    for row in held:
        text, button = st.columns([4, 1], vertical_alignment="center")
        text.markdown(
            f"**#{row.index}** · {as_text(row.name)} — {as_text(_flags_text(row, lang) or '')}"
        )
        button.button(
            t("check.send_anyway", lang),
            key=BATCH_SEND_ANYWAY.of(row.index),
            on_click=_send_anyway,
            args=([row.key], signature),
            icon=":material/send:",
        )
    if len(held) > 1:
        st.button(
            t("batch.send_all_anyway", lang, count=len(held)),
            key=BATCH_SEND_ALL_ANYWAY.key,
            on_click=_send_anyway,
            args=([row.key for row in held], signature),
            icon=":material/send:",
        )


def _controls_ui(ctx: AppContext, rows: list[BatchRow], state: BatchState, calls_cap: int) -> None:
    """What the run will do, why it stopped, and the Check / Cancel button."""
    lang = ctx.lang
    todo = _todo(rows)
    sendable = _sendable(rows, state)
    distinct = len({row.key for row in rows if row.key})
    qps = QUOTA_QPS.get(ctx.backend, 1.0)
    st.caption(
        t("batch.plan", lang, files=len(rows), distinct=distinct, todo=len(todo), qps=f"{qps:g}")
    )
    if state.stopped is not None:
        st.caption(t("batch.stopped", lang))
        problem_ui(state.stopped, lang, calls_cap=calls_cap)
    elif state.cancelled and sendable:
        st.warning(t("batch.cancelled", lang, count=len(sendable)), icon=":material/stop_circle:")
    if ctx.backend == "tencent" and sendable and not state.running:
        st.warning(t("batch.billed", lang, count=len(sendable)), icon=":material/payments:")
    if state.running:
        st.button(
            t("batch.cancel", lang), key=BATCH_CANCEL.key, on_click=_cancel, icon=":material/stop:"
        )
    elif sendable:
        st.button(
            t("batch.start" if not state.cancelled else "batch.resume", lang, count=len(sendable)),
            key=BATCH_START.key,
            on_click=_start,
            args=(_signature(rows),),
            type="primary",
            icon=":material/play_arrow:",
        )


def _open_ui(rows: list[BatchRow], lang: str) -> None:
    """Pick a checked row to see its full verdict (from memory: nothing is sent)."""
    checked = {row.index: row for row in rows if row.outcome is not None}
    outcomes = {row.index: row.outcome for row in rows if row.outcome is not None}
    if not outcomes:
        return
    chosen = st.selectbox(
        t("batch.open", lang),
        options=list(outcomes),
        index=None,
        format_func=lambda i: f"#{i} · {checked[i].name} · {_result(checked[i], lang)}",
        placeholder=t("batch.open_placeholder", lang),
        key=BATCH_OPEN.key,
    )
    if chosen in outcomes:
        opened = replace(outcomes[chosen], filename=checked[chosen].name)
        saved_check_ui(opened, lang, key="batch")


def batch_ui(ctx: AppContext, *, calls_cap: int) -> None:
    """Draw the several-files way in."""
    lang = ctx.lang
    uploads = st.file_uploader(
        t("batch.upload_label", lang),
        accept_multiple_files=True,
        key=input_key(BATCH_UPLOAD),
        help=t("check.upload_help", lang),
    )
    st.caption(_limits_caption(lang))
    state = _state()
    if not uploads:
        state.running = False
        st.info(t("batch.prompt", lang), icon=":material/upload_file:")
        return
    try:
        collected = collect_files((u.name, u.getvalue()) for u in uploads)
    except BatchError as exc:
        state.running = False
        st.error(exc.text(lang), icon=":material/block:")
        return
    rows = batch_rows(collected, ctx, state.held)
    state.keep_only({row.key for row in rows if row.key})  # only files no longer uploaded
    files = {number: file for number, file in enumerate(collected.files, start=1)}
    if state.running and state.signature != _signature(rows):
        state.running = False  # other files or settings: never sent without a new click
        st.info(t("batch.changed", lang), icon=":material/info:")
    _controls_ui(ctx, rows, state, calls_cap)
    _held_ui(rows, state, lang)
    table = st.empty()
    _draw_table(table, rows, files, lang)
    if state.running:
        _run(ctx, calls_cap, rows, files, table)
        return
    if any(row.outcome is not None or row.left_out for row in rows):
        st.download_button(
            t("batch.download_csv", lang),
            data=batch_csv(_csv_records(rows)),
            file_name="anti-deepfake-checks.csv",
            mime="text/csv",
            key=BATCH_CSV.key,
            icon=":material/download:",
            on_click="ignore",
        )
    _open_ui(rows, lang)
