"""The History tab: this session's checks, newest first, each one can be opened again
(no new call) and handed over. Kept in memory only, without media bytes, at most
`HISTORY_LIMIT` entries; clearing asks first and also clears the Check tab."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any

import streamlit as st

from client import guidance
from components.check_run import jpeg_data_url
from components.errors import problem_ui
from components.handover_ui import handover_ui, input_name
from components.i18n import t
from components.state import (
    CLEAR_HISTORY,
    CLEAR_HISTORY_CONFIRM,
    CLEAR_HISTORY_KEEP,
    HISTORY_CONFIRM_CLEAR,
    HISTORY_LIMIT,
    HISTORY_OPEN,
    clear_session_checks,
    history,
    session_thumbnail,
)
from components.verdict import level_style, verdict_ui

if TYPE_CHECKING:
    from components.check_run import CheckOutcome

__all__ = ["entry_id", "history_rows", "history_tab", "result_text", "saved_check_ui"]

ROW_HEIGHT = 64
HEADER_HEIGHT = 38  # the column titles plus the frame
MAX_VISIBLE_ROWS = 12  # further rows scroll


def result_text(outcome: CheckOutcome, lang: str) -> str:
    """Icon and words for the outcome: the level, or the error code."""
    if outcome.detection is not None:
        level = str(outcome.detection.level.value)
        return f"{level_style(level).icon} {t(f'verdict.level_{level.lower()}', lang)}"
    problem = outcome.problem
    if problem is None:
        return "❗"
    if problem.kind == "api":
        return f"❗ {guidance(problem.code, lang).title}"
    if problem.kind == "media":
        # The reason only: what to do about it is on the Check tab.
        return f"❗ {re.split('[;；]', problem.text(lang), maxsplit=1)[0]}"
    return f"❗ {t(f'history.{problem.kind}', lang)}"


def _request_id(outcome: CheckOutcome) -> str | None:
    """The RequestId of the verdict or of the error, if the service gave one."""
    if outcome.detection is not None:
        return outcome.detection.request_id
    return outcome.problem.request_id if outcome.problem is not None else None


def entry_id(outcome: CheckOutcome) -> str:
    """A stable id for one History entry (its check key and time)."""
    return f"{outcome.key}@{outcome.checked_at!r}@{outcome.source}@{outcome.filename}"


def history_rows(outcomes: list[CheckOutcome], lang: str) -> list[dict[str, Any]]:
    """One plain row per check, in the given order."""
    rows = []
    for outcome in outcomes:
        traces = outcome.detection.trace_types if outcome.detection else ()
        rows.append(
            {
                "thumbnail": jpeg_data_url(session_thumbnail(outcome)),
                "name": input_name(outcome, lang),
                "result": result_text(outcome, lang),
                "traces": ", ".join(traces) or None,
                "time": time.strftime("%H:%M:%S", time.localtime(outcome.checked_at)),
                "input": t(f"check.way_{outcome.source}", lang),
                "backend": t(f"sidebar.backend_{outcome.backend}", lang),
                "request_id": _request_id(outcome) or "—",
            }
        )
    return rows


def saved_check_ui(outcome: CheckOutcome, lang: str, *, key: str) -> None:
    """A kept check drawn again from what was kept (no call): its picture, the verdict
    or why there was none, and the hand-over downloads."""
    picture_column, verdict_column = st.columns([1, 2], gap="medium")
    with picture_column:
        picture = outcome.picture or session_thumbnail(outcome)
        if picture:
            st.image(picture, width="stretch")
        else:
            st.caption(t("preview.no_picture", lang))
    with verdict_column:
        if outcome.detection is not None:
            verdict_ui(outcome.detection, lang, sandbox=outcome.backend == "sandbox")
            handover_ui(outcome, lang, key=key)
        elif outcome.problem is not None and outcome.problem.kind in ("api", "media"):
            problem_ui(outcome.problem, lang, calls_cap=0)
        else:
            st.error(result_text(outcome, lang), icon=":material/error:")


def _ask_to_clear() -> None:
    HISTORY_CONFIRM_CLEAR.set(True)


def _keep() -> None:
    HISTORY_CONFIRM_CLEAR.set(False)


def _clear() -> None:
    HISTORY_CONFIRM_CLEAR.set(False)
    clear_session_checks()


def _clear_ui(count: int, lang: str) -> None:
    """The clear button, and the question it asks before anything is forgotten."""
    if not HISTORY_CONFIRM_CLEAR.get():
        st.button(
            t("history.clear", lang),
            on_click=_ask_to_clear,
            key=CLEAR_HISTORY.key,
            icon=":material/delete:",
            disabled=not count,
            width="stretch",
        )
        return
    st.warning(t("history.confirm_clear", lang, count=count), icon=":material/delete:")
    yes, no = st.columns(2, gap="small")
    yes.button(
        t("history.confirm_yes", lang),
        on_click=_clear,
        key=CLEAR_HISTORY_CONFIRM.key,
        type="primary",
        width="stretch",
    )
    no.button(
        t("history.confirm_no", lang), on_click=_keep, key=CLEAR_HISTORY_KEEP.key, width="stretch"
    )


def _table_ui(outcomes: list[CheckOutcome], lang: str) -> None:
    """The checks as a table with thumbnails."""
    st.dataframe(
        history_rows(outcomes, lang),
        hide_index=True,
        width="stretch",
        height=min(len(outcomes), MAX_VISIBLE_ROWS) * ROW_HEIGHT + HEADER_HEIGHT,
        row_height=ROW_HEIGHT,
        placeholder="—",
        column_config={
            "thumbnail": st.column_config.ImageColumn(t("history.thumbnail", lang), width="small"),
            "name": st.column_config.TextColumn(t("history.name", lang), width="medium"),
            "result": st.column_config.TextColumn(t("history.result", lang), width="medium"),
            "traces": st.column_config.TextColumn(t("history.traces", lang), width="medium"),
            "time": st.column_config.TextColumn(t("history.time", lang)),
            "input": st.column_config.TextColumn(t("history.input", lang)),
            "backend": st.column_config.TextColumn(t("history.backend", lang)),
            "request_id": st.column_config.TextColumn("RequestId"),
        },
    )


def history_tab(lang: str) -> None:
    """Draw the History tab."""
    outcomes = history()
    st.caption(t("history.note", lang, count=len(outcomes), limit=HISTORY_LIMIT))
    if not outcomes:
        st.info(t("history.empty", lang), icon=":material/history:")
        _clear_ui(0, lang)
        return
    _table_ui(outcomes, lang)
    # Below the table, so the table's own toolbar (above its top right corner) covers nothing.
    by_id = {entry_id(outcome): outcome for outcome in outcomes}
    rows = dict(zip(by_id, history_rows(outcomes, lang), strict=True))
    pick, clear = st.columns([3, 1], gap="medium", vertical_alignment="bottom")
    with pick:
        chosen = st.selectbox(
            t("history.open", lang),
            options=list(by_id),
            index=None,
            format_func=lambda eid: " · ".join(
                str(rows[eid][name]) for name in ("time", "result", "name") if rows[eid][name]
            ),
            placeholder=t("history.open_placeholder", lang),
            key=HISTORY_OPEN.key,
        )
    with clear:
        _clear_ui(len(outcomes), lang)
    if chosen in by_id:
        st.subheader(t("history.reopened", lang), anchor=False)
        st.caption(t("history.reopened_note", lang))
        saved_check_ui(by_id[chosen], lang, key="history")
