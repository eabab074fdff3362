"""Who is asking, as far as a shared deployment can tell, and the deployment's ledger.

The visitor key is a digest of the client's address: it survives a reload or a new tab
(a new Streamlit session), unlike anything kept in session state. Behind a reverse proxy
every visitor shares the proxy's address; the per-deployment caps still hold.
"""

from __future__ import annotations

import hashlib
from typing import TypedDict

import streamlit as st

from components.app_secrets import AppSecrets
from components.ledger import Budget, Ledger

__all__ = ["budget", "ledger", "take_call", "visitor_key"]


def visitor_key() -> str:
    """A stable, non-reversible key for this browser's address ("local" when unknown)."""
    try:
        address = st.context.ip_address
    except Exception:  # noqa: BLE001 - no request context (tests, bare mode)
        address = None
    if not isinstance(address, str) or not address:
        address = "local"  # this computer (Streamlit gives no address for loopback)
    return hashlib.sha256(f"visitor\0{address}".encode()).hexdigest()[:24]


@st.cache_resource(show_spinner=False)
def _ledger(folder: str) -> Ledger:
    """One ledger per data folder and server process."""
    from pathlib import Path

    return Ledger(Path(folder))


def ledger(secrets: AppSecrets) -> Ledger:
    """The deployment's ledger in its data folder."""
    return _ledger(str(secrets.data_dir))


class _Caps(TypedDict):
    """The caps `Ledger.budget` and `Ledger.take_call` take."""

    visitor_cap: int
    deployment_cap: int
    window_s: float


def _caps(secrets: AppSecrets) -> _Caps:
    """The budget caps and window from the deployment's settings."""
    return {
        "visitor_cap": secrets.max_calls_per_session,
        "deployment_cap": secrets.max_calls_per_deployment,
        "window_s": secrets.budget_window_hours * 3600.0,
    }


def budget(secrets: AppSecrets) -> Budget:
    """Calls used and left for this visitor and the deployment."""
    return ledger(secrets).budget(visitor_key(), **_caps(secrets))


def take_call(secrets: AppSecrets) -> bool:
    """Count one real-service call if the budget allows it."""
    return ledger(secrets).take_call(visitor_key(), **_caps(secrets))
