"""The Raw expander: the request as sent (FaceInput elided, Authorization redacted), also
for refused calls, the response exactly as received, and the same call as curl, Python,
Node.js, Go, Java and tccli snippets (built by `client.snippets`) with the input to run
them on."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import streamlit as st

from client.snippets import SNIPPET_KINDS, SNIPPET_SYNTAX
from components.i18n import t
from components.snippets import page_snippets
from components.state import RAW_INPUT

if TYPE_CHECKING:
    from components.check_run import CheckOutcome
    from components.context import AppContext

__all__ = ["raw_ui"]

_TAB_LABELS = {
    "curl": "curl",
    "python": "Python SDK",
    "node": "Node.js SDK",
    "go": "Go SDK",
    "java": "Java SDK",
    "tccli": "tccli",
}


def _as_json(value: Mapping[str, Any]) -> str:
    """Pretty JSON, non-ASCII kept as is."""
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def raw_ui(ctx: AppContext, outcome: CheckOutcome) -> None:
    """Draw the Raw expander for one check."""
    lang = ctx.lang
    with st.expander(t("raw.title", lang), icon=":material/data_object:"):
        detection, problem = outcome.detection, outcome.problem
        request = detection.request_preview if detection else (problem.request if problem else None)
        response = detection.raw if detection else (problem.raw if problem else None)
        st.markdown(f"**{t('raw.request', lang)}**")
        if request:
            if problem is not None:
                st.caption(t("raw.request_refused", lang))
            st.code(_as_json(request), language="json")
        elif response:
            st.caption(t("raw.request_not_kept", lang))
        else:
            st.caption(t("raw.no_request", lang))
        st.markdown(f"**{t('raw.response', lang)}**")
        if response:
            st.code(_as_json(response), language="json")
        else:
            st.caption(t("raw.no_response", lang))
        st.markdown(f"**{t('raw.snippets', lang)}**")
        file_name, snippets = page_snippets(ctx, outcome)
        note = (
            "raw.snippets_note_sandbox" if ctx.backend == "sandbox" else "raw.snippets_note_tencent"
        )
        st.caption(t(note, lang))
        st.download_button(
            t("raw.download_input", lang, file=file_name),
            data=outcome.sent_or_original,
            file_name=file_name,
            key=RAW_INPUT.of(f"{outcome.key}-{outcome.checked_at}"),
            on_click="ignore",
            icon=":material/download:",
        )
        tabs = st.tabs([_TAB_LABELS[kind] for kind in SNIPPET_KINDS])
        for tab, kind in zip(tabs, SNIPPET_KINDS, strict=True):
            tab.code(snippets[kind], language=SNIPPET_SYNTAX[kind])
