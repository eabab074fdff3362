"""A shared deployment through AppTest: passcode limits, the call budget, where keys may
go, explicit sending on the real service, settings changes, pre-flight confirmation.

Nothing here reaches the internet: the "real service" is a local sandbox or a recording
server, and HTTPS_PROXY/HTTP_PROXY point at a recording server wherever a call to
Tencent's hosts could leak.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from components.i18n import load_strings
from tests.fake_endpoint import RecordingServer

SECRET_ID = "AKIDDeployTest0000EXAMPLE"
SECRET_KEY = "DeployTestKey-0c1d2e3f-NeverSend"
EN = load_strings("en")
PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture
def proxy_recorder(monkeypatch: pytest.MonkeyPatch):
    """A recording proxy every HTTP(S) call of the page would go through."""
    with RecordingServer() as proxy:
        for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
            monkeypatch.setenv(name, proxy.url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        yield proxy


def _secrets(endpoint: str, **extra: object) -> dict[str, object]:
    """Secrets for the page's real-service mode with the deployment's own keys."""
    return {
        "backend": "tencent",
        "endpoint": endpoint,
        "TENCENTCLOUD_SECRET_ID": SECRET_ID,
        "TENCENTCLOUD_SECRET_KEY": SECRET_KEY,
        "language": "en",
        **extra,
    }


def _upload(at, data: bytes, name: str = "face.jpg") -> None:
    """Upload through the Check tab (no click on Check)."""
    at.segmented_control(key="way_in").set_value("upload").run()
    at.file_uploader(key="upload").upload(name, data, "image/jpeg").run()


def _press_check(at) -> None:
    at.button(key="check_send").click().run()


def _has_button(at, key: str) -> bool:
    return any(b.key == key for b in at.button)


def _grey_jpeg() -> bytes:
    """A 640x480 picture with no face in it."""
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (120, 130, 140)).save(out, format="JPEG")
    return out.getvalue()


# --- passcode ---------------------------------------------------------------------------


def _try_passcode(at, text: str) -> None:
    at.text_input(key="passcode_input").set_value(text)
    at.button[0].click().run()


def test_six_wrong_passcodes_lock_out_even_the_right_one_and_a_reload(new_app, own_sandbox):
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY)
    at = new_app(_secrets(box.url, passcode="open-sesame"))
    for attempt in range(4):
        _try_passcode(at, f"guess-{attempt}")
        assert any(EN["gate.refused"] in e.value for e in at.error), attempt
    _try_passcode(at, "guess-4")  # the fifth wrong one in a minute: told to wait
    assert any("Too many wrong passcodes" in e.value for e in at.error)
    _try_passcode(at, "guess-5")  # the sixth: not even compared
    assert any("Too many wrong passcodes" in e.value for e in at.error)
    _try_passcode(at, "open-sesame")  # not even compared while locked out
    assert not at.tabs
    reloaded = new_app(_secrets(box.url, passcode="open-sesame"))  # a reload: a new session
    assert any("Too many wrong passcodes" in e.value for e in reloaded.error)
    _try_passcode(reloaded, "open-sesame")
    assert not reloaded.tabs and not reloaded.exception


# --- call budget ------------------------------------------------------------------------


def test_the_call_budget_survives_a_reload_and_shows_used_and_left(
    new_app, read, own_sandbox, face_jpeg
):
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY)
    at = new_app(_secrets(box.url, max_calls_per_session=2))
    assert any("0 used, 2 left" in c.value for c in at.sidebar.caption)
    _upload(at, face_jpeg)
    _press_check(at)
    at.button(key="check_again").click().run()
    assert box.stats()["calls"] == 2
    assert any("2 used, 0 left" in c.value for c in at.sidebar.caption)
    reloaded = new_app(_secrets(box.url, max_calls_per_session=2))  # a reload: a new session
    assert any("2 used, 0 left" in c.value for c in reloaded.sidebar.caption)
    _upload(reloaded, face_jpeg)
    _press_check(reloaded)
    assert box.stats()["calls"] == 2, "a reload must not give more calls"
    assert any("may send 2 checks" in e.value for e in reloaded.error)
    assert not any("reload" in e.value.lower() and "later" in e.value.lower() for e in at.error)


def test_the_deployment_budget_caps_every_visitor_together(tmp_path):
    from components.ledger import Ledger

    now = [1000.0]
    ledger = Ledger(tmp_path, clock=lambda: now[0])
    caps = {"visitor_cap": 3, "deployment_cap": 4, "window_s": 3600.0}
    assert [ledger.take_call("a", **caps) for _ in range(4)] == [True, True, True, False]
    assert [ledger.take_call("b", **caps) for _ in range(2)] == [True, False]
    assert ledger.budget("b", **caps).deployment_exhausted
    now[0] += 3601.0  # the window moves on
    assert ledger.take_call("b", **caps)
    again = Ledger(tmp_path, clock=lambda: now[0])  # another process, the same file
    assert again.budget("b", **caps).visitor_used == 1


def test_a_budgeted_client_sends_no_retry_the_budget_did_not_count():
    """The evaluation runner sets `max_retries = 0` on the client it is given: on the
    budgeted client that must reach the client that sends, or each budgeted call could
    go out three times."""
    import httpx

    from client import ApiError, Credentials, FaceIdClient
    from components.backend import BudgetedClient, BudgetExhausted

    sent: list[httpx.Request] = []

    def busy(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        error = {"Code": "FailedOperation.DetectEngineSystemError", "Message": "busy"}
        return httpx.Response(200, json={"Response": {"Error": error, "RequestId": "r"}})

    inner = FaceIdClient(
        Credentials(SECRET_ID, SECRET_KEY, source="test"),
        endpoint="http://127.0.0.1:1",
        transport=httpx.MockTransport(busy),
        sleep=lambda seconds: None,
    )
    allowed = [True, False]
    budgeted = BudgetedClient(inner, lambda: allowed.pop(0))
    budgeted.max_retries = 0  # as `evaluation.run_evaluation` does
    assert inner.max_retries == 0
    with pytest.raises(ApiError):
        budgeted.detect(b"x", 1)
    assert len(sent) == 1
    with pytest.raises(BudgetExhausted):
        budgeted.detect(b"x", 1)
    assert len(sent) == 1, "refused by the budget before anything is sent"
    budgeted.close()


def test_passcode_back_off_per_visitor_and_across_visitors(tmp_path):
    from components.ledger import Ledger

    now = [0.0]
    ledger = Ledger(tmp_path, clock=lambda: now[0])
    for _ in range(5):
        assert ledger.passcode_wait("a", per_visitor=5, everyone=8) == 0
        ledger.note_wrong_passcode("a")
        now[0] += 1.0
    assert ledger.passcode_wait("a", per_visitor=5, everyone=8) == pytest.approx(55.0)
    assert ledger.passcode_wait("b", per_visitor=5, everyone=8) == 0  # others still may
    for _ in range(3):
        ledger.note_wrong_passcode("b")
    assert ledger.passcode_wait("c", per_visitor=5, everyone=8) > 0  # everyone backs off
    now[0] += 60.0
    assert ledger.passcode_wait("a", per_visitor=5, everyone=8) == 0


# --- where keys may go ------------------------------------------------------------------


def test_a_custom_endpoint_never_gets_the_environments_keys(new_app, monkeypatch, face_jpeg, read):
    monkeypatch.setenv("TENCENTCLOUD_SECRET_ID", SECRET_ID)
    monkeypatch.setenv("TENCENTCLOUD_SECRET_KEY", SECRET_KEY)
    with RecordingServer() as fake:
        at = new_app({"backend": "tencent", "language": "en"})
        at.sidebar.radio(key="endpoint_choice").set_value("custom").run()
        at.sidebar.text_input(key="custom_endpoint").input(fake.url).run()
        assert any("only sent to Tencent Cloud" in e.value for e in at.sidebar.error)
        _upload(at, face_jpeg)
        _press_check(at)
        assert fake.requests == [], "the deployment's keys went to a visitor's endpoint"
        assert SECRET_ID not in read.all_protos_text(at)
        # The visitor's own pasted keys may go there.
        at.sidebar.text_input(key="paste_id").set_value("AKIDVisitorOwn0000EXAMPLE")
        at.sidebar.text_input(key="paste_key").set_value("visitor-own-key")
        at.sidebar.button[0].click().run()
        _press_check(at)
        assert len(fake.requests) == 1
        auth = fake.requests[0].headers["Authorization"]
        assert "AKIDVisitorOwn0000EXAMPLE" in auth and SECRET_ID not in auth


def test_an_endpoint_the_operator_lists_may_use_the_deployments_keys(new_app, face_jpeg, read):
    with RecordingServer() as fake:
        at = new_app(
            {
                "backend": "tencent",
                "language": "en",
                "TENCENTCLOUD_SECRET_ID": SECRET_ID,
                "TENCENTCLOUD_SECRET_KEY": SECRET_KEY,
                "allowed_endpoints": [fake.url],
            }
        )
        at.sidebar.radio(key="endpoint_choice").set_value("custom").run()
        at.sidebar.text_input(key="custom_endpoint").input(fake.url + "/").run()
        assert not at.sidebar.error
        _upload(at, face_jpeg)
        _press_check(at)
        assert len(fake.requests) == 1 and read.verdicts(at) == [("Low", "green")]


def test_snippets_and_messages_never_show_user_info_or_path_secrets():
    from client import ConfigError, parse_endpoint
    from client.snippets import SnippetTarget, build_snippets
    from components.snippets import snippet_comments

    for endpoint in (
        "https://user:S3cretPw@faceid.tencentcloudapi.com",
        "https://faceid.tencentcloudapi.com/S3cretPw?k=S3cretPw",
        "not an endpoint S3cretPw",
    ):
        target = SnippetTarget(endpoint, None, "en-US", 1, 1000)
        for kind, text in build_snippets(target, snippet_comments("en")).items():
            assert "s3cretpw" not in text.lower(), (endpoint, kind)
    for endpoint in ("https://host.example/AKIDS3cretPw/x", "http://exa mple/S3cretPw"):
        with pytest.raises(ConfigError) as caught:
            parse_endpoint(endpoint)
        assert "S3cretPw" not in str(caught.value) and "***" in str(caught.value)


# --- nothing sent that nobody asked for -------------------------------------------------


def test_backend_switch_and_slider_change_send_nothing(new_app, read, proxy_recorder, face_jpeg):
    """Sandbox verdict, then a switch to Tencent Cloud (mainland: through the proxy) and
    slider moves: the proxy sees no request, and the custom endpoint is kept."""
    at = new_app(
        {
            "language": "en",
            "TENCENTCLOUD_SECRET_ID": SECRET_ID,
            "TENCENTCLOUD_SECRET_KEY": SECRET_KEY,
            "backend": "sandbox",
        }
    )
    _upload(at, face_jpeg)
    assert read.verdicts(at) == [("Low", "green")]  # the sandbox answers at once
    at.sidebar.radio(key="backend").set_value("tencent").run()
    assert any('data-live="1"' in m.value for m in at.markdown)  # the live banner
    assert not read.verdicts(at) and _has_button(at, "check_send")
    at.sidebar.select_slider(key="max_side").set_value(480).run()
    at.sidebar.slider(key="video_seconds").set_value(4.0).run()
    at.sidebar.segmented_control(key="lang").set_value("zh").run()
    assert proxy_recorder.requests == []
    assert at.sidebar.radio(key="backend").value == "tencent"  # kept across the language
    # A custom endpoint survives a round trip through the sandbox.
    at.sidebar.radio(key="endpoint_choice").set_value("custom").run()
    at.sidebar.text_input(key="custom_endpoint").input(
        "https://faceid.ap-singapore.tencentcloudapi.com"
    ).run()
    at.sidebar.radio(key="backend").set_value("sandbox").run()
    at.sidebar.radio(key="backend").set_value("tencent").run()
    assert at.sidebar.radio(key="endpoint_choice").value == "custom"
    assert at.sidebar.text_input(key="custom_endpoint").value.endswith(
        "ap-singapore.tencentcloudapi.com"
    )
    assert proxy_recorder.requests == [] and not at.exception


def test_a_settings_change_on_the_sandbox_says_check_again_instead_of_resending(new_app, read):
    from components.backend import running_sandbox

    at = new_app({"language": "en"})
    at.segmented_control(key="way_in").set_value("sample").run()
    at.button(key="sample_real-photo").click().run()
    assert read.verdicts(at) == [("Low", "green")]
    before = running_sandbox(0.0).stats()["calls"]
    at.sidebar.select_slider(key="max_side").set_value(480).run()
    assert running_sandbox(0.0).stats()["calls"] == before
    assert any(EN["check.settings_changed"] in i.value for i in at.info)
    _press_check(at)  # "Check again" sends it with the new settings
    assert running_sandbox(0.0).stats()["calls"] == before + 1
    assert read.verdicts(at) == [("Low", "green")]


# --- pre-flight confirmation (issue 14) -------------------------------------------------


def test_a_small_face_on_the_real_service_waits_for_send_anyway(new_app, own_sandbox, face_jpeg):
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY)
    at = new_app(_secrets(box.url))
    _upload(at, face_jpeg)  # the astronaut's face is 98 px: under the 100 px the service needs
    assert any("98 px" in w.value for w in at.warning)
    assert at.button(key="check_send").label == EN["check.send_anyway"]
    assert box.stats()["calls"] == 0


def test_no_face_on_the_real_service_waits_for_send_anyway(new_app, own_sandbox):
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY)
    at = new_app(_secrets(box.url))
    _upload(at, _grey_jpeg(), "landscape.jpg")
    assert any("No face found" in w.value for w in at.warning)
    assert at.button(key="check_send").label == EN["check.send_anyway"]
    at.sidebar.select_slider(key="max_side").set_value(480).run()  # reruns send nothing
    assert box.stats()["calls"] == 0
    _press_check(at)
    assert box.stats()["calls"] == 1 and not at.exception


def test_a_good_face_on_the_real_service_still_needs_a_click(new_app, own_sandbox):
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY)
    at = new_app(_secrets(box.url))
    _upload(at, (PROJECT / "samples" / "real_photo.jpg").read_bytes())
    assert at.button(key="check_send").label == EN["check.send"]
    assert any(EN["check.live_ready"] in w.value for w in at.warning)
    assert box.stats()["calls"] == 0
    _press_check(at)
    assert box.stats()["calls"] == 1


def test_no_face_on_the_sandbox_warns_and_the_scenario_answers(new_app, read):
    at = new_app({"language": "en"})
    _upload(at, _grey_jpeg(), "landscape.jpg")
    assert not _has_button(at, "check_send")  # the sandbox answers at once
    assert any("No face found" in w.value for w in at.warning)
    assert read.verdicts(at) or read.error_codes_shown(at)  # the scenario's answer


# --- configuration files ----------------------------------------------------------------


def test_the_page_binds_to_localhost_and_the_secrets_example_parses():
    import tomllib

    from components.app_secrets import parse_secrets

    config = tomllib.loads((PROJECT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["address"] == "localhost"
    example = tomllib.loads((PROJECT / ".streamlit" / "secrets.toml.example").read_text())
    settings = parse_secrets(example)
    assert settings.passcode and settings.max_calls_per_deployment == 1000
    assert settings.timeout_s == 20 and settings.allowed_roots == ()
    readme = (PROJECT / "README.md").read_text()
    deployment = readme[readme.index("## Deployment") :]
    for name in (
        "passcode",
        "max_calls_per_session",
        "max_calls_per_deployment",
        "budget_window_hours",
        "timeout_s",
        "allowed_endpoints",
        "allowed_roots",
        "data_dir",
        "session_disk_mb",
    ):
        assert f"`{name}`" in deployment, name


def test_a_custom_endpoint_that_is_not_the_api_is_not_read_back(new_app, read, face_jpeg):
    """Request forgery: a visitor's own keys may go to any endpoint, but the page does not
    show what a non-API server answered (an internal page's title, say)."""
    page = b"<html><head><title>Internal admin: 42 open tickets</title></head></html>"
    with RecordingServer(("text/html", page)) as internal:
        at = new_app({"backend": "tencent", "language": "en"})
        at.sidebar.text_input(key="paste_id").set_value("AKIDVisitorOwn0000EXAMPLE")
        at.sidebar.text_input(key="paste_key").set_value("visitor-own-key")
        at.sidebar.button[0].click().run()
        at.sidebar.radio(key="endpoint_choice").set_value("custom").run()
        at.sidebar.text_input(key="custom_endpoint").input(internal.url).run()
        _upload(at, face_jpeg)
        _press_check(at)
        assert len(internal.requests) == 1
    assert read.error_codes_shown(at) == ["Client.InvalidResponse"]
    assert "open tickets" not in read.all_protos_text(at)


def test_an_unusable_file_on_the_real_service_is_explained_at_once(new_app, own_sandbox, read):
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY)
    at = new_app(_secrets(box.url))
    _upload(at, b"just some notes\n" * 4, "notes.txt")
    assert read.error_codes_shown(at) == ["media.unsupported"]
    assert any("Not a supported photo or video" in card for card in read.error_cards(at))
    assert not _has_button(at, "check_send") and box.stats()["calls"] == 0
