"""Strings from a server or a file, made safe to place inside Markdown as plain text.

Streamlit renders `st.error`, `st.info`, `st.caption` and friends as Markdown: a service
message or a file name holding `[link](…)`, `![img](…)`, `<b>` or `$x$` would become a
link, a fetched image, markup or maths. `as_text` escapes every character Markdown (and
Streamlit's extensions) treat specially, so the text shows exactly as received.
"""

from __future__ import annotations

import re

__all__ = ["as_text"]

_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=^&\"'])")


def as_text(value: object) -> str:
    """`value` as Markdown that displays it literally (one line per line, nothing linked)."""
    return _SPECIAL.sub(r"\\\1", str(value))
