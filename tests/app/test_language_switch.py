"""Widgets keep their state across a language switch: their keys do not depend on labels,
and a choice whose options are relabelled stays chosen (AppTest)."""

from __future__ import annotations

from components.i18n import load_strings


def _switch(at, lang: str):
    return at.segmented_control(key="lang").set_value(lang).run()


def test_backend_and_other_choices_survive_a_language_switch(new_app) -> None:
    at = new_app()
    at.radio(key="backend").set_value("tencent").run()
    at.radio(key="endpoint_choice").set_value("international").run()
    at.select_slider(key="max_side").set_value(480).run()
    at.segmented_control(key="way_in").set_value("upload").run()
    for lang in ("en", "zh", "en"):
        _switch(at, lang)
        assert not at.exception
        assert at.radio(key="backend").value == "tencent"
        assert at.radio(key="endpoint_choice").value == "international"
        assert at.select_slider(key="max_side").value == 480
        assert at.segmented_control(key="way_in").value == "upload"
        assert at.tabs[0].label == load_strings(lang)["app.tab_check"]


def test_the_sandbox_stays_the_backend_after_a_switch(new_app) -> None:
    at = new_app()
    assert at.radio(key="backend").value == "sandbox"
    _switch(at, "en")
    assert at.radio(key="backend").value == "sandbox"
    assert any("SANDBOX" in m.value for m in at.markdown)
