"""Widgets keep their state across a language switch: their keys do not depend on labels,
and a choice whose options are relabelled stays chosen (AppTest)."""

from __future__ import annotations

from components.i18n import load_strings


def _switch(at, lang: str):
    return at.segmented_control(key="lang").set_value(lang).run()


def test_backend_and_other_choices_survive_a_language_switch(
    new_app, default_value_warnings: list[str]
) -> None:
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
    assert default_value_warnings == []  # no widget has a default beside its kept value


def test_the_sandbox_stays_the_backend_after_a_switch(new_app) -> None:
    at = new_app()
    assert at.radio(key="backend").value == "sandbox"
    _switch(at, "en")
    assert at.radio(key="backend").value == "sandbox"
    assert any("SANDBOX" in m.value for m in at.markdown)


def _open_tab(at, name: str, lang: str):
    """Open a tab as the browser does (the stateful tabs' value is the open tab's label)."""
    at.session_state["tabs"] = load_strings(lang)[f"app.tab_{name}"]
    return at.run()


def test_the_open_tab_stays_open_across_a_language_switch(new_app) -> None:
    at = new_app()
    zh, en = load_strings("zh"), load_strings("en")
    assert at.session_state["tabs"] == zh["app.tab_check"]  # the page opens on Check
    _open_tab(at, "evaluate", "zh")
    calls = at.session_state["calls"]
    _switch(at, "en")
    assert not at.exception
    assert at.session_state["tabs"] == en["app.tab_evaluate"]
    _open_tab(at, "history", "en")
    _switch(at, "zh")
    assert at.session_state["tabs"] == zh["app.tab_history"]
    _open_tab(at, "about", "zh")
    _switch(at, "en")
    assert at.session_state["tabs"] == en["app.tab_about"]
    # A tab opened and the language switched before the page reran in between (the
    # browser then reports the tab by its label in the previous language).
    at.session_state["tabs"] = en["app.tab_history"]
    _switch(at, "zh")
    assert at.session_state["tabs"] == zh["app.tab_history"]
    # Switching tabs reruns the page; nothing is sent for it.
    assert at.session_state["calls"] == calls


def test_switching_tabs_and_language_sends_nothing_on_the_real_service(new_app, face_jpeg) -> None:
    """The stateful tabs rerun the page on every switch: on Tencent Cloud (here a local
    fake endpoint) that must never send a call nobody asked for."""
    from tests.fake_endpoint import RecordingServer

    with RecordingServer() as fake:
        at = new_app(
            {
                "backend": "tencent",
                "language": "en",
                "TENCENTCLOUD_SECRET_ID": "AKIDTabsTest0000EXAMPLE",
                "TENCENTCLOUD_SECRET_KEY": "TabsTestKey-NeverSendUnasked",
                "allowed_endpoints": [fake.url],
            }
        )
        at.sidebar.radio(key="endpoint_choice").set_value("custom").run()
        at.sidebar.text_input(key="custom_endpoint").input(fake.url).run()
        at.segmented_control(key="way_in").set_value("upload").run()
        at.file_uploader(key="upload").upload("face.jpg", face_jpeg, "image/jpeg").run()

        def wander() -> None:
            for lang in ("en", "zh", "en"):
                for name in ("evaluate", "history", "about", "check"):
                    _open_tab(at, name, lang)
                    assert not at.exception
                _switch(at, "zh" if lang == "en" else "en")

        wander()
        assert fake.requests == []  # an upload waits for a click on Check
        at.button(key="check_send").click().run()
        assert len(fake.requests) == 1
        wander()
        assert len(fake.requests) == 1  # the verdict is kept, nothing is sent again
