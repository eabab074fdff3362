"""User-facing strings in Chinese and English, from the locale files in `locales/`.

`locales/<lang>/<area>.toml` holds flat `key = "text"` pairs (tables nest with dots);
a string is addressed as `<area>.<key>`, e.g. `t("check.title", "en")`.
Every key must exist in both languages (a test checks it). With the environment variable
`ANTIDEEPFAKE_STRICT_STRINGS=1` (the tests set it) an unknown key raises `KeyError`
instead of showing the key, so a mistyped dynamic key fails a test rather than shipping.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

# The `X-TC-Language` value for a page language: the one rule in `core.text`.
from core.text import api_language

__all__ = ["LANGUAGES", "STRICT_ENV", "api_language", "load_strings", "t"]

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
LANGUAGES = ("zh", "en")
STRICT_ENV = "ANTIDEEPFAKE_STRICT_STRINGS"


def _flatten(prefix: str, table: dict[str, Any], out: dict[str, str]) -> None:
    for key, value in table.items():
        name = f"{prefix}.{key}"
        if isinstance(value, dict):
            _flatten(name, value, out)
        else:
            out[name] = str(value)


@cache
def load_strings(lang: str) -> dict[str, str]:
    """All strings of one language, keyed `<area>.<key>`."""
    out: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.toml")):
        with path.open("rb") as fh:
            _flatten(path.stem, tomllib.load(fh), out)
    return out


def t(key: str, lang: str, **values: Any) -> str:
    """The string `key` in `lang` ("zh" or "en"), formatted with `values`.

    A missing key falls back to English, then to the key itself, so a page never breaks
    over a string; in strict mode (`STRICT_ENV` set to 1) a key missing in `lang` raises
    `KeyError`."""
    text = load_strings(lang).get(key)
    if text is None and os.environ.get(STRICT_ENV) == "1":
        raise KeyError(f"no string {key!r} in locales/{lang}/")
    text = text or load_strings("en").get(key) or key
    return text.format(**values) if values else text
