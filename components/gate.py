"""The optional passcode of a shared deployment, asked before any call with real keys.

Wrong guesses are limited per visitor and across all visitors, counted in the
deployment's ledger (so a reload does not reset them); the comparison is constant-time.
"""

from __future__ import annotations

import hmac
import math

import streamlit as st

from components.app_secrets import AppSecrets
from components.i18n import t
from components.state import PASSCODE_FORM, PASSCODE_INPUT, PASSCODE_REFUSED, is_unlocked, unlock
from components.visitor import ledger, visitor_key

__all__ = ["passcode_gate_ui", "passcode_matches", "passcode_wait"]


def passcode_matches(given: str, expected: str) -> bool:
    """Constant-time comparison of the typed passcode with the configured one."""
    return hmac.compare_digest(given.strip().encode(), expected.encode())


def passcode_wait(secrets: AppSecrets) -> float:
    """Seconds this visitor must wait before another passcode attempt (0: may try now)."""
    return ledger(secrets).passcode_wait(
        visitor_key(),
        per_visitor=secrets.passcode_tries_per_minute,
        everyone=secrets.passcode_global_tries_per_minute,
    )


def _try_passcode(secrets: AppSecrets) -> None:
    """Form callback: unlock on the right passcode, else count the refusal."""
    given = str(PASSCODE_INPUT.value() or "")
    PASSCODE_INPUT.set("")  # the passcode must not stay in the widget
    if passcode_wait(secrets) > 0:
        PASSCODE_REFUSED.set("wait")  # not even compared
        return
    if passcode_matches(given, secrets.passcode or ""):
        unlock()
        PASSCODE_REFUSED.set(None)
        return
    ledger(secrets).note_wrong_passcode(visitor_key())
    PASSCODE_REFUSED.set("wrong")


def passcode_gate_ui(secrets: AppSecrets, lang: str) -> bool:
    """True when the page may call the real service; else draws the passcode form."""
    if not secrets.passcode or is_unlocked():
        return True
    with st.container(border=True):
        st.subheader(f"🔒 {t('gate.title', lang)}", anchor=False)
        st.markdown(t("gate.body", lang))
        with st.form(PASSCODE_FORM.key, clear_on_submit=True, border=False):
            st.text_input(t("gate.label", lang), type="password", key=PASSCODE_INPUT.key)
            st.form_submit_button(
                t("gate.submit", lang), type="primary", on_click=_try_passcode, args=(secrets,)
            )
        refused = PASSCODE_REFUSED.get()
        wait = passcode_wait(secrets)
        if wait > 0:
            st.error(t("gate.wait", lang, seconds=max(1, math.ceil(wait))), icon=":material/timer:")
        elif refused:
            st.error(t("gate.refused", lang), icon=":material/lock:")
        st.caption(t("gate.sandbox_hint", lang))
    return False
