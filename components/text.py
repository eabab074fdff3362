"""Strings from a server or a file, made safe to place inside Markdown as plain text.

Streamlit renders `st.error`, `st.info`, `st.caption` and friends as Markdown: a service
message or a file name holding `[link](…)`, `![img](…)`, `<b>` or `$x$` would become a
link, a fetched image, markup or maths. `as_text` escapes every character Markdown (and
Streamlit's extensions) treat specially, and puts an invisible word joiner (U+2060) into
`://`, `www.` and `@`, which the page would otherwise turn into links even when escaped,
so the text shows as received and nothing in it is clickable or fetched.
"""

from __future__ import annotations

import re

__all__ = ["as_text"]

_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=^&\"'])")
_AUTOLINKS = re.compile(r"(?i)(:)(//)|(www)(\.)|(@)")
WORD_JOINER = "\u2060"


def _unlink(match: re.Match[str]) -> str:
    """A word joiner inside what the page would autolink."""
    groups = [g for g in match.groups() if g is not None]
    return WORD_JOINER.join(groups) if len(groups) == 2 else groups[0] + WORD_JOINER


def as_text(value: object) -> str:
    """`value` as Markdown that displays it literally (nothing linked, styled or fetched)."""
    return _SPECIAL.sub(r"\\\1", _AUTOLINKS.sub(_unlink, str(value)))
