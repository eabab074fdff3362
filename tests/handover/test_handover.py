"""The hand-over files: HTML report and PNG card of one verdict."""

from __future__ import annotations

import io
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from components.i18n import load_strings
from handover import Handover, card_font, file_stem, handover_html, handover_png, level_style
from handover.card import SANDBOX_FILL

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def _jpeg(colour: tuple[int, int, int] = (200, 120, 90)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 400), colour).save(out, format="JPEG")
    return out.getvalue()


def _handover(**changes: object) -> Handover:
    base = Handover(
        level="High",
        level_raw="High",
        traces=("SuspectedSynthesisImage",),
        request_id="7c1e2a9e-0000-4d7b-9f5e-1234567890ab",
        checked_at=1_760_000_000.0,
        backend="sandbox",
        lang="en",
        name="face.jpg",
        picture=_jpeg(),
        latency_ms=42.0,
    )
    return replace(base, **changes)


def test_every_service_and_file_string_is_escaped_in_the_html() -> None:
    page = handover_html(
        _handover(
            request_id=HOSTILE, traces=(HOSTILE,), name=HOSTILE, level_raw=HOSTILE, level="Weird"
        )
    )
    assert "<script" not in page and "onerror=alert" not in page.replace("onerror=alert(2)&gt;", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("&lt;img src=x") >= 4  # RequestId, trace, name and raw level, all as text


def test_the_html_is_self_contained() -> None:
    page = handover_html(_handover())
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert 'src="data:image/jpeg;base64,' in page


@pytest.mark.parametrize(("backend", "marked"), [("sandbox", True), ("tencent", False)])
def test_a_staged_verdict_carries_a_sandbox_watermark_and_a_real_one_none(
    backend: str, marked: bool
) -> None:
    page = handover_html(_handover(backend=backend))
    assert ('class="watermark"' in page) is marked
    assert ("SANDBOX" in page) is marked
    assert ('data-sandbox="1"' in page) is marked


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_is_in_the_page_language(lang: str) -> None:
    strings = load_strings(lang)
    page = handover_html(_handover(lang=lang, backend="tencent"))
    assert f'lang="{"zh-CN" if lang == "zh" else "en"}"' in page
    for key in (
        "handover.title",
        "verdict.level_high",
        "verdict.advice_high",
        "handover.request_id",
    ):
        assert strings[key] in page, key
    other = load_strings("en" if lang == "zh" else "zh")
    assert other["verdict.advice_high"] not in page


def test_the_level_is_shown_in_its_colour_with_its_traces_explained() -> None:
    page = handover_html(_handover(level="Low", level_raw="Low", traces=()))
    assert level_style("Low").ink in page and 'data-level="Low"' in page
    assert load_strings("en")["handover.no_traces"] in page
    page = handover_html(_handover(traces=("SuspectedSpoofingAttack", "SomethingNew")))
    assert "recapture" in page  # the known trace explained in plain words
    assert load_strings("en")["verdict.trace_unknown"] in page


def test_the_picture_can_be_left_out() -> None:
    page = handover_html(_handover(picture=None))
    assert "<img" not in page and load_strings("en")["handover.no_picture"] in page


def _card(handover: Handover, **kwargs: object) -> Image.Image:
    data = handover_png(handover, **kwargs)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return Image.open(io.BytesIO(data)).convert("RGB")


def _hex(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def test_the_card_band_has_the_level_colour_and_the_sandbox_strip_only_when_staged() -> None:
    for level in ("Low", "Mid", "High"):
        real = _card(_handover(level=level, backend="tencent"))
        assert real.width == 1200 and real.height >= 630
        assert real.getpixel((600, 8)) == _hex(level_style(level).background)
        colours = {colour for _, colour in real.getcolors(maxcolors=1 << 20)}
        assert SANDBOX_FILL not in colours
    staged = np.asarray(_card(_handover(backend="sandbox", picture=None)), dtype=int)
    strip = np.all(np.abs(staged - np.array(SANDBOX_FILL)) <= 8, axis=2).sum()
    assert strip > 20_000  # the SANDBOX note strip
    r, g, b = staged[..., 0], staged[..., 1], staged[..., 2]
    tinted = ((r > 230) & (g > 200) & (b < 230) & (r - b > 40)).sum()
    assert tinted > strip + 10_000  # plus the diagonal watermark over the white card


def test_the_card_puts_the_picture_as_sent_or_leaves_it_out() -> None:
    blue = (20, 60, 230)
    with_picture = _card(_handover(picture=_jpeg(blue), backend="tencent"))
    inside = with_picture.getpixel((48 + 100, 150 + 32 + 100))
    assert all(abs(a - b) < 12 for a, b in zip(inside, blue, strict=True))
    without = _card(_handover(picture=None, backend="tencent"))
    assert without.getpixel((48 + 100, 150 + 32 + 100)) == (255, 255, 255)


def test_the_card_draws_chinese_with_a_cjk_font_and_falls_back_without_one() -> None:
    if not card_font().cjk:
        pytest.skip("no CJK font installed (scripts/test.sh installs fonts-wqy-microhei)")
    zh = handover_png(_handover(lang="zh"))
    en = handover_png(_handover(lang="en"))
    assert zh != en
    fallback_zh = _card(_handover(lang="zh"), font_candidates=())
    fallback_en = _card(_handover(lang="en"), font_candidates=())
    assert np.array_equal(np.asarray(fallback_zh), np.asarray(fallback_en))  # English, not tofu


def test_download_names_are_safe() -> None:
    assert file_stem(_handover(request_id="../../etc/passwd")) == "anti-deepfake-high-etcpasswd"
    assert file_stem(_handover(request_id="")) == "anti-deepfake-high-check"


def test_the_library_does_not_import_streamlit() -> None:
    code = "import sys, handover; sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_both_files_list_the_same_facts_latency_included(monkeypatch) -> None:
    from handover import card

    handover = _handover(latency_ms=42.4)
    drawn: list[str] = []
    original = card._Column.text

    def spy(self, text: str, *args: object, **kwargs: object) -> None:
        drawn.append(text)
        original(self, text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(card._Column, "text", spy)
    handover_png(handover)
    report = handover_html(handover)
    en = load_strings("en")
    for key, value in (("handover.latency", "42 ms"), ("handover.request_id", handover.request_id)):
        assert f"{en[key]}{en['app.label_sep']}{value}" in drawn  # on the card
        assert f"<tr><td>{en[key]}</td><td>{value}</td></tr>" in report  # in the report
