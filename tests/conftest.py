"""Settings for every test: page strings are strict (an unknown `t()` key raises)."""

from __future__ import annotations

import os

from components.i18n import STRICT_ENV

# Set at import, before any test runs, so the pages started by the tests (in-process
# AppTest, or `streamlit run` subprocesses that inherit the environment) are strict too.
os.environ[STRICT_ENV] = "1"
