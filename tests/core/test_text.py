"""The one bilingual message type, language rule and byte formatter (`core.text`)."""

from __future__ import annotations

import pytest

from client import ConfigError
from core.text import Message, MessageError, api_language, format_bytes, lang_of
from evaluation import EvaluationError
from media import MediaError, MediaWarning


@pytest.mark.parametrize(
    ("tag", "lang", "api"),
    [
        ("en", "en", "en-US"),
        ("en-US", "en", "en-US"),
        (" EN-gb ", "en", "en-US"),
        ("zh", "zh", "zh-CN"),
        ("zh-CN", "zh", "zh-CN"),
        ("fr", "zh", "zh-CN"),
        ("", "zh", "zh-CN"),
        (None, "zh", "zh-CN"),
    ],
)
def test_one_language_rule_for_page_and_api(tag, lang, api):
    assert lang_of(tag) == lang
    assert api_language(tag) == api


def test_message_text_and_format():
    hello = Message("greet", "Hello {name}", "你好 {name}")
    assert hello.text("en") == "Hello {name}" and hello.text("zh-CN") == "你好 {name}"
    filled = hello.format(name=Message("who", "world", "世界"))
    assert (filled.code, filled.en, filled.zh) == ("greet", "Hello world", "你好 世界")
    assert str(filled) == "Hello world"


@pytest.mark.parametrize(
    "error",
    [
        MediaError("empty", "The file is empty.", "文件为空。"),
        EvaluationError("empty", "The file is empty.", "文件为空。"),
    ],
)
def test_library_errors_keep_their_constructor_and_carry_a_message(error):
    assert isinstance(error, MessageError)
    assert error.reason == Message("empty", "The file is empty.", "文件为空。")
    assert (str(error), error.text("zh"), error.code) == (
        "The file is empty.",
        "文件为空。",
        "empty",
    )


def test_warnings_and_config_errors_are_messages_too():
    warning = MediaWarning("no_face", "No face.", "没有人脸。")
    assert isinstance(warning, Message) and warning.text("zh") == "没有人脸。"
    assert ConfigError("bad", zh="坏").reason == Message("Client.ConfigError", "bad", "坏")


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, "0 B"), (1023, "1023 B"), (1024, "1 KB"), (860_160, "840 KB"), (1_258_291, "1.2 MB")],
)
def test_one_byte_formatter_1024_based(count, shown):
    assert format_bytes(count) == shown
