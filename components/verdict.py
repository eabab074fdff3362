"""The verdict card: a large badge (colour, icon and words), advice, traces, ExtraInfo, RequestId."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import streamlit as st

from client import level_explanation, trace_explanation
from components.i18n import t
from handover.levels import LEVEL_STYLES, LevelStyle, level_style

if TYPE_CHECKING:
    from client import Detection

__all__ = ["LEVEL_STYLES", "LevelStyle", "level_style", "verdict_card_html", "verdict_ui"]


def _level_key(detection: Detection) -> str:
    """ "Low", "Mid", "High" or "Unknown"."""
    return str(detection.level.value)


def verdict_card_html(detection: Detection, lang: str, *, sandbox: bool) -> str:
    """The badge and advice as HTML; every service-supplied text is escaped."""
    level = _level_key(detection)
    style = level_style(level)
    title = t(f"verdict.level_{level.lower()}", lang)
    advice = t(f"verdict.advice_{level.lower()}", lang)
    raw = html.escape(detection.level_raw or "—")
    sandbox_tag = (
        f'<span class="adf-tag">{html.escape(t("verdict.sandbox_tag", lang))}</span>'
        if sandbox
        else ""
    )
    return (
        f'<div class="adf-verdict" role="status" data-level="{html.escape(level)}" '
        f'data-colour="{style.colour}" style="border-color:{style.ink};background:{style.background}">'
        f'<div class="adf-verdict-head" style="color:{style.ink}">'
        f'<span class="adf-verdict-icon" aria-hidden="true">{style.icon}</span>'
        f"<span>{html.escape(title)}</span>{sandbox_tag}</div>"
        f'<div class="adf-verdict-advice"><b>{html.escape(t("verdict.advice", lang))}</b>'
        f"{html.escape(t('app.label_sep', lang))}"
        f"{html.escape(advice)}</div>"
        f'<div class="adf-verdict-sub">{html.escape(level_explanation(level, lang))} '
        f"<code>AttackRiskLevel = {raw}</code></div></div>"
    )


def _traces_ui(detection: Detection, lang: str) -> None:
    """Attack traces as chips, each with its plain-language meaning (unknown types raw)."""
    st.markdown(f"**{t('verdict.traces', lang)}**")
    if not detection.traces:
        st.caption(t("verdict.no_traces", lang))
        return
    rows = []
    for trace in detection.traces:
        meaning = trace_explanation(trace.type, lang) if trace.known else None
        chip_class = "adf-chip" if trace.known else "adf-chip adf-chip-unknown"
        rows.append(
            f'<div class="adf-trace"><span class="{chip_class}">{html.escape(trace.type)}</span>'
            f"<span>{html.escape(meaning or t('verdict.trace_unknown', lang))}</span></div>"
        )
    st.markdown(f'<div class="adf-chips">{"".join(rows)}</div>', unsafe_allow_html=True)
    st.caption(t("verdict.traces_note", lang))


def _extra_ui(extra: Any, lang: str) -> None:
    """ExtraInfo when present: the template-retrieval match, then anything else raw."""
    matches = extra.get("RetrievalLivenessExtraInfo") if isinstance(extra, dict) else None
    others = {k: v for k, v in dict(extra).items() if k != "RetrievalLivenessExtraInfo" and v}
    if not matches and not others:
        return
    st.markdown(f"**{t('verdict.extra', lang)}**")
    if isinstance(matches, list) and matches:
        rows = [
            {
                t("verdict.hit_group", lang): str(m.get("HitGroup", "")),
                t("verdict.similarity", lang): m.get("SimilarityScore"),
                t("verdict.hit_template", lang): str(m.get("HitTemplate", "")),
            }
            for m in matches
            if isinstance(m, dict)
        ]
        st.dataframe(rows, hide_index=True, width="stretch")
        st.caption(t("verdict.similarity_note", lang))
    if others:
        st.json(others, expanded=False)


def verdict_ui(detection: Detection, lang: str, *, sandbox: bool) -> None:
    """Draw the verdict card for one successful check."""
    st.markdown(verdict_card_html(detection, lang, sandbox=sandbox), unsafe_allow_html=True)
    _traces_ui(detection, lang)
    _extra_ui(dict(detection.extra), lang)
    st.markdown(
        f":material/timer: {t('verdict.latency', lang)} **{detection.latency_ms:.0f} ms** · "
        f":material/replay: {t('verdict.attempts', lang)} **{detection.attempts}**"
    )
    st.markdown(f"**RequestId** · {t('verdict.request_id_note', lang)}")
    st.code(detection.request_id or "—", language=None)
