"""Helpers shared by the tests and the benchmarks (not used by the app or the libraries).

`harness.browser`: Debian's Chromium flags, a fake-camera Y4M writer, a free port, a clean
environment for `streamlit run`, and a health wait; used by `tests/browser/conftest.py`
and `bench/page.py`.
"""

from __future__ import annotations

__all__: list[str] = []
