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


def test_a_run_goes_on_through_a_language_switch_and_results_show_it(
    streamlit_app: str, open_page, tmp_path: Path
) -> None:
    page = open_page(deny_camera=True)
    page.goto(streamlit_app)
    _tab(page, "检测").wait_for(timeout=60_000)
    _tab(page, "评测").click()
    uploader = page.locator(".st-key-eval_zip")
    uploader.wait_for()
    uploader.locator("input[type=file]").set_input_files(str(_labelled_zip(tmp_path / "s.zip")))
    start = page.locator(".st-key-eval_start button")
    start.wait_for(timeout=60_000)
    start.click()
    page.locator(".st-key-eval_cancel").wait_for(timeout=60_000)  # the run is going
    page.get_by_role("radio", name="English").click()
    # Streamlit 1.67 shows the first tab after the labels change (see docs/evaluation.md)
    _tab(page, "Evaluate").click()
    page.get_by_text(re.compile(r"Finished: 8 items")).wait_for(timeout=120_000)
    picker = page.locator(".st-key-eval_pick_run[data-stale='false']").first
    picker.wait_for()
    shown = picker.evaluate(  # the selected option: as text, or as the input's value
        "el => el.innerText + ' ' + [...el.querySelectorAll('input')].map(i => i.value).join(' ')"
    )
    assert "#1 · " in shown, shown
    assert page.get_by_text("Traceback").count() == 0
    assert page.get_by_text("IndexError").count() == 0
