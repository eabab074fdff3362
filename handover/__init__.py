"""Hand-over files of a verdict: a one-page HTML report and a PNG card, in the page
language, with a SANDBOX watermark for staged verdicts. A library: no Streamlit."""

from __future__ import annotations

from handover.card import CJK_FONT_CANDIDATES, CardFont, card_font, handover_png
from handover.facts import Handover, TraceLine, file_stem, format_time, trace_lines
from handover.html import handover_html
from handover.levels import LEVEL_STYLES, LevelStyle, level_style

__all__ = [
    "CJK_FONT_CANDIDATES",
    "LEVEL_STYLES",
    "CardFont",
    "Handover",
    "LevelStyle",
    "TraceLine",
    "card_font",
    "file_stem",
    "format_time",
    "handover_html",
    "handover_png",
    "level_style",
    "trace_lines",
]
