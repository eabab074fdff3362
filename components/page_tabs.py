"""The page's tabs, kept across a language switch.

`st.tabs` knows a tab only by its label, and a language switch changes every label, so
the browser would fall back to the first tab. The selected tab is therefore remembered
by its id (`check`, `history`, ...) whenever the user switches tabs, and the tabs are
drawn with it as their default in whatever language the page is in.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

__all__ = ["TAB_IDS", "page_tabs"]

TAB_IDS = ("check", "history", "evaluate", "about")
CHOSEN_KEY = "page_tab"  # the selected tab's id
WIDGET_KEY = "page_tab_label"  # the tabs widget's own state: a label in some language


def _remember(names: Sequence[str]) -> None:
    """The tabs' on_change: keep the selected tab's id (labels as drawn then)."""
    label = st.session_state.get(WIDGET_KEY)
    if label in names:
        st.session_state[CHOSEN_KEY] = TAB_IDS[list(names).index(label)]


def page_tabs(names: Sequence[str]) -> Sequence[DeltaGenerator]:
    """The page's tabs, labelled `names` (one per `TAB_IDS`), the remembered one selected.
    Every tab's content is still drawn on every run (its `.open` is not consulted)."""
    chosen = st.session_state.get(CHOSEN_KEY, TAB_IDS[0])
    index = TAB_IDS.index(chosen) if chosen in TAB_IDS else 0
    return st.tabs(
        list(names),
        default=names[index],
        key=WIDGET_KEY,
        on_change=_remember,
        args=(tuple(names),),
    )
