"""The page on a phone (390x844) and on a desktop (1920x1080), in real Chromium: the
sidebar starts collapsed on the phone, a picked sample's verdict is scrolled into view,
and nothing is wider than the screen (way-in buttons, tables, images). Screenshots go to
artifacts/screenshots/ (phone-390x844-*.png, desktop-1920x1080-verdict.png)."""

from __future__ import annotations

from typing import Any

import pytest

from components.i18n import load_strings
from components.state import HISTORY_LIMIT
from tests.browser.conftest import SCREENSHOT_DIR

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ZH = load_strings("zh")
VERDICT = ".adf-verdict"
# Elements sticking out past the right edge of the window (or the page scrolling sideways).
OVERFLOW = """
() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width + 1) out.push("page scrolls sideways");
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  for (const el of main.querySelectorAll("button, table, canvas, [data-testid='stImage']")) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1) out.push(`${el.tagName} ${el.innerText || ""}`.trim().slice(0, 60));
  }
  return out;
}
"""
VERDICT_IN_VIEW = """
() => {
  const card = document.querySelector(".adf-verdict");
  if (!card) return false;
  const box = card.getBoundingClientRect();
  return box.top >= 0 && box.top < window.innerHeight - 40;
}
"""


def _open(open_page: Any, url: str, width: int, height: int) -> Any:
    page = open_page(deny_camera=True)
    page.set_viewport_size({"width": width, "height": height})
    page.goto(url)
    page.get_by_role("tab").first.wait_for(timeout=60_000)
    page.locator(".st-key-way_in [role=radio]").nth(3).wait_for()  # every way in drawn
    page.locator(".st-key-sample_real-photo button:visible").first.wait_for()
    page.locator("[data-testid=stImage] img").first.wait_for()
    return page


def _pick_first_sample(page: Any) -> None:
    page.locator(".st-key-sample_real-photo button:visible").first.click()
    page.locator(VERDICT).wait_for(timeout=60_000)


def test_phone_390x844(streamlit_app: str, open_page) -> None:
    page = _open(open_page, streamlit_app, 390, 844)
    sidebar = page.get_by_test_id("stSidebar")
    assert sidebar.get_attribute("data-collapsed") == "true"  # collapsed at load
    assert page.evaluate(OVERFLOW) == []  # the way-in buttons (录制视频 too) fit
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "phone-390x844-start.png"))
    _pick_first_sample(page)
    # The verdict sits below the gallery on a phone: the page brings it into view.
    page.wait_for_function(VERDICT_IN_VIEW, timeout=10_000)
    page.screenshot(path=str(SCREENSHOT_DIR / "phone-390x844-verdict.png"))
    page.get_by_text(ZH["preview.dimensions"]).first.wait_for()  # the preview follows
    assert page.evaluate(OVERFLOW) == []  # verdict, preview table and raw view fit too
    # The History tab's table fits the screen too.
    page.get_by_role("tab", name=ZH["app.tab_history"]).click()
    page.get_by_text(ZH["history.note"].format(count=1, limit=HISTORY_LIMIT)).wait_for()
    assert page.evaluate(OVERFLOW) == []
    page.screenshot(path=str(SCREENSHOT_DIR / "phone-390x844-history.png"))
    page.get_by_role("tab", name=ZH["app.tab_check"]).click()
    # Every way in fits on the screen, the clip recorder's included.
    page.get_by_text(ZH["check.way_clip"], exact=False).first.click()
    page.get_by_test_id("recorder-start").wait_for()
    assert page.evaluate(OVERFLOW) == []
    page.screenshot(path=str(SCREENSHOT_DIR / "phone-390x844-clip.png"), full_page=True)


def test_desktop_1920x1080(streamlit_app: str, open_page) -> None:
    page = _open(open_page, streamlit_app, 1920, 1080)
    assert page.get_by_test_id("stSidebar").get_attribute("data-collapsed") == "false"
    _pick_first_sample(page)
    assert page.evaluate(VERDICT_IN_VIEW)  # beside the gallery: no scrolling needed
    assert (
        page.evaluate(
            "() => window.scrollY + document.querySelector('[data-testid=stMain]').scrollTop"
        )
        == 0
    )
    assert page.evaluate(OVERFLOW) == []
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "desktop-1920x1080-verdict.png"))
