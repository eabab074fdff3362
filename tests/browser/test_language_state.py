"""A language switch relabels every widget but keeps what the user chose (real browser:
the browser holds widget values as their labels, so relabelled options must not lose
their selection)."""

from __future__ import annotations

import pytest

from components.i18n import load_strings

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EN, ZH = load_strings("en"), load_strings("zh")


def _checked(page, label: str) -> bool:
    """Whether the sidebar radio option labelled `label` is selected."""
    return page.get_by_test_id("stSidebar").get_by_role("radio", name=label).is_checked()


def test_backend_choice_and_way_in_survive_language_switches(streamlit_app: str, open_page) -> None:
    page = open_page(deny_camera=True)
    page.goto(streamlit_app)
    page.get_by_role("tab").first.wait_for(timeout=60_000)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text(ZH["sidebar.backend_tencent"], exact=True).click()
    sidebar.get_by_text(ZH["sidebar.endpoint_international"], exact=True).wait_for()
    sidebar.get_by_text(ZH["sidebar.endpoint_international"], exact=True).click()
    page.get_by_text(ZH["check.way_upload"], exact=False).first.click()
    page.locator(".st-key-upload").wait_for()
    for strings, name in ((EN, "English"), (ZH, "中文"), (EN, "English")):
        sidebar.get_by_text(name, exact=True).click()
        page.get_by_role("tab", name=strings["app.tab_check"]).wait_for()
        sidebar.get_by_text(strings["sidebar.backend_tencent"], exact=True).wait_for()
        page.wait_for_timeout(0)
        assert _checked(page, strings["sidebar.backend_tencent"])
        assert not _checked(page, strings["sidebar.backend_sandbox"])
        assert _checked(page, strings["sidebar.endpoint_international"])
        assert page.locator(".st-key-upload").count() == 1  # still on the upload way in
