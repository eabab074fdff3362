"""The deployment's settings from `st.secrets` (`.streamlit/secrets.toml`), as one value.

Every setting is optional; with no secrets file the page runs on the sandbox.
Read by `app.py` once per run; the secret key never leaves this value except to build
`client.Credentials`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

__all__ = ["DEFAULT_MAX_CALLS", "AppSecrets", "parse_secrets", "read_secrets"]

DEFAULT_MAX_CALLS = 100


@dataclass(frozen=True)
class AppSecrets:
    """Deployment settings; `secret_key` and `passcode` are hidden from repr."""

    secret_id: str | None = None
    secret_key: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    passcode: str | None = field(default=None, repr=False)
    backend: str | None = None
    endpoint: str | None = None
    region: str | None = None
    language: str | None = None
    max_calls_per_session: int = DEFAULT_MAX_CALLS
    sandbox_latency_ms: float = 0.0


def _text(values: Mapping[str, Any], name: str) -> str | None:
    """A non-empty string setting, or None."""
    value = values.get(name)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _cap(values: Mapping[str, Any]) -> int:
    """The per-session call cap: a positive integer, else the default."""
    try:
        cap = int(values.get("max_calls_per_session", DEFAULT_MAX_CALLS))
    except (TypeError, ValueError):
        return DEFAULT_MAX_CALLS
    return cap if cap > 0 else DEFAULT_MAX_CALLS


def _latency(values: Mapping[str, Any]) -> float:
    """The sandbox's added answer time in ms (0 to 10000), else 0."""
    try:
        latency = float(values.get("sandbox_latency_ms", 0.0))
    except (TypeError, ValueError):
        return 0.0
    return latency if 0.0 <= latency <= 10_000.0 else 0.0


def parse_secrets(values: Mapping[str, Any]) -> AppSecrets:
    """Build `AppSecrets` from a plain mapping (the parsed secrets file)."""
    language = _text(values, "language")
    return AppSecrets(
        secret_id=_text(values, "TENCENTCLOUD_SECRET_ID"),
        secret_key=_text(values, "TENCENTCLOUD_SECRET_KEY"),
        token=_text(values, "TENCENTCLOUD_TOKEN"),
        passcode=_text(values, "passcode"),
        backend=_text(values, "backend"),
        endpoint=_text(values, "endpoint"),
        region=_text(values, "region"),
        language=language if language in ("zh", "en") else None,
        max_calls_per_session=_cap(values),
        sandbox_latency_ms=_latency(values),
    )


def read_secrets() -> AppSecrets:
    """The deployment's settings; all defaults when there is no secrets file."""
    try:
        values = st.secrets.to_dict()
    except Exception:  # noqa: BLE001 - no secrets file (or an unreadable one) means defaults
        values = {}
    return parse_secrets(values)
