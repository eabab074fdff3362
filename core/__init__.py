"""Small, dependency-free pieces every package shares (standard library only).

    core.text      Message(code, en, zh) with .text(lang): the one bilingual message type;
                   lang_of / api_language: the one language rule; format_bytes
    core.service   the service's names (SERVICE, ACTION, VERSION), risk levels and input
                   limits, and the sandbox's own face-size floor

`client`, `media`, `sandbox`, `evaluation` and the page import from here, so a fact or a
rule is written once.
"""

from __future__ import annotations

from core.text import Lang, Message, MessageError, api_language, format_bytes, lang_of

__all__ = ["Lang", "Message", "MessageError", "api_language", "format_bytes", "lang_of"]
