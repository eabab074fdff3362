"""The optional passcode of a shared deployment, asked before any call with real keys."""

from __future__ import annotations

import hmac

import streamlit as st

from components.i18n import t
from components.state import is_unlocked, unlock

__all__ = ["passcode_gate_ui", "passcode_matches"]


def passcode_matches(given: str, expected: str) -> bool:
    """Constant-time comparison of the typed passcode with the configured one."""
    return hmac.compare_digest(given.strip().encode(), expected.encode())


def _try_passcode(expected: str) -> None:
    """Form callback: unlock on the right passcode, else note the refusal."""
    given = str(st.session_state.get("passcode_input", ""))
    st.session_state["passcode_input"] = ""  # the passcode must not stay in the widget
    if passcode_matches(given, expected):
        unlock()
        st.session_state["passcode_refused"] = False
    else:
        st.session_state["passcode_refused"] = True


def passcode_gate_ui(expected: str | None, lang: str) -> bool:
    """True when the page may call the real service; else draws the passcode form."""
    if not expected or is_unlocked():
        return True
    with st.container(border=True):
        st.subheader(f"🔒 {t('gate.title', lang)}", anchor=False)
        st.markdown(t("gate.body", lang))
        with st.form("passcode_form", clear_on_submit=True, border=False):
            st.text_input(t("gate.label", lang), type="password", key="passcode_input")
            st.form_submit_button(
                t("gate.submit", lang), type="primary", on_click=_try_passcode, args=(expected,)
            )
        if st.session_state.get("passcode_refused"):
            st.error(t("gate.refused", lang), icon=":material/lock:")
        st.caption(t("gate.sandbox_hint", lang))
    return False
