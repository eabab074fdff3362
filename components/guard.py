"""Draw a part of the page so that a failure shows one clear line, never a traceback."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from components.i18n import t

__all__ = ["guarded"]

LOGGER = logging.getLogger("app")


@contextmanager
def guarded(area: str, lang: str) -> Iterator[None]:
    """Run a block; on an unexpected error log it (server side) and show a short message.

    Streamlit's own stop/rerun signals are BaseExceptions and pass through untouched."""
    try:
        yield
    except Exception:  # noqa: BLE001 - the page must keep working; the log has the detail
        LOGGER.exception("unexpected error while drawing %s", area)
        st.error(t("app.area_failed", lang, area=area), icon=":material/error:")
