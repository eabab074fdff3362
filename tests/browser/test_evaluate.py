"""The Evaluate tab in a real browser: a run on an uploaded set keeps going through a
language switch and ends in Results."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
import skimage.data
from PIL import Image
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _labelled_zip(path: Path, per_class: int = 4) -> Path:
    """A zip with bona_fide/ and attack/print/ pictures, each a different crop."""
    source = Image.fromarray(skimage.data.astronaut())
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(2 * per_class):
            folder = "bona_fide" if i < per_class else "attack/print"
            crop = source.crop((4 * i, 2 * i, 400 + 4 * i, 400 + 2 * i))
            out = io.BytesIO()
            crop.save(out, "JPEG", quality=90)
            archive.writestr(f"{folder}/img{i:02d}.jpg", out.getvalue())
    return path


def _tab(page: object, name: str) -> object:
    return page.get_by_role("tab", name=re.compile(name))  # type: ignore[attr-defined]


def _start_a_run(page, streamlit_app: str, tmp_path: Path) -> None:
    """Open the Evaluate tab (Chinese page), upload a labelled zip and press Start."""
    page.goto(streamlit_app)
    _tab(page, "检测").wait_for(timeout=60_000)
    _tab(page, "评测").click()
    uploader = page.locator(".st-key-eval_zip")
    uploader.wait_for()
    uploader.locator("input[type=file]").set_input_files(str(_labelled_zip(tmp_path / "s.zip")))
    start = page.locator(".st-key-eval_start button")
    start.wait_for(timeout=60_000)
    start.click()


def test_a_run_goes_on_through_a_language_switch_and_results_show_it(
    streamlit_app: str, open_page, tmp_path: Path
) -> None:
    page = open_page(deny_camera=True)
    _start_a_run(page, streamlit_app, tmp_path)
    page.locator(".st-key-eval_cancel").wait_for(timeout=60_000)  # the run is going
    page.get_by_role("radio", name="English").click()
    evaluate = _tab(page, "Evaluate")
    expect(evaluate).to_have_attribute("aria-selected", "true", timeout=60_000)  # still open
    page.get_by_text(re.compile(r"Finished: 8 items")).wait_for(timeout=120_000)
    picker = page.locator(".st-key-eval_pick_run[data-stale='false']").first
    picker.wait_for()
    shown = picker.evaluate(  # the selected option: as text, or as the input's value
        "el => el.innerText + ' ' + [...el.querySelectorAll('input')].map(i => i.value).join(' ')"
    )
    assert "#1 · " in shown, shown
    assert page.get_by_text("Traceback").count() == 0
    assert page.get_by_text("IndexError").count() == 0


# Each chart's drawing and every legend in it: a legend outside its chart's box is cut off.
CHART_BOXES = """
() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')].map(chart => {
  const drawing = chart.querySelector('svg, canvas');
  const box = r => { const b = r.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  return {
    chart: drawing ? box(drawing) : null,
    legends: [...chart.querySelectorAll('.role-legend, .role-legend-label text')].map(box),
  };
})
"""


def _legends_fit(page: object) -> list[str]:
    """What sticks out: a chart wider than the window, or a legend outside its chart."""
    width = page.evaluate("document.documentElement.clientWidth")  # type: ignore[attr-defined]
    charts = page.evaluate(CHART_BOXES)  # type: ignore[attr-defined]
    assert len(charts) >= 2, charts  # the confusion matrix and APCER by attack type
    out = []
    for i, found in enumerate(charts):
        chart = found["chart"]
        assert chart is not None, f"chart {i} not drawn"
        if chart[0] < -1 or chart[2] > width + 1:
            out.append(f"chart {i} {chart} wider than the window ({width})")
        for box in found["legends"]:
            inside = box[0] >= chart[0] - 1 and box[2] <= chart[2] + 1 and box[3] <= chart[3] + 1
            if not inside:
                out.append(f"chart {i}: legend {box} outside {chart}")
    return out


def test_chart_legends_fit_a_phone(streamlit_app: str, open_page, tmp_path: Path) -> None:
    page = open_page(deny_camera=True)
    page.set_viewport_size({"width": 390, "height": 844})
    _start_a_run(page, streamlit_app, tmp_path)
    page.get_by_text(re.compile(r"完成：8 个样本")).wait_for(timeout=120_000)
    legend = page.locator("[data-testid=stVegaLiteChart] .role-legend-label text")
    legend.filter(has_text="拦截 Mid 与 High").wait_for(timeout=60_000)  # both charts drawn
    assert _legends_fit(page) == []
    page.get_by_test_id("stExpandSidebarButton").click()  # collapsed on a phone
    page.get_by_test_id("stSidebar").get_by_role("radio", name="English").click()  # longer labels
    page.get_by_test_id("stSidebarCollapseButton").click()
    _tab(page, "Evaluate").click()
    legend.filter(has_text="Block on High (service advice)").wait_for(timeout=60_000)
    assert _legends_fit(page) == []
