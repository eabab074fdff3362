"""The page's look: a small style sheet, the header, and the sandbox banner."""

from __future__ import annotations

import html

import streamlit as st

from components.i18n import t

__all__ = ["CSS", "header_ui", "sandbox_banner_ui", "style_ui"]

CSS = """
<style>
.adf-verdict{border-left:10px solid;border-radius:12px;padding:1.1rem 1.3rem;margin:.2rem 0 1rem}
.adf-verdict-head{display:flex;align-items:center;gap:.6rem;font-size:2rem;font-weight:700}
.adf-verdict-icon{font-size:2.2rem}
.adf-verdict-advice{font-size:1.1rem;margin-top:.4rem}
.adf-verdict-sub{color:#4B5563;margin-top:.35rem;font-size:.92rem}
.adf-tag{font-size:.75rem;font-weight:600;color:#6B4E00;background:#FFE7A3;border-radius:999px;padding:.15rem .6rem;margin-left:auto}
.adf-chips{display:flex;flex-direction:column;gap:.45rem;margin:.2rem 0 .5rem}
.adf-trace{display:flex;flex-wrap:wrap;align-items:baseline;gap:.5rem}
.adf-chip{background:#EEF3FF;color:#0034A3;border:1px solid #C9D8FF;border-radius:999px;padding:.2rem .75rem;font-size:.85rem;font-family:monospace;white-space:nowrap}
.adf-chip-unknown{background:#F1F3F5;color:#374151;border-color:#D1D5DB}
.adf-error{border-left:10px solid #3730A3;background:#EEF0FF;border-radius:12px;padding:1rem 1.2rem;margin-bottom:.8rem}
.adf-error-head{font-size:1.3rem;font-weight:700;color:#3730A3;margin-bottom:.3rem}
.adf-error-action{margin-top:.4rem}
.adf-error-said{margin-top:.4rem;font-size:.88rem;color:#4B5563}
.adf-error-code{margin-top:.4rem;font-size:.85rem}
.adf-banner{background:#FFF4CC;border:1px solid #F5C84C;color:#5C4300;border-radius:10px;padding:.55rem .9rem;margin-bottom:.6rem;font-size:.95rem}
/* Phones (Streamlit stacks columns at 640 px): every way in visible, tables within the
   screen, nothing scrolling sideways. */
@media (max-width:640px){
.st-key-way_in [role="radiogroup"]{flex-wrap:wrap;row-gap:.35rem;overflow:visible}
[data-testid="stMarkdownContainer"] table{width:100%;table-layout:fixed}
[data-testid="stMarkdownContainer"] th,[data-testid="stMarkdownContainer"] td{overflow-wrap:anywhere;word-break:break-word}
.adf-verdict{padding:.9rem 1rem}
.adf-verdict-head{font-size:1.5rem}
}
</style>
"""


def style_ui() -> None:
    """Add the style sheet (once per run)."""
    st.html(CSS)


def header_ui(lang: str) -> None:
    """The page title and a one-line description."""
    st.title(f"🛡️ {t('app.title', lang)}", anchor=False)
    st.caption(t("app.subtitle", lang))


def sandbox_banner_ui(lang: str) -> None:
    """The badge shown on every page while checks go to the sandbox."""
    st.markdown(
        f'<div class="adf-banner" role="note" data-sandbox="1">🧪 <b>{html.escape(t("app.sandbox_badge", lang))}</b> '
        f"— {html.escape(t('app.sandbox_banner', lang))}</div>",
        unsafe_allow_html=True,
    )
