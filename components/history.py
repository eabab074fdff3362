"""The History tab: this session's checks, newest first. Nothing is written to disk."""

from __future__ import annotations

import base64
import re
import time
from typing import TYPE_CHECKING, Any

import streamlit as st

from client import guidance
from components.i18n import t
from components.state import clear_history, history, session_thumbnail
from components.verdict import level_style

if TYPE_CHECKING:
    from components.checking import CheckOutcome

__all__ = ["history_rows", "history_tab"]

ROW_HEIGHT = 64
HEADER_HEIGHT = 38  # the column titles plus the frame
MAX_VISIBLE_ROWS = 12  # further rows scroll


def _result_text(outcome: CheckOutcome, lang: str) -> str:
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


def _data_url(jpeg: bytes | None) -> str | None:
    """A data: URL for a JPEG thumbnail."""
    return f"data:image/jpeg;base64,{base64.b64encode(jpeg).decode('ascii')}" if jpeg else None


def history_rows(outcomes: list[CheckOutcome], lang: str) -> list[dict[str, Any]]:
    """One plain row per check, in the given order."""
    rows = []
    for outcome in outcomes:
        request_id = outcome.detection.request_id if outcome.detection else None
        if request_id is None and outcome.problem is not None:
            request_id = outcome.problem.request_id
        rows.append(
            {
                "thumbnail": _data_url(session_thumbnail(outcome)),
                "result": _result_text(outcome, lang),
                "time": time.strftime("%H:%M:%S", time.localtime(outcome.checked_at)),
                "input": t(f"check.way_{outcome.source}", lang),
                "backend": t(f"sidebar.backend_{outcome.backend}", lang),
                "request_id": request_id or "—",
            }
        )
    return rows


def history_tab(lang: str) -> None:
    """Draw the History tab."""
    outcomes = history()
    head, button = st.columns([4, 1], vertical_alignment="center")
    head.caption(t("history.note", lang, count=len(outcomes)))
    button.button(
        t("history.clear", lang),
        on_click=clear_history,
        key="clear_history",
        icon=":material/delete:",
        disabled=not outcomes,
        width="stretch",
    )
    if not outcomes:
        st.info(t("history.empty", lang), icon=":material/history:")
        return
    st.dataframe(
        history_rows(outcomes, lang),
        hide_index=True,
        width="stretch",
        height=min(len(outcomes), MAX_VISIBLE_ROWS) * ROW_HEIGHT + HEADER_HEIGHT,
        row_height=ROW_HEIGHT,
        placeholder="—",
        column_config={
            "thumbnail": st.column_config.ImageColumn(t("history.thumbnail", lang), width="small"),
            "result": st.column_config.TextColumn(t("history.result", lang), width="medium"),
            "time": st.column_config.TextColumn(t("history.time", lang)),
            "input": st.column_config.TextColumn(t("history.input", lang)),
            "backend": st.column_config.TextColumn(t("history.backend", lang)),
            "request_id": st.column_config.TextColumn("RequestId"),
        },
    )
