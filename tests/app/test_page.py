"""The page through `streamlit.testing.v1.AppTest`, against its sandbox (real HTTP)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from components.i18n import LOCALES_DIR, load_strings
from samples.catalog import load_catalog

LEVEL_COLOURS = {"Low": "green", "Mid": "amber", "High": "red"}
PROJECT = Path(__file__).resolve().parents[2]


def test_page_renders_in_both_languages(new_app) -> None:
    at = new_app()
    assert not at.exception
    assert at.title[0].value.endswith(load_strings("zh")["app.title"])
    assert [tab.label for tab in at.tabs][:4] == [
        load_strings("zh")[f"app.tab_{name}"] for name in ("check", "history", "evaluate", "about")
    ]
    at.sidebar.segmented_control(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value.endswith("Anti-Deepfake Studio")
    assert at.tabs[0].label == load_strings("en")["app.tab_check"]
    # Nothing Chinese is left on the English page but the language switch's own label.
    page_text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert not re.search(r"[\u4e00-\u9fff]", page_text)


def test_every_locale_file_has_the_same_keys_in_both_languages() -> None:
    for zh_file in sorted((LOCALES_DIR / "zh").glob("*.toml")):
        en_file = LOCALES_DIR / "en" / zh_file.name
        assert en_file.is_file(), f"{zh_file.name} has no English twin"
        zh_keys = set(tomllib.loads(zh_file.read_text(encoding="utf-8")))
        en_keys = set(tomllib.loads(en_file.read_text(encoding="utf-8")))
        assert zh_keys == en_keys, f"{zh_file.name}: {sorted(zh_keys ^ en_keys)}"
    assert {p.name for p in (LOCALES_DIR / "en").glob("*.toml")} == {
        p.name for p in (LOCALES_DIR / "zh").glob("*.toml")
    }


def test_every_string_the_page_asks_for_exists() -> None:
    """Literal `t("area.key", ...)` calls in app.py and components/ name existing keys."""
    strings = load_strings("en")
    sources = [PROJECT / "app.py", *sorted((PROJECT / "components").glob("*.py"))]
    sources = [path for path in sources if path.name != "i18n.py"]  # its docstring is an example
    missing = []
    for path in sources:
        for key in re.findall(r"\bt\(\s*['\"]([a-z_]+\.[a-z_]+)['\"]", path.read_text()):
            if key not in strings:
                missing.append(f"{path.name}: {key}")
    for dynamic in (
        "app.tab_",
        "check.way_",
        "verdict.level_",
        "verdict.advice_",
        "sidebar.backend_",
    ):
        assert any(key.startswith(dynamic) for key in strings), dynamic
    assert not missing


def test_the_sandbox_badge_is_above_every_tab(new_app) -> None:
    at = new_app()
    banners = [m for m in at.main.markdown if 'data-sandbox="1"' in m.value]
    assert len(banners) == 1
    # The badge is drawn before the tabs, so it shows whichever tab is open.
    main_children = list(at.main.children.values())
    banner_index = next(
        i for i, c in enumerate(main_children) if 'data-sandbox="1"' in str(getattr(c, "value", ""))
    )
    tabs_index = next(i for i, c in enumerate(main_children) if c.type == "tab_container")
    assert banner_index < tabs_index


def test_webcam_snapshot_is_checked_at_once(new_app, read, face_jpeg: bytes) -> None:
    at = new_app()
    read.take_snapshot(at, face_jpeg)
    assert not at.exception
    assert read.verdicts(at) == [("Low", "green")]
    assert any("RequestId" in m.value for m in at.markdown)
    # The preview shows the sent picture's facts.
    assert any("640 × 480" in m.value for m in at.markdown)
    # The Raw view: the request as sent (page language in X-TC-Language), the response as is.
    raw = [c.value for c in at.code if c.language == "json"]
    assert '"x-tc-language": "zh-CN"' in raw[0] and '"FaceInput": "<base64' in raw[0]
    assert '"AttackRiskLevel": "Low"' in raw[1]


def test_upload_gives_the_scenarios_verdict(new_app, read) -> None:
    at = new_app()
    read.choose_way_in(at, "upload")
    composite = (PROJECT / "samples" / "composite_photo.jpg").read_bytes()
    at.file_uploader(key="upload").upload("mine.jpg", composite, "image/jpeg").run()
    assert not at.exception
    assert read.verdicts(at) == [("High", "red")]
    chips = [m.value for m in at.markdown if "adf-chip" in m.value]
    assert chips and "SuspectedSynthesisImage" in chips[0]


def _catalog() -> list:
    """The demo kit's samples (empty when the kit is not built)."""
    return list(load_catalog())


@pytest.mark.slow
@pytest.mark.parametrize("sample", _catalog(), ids=lambda s: s.id)
def test_each_sample_gives_its_expected_outcome(new_app, read, sample) -> None:
    at = new_app()
    read.choose_way_in(at, "sample")
    at.button(key=f"sample_{sample.id}").click().run()
    assert not at.exception
    if sample.expected in LEVEL_COLOURS:
        assert read.verdicts(at) == [(sample.expected, LEVEL_COLOURS[sample.expected])]
    else:
        assert read.error_codes_shown(at) == [sample.expected]


def test_a_bad_upload_shows_a_message_and_the_page_keeps_working(
    new_app, read, face_jpeg: bytes
) -> None:
    at = new_app()
    at.sidebar.segmented_control(key="lang").set_value("en").run()
    read.choose_way_in(at, "upload")
    at.file_uploader(key="upload").upload("broken.jpg", b"\xff\xd8\xff\xe0 truncated", "image/jpeg")
    at.run()
    assert not at.exception
    assert read.verdicts(at) == []
    assert any("cannot be decoded" in card for card in read.error_cards(at))
    # A text file under a picture's name: the page names what it is, in Chinese too.
    at.sidebar.segmented_control(key="lang").set_value("zh").run()
    at.file_uploader(key="upload").upload("notes.png", b"hello, just some text\n" * 5, "image/png")
    at.run()
    assert not at.exception
    assert any("不是支持的照片或视频" in card for card in read.error_cards(at))
    # And the next good file gets its verdict.
    at.file_uploader(key="upload").upload("face.jpg", face_jpeg, "image/jpeg").run()
    assert read.verdicts(at) == [("Low", "green")]


def test_about_explains_levels_traces_privacy_and_sandbox(new_app) -> None:
    at = new_app()
    at.sidebar.segmented_control(key="lang").set_value("en").run()
    about_tab = next(tab for tab in at.tabs if tab.label == load_strings("en")["app.tab_about"])
    about = " ".join(m.value for m in about_tab.markdown)
    for phrase in (
        "Low risk",
        "High risk",
        "SuspectedSpoofingAttack",
        "in memory only",
        "not from Tencent",
    ):
        assert phrase in about, phrase
