"""The deployment's settings from `st.secrets` (`.streamlit/secrets.toml`), as one value.

Every setting is optional; with no secrets file the page runs on the sandbox.
Read by `app.py` once per run; the secret key never leaves this value except to build
`client.Credentials`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st

__all__ = [
    "DEFAULT_DATA_DIR",
    "DEFAULT_MAX_CALLS",
    "DEFAULT_MAX_DEPLOYMENT_CALLS",
    "DEFAULT_TIMEOUT_S",
    "AppSecrets",
    "parse_secrets",
    "read_secrets",
]

DEFAULT_MAX_CALLS = 100
DEFAULT_MAX_DEPLOYMENT_CALLS = 1000
DEFAULT_BUDGET_WINDOW_H = 24.0
DEFAULT_TIMEOUT_S = 20.0
DEFAULT_SESSION_DISK_MB = 1024
DEFAULT_PASSCODE_TRIES = 5  # wrong passcodes a minute for one visitor
DEFAULT_PASSCODE_GLOBAL_TRIES = 30  # wrong passcodes a minute across every visitor
DATA_DIR_ENV = "ANTIDEEPFAKE_DATA_DIR"  # tests and packagers move the default data folder
DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"


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
    # Shared deployments (README "Deployment"): every loosening is a named setting.
    max_calls_per_deployment: int = DEFAULT_MAX_DEPLOYMENT_CALLS
    budget_window_hours: float = DEFAULT_BUDGET_WINDOW_H
    timeout_s: float = DEFAULT_TIMEOUT_S
    allowed_roots: tuple[str, ...] = ()
    allowed_endpoints: tuple[str, ...] = ()
    data_dir: Path = field(default_factory=lambda: _data_dir({}))
    session_disk_mb: int = DEFAULT_SESSION_DISK_MB
    passcode_tries_per_minute: int = DEFAULT_PASSCODE_TRIES
    passcode_global_tries_per_minute: int = DEFAULT_PASSCODE_GLOBAL_TRIES


def _text(values: Mapping[str, Any], name: str) -> str | None:
    """A non-empty string setting, or None."""
    value = values.get(name)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _cap(values: Mapping[str, Any], name: str = "max_calls_per_session", default: int = 0) -> int:
    """A positive integer setting (a cap), else its default."""
    default = default or DEFAULT_MAX_CALLS
    try:
        cap = int(values.get(name, default))
    except (TypeError, ValueError):
        return default
    return cap if cap > 0 else default


def _positive(values: Mapping[str, Any], name: str, default: float, most: float) -> float:
    """A positive number setting up to `most`, else its default."""
    try:
        number = float(values.get(name, default))
    except (TypeError, ValueError):
        return default
    return number if 0.0 < number <= most else default


def _texts(values: Mapping[str, Any], name: str) -> tuple[str, ...]:
    """A list-of-strings setting (a single string counts as a list of one)."""
    value = values.get(name)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        return ()
    return tuple(text for item in value if (text := str(item).strip()))


def _data_dir(values: Mapping[str, Any]) -> Path:
    """The app's own data folder (stores, counters, session folders)."""
    text = _text(values, "data_dir") or os.environ.get(DATA_DIR_ENV, "").strip()
    return Path(text).expanduser().resolve() if text else DEFAULT_DATA_DIR


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
        max_calls_per_deployment=_cap(
            values, "max_calls_per_deployment", DEFAULT_MAX_DEPLOYMENT_CALLS
        ),
        budget_window_hours=_positive(
            values, "budget_window_hours", DEFAULT_BUDGET_WINDOW_H, 24.0 * 366
        ),
        timeout_s=_positive(values, "timeout_s", DEFAULT_TIMEOUT_S, 600.0),
        allowed_roots=_texts(values, "allowed_roots"),
        allowed_endpoints=_texts(values, "allowed_endpoints"),
        data_dir=_data_dir(values),
        session_disk_mb=_cap(values, "session_disk_mb", DEFAULT_SESSION_DISK_MB),
        passcode_tries_per_minute=_cap(values, "passcode_tries_per_minute", DEFAULT_PASSCODE_TRIES),
        passcode_global_tries_per_minute=_cap(
            values, "passcode_global_tries_per_minute", DEFAULT_PASSCODE_GLOBAL_TRIES
        ),
    )


def read_secrets() -> AppSecrets:
    """The deployment's settings; all defaults when there is no secrets file."""
    try:
        values = st.secrets.to_dict()
    except Exception:  # noqa: BLE001 - no secrets file (or an unreadable one) means defaults
        values = {}
    return parse_secrets(values)
