"""Several files, the hand-over report and History in a real browser (Debian's Chromium
against `streamlit run` on its sandbox)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import SCREENSHOT_DIR

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VERDICT = ".adf-verdict"
SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _open_in_english(page: Page, url: str) -> None:
    page.goto(url)
    page.get_by_role("tab").first.wait_for(timeout=60_000)
    page.get_by_role("radio", name="English").click()
    page.get_by_role("tab", name=re.compile("Check")).wait_for()


def _download(page: Page, selector: str, target: Path) -> Path:
    """Click a download button and save what the browser received."""
    with page.expect_download(timeout=60_000) as info:
        page.locator(f"{selector} button").first.click()
    info.value.save_as(str(target))
    return target


def test_several_files_with_one_corrupt_file(streamlit_app: str, open_page, tmp_path: Path):
    page = open_page(deny_camera=True)
    _open_in_english(page, streamlit_app)
    page.get_by_role("radio", name=re.compile("Several files")).click()
    broken = tmp_path / "broken.jpg"
    broken.write_bytes((SAMPLES / "real_photo.jpg").read_bytes()[:300])  # cut short
    files = [SAMPLES / "real_photo.jpg", broken, SAMPLES / "composite_photo.jpg"]
    uploader = page.locator(".st-key-batch_upload")
    uploader.wait_for()
    uploader.locator("input[type=file]").set_input_files([str(f) for f in files])
    start = page.get_by_role("button", name="Check 3 files")
    start.wait_for(timeout=30_000)
    start.click()
    page.locator(".st-key-batch_csv").wait_for(timeout=60_000)  # shown once the run is over
    table = _download(page, ".st-key-batch_csv", tmp_path / "table.csv").read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(table)))
    assert [row["name"] for row in rows] == ["real_photo.jpg", "broken.jpg", "composite_photo.jpg"]
    assert [row["level"] for row in rows] == ["Low", "", "High"]
    assert rows[1]["error_code"] == "corrupt_image" and not rows[1]["request_id"]
    assert page.get_by_text("Traceback").count() == 0
    # A row opens its full verdict.
    page.locator(".st-key-batch_open").click()
    page.get_by_role("option", name=re.compile("#3")).click()
    page.locator(VERDICT).first.wait_for(timeout=30_000)
    assert page.locator(VERDICT).first.get_attribute("data-level") == "High"


def test_the_report_downloads_opens_in_chromium_and_history_clears(
    streamlit_app: str, open_page, tmp_path: Path
):
    page = open_page(deny_camera=True)
    _open_in_english(page, streamlit_app)
    page.get_by_role("radio", name=re.compile("Samples")).click()
    page.get_by_role("button", name=re.compile("Face-swap composite")).first.click()
    page.locator(VERDICT).first.wait_for(timeout=60_000)
    report = _download(page, ".st-key-check_handover_html", tmp_path / "report.html")
    card = _download(page, ".st-key-check_handover_png", tmp_path / "card.png")
    assert card.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    # The report as a customer would open it: a file in the browser, no server behind it.
    viewer = page.context.new_page()
    viewer.goto(report.as_uri())
    viewer.get_by_text("High risk").first.wait_for()
    assert viewer.locator(".watermark").is_visible()  # a sandbox verdict says so
    assert viewer.locator("img").evaluate("img => img.naturalWidth") > 0  # the picture as sent
    assert viewer.get_by_text("SuspectedSynthesisImage").count() == 1
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    viewer.screenshot(path=str(SCREENSHOT_DIR / "handover_report.png"), full_page=True)
    viewer.goto(card.as_uri())
    viewer.screenshot(path=str(SCREENSHOT_DIR / "handover_card.png"))
    viewer.close()
    # History: the check is listed; the table's toolbar does not cover "Clear history".
    page.get_by_role("tab", name=re.compile("History")).click()
    panel = page.get_by_role("tabpanel", name=re.compile("History"))
    table = panel.locator(".stDataFrame").first
    table.wait_for()
    table.hover()
    clear = panel.locator(".st-key-clear_history button")
    toolbar = panel.locator('[data-testid="stElementToolbar"]').first
    toolbar.wait_for()
    a, b = toolbar.bounding_box(), clear.bounding_box()
    assert a and b
    overlap_x = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
    overlap_y = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
    assert overlap_x <= 0 or overlap_y <= 0, (a, b)
    clear.click()
    page.get_by_text("Forget these 1 checks").wait_for()
    page.locator(".st-key-clear_history_confirm button").click()
    page.get_by_text("No checks yet").first.wait_for()
    page.get_by_role("tab", name=re.compile("Check")).click()
    assert page.locator(VERDICT).count() == 0  # the Check tab was cleared too


def _variants(folder: Path, count: int) -> list[Path]:
    """`count` different pictures of the same face (a small coloured patch each)."""
    from PIL import Image

    base = Image.open(SAMPLES / "real_photo.jpg").convert("RGB")
    paths = []
    for index in range(count):
        image = base.copy()
        image.paste((index * 12 % 256, 90, 200), (0, 0, 20, 20))
        path = folder / f"face-{index:02d}.jpg"
        image.save(path, format="JPEG", quality=90)
        paths.append(path)
    return paths


def test_cancel_keeps_the_results_so_far_and_continue_checks_the_rest(
    streamlit_app: str, open_page, tmp_path: Path
):
    page = open_page(deny_camera=True)
    _open_in_english(page, streamlit_app)
    page.get_by_role("radio", name=re.compile("Several files")).click()
    uploader = page.locator(".st-key-batch_upload")
    uploader.wait_for()
    uploader.locator("input[type=file]").set_input_files([str(p) for p in _variants(tmp_path, 20)])
    page.get_by_role("button", name="Check 20 files").click()
    # Paced at 5/s, the 20 calls take 4 s at least: cancel as soon as some are done.
    page.get_by_text(re.compile(r"Checked \d+ of 20")).wait_for(timeout=60_000)
    page.locator(".st-key-batch_cancel button").click()
    page.get_by_text(re.compile("Cancelled: .* files were not checked")).wait_for(timeout=60_000)
    rows = list(
        csv.DictReader(
            io.StringIO(_download(page, ".st-key-batch_csv", tmp_path / "a.csv").read_text())
        )
    )
    done = [row for row in rows if row["level"]]
    assert len(rows) == 20 and 1 <= len(done) < 20
    page.get_by_role("button", name=re.compile("Continue: check the")).click()
    page.get_by_text("Cancelled").wait_for(state="detached", timeout=60_000)
    page.locator(".st-key-batch_start").wait_for(state="detached", timeout=60_000)
    rows = list(
        csv.DictReader(
            io.StringIO(_download(page, ".st-key-batch_csv", tmp_path / "b.csv").read_text())
        )
    )
    assert [row["level"] for row in rows] == ["Low"] * 20


def test_the_report_is_in_the_page_language(streamlit_app: str, open_page, tmp_path: Path):
    page = open_page(deny_camera=True)
    page.goto(streamlit_app)
    page.get_by_role("tab").first.wait_for(timeout=60_000)  # the page opens in Chinese
    page.get_by_role("radio", name=re.compile("示例")).first.click()
    page.get_by_role("button", name=re.compile("屏幕翻拍")).first.click()
    page.locator(VERDICT).first.wait_for(timeout=60_000)
    report = _download(page, ".st-key-check_handover_html", tmp_path / "report.html")
    viewer = page.context.new_page()
    viewer.goto(report.as_uri())
    viewer.get_by_text("换脸甄别检测结果").first.wait_for()
    assert viewer.locator("html").get_attribute("lang") == "zh-CN"
    assert viewer.get_by_text("高风险").count() >= 1
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    viewer.screenshot(path=str(SCREENSHOT_DIR / "handover_report_zh.png"), full_page=True)
    viewer.close()
