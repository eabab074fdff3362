"""The webcam snapshot in a real browser: Debian's Chromium with a fake camera (the
astronaut y4m). The camera is asked for only when the user presses the button, is
released after the photo and when the user leaves the snapshot way in, and a photo gets
its verdict in both languages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from components.i18n import load_strings
from components.state import HISTORY_LIMIT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EN, ZH = load_strings("en"), load_strings("zh")
VERDICT = ".adf-verdict"

# Counts every getUserMedia call and keeps the streams, before any page script runs.
COUNT_CAMERA_REQUESTS = """
(() => {
  window.__cameraRequests = 0;
  window.__streams = [];
  const media = navigator.mediaDevices;
  if (!media || !media.getUserMedia) return;
  const original = media.getUserMedia.bind(media);
  media.getUserMedia = async (constraints) => {
    window.__cameraRequests += 1;
    const stream = await original(constraints);
    window.__streams.push(stream);
    return stream;
  };
})();
"""
LIVE_TRACKS = (
    "() => window.__streams.flatMap(s => s.getTracks()).filter(t => t.readyState === 'live').length"
)


def _open(open_page: Any, url: str) -> Any:
    """A fresh page with camera requests counted, loaded and drawn once."""
    page = open_page()
    page.add_init_script(COUNT_CAMERA_REQUESTS)
    page.goto(url)
    page.get_by_role("tab").first.wait_for(timeout=60_000)
    return page


def _choose(page: Any, label: str) -> None:
    """Pick a way in on the Check tab by its label."""
    page.get_by_text(label, exact=False).first.click()


def _snap(page: Any) -> None:
    """Turn on the camera, wait for frames, take a photo."""
    page.get_by_test_id("snap-start").click()
    take = page.get_by_test_id("snap-take")
    expect(take).to_be_enabled(timeout=30_000)  # enabled once the camera shows frames
    take.click()


def test_no_camera_until_the_user_asks_and_it_goes_off_on_leaving(
    streamlit_app: str, open_page
) -> None:
    page = _open(open_page, streamlit_app)
    # The page opens on the sample gallery: no camera element, no camera request.
    page.locator("[class*='st-key-sample_']").first.wait_for()
    assert page.evaluate("window.__cameraRequests") == 0
    _choose(page, ZH["check.way_camera"])
    start = page.get_by_test_id("snap-start")
    start.wait_for()
    assert start.inner_text() == ZH["snapshot.start"]
    assert page.evaluate("window.__cameraRequests") == 0  # shown, but not opened
    start.click()
    page.get_by_test_id("snap-take").wait_for(state="visible")
    assert page.evaluate("window.__cameraRequests") == 1
    page.wait_for_function(f"() => ({LIVE_TRACKS})() === 1")
    _choose(page, ZH["check.way_upload"])
    page.locator(".st-key-upload").wait_for()
    page.wait_for_function(f"() => ({LIVE_TRACKS})() === 0")  # the camera light is off


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_snapshot_to_verdict_in_the_page_language(streamlit_app: str, open_page, lang: str) -> None:
    strings = ZH if lang == "zh" else EN
    page = _open(open_page, streamlit_app)
    if lang == "en":
        page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
        page.get_by_role("tab", name=EN["app.tab_check"]).wait_for()
    _choose(page, strings["check.way_camera"])
    _snap(page)
    verdict = page.locator(VERDICT)
    verdict.wait_for(timeout=60_000)
    assert verdict.get_attribute("data-level") in {"Low", "Mid", "High"}
    # Taken in the browser at the recommended size, as a JPEG, and the camera is off again.
    page.get_by_text("640 × 480").first.wait_for()
    status = page.get_by_test_id("snap-status").inner_text()
    assert status.startswith(strings["snapshot.taken"].split("{")[0])
    assert page.evaluate(LIVE_TRACKS) == 0
    assert page.get_by_test_id("snap-retake").inner_text() == strings["snapshot.retake"]
    if lang == "zh":  # no English widget text on the Chinese page
        assert page.get_by_text("Take photo").count() == 0
    # The Check tab reran alone to show the verdict; then the whole page caught up: the
    # preview shows the face pre-flight made after the verdict, History lists the check.
    page.get_by_text(strings["preview.faces_drawn"]).wait_for()
    size = re.search(r"\d+ KB", status)  # the photo's size, said as the preview says it
    assert size and page.get_by_text(size.group(0), exact=False).count() >= 2, status
    page.get_by_role("tab", name=strings["app.tab_history"]).click()
    page.get_by_text(strings["history.note"].format(count=1, limit=HISTORY_LIMIT)).wait_for()
    page.get_by_role("tab", name=strings["app.tab_check"]).click()
    # "Check again" sends it once more; its verdict is followed by the whole page again.
    first_id = page.get_by_test_id("stCode").first.inner_text()
    page.get_by_role("button", name=strings["check.again"]).click()
    page.wait_for_function(
        "id => { const c = document.querySelector('[data-testid=\"stCode\"]');"
        " return c !== null && c.innerText.trim() !== '' && c.innerText !== id; }",
        arg=first_id,
        timeout=60_000,
    )
    page.get_by_text(strings["history.note"].format(count=2, limit=HISTORY_LIMIT)).wait_for(
        state="attached", timeout=30_000
    )
    page.get_by_text(strings["preview.faces_drawn"]).wait_for()
    # Clear: the photo and its verdict go.
    page.get_by_test_id("snap-clear").click()
    page.wait_for_function(f"() => document.querySelector('{VERDICT}') === null")
