"""The page's session behaviour: Tencent mode, keys, errors, no resend, cap, gate, history.

"Tencent Cloud" here is a sandbox this test starts (real HTTP, real signatures) reached
through the page's custom-endpoint setting, so the page takes its real-service path.
"""

from __future__ import annotations

from html import escape

import pytest

from client import guidance
from client.guidance import known_codes
from components.i18n import load_strings
from sandbox import Faults

SECRET_ID = "AKIDPageTest0000EXAMPLE"
SECRET_KEY = "PageTestKey-7f3e91c2d4-NeverShowMe"


def tencent_secrets(box, **extra: object) -> dict[str, object]:
    """App secrets pointing the page's Tencent Cloud mode at `box`."""
    return {
        "backend": "tencent",
        "endpoint": box.url,
        "TENCENTCLOUD_SECRET_ID": SECRET_ID,
        "TENCENTCLOUD_SECRET_KEY": SECRET_KEY,
        "language": "en",
        **extra,
    }


def _upload(at, data: bytes, name: str = "face.jpg", *, send: bool = True) -> None:
    """Upload `data` through the Check tab and rerun; on the real service, press Check."""
    at.segmented_control(key="way_in").set_value("upload").run()
    at.file_uploader(key="upload").upload(name, data, "image/jpeg").run()
    if send:
        _press_check(at)


def _press_check(at) -> None:
    """Press the real service's explicit Check (or Send anyway) button."""
    at.button(key="check_send").click().run()


def _calls(box) -> int:
    """How many API calls the sandbox received."""
    return int(box.stats()["calls"])


def test_tencent_mode_uses_the_secrets_keys_and_endpoint(new_app, read, own_sandbox, face_jpeg):
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY)
    at = new_app(tencent_secrets(box))
    assert not at.exception
    assert not [m for m in at.main.markdown if 'data-sandbox="1"' in m.value]  # no sandbox badge
    assert any("this deployment's secrets" in s.value for s in at.sidebar.success)
    _upload(at, face_jpeg)
    assert read.verdicts(at) == [("Low", "green")]
    assert _calls(box) == 1
    request = next(c.value for c in at.code if c.language == "json")
    assert '"x-tc-language": "en-US"' in request and box.url in request


def test_the_secret_key_never_appears_in_any_element(new_app, read, own_sandbox, face_jpeg):
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY)
    at = new_app(tencent_secrets(box))
    _upload(at, face_jpeg)
    at.expander[0]  # the Raw expander is drawn (collapsed content still in the tree)
    page = read.all_protos_text(at)
    assert "Signature=<redacted>" in page  # the raw request is there, redacted
    assert SECRET_KEY not in page
    # Pasted keys: the form clears itself; the key shows nowhere afterwards.
    at.sidebar.text_input(key="paste_id").set_value(SECRET_ID)
    at.sidebar.text_input(key="paste_key").set_value(SECRET_KEY)
    at.sidebar.button[0].click().run()  # the form's submit button
    assert not at.exception
    assert any("pasted in this browser session" in s.value for s in at.sidebar.success)
    assert SECRET_KEY not in read.all_protos_text(at)


def test_pasted_keys_work_without_any_configured(new_app, read, own_sandbox, face_jpeg):
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY)
    at = new_app({"backend": "tencent", "endpoint": box.url, "language": "en"})
    assert any("No Tencent Cloud keys yet" in w.value for w in at.sidebar.warning)
    _upload(at, face_jpeg)
    # No keys: explained in plain words where the verdict would be, nothing sent.
    assert read.error_codes_shown(at) == []
    assert any("Use other keys" in w.value for w in at.main.warning)
    assert at.session_state["history"][0].problem.code == "App.NoKeys"
    at.sidebar.select_slider(key="max_side").set_value(640).run()  # reruns do not pile up
    assert _calls(box) == 0 and len(at.session_state["history"]) == 1
    at.sidebar.text_input(key="paste_id").set_value(SECRET_ID)
    at.sidebar.text_input(key="paste_key").set_value(SECRET_KEY)
    at.sidebar.button[0].click().run()  # the waiting input waits for a click, as any other
    assert _calls(box) == 0
    _press_check(at)
    assert read.verdicts(at) == [("Low", "green")]
    assert _calls(box) == 1
    assert any("pasted in this browser session" in s.value for s in at.sidebar.success)
    assert len(at.session_state["history"]) == 1  # the verdict took the refused try's place


def test_same_content_is_not_sent_twice_but_check_again_sends_it(
    new_app, read, own_sandbox, face_jpeg
):
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY)
    at = new_app(tencent_secrets(box))
    _upload(at, face_jpeg)
    at.file_uploader(key="upload").upload("same-again.jpg", face_jpeg, "image/jpeg").run()
    assert not [b for b in at.button if b.key == "check_send"]  # nothing new to send
    at.sidebar.segmented_control(key="lang").set_value("zh").run()  # a rerun for other reasons
    assert _calls(box) == 1
    assert read.verdicts(at) == [("Low", "green")]
    at.button(key="check_again").click().run()
    assert _calls(box) == 2
    # A different setting is a different check, sent only when asked.
    at.sidebar.select_slider(key="max_side").set_value(480).run()
    assert _calls(box) == 2
    _press_check(at)
    assert _calls(box) == 3


