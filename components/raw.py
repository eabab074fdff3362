"""The Raw expander: the request as sent (FaceInput elided, Authorization redacted), the
response exactly as received, and the same call as curl / Python SDK / tccli."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import streamlit as st

from components.i18n import api_language, t
from components.snippets import curl_snippet, python_sdk_snippet, tccli_snippet

if TYPE_CHECKING:
    from components.checking import CheckOutcome
    from components.context import AppContext

__all__ = ["raw_ui"]


def _as_json(value: Mapping[str, Any]) -> str:
    """Pretty JSON, non-ASCII kept as is."""
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def raw_ui(ctx: AppContext, outcome: CheckOutcome) -> None:
    """Draw the Raw expander for one check."""
    lang = ctx.lang
    with st.expander(t("raw.title", lang), icon=":material/data_object:"):
        detection, problem = outcome.detection, outcome.problem
        request = detection.request_preview if detection else None
        response = detection.raw if detection else (problem.raw if problem else None)
        st.markdown(f"**{t('raw.request', lang)}**")
        if request:
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
        input_type = outcome.prepared.input_type if outcome.prepared else 1
        args = (ctx.endpoint, ctx.region, api_language(lang), int(input_type))
        curl_tab, sdk_tab, cli_tab = st.tabs(["curl", "Python SDK", "tccli"])
        curl_tab.code(curl_snippet(*args), language="bash")
        sdk_tab.code(python_sdk_snippet(*args), language="python")
        cli_tab.code(tccli_snippet(*args), language="bash")
        st.caption(t("raw.placeholder_note", lang))
