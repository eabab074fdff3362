"""The About tab: what the service does, how to read levels and traces, privacy, sandbox."""

from __future__ import annotations

import streamlit as st

from client import trace_explanation
from client.models import TRACE_TYPES
from components.i18n import t
from components.verdict import level_style

__all__ = ["about_tab"]


def about_tab(lang: str) -> None:
    """Draw the About tab."""
    st.subheader(t("about.service_title", lang), anchor=False)
    st.markdown(t("about.service_body", lang))
    st.subheader(t("about.levels_title", lang), anchor=False)
    for level in ("Low", "Mid", "High"):
        style = level_style(level)
        st.markdown(
            f"{style.icon} **{t(f'verdict.level_{level.lower()}', lang)}** — "
            f"{t(f'verdict.advice_{level.lower()}', lang)}"
        )
    st.caption(t("about.levels_note", lang))
    st.subheader(t("about.traces_title", lang), anchor=False)
    st.markdown(
        "\n".join(f"- `{name}`: {trace_explanation(name, lang) or ''}" for name in TRACE_TYPES)
    )
    st.caption(t("about.traces_note", lang))
    st.subheader(t("about.privacy_title", lang), anchor=False)
    st.markdown(t("about.privacy_body", lang))
    st.subheader(t("about.sandbox_title", lang), anchor=False)
    st.markdown(t("about.sandbox_body", lang))
