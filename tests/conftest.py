"""Settings for every test: page strings are strict (an unknown `t()` key raises)."""

from __future__ import annotations

import os
from types import SimpleNamespace
from typing import Any

import pytest

from components.i18n import STRICT_ENV

# Set at import, before any test runs, so the pages started by the tests (in-process
# AppTest, or `streamlit run` subprocesses that inherit the environment) are strict too.
os.environ[STRICT_ENV] = "1"


@pytest.fixture
def default_value_warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The widget keys Streamlit warns about for a default given beside a value written
    through Session State ("created with a default value but also had its value set").

    Streamlit makes that check only under a live server, once per process; here it is made
    under AppTest too, from the first such widget on."""
    from streamlit.elements.lib import policies

    warned: list[str] = []

    class Spy:
        def warning(self, message: str, *args: Any, **_: Any) -> None:
            warned.append(str(args[0]) if args else message)  # the widget's key

    monkeypatch.setattr(policies, "runtime", SimpleNamespace(exists=lambda: True))
    monkeypatch.setattr(policies, "_shown_default_value_warning", False)
    monkeypatch.setattr(policies, "_LOGGER", Spy())
    return warned
