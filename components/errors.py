"""Why there is no verdict, as a card a user can act on. Never a traceback.

Tencent error codes (and the client's own `Client.*` codes) get the client's guidance
table: title, what it means, what to do, and a retry button when trying again can work.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import streamlit as st

from client import guidance
from components.checking import CAP_CODE
from components.i18n import t
from components.text import as_text

if TYPE_CHECKING:
    from components.checking import Problem

__all__ = ["NON_API_REPLY_CODE", "error_card_html", "problem_ui"]

NON_API_REPLY_CODE = "Client.InvalidResponse"


def error_card_html(
    code: str, title: str, meaning: str, action: str, lang: str, service_message: str = ""
) -> str:
    """The guidance card as HTML (every text escaped: service messages are not trusted)."""
    label = "errors.details" if code.startswith("Client.") else "errors.service_said"
    said = (
        f'<div class="adf-error-said">{html.escape(t(label, lang, message=service_message))}</div>'
        if service_message
        else ""
    )
    return (
        f'<div class="adf-error" role="alert" data-code="{html.escape(code)}">'
        f'<div class="adf-error-head">⛔ {html.escape(title)}</div>'
        f"<div>{html.escape(meaning)}</div>"
        f'<div class="adf-error-action"><b>{html.escape(t("errors.what_to_do", lang))}</b>'
        f"{html.escape(t('app.label_sep', lang))}"
        f"{html.escape(action)}</div>{said}"
        f'<div class="adf-error-code"><code>{html.escape(code)}</code></div></div>'
    )


def _api_ui(problem: Problem, lang: str) -> bool:
    """The guidance card for an error code; True when a retry can help."""
    entry = guidance(problem.code, lang)
    # A reply that is not the API's comes from whatever server the endpoint names: the page
    # does not repeat it (a visitor must not read internal pages through this server).
    said = "" if problem.code == NON_API_REPLY_CODE else problem.text(lang)
    card = error_card_html(problem.code, entry.title, entry.meaning, entry.action, lang, said)
    st.markdown(card, unsafe_allow_html=True)
    if problem.request_id:
        st.markdown(f"**RequestId** · {t('errors.quote_request_id', lang)}")
        st.code(problem.request_id, language=None)
    return entry.retryable or problem.retryable


def problem_ui(problem: Problem, lang: str, *, calls_cap: int) -> bool:
    """Draw why a check failed; returns True when the user may usefully retry."""
    if problem.kind == "media":
        st.error(as_text(problem.text(lang)), icon=":material/broken_image:")
        st.caption(t("errors.media_hint", lang))
        return False
    if problem.kind == "cap" or problem.code == CAP_CODE:
        st.error(t("errors.cap", lang, cap=calls_cap), icon=":material/block:")
        return False
    if problem.kind == "keys":
        st.warning(t("errors.no_keys", lang), icon=":material/key_off:")
        st.caption(t("errors.no_keys_hint", lang))
        return False
    if problem.kind == "unexpected":
        st.error(t("errors.unexpected", lang), icon=":material/error:")
        return True
    return _api_ui(problem, lang)
