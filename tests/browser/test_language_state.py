"""A language switch relabels every widget but keeps what the user chose (real browser:
the browser holds widget values as their labels, so relabelled options must not lose
their selection)."""

from __future__ import annotations

import json
import urllib.request
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

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


def _sandbox_url(page, strings: dict[str, str]) -> str:
    """The page's sandbox (it runs inside the app), read from the Raw expander's request."""
    expander = page.get_by_test_id("stExpander").filter(has_text=strings["raw.title"])
    expander.get_by_text(strings["raw.title"], exact=True).click()
    code = expander.get_by_test_id("stCode").first
    code.wait_for()
    url = urlsplit(json.loads(code.inner_text())["url"])
    return f"{url.scheme}://{url.netloc}"


def _calls(sandbox_url: str) -> int:
    """Calls the sandbox has answered, over real HTTP."""
    with urllib.request.urlopen(f"{sandbox_url}/__sandbox/stats", timeout=10) as response:
        return int(json.loads(response.read())["calls"])


def _switch_to(page, strings: dict[str, str], name: str) -> None:
    """Switch the page language in the sidebar; return once the tabs are relabelled and the
    run the switch started has ended (anything it would send has been sent by then)."""
    page.get_by_test_id("stSidebar").get_by_text(name, exact=True).click()
    page.get_by_role("tab", name=strings["app.tab_check"]).wait_for()
    page.get_by_test_id("stApp").and_(
        page.locator("[data-test-script-state='notRunning']")
    ).wait_for(timeout=60_000)


def _selected(page, label: str) -> bool:
    return page.get_by_role("tab", name=label).get_attribute("aria-selected") == "true"


def test_open_tab_photo_and_clip_survive_a_language_switch(streamlit_app: str, open_page) -> None:
    page = open_page()
    page.goto(streamlit_app)
    page.get_by_role("tab").first.wait_for(timeout=60_000)
    # The Evaluate tab stays open through two switches.
    page.get_by_role("tab", name=ZH["app.tab_evaluate"]).click()
    for strings, name in ((EN, "English"), (ZH, "中文")):
        _switch_to(page, strings, name)
        expect(page.get_by_role("tab", name=strings["app.tab_evaluate"])).to_have_attribute(
            "aria-selected", "true"
        )
        assert not _selected(page, strings["app.tab_check"])

    # A photo taken stays on screen, with its verdict, and is not sent again.
    page.get_by_role("tab", name=ZH["app.tab_check"]).click()
    page.get_by_text(ZH["check.way_camera"], exact=False).first.click()
    page.get_by_test_id("snap-start").click()
    expect(page.get_by_test_id("snap-take")).to_be_enabled(timeout=30_000)
    page.get_by_test_id("snap-take").click()
    page.locator(".adf-verdict").first.wait_for(timeout=90_000)
    sandbox = _sandbox_url(page, ZH)
    calls = _calls(sandbox)
    _switch_to(page, EN, "English")
    expect(page.get_by_role("tab", name=EN["app.tab_check"])).to_have_attribute(
        "aria-selected", "true"
    )
    expect(page.get_by_test_id("snap-root")).to_have_attribute("data-state", "taken")
    assert page.get_by_test_id("snap-still").get_attribute("src", timeout=5_000)
    page.locator(".adf-verdict").first.wait_for()

    # A clip under review, then a clip used, stay through a switch; only "Use" sends.
    page.get_by_text(EN["check.way_clip"], exact=False).first.click()
    page.get_by_test_id("recorder-start").click()
    page.get_by_test_id("recorder-record").wait_for(state="visible")
    page.get_by_test_id("recorder-length-2").click()
    page.get_by_test_id("recorder-record").click()
    page.get_by_test_id("recorder-use").wait_for(state="visible", timeout=60_000)
    _switch_to(page, ZH, "中文")
    expect(page.get_by_test_id("recorder-root")).to_have_attribute("data-state", "review")
    assert page.get_by_test_id("recorder-use").inner_text() == ZH["clip.use"]
    assert _calls(sandbox) == calls  # the photo was not sent again
    page.get_by_test_id("recorder-use").click()
    page.locator(".adf-verdict").first.wait_for(timeout=90_000)
    expect(page.get_by_test_id("recorder-root")).to_have_attribute("data-state", "sent")
    used = _calls(sandbox)
    assert used == calls + 1
    _switch_to(page, EN, "English")
    expect(page.get_by_test_id("recorder-root")).to_have_attribute("data-state", "sent")
    assert page.get_by_test_id("recorder-review").get_attribute("src")
    page.locator(".adf-verdict").first.wait_for()
    assert _calls(sandbox) == used
