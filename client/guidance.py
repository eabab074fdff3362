"""User guidance: what an error code means and what to do, in Chinese or English.

    guidance("AuthFailure.SignatureExpire", "en").action
    -> "Set this computer's clock to the correct time (turn on automatic time sync), then retry."

Every code in CONTRACT.md has its own entry; other codes get the entry of their family
(`AuthFailure.*`, `FailedOperation.*`, ...) or a generic one. `trace_explanation` and
`level_explanation` explain attack trace types and risk levels in plain language.
The texts live in `client.guidance_data`.
"""

from __future__ import annotations

from dataclasses import dataclass

from client.guidance_data import CODE_TEXTS, GENERIC_TEXT, LEVEL_TEXTS, PREFIX_TEXTS, TRACE_TEXTS
from core.text import Message, lang_of  # lang_of re-exported for old callers: remove

__all__ = [
    "LANGUAGES",
    "Guidance",
    "guidance",
    "known_codes",
    "lang_of",
    "level_explanation",
    "trace_explanation",
]

LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class Guidance:
    """What a code means for a user: a short title, the meaning, the next step, whether
    trying again later can succeed, the code itself, and whether the entry is the code's
    own (`exact`) or its family's / the generic one."""

    title: str
    meaning: str
    action: str
    retryable: bool
    code: str = ""
    exact: bool = True


def known_codes() -> tuple[str, ...]:
    """Every code with its own entry."""
    return tuple(CODE_TEXTS)


def guidance(code: str, lang: str = "zh") -> Guidance:
    """Guidance for an error code in "zh" or "en" (also accepts "zh-CN"/"en-US").

    Unknown codes get their family's entry by prefix, else a generic one (`exact=False`)."""
    entry = CODE_TEXTS.get(code)
    exact = entry is not None
    if entry is None:
        family = code.split(".", 1)[0]
        entry = PREFIX_TEXTS.get(family, GENERIC_TEXT)
    retryable, en, zh = entry
    title, meaning, action = en if lang_of(lang) == "en" else zh
    return Guidance(title, meaning, action, retryable, code, exact)


def trace_explanation(trace_type: str, lang: str = "zh") -> str | None:
    """Plain-language meaning of an attack trace type, or None for a type we do not know."""
    texts = TRACE_TEXTS.get(trace_type)
    if texts is None:
        return None
    return Message(trace_type, *texts).text(lang)


def level_explanation(level: str, lang: str = "zh") -> str:
    """Plain-language meaning of a risk level ("Low", "Mid", "High"; anything else is unknown)."""
    return Message(level, *LEVEL_TEXTS.get(level, LEVEL_TEXTS["Unknown"])).text(lang)
