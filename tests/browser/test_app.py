"""The page in a real browser: Debian's Chromium with a fake camera, against `streamlit run`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VERDICT = ".adf-verdict"


def _wait_ready(page: Page) -> None:
    """Wait for the page's tabs to be drawn (the app has run once)."""
    page.get_by_role("tab").first.wait_for(timeout=60_000)


def _switch_to_english(page: Page) -> None:
    """Click "English" in the sidebar's language switch."""
    page.get_by_role("radio", name="English").click()
    page.get_by_text("Anti-Deepfake Studio").first.wait_for()


def test_corrupt_upload_shows_a_message_and_the_page_keeps_working(
    streamlit_app: str, open_page, tmp_path: Path
) -> None:
    page = open_page()
    page.goto(streamlit_app)
    _wait_ready(page)
    _switch_to_english(page)
    page.get_by_role("radio", name=re.compile("Upload")).first.click()
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 20)
    uploader = page.locator(".st-key-upload")  # the Check tab's own uploader
    uploader.wait_for()
    uploader.locator("input[type=file]").set_input_files(str(broken))
    page.get_by_text("cannot be decoded").first.wait_for(timeout=30_000)
    assert page.locator(VERDICT).count() == 0
    assert page.get_by_text("Traceback").count() == 0
    # Still alive: the About tab opens.
    page.get_by_role("tab", name=re.compile("About")).click()
    page.get_by_text("What the service does").first.wait_for()


def test_language_switch_changes_the_whole_page(streamlit_app: str, open_page) -> None:
    page = open_page(deny_camera=True)
    page.goto(streamlit_app)
    _wait_ready(page)
    assert page.get_by_role("tab", name=re.compile("检测")).count() == 1
    _switch_to_english(page)
    page.get_by_role("tab", name=re.compile("Check")).wait_for()
    assert page.get_by_role("tab", name=re.compile("检测")).count() == 0
    page.get_by_role("radio", name="中文").click()
    page.get_by_role("tab", name=re.compile("检测")).wait_for()


def test_a_text_file_upload_is_explained_in_chinese_not_refused_in_english(
    streamlit_app: str, open_page, tmp_path: Path
) -> None:
    """Any file reaches the page: a text file gets the page's own message in the page's
    language, never Streamlit's English "files are not allowed" beside an older verdict."""
    page = open_page()
    page.goto(streamlit_app)
    _wait_ready(page)  # the page opens in Chinese
    page.get_by_role("radio", name=re.compile("上传")).first.click()
    notes = tmp_path / "notes.txt"
    notes.write_text("meeting notes\n" * 10, encoding="utf-8")
    uploader = page.locator(".st-key-upload")
    uploader.wait_for()
    uploader.locator("input[type=file]").set_input_files(str(notes))
    page.get_by_text("不是支持的照片或视频").first.wait_for(timeout=30_000)
    assert page.get_by_text(re.compile("not allowed", re.IGNORECASE)).count() == 0
    assert page.locator(VERDICT).count() == 0
