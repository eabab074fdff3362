"""What the page shows while it talks to the real service: the banner and the call budget."""

from __future__ import annotations

import html
from typing import Any

import streamlit as st

from components.app_secrets import AppSecrets
from components.i18n import t
from components.visitor import budget

__all__ = ["budget_ui", "live_banner_ui"]

LIVE_CSS = (
    "background:#FDECEA;border:1px solid #D92D20;color:#7A271A;border-radius:10px;"
    "padding:.55rem .9rem;margin-bottom:.6rem;font-size:.95rem"
)


def live_banner_ui(lang: str) -> None:
    """The banner shown on every tab while checks go to Tencent Cloud (real, billed)."""
    st.markdown(
        f'<div class="adf-banner-live" role="note" data-live="1" style="{LIVE_CSS}">💳 '
        f"<b>{html.escape(t('app.live_badge', lang))}</b> — "
        f"{html.escape(t('app.live_banner', lang))}</div>",
        unsafe_allow_html=True,
    )


def budget_ui(secrets: AppSecrets, lang: str, slot: Any = None) -> None:
    """Calls used and left (this visitor and the whole page), in the sidebar (or `slot`)."""
    now = budget(secrets)
    (slot or st.sidebar).caption(
        t(
            "sidebar.budget",
            lang,
            used=now.visitor_used,
            left=now.left,
            hours=f"{secrets.budget_window_hours:g}",
            deployment_used=now.deployment_used,
            deployment_cap=now.deployment_cap,
        )
    )
