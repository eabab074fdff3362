"""The one bilingual message type, the one language rule, the one byte formatter.

What it offers:

    Message(code, en, zh)        a stable code and its text in English and Chinese
    Message.text(lang)           the text in "zh" or "en" (tags like "en-US" work too)
    Message.format(**values)     placeholders filled in both languages
    MessageError(Message)        an exception whose reason is a Message
    lang_of(tag)                 "en" for a tag starting with "en", else "zh"
    api_language(tag)            the same choice as an `X-TC-Language` value
    format_bytes(count)          "512 B", "840 KB", "1.2 MB" (1024-based, as the API's limits)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "API_LANGUAGES",
    "Lang",
    "Message",
    "MessageError",
    "api_language",
    "format_bytes",
    "lang_of",
]

Lang = Literal["zh", "en"]
# The service's `X-TC-Language` value for each page language.
API_LANGUAGES: dict[Lang, str] = {"zh": "zh-CN", "en": "en-US"}


def lang_of(tag: str | None) -> Lang:
    """ "en" for a language tag starting with "en" ("en", "en-US"), else "zh" (the default)."""
    return "en" if tag and tag.strip().lower().startswith("en") else "zh"


def api_language(tag: str | None) -> str:
    """The `X-TC-Language` value ("zh-CN" or "en-US") for a page language or language tag."""
    return API_LANGUAGES[lang_of(tag)]


@dataclass(frozen=True)
class Message:
    """A stable code with its text in English and Chinese."""

    code: str
    en: str
    zh: str

    def text(self, lang: str | None = "en") -> str:
        """The text in `lang` ("zh"/"en", or a tag such as "zh-CN"; see `lang_of`)."""
        return self.en if lang_of(lang) == "en" else self.zh

    def format(self, **values: object) -> Message:
        """A copy with `{name}` placeholders filled; a `Message` value is filled in each
        language's own text."""
        en = {k: v.en if isinstance(v, Message) else v for k, v in values.items()}
        zh = {k: v.zh if isinstance(v, Message) else v for k, v in values.items()}
        return Message(self.code, self.en.format(**en), self.zh.format(**zh))

    def __str__(self) -> str:
        return self.en


class MessageError(Exception):
    """An exception whose reason is a `Message`: `str()` is the English text, `.text(lang)`
    either language, `.code`/`.en`/`.zh` the message's parts."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.en)
        self.reason = message

    @property
    def code(self) -> str:
        """The stable code of the reason."""
        return self.reason.code

    @property
    def en(self) -> str:
        """The reason in English."""
        return self.reason.en

    @property
    def zh(self) -> str:
        """The reason in Chinese."""
        return self.reason.zh

    def text(self, lang: str | None = "en") -> str:
        """The reason in `lang` ("zh"/"en" or a tag such as "zh-CN")."""
        return self.reason.text(lang)

    def __str__(self) -> str:
        return self.reason.en


_KIB = 1024
_MIB = 1024 * 1024


def format_bytes(count: int) -> str:
    """`count` bytes for people: "512 B", "840 KB", "1.2 MB" (1024-based, as the API's
    10 MB limit is)."""
    if count < _KIB:
        return f"{count} B"
    if count < _MIB:
        return f"{max(1, round(count / _KIB))} KB"
    return f"{count / _MIB:.1f} MB"