RETRY_LABEL = load_strings("en")["check.retry"]
AGAIN_LABEL = load_strings("en")["check.again"]


@pytest.mark.parametrize(
    "code",
    [
        "FailedOperation.CoveredFace",
        "FailedOperation.DetectEngineSystemError",
        "AuthFailure.SignatureExpire",
        "UnauthorizedOperation.Arrears",
        "RequestLimitExceeded",
        "InvalidParameterValue",
    ],
)
def test_service_errors_show_their_guidance_end_to_end(new_app, read, own_sandbox, face_jpeg, code):
    box = own_sandbox(
        secret_id=SECRET_ID,
        secret_key=SECRET_KEY,
        faults=Faults(error_rate=1.0, error_codes=(code,)),
    )
    at = new_app(tencent_secrets(box))
    _upload(at, face_jpeg)
    assert not at.exception
    assert read.error_codes_shown(at) == [code]
    entry = guidance(code, "en")
    card = next(m.value for m in at.markdown if "adf-error" in m.value)
    assert escape(entry.title) in card and escape(entry.action) in card
    assert at.button(key="check_again").label == (RETRY_LABEL if entry.retryable else AGAIN_LABEL)
    assert any(c.value and c.value != "—" for c in at.code)  # the RequestId to quote


def test_transport_failures_are_explained(new_app, read, own_sandbox, face_jpeg):
    box = own_sandbox(
        secret_id=SECRET_ID, secret_key=SECRET_KEY, faults=Faults(bad_gateway_rate=1.0)
    )
    at = new_app(tencent_secrets(box))
    _upload(at, face_jpeg)
    assert read.error_codes_shown(at) == ["Client.InvalidResponse"]
    box.stop()  # nothing listens there any more
    at.button(key="check_again").click().run()
    assert read.error_codes_shown(at) == ["Client.ConnectionFailed"]
    assert at.button(key="check_again").label == RETRY_LABEL
    assert not at.exception


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_error_code_has_a_guidance_card(lang: str) -> None:
    """Every code the client's table knows renders its own card, with retry where it helps."""
    from streamlit.testing.v1 import AppTest

    def page() -> None:
        import streamlit as st

        from client.guidance import known_codes
        from components.check_run import Problem
        from components.errors import problem_ui

        for code in known_codes():
            problem = Problem("api", code, "service text", request_id="req-1")
            retry = problem_ui(problem, st.session_state["lang"], calls_cap=10)
            st.text(f"{code} retry={retry}")

    at = AppTest.from_function(page)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception
    cards = [m.value for m in at.markdown if "adf-error" in m.value]
    retries = [t.value for t in at.text]
    assert len(cards) == len(known_codes()) == len(retries)
    for code, card, retry in zip(known_codes(), cards, retries, strict=True):
        entry = guidance(code, lang)
        assert f'data-code="{code}"' in card
        for text in (entry.title, entry.meaning, entry.action):
            assert escape(text) in card, (code, text)
        assert retry == f"{code} retry={entry.retryable}"


def test_the_call_cap_stops_further_calls(new_app, read, own_sandbox, face_jpeg):
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY)
    at = new_app(tencent_secrets(box, max_calls_per_session=1))
    _upload(at, face_jpeg)
    assert read.verdicts(at) == [("Low", "green")]
    at.button(key="check_again").click().run()
    assert _calls(box) == 1
    assert any("may send 1 checks" in e.value for e in at.error)


def test_the_passcode_gates_the_real_service(new_app, read, own_sandbox, face_jpeg):
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY)
    at = new_app(tencent_secrets(box, passcode="open-sesame"))
    assert not at.tabs and len(at.file_uploader) == 0  # nothing to check with yet
    at.text_input(key="passcode_input").set_value("wrong")
    at.button[0].click().run()
    assert any("not right" in e.value for e in at.error) and not at.tabs
    at.text_input(key="passcode_input").set_value("open-sesame")
    at.button[0].click().run()
    assert at.tabs
    _upload(at, face_jpeg)
    assert read.verdicts(at) == [("Low", "green")]
    assert "open-sesame" not in read.all_protos_text(at)


def test_the_passcode_does_not_block_the_sandbox(new_app) -> None:
    at = new_app({"passcode": "open-sesame"})
    assert at.tabs and not at.exception


def test_history_lists_checks_newest_first_and_clears(new_app, read, face_jpeg):
    at = new_app({"language": "en"})
    read.take_snapshot(at, face_jpeg)
    at.segmented_control(key="way_in").set_value("sample").run()
    at.button(key="sample_face-swap-photo").click().run()
    history = next(tab for tab in at.tabs if tab.label == load_strings("en")["app.tab_history"])
    table = history.dataframe[0].value
    assert list(table["result"].str.contains("High")) == [True, False]
    assert list(table["input"]) == ["Samples", "Snapshot"]
    assert table["request_id"].str.len().min() > 10
    assert table["thumbnail"].str.startswith("data:image/jpeg;base64,").all()
    at.button(key="clear_history").click().run()  # asks first
    at.button(key="clear_history_confirm").click().run()
    history = next(tab for tab in at.tabs if tab.label == load_strings("en")["app.tab_history"])
    assert not history.dataframe
    assert any("No checks yet" in i.value for i in history.info)
