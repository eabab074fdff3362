"""Why there is no verdict, as a card a user can act on. Never a traceback.

Tencent error codes (and the client's own `Client.*` codes) get the client's guidance
table: title, what it means, what to do, and a retry button when trying again can work.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import streamlit as st

from client import guidance
from components.check_run import CAP_CODE
from components.i18n import t
from components.verdict import LevelStyle
from core.service import RECOMMENDED_FACE_PX

if TYPE_CHECKING:
    from components.check_run import Problem
    from media import Prepared

__all__ = [
    "ERROR_STYLE",
    "FACE_CODES",
    "NON_API_REPLY_CODE",
    "error_card_html",
    "preflight_headline",
    "problem_ui",
]

NON_API_REPLY_CODE = "Client.InvalidResponse"

# "No verdict" looks like none of the risk levels (green, amber, red, grey): indigo, ℹ️.
ERROR_STYLE = LevelStyle("indigo", "#3730A3", "#EEF0FF", "ℹ️")
# Service codes whose cause the face pre-flight usually knows better than the code's name
# (the service answers "face incomplete" for a landscape with no face at all).
FACE_CODES = frozenset({"FailedOperation.IncompleteFace", "FailedOperation.PoorImageQuality"})


def preflight_headline(prepared: Prepared | None, lang: str) -> str | None:
    """What the face pre-flight found wrong, in a few words ("No face found", "Face 62 px,
    the service needs 100", "3 faces found, ..."), or None when it found nothing."""
    if prepared is None:
        return None
    codes = set(prepared.warning_codes)
    if "no_face" in codes:
        return t("errors.preflight_no_face", lang)
    if "small_face" in codes and prepared.faces:
        size = min(face.size for face in prepared.faces)
        return t("errors.preflight_small_face", lang, size=size, need=RECOMMENDED_FACE_PX)
    if "multiple_faces" in codes:
        return t("errors.preflight_multiple_faces", lang, count=len(prepared.faces))
    return None


def error_card_html(
    code: str, title: str, meaning: str, action: str, lang: str, service_message: str = ""
) -> str:
    """The guidance card as HTML (every text escaped: service messages are not trusted).
    Its colour and icon (`ERROR_STYLE`) differ from every risk level's."""
    label = "errors.details" if code.startswith("Client.") else "errors.service_said"
    said = (
        f'<div class="adf-error-said">{html.escape(t(label, lang, message=service_message))}</div>'
        if service_message
        else ""
    )
    return (
        f'<div class="adf-error" role="alert" data-code="{html.escape(code)}" '
        f'data-colour="{ERROR_STYLE.colour}">'
        f'<div class="adf-error-head"><span aria-hidden="true">{ERROR_STYLE.icon}</span> '
        f"{html.escape(title)}</div>"
        f"<div>{html.escape(meaning)}</div>"
        f'<div class="adf-error-action"><b>{html.escape(t("errors.what_to_do", lang))}</b>'
        f"{html.escape(t('app.label_sep', lang))}"
        f"{html.escape(action)}</div>{said}"
        f'<div class="adf-error-code"><code>{html.escape(code)}</code></div></div>'
    )


def _api_ui(problem: Problem, lang: str, prepared: Prepared | None) -> bool:
    """The guidance card for an error code; True when a retry can help. When the face
    pre-flight knows the cause (no face, a small face, several faces), the card names it
    rather than the code's generic title ("face incomplete" for a landscape)."""
    entry = guidance(problem.code, lang)
    title, meaning, action = entry.title, entry.meaning, entry.action
    found = preflight_headline(prepared, lang) if problem.code in FACE_CODES else None
    if found is not None and prepared is not None:
        face_warnings = [w for w in prepared.warnings if w.code.endswith(("face", "faces"))]
        title = found
        meaning = t("errors.preflight_answer", lang, title=entry.title, code=problem.code)
        action = " ".join(w.text(lang) for w in face_warnings) or entry.action
    # A reply that is not the API's comes from whatever server the endpoint names: the page
    # does not repeat it (a visitor must not read internal pages through this server).
    said = "" if problem.code == NON_API_REPLY_CODE else problem.text(lang)
    card = error_card_html(problem.code, title, meaning, action, lang, said)
    st.markdown(card, unsafe_allow_html=True)
    if problem.request_id:
        st.markdown(f"**RequestId** · {t('errors.quote_request_id', lang)}")
        st.code(problem.request_id, language=None)
    return entry.retryable or problem.retryable


def _media_ui(problem: Problem, lang: str) -> None:
    """The card for input that cannot be checked; a bad video window points to the sidebar."""
    if problem.code == "start_past_end":
        hint = t("errors.window_hint", lang, label=t("sidebar.video_start", lang))
    else:
        hint = t("errors.media_hint", lang)
    card = error_card_html(
        f"media.{problem.code}", t("errors.media_title", lang), problem.text(lang), hint, lang
    )
    st.markdown(card, unsafe_allow_html=True)


def problem_ui(
    problem: Problem, lang: str, *, calls_cap: int, prepared: Prepared | None = None
) -> bool:
    """Draw why a check failed; returns True when the user may usefully retry.
    `prepared` (what was sent) lets a face-related refusal name what pre-flight found."""
    if problem.kind == "media":
        _media_ui(problem, lang)  # every text escaped in the card
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
    return _api_ui(problem, lang, prepared)
