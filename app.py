"""Anti-Deepfake Studio: check a photo or a short video with Tencent Cloud's DetectAIFakeFaces.

`streamlit run app.py` opens the page on its built-in sandbox; with credentials (app
secrets, environment, or Tencent's profile files) it can talk to Tencent Cloud.
Thin by design: every part of the page lives in `components/`.
"""

from __future__ import annotations

import gc
from typing import Any

import streamlit as st

from client import Credentials
from components.about import about_tab
from components.app_secrets import AppSecrets, read_secrets
from components.backend import build_context, page_credentials, source_label
from components.check_tab import check_tab
from components.context import AppContext
from components.endpoints import endpoint_refusal
from components.gate import passcode_gate_ui
from components.guard import guarded
from components.history import history_tab
from components.i18n import t
from components.live import budget_ui, live_banner_ui
from components.sidebar import language_ui, sidebar_ui
from components.state import (
    PAGE_TABS,
    TABS,
    finish_kept_check,
    init_state,
    pasted_credentials,
    remember_open_tab,
    tab_to_open,
)
from components.style import header_ui, sandbox_banner_ui, style_ui


def _default_backend(secrets: AppSecrets, has_credentials: bool) -> str:
    """Tencent Cloud when the deployment says so or keys are found; else the sandbox."""
    if secrets.backend in ("sandbox", "tencent"):
        return secrets.backend
    return "tencent" if has_credentials else "sandbox"


def _evaluate_tab(ctx: AppContext) -> None:
    """The Evaluate tab. Imported here so a fault in it stays inside its own tab."""
    from components.evaluate import evaluate_tab

    evaluate_tab(ctx)


def _settings(secrets: AppSecrets) -> tuple[str, AppContext | None, Any]:
    """Draw the sidebar and build this run's context (None if the backend cannot start).

    On the real service the sidebar keeps a place for the call budget, filled once the
    page is drawn (so it counts the calls this run made)."""
    lang = language_ui(secrets.language or "zh")
    found = page_credentials(secrets, pasted_credentials())
    creds = found.credentials
    slots: list[Any] = []
    choice = sidebar_ui(
        lang,
        secrets,
        default_backend=_default_backend(secrets, creds is not None),
        credentials_source=source_label(creds, lang) if creds else None,
        credentials_problem=found.problem.text(lang) if found.problem else None,
        endpoint_problem=lambda endpoint: _endpoint_problem(endpoint, creds, secrets, lang),
        live_place=lambda: slots.append(st.sidebar.empty()),
    )
    budget_slot = slots[0] if slots else None
    ctx: AppContext | None = None  # stays None when building it fails (guarded shows why)
    with guarded(t("app.backend_area", lang), lang):
        ctx = build_context(
            choice, found, sandbox_latency_ms=secrets.sandbox_latency_ms, secrets=secrets
        )
    return lang, ctx, (budget_slot if ctx is not None else None)


def _endpoint_problem(
    endpoint: str, creds: Credentials | None, secrets: AppSecrets, lang: str
) -> str | None:
    """Why the keys found may not be sent to `endpoint` (None when they may)."""
    refusal = endpoint_refusal(endpoint, creds, secrets)
    return refusal.text(lang) if refusal else None


def _tab_label(name: str, lang: str) -> str:
    """A tab's label in `lang`."""
    return t(f"app.tab_{name}", lang)


def _tabs(ctx: AppContext, secrets: AppSecrets) -> None:
    """The page's tabs. They keep the open tab across a language switch: `st.tabs` knows
    a tab by its label, so the page remembers it by name and opens it again."""
    lang = ctx.lang
    labels = {name: _tab_label(name, lang) for name in TABS}
    tabs = dict(
        zip(
            TABS,
            st.tabs(
                list(labels.values()),
                key=PAGE_TABS.key,
                default=labels[tab_to_open(lang, _tab_label)],
                on_change="rerun",
            ),
            strict=True,
        )
    )
    remember_open_tab(next((name for name, tab in tabs.items() if tab.open), TABS[0]))
    with tabs["check"], guarded(labels["check"], lang):
        check_tab(ctx, calls_cap=secrets.max_calls_per_session)
    with tabs["history"], guarded(labels["history"], lang):
        history_tab(lang)
    with tabs["evaluate"], guarded(labels["evaluate"], lang):
        _evaluate_tab(ctx)
    with tabs["about"], guarded(labels["about"], lang):
        about_tab(lang)


def main() -> None:
    """Draw the whole page for this run."""
    st.set_page_config(
        page_title="Anti-Deepfake Studio",
        page_icon="🛡️",
        layout="wide",
        initial_sidebar_state="auto",  # collapsed on phones, open on wider screens
    )
    init_state()
    finish_kept_check()  # a verdict sent alone by the Check tab's fragment: its pre-flight
    style_ui()
    secrets = read_secrets()
    lang, ctx, budget_slot = _settings(secrets)
    header_ui(lang)
    if ctx is None:
        return
    if ctx.backend == "sandbox":
        sandbox_banner_ui(lang)
    else:
        live_banner_ui(lang)
        if not passcode_gate_ui(secrets, lang):
            budget_ui(secrets, lang, budget_slot)
            return
    _tabs(ctx, secrets)
    if ctx.backend == "tencent":
        budget_ui(secrets, lang, budget_slot)


main()
# Garbage is collected after each full page run, never after a fragment run (config.toml
# turns Streamlit's own collection after every run off): with the page's libraries loaded
# a full collection takes 40-100 ms and holds the GIL, and after the Check tab's fragment
# run it kept the fresh verdict from being sent. A full redraw follows every new verdict.
gc.collect()
