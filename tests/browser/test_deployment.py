"""A shared deployment in a real browser: nothing sent that nobody asked for, a check that
can be cancelled, passcode lock-out across a reload, service text shown as text, and the
session folder removed when the session ends.

The app runs with its deployment's keys, its "Tencent Cloud" endpoint a local recording
server listed by the operator, and HTTPS_PROXY/HTTP_PROXY pointing at a second recording
server: any call to Tencent's real hosts would show up there. Nothing reaches the internet.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import (
    PROJECT_ROOT,
    SCREENSHOT_DIR,
    clean_env,
    free_port,
    stop_server,
    wait_healthy,
)
from tests.fake_endpoint import RecordingServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SECRET_ID = "AKIDBrowserDeploy0000EXAMPLE"
SECRET_KEY = "BrowserDeployKey-NeverShown"


def _toml(values: dict[str, object]) -> str:
    """A tiny TOML writer for flat settings (strings, numbers, lists of strings)."""
    lines = []
    for name, value in values.items():
        if isinstance(value, str):
            lines.append(f'{name} = "{value}"')
        elif isinstance(value, list):
            lines.append(
                f"{name} = [{', '.join(repr(str(v)).replace(chr(39), chr(34)) for v in value)}]"
            )
        else:
            lines.append(f"{name} = {value}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def recorders() -> Iterator[tuple[RecordingServer, RecordingServer]]:
    """(fake service, proxy): both record every request they get."""
    with RecordingServer() as service, RecordingServer() as proxy:
        yield service, proxy


def _serve(
    tmp: Path, secrets: dict[str, object], proxy: RecordingServer
) -> Iterator[tuple[str, Path]]:
    """Run the app with these secrets (in its HOME) and the proxy; yields (url, data dir)."""
    home = tmp / "home"
    (home / ".streamlit").mkdir(parents=True)
    (home / ".streamlit" / "secrets.toml").write_text(_toml(secrets))
    env = clean_env(home)
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
        env[name] = proxy.url
    env.pop("NO_PROXY", None)
    env.pop("no_proxy", None)
    port = free_port()
    log_path = home / "streamlit.log"
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    command += ["--browser.gatherUsageStats", "false", "--server.disconnectedSessionTTL", "1"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, 90.0)
        yield url, home / "data"
    finally:
        stop_server(process)


@pytest.fixture(scope="module")
def live_app(tmp_path_factory, recorders) -> Iterator[tuple[str, Path]]:
    """The app with the deployment's keys, starting on the sandbox, no passcode."""
    service, proxy = recorders
    secrets = {
        "TENCENTCLOUD_SECRET_ID": SECRET_ID,
        "TENCENTCLOUD_SECRET_KEY": SECRET_KEY,
        "backend": "sandbox",
        "language": "en",
        "allowed_endpoints": [service.url],
        "timeout_s": 60,
    }
    yield from _serve(tmp_path_factory.mktemp("live"), secrets, proxy)


@pytest.fixture(scope="module")
def locked_app(tmp_path_factory, recorders) -> Iterator[tuple[str, Path]]:
    """The app on Tencent Cloud behind a passcode."""
    _service, proxy = recorders
    secrets = {
        "TENCENTCLOUD_SECRET_ID": SECRET_ID,
        "TENCENTCLOUD_SECRET_KEY": SECRET_KEY,
        "backend": "tencent",
        "language": "en",
        "passcode": "open-sesame",
    }
    yield from _serve(tmp_path_factory.mktemp("locked"), secrets, proxy)


def _ready(page) -> None:
    page.get_by_role("tab").first.wait_for(timeout=60_000)


def _settled(page) -> None:
    """Wait until the app has finished its run (Streamlit's status widget gone)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )


def _pick(page, option: str) -> None:
    """Click a radio option by its text (Streamlit's radio input is covered by its label)."""
    page.locator("[data-testid=stSidebar] label").filter(has_text=option).first.click()
    _settled(page)


def _face_file(tmp_path: Path) -> Path:
    face = tmp_path / "face.jpg"
    face.write_bytes((PROJECT_ROOT / "samples" / "real_photo.jpg").read_bytes())
    return face


def _upload_face(page, tmp_path: Path) -> None:
    page.get_by_role("radio", name=re.compile("Upload")).first.click()
    uploader = page.locator(".st-key-upload")
    uploader.wait_for()
    uploader.locator("input[type=file]").set_input_files(str(_face_file(tmp_path)))


def _choose_custom_endpoint(page, url: str) -> None:
    _pick(page, "Custom URL")
    box = page.locator(".st-key-custom_endpoint input")
    box.fill(url)
    box.press("Enter")
    _settled(page)


def test_backend_switch_and_slider_moves_send_nothing(live_app, recorders, open_page, tmp_path):
    url, _data = live_app
    service, proxy = recorders
    page = open_page()
    page.goto(url)
    _ready(page)
    _upload_face(page, tmp_path)
    page.locator(".adf-verdict").wait_for(timeout=60_000)  # the sandbox answers at once
    before = (len(service.requests), len(proxy.requests))
    _pick(page, "Tencent Cloud")
    page.get_by_text("Tencent Cloud: real, billed calls").first.wait_for()
    page.get_by_role("button", name="Check", exact=True).wait_for()
    _settled(page)
    slider = page.get_by_role("slider").first  # the image box size
    slider.focus()
    slider.press("ArrowLeft")  # 640 -> 480
    _settled(page)
    slider.press("ArrowLeft")  # 480 -> 320
    _settled(page)
    assert (len(service.requests), len(proxy.requests)) == before == (0, 0)
    assert page.locator(".adf-verdict").count() == 0


def test_a_hanging_check_can_be_cancelled(live_app, recorders, open_page, tmp_path):
    url, _data = live_app
    service, _proxy = recorders
    page = open_page()
    page.goto(url)
    _ready(page)
    _pick(page, "Tencent Cloud")
    _choose_custom_endpoint(page, service.url)
    _upload_face(page, tmp_path)
    service.hang = True
    try:
        page.get_by_role("button", name="Check", exact=True).click()
        cancel = page.get_by_role("button", name="Cancel")
        cancel.wait_for(timeout=30_000)
        page.get_by_text(re.compile(r"Waiting for the answer… \d+ s")).first.wait_for()
        started = time.monotonic()
        cancel.click()
        page.get_by_text("Check cancelled").first.wait_for(timeout=15_000)
        assert time.monotonic() - started < 15
        assert len(service.requests) == 1
        auth = service.requests[0].headers.get("Authorization", "")
        assert SECRET_ID in auth  # the operator listed this endpoint for the deployment's keys
        _settled(page)
        assert len(service.requests) == 1, "a cancelled check is not sent again by itself"
    finally:
        service.hang = False


def _zip_of_faces() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for index, name in enumerate(("real_photo.jpg", "printed_photo.jpg")):
            data = (PROJECT_ROOT / "samples" / name).read_bytes()
            archive.writestr(f"bona_fide/{index}.jpg", data)
    return out.getvalue()


def test_service_markdown_is_text_and_the_session_folder_goes_with_the_session(
    live_app, recorders, open_page, tmp_path
):
    url, data_dir = live_app
    service, proxy = recorders
    image_url = f"{proxy.url}/tracker.png"
    service.answer = {
        "Response": {
            "Error": {
                "Code": "AuthFailure.SecretIdNotFound",
                "Message": f"Stopped [click here]({proxy.url}/phish) ![tracker]({image_url})",
            },
            "RequestId": "req-markdown",
        }
    }
    page = open_page()
    page.goto(url)
    _ready(page)
    _pick(page, "Tencent Cloud")
    _choose_custom_endpoint(page, service.url)
    page.get_by_role("tab", name=re.compile("Evaluate")).click()
    archive = tmp_path / "set.zip"
    archive.write_bytes(_zip_of_faces())
    page.locator(".st-key-eval_zip input[type=file]").set_input_files(str(archive))
    sessions = data_dir / "sessions"
    page.locator(".st-key-eval_start button").click()
    page.get_by_text("AuthFailure.SecretIdNotFound").first.wait_for(timeout=60_000)
    _settled(page)
    shown = page.get_by_text(re.compile(r"!\[tracker\]")).first
    shown.wait_for()
    assert page.locator(f'img[src="{image_url}"]').count() == 0
    assert page.locator(f'a[href^="{proxy.url}"]').count() == 0
    assert not [r for r in proxy.requests if r.method == "GET"], "the page fetched a service URL"
    folders = list(sessions.iterdir())
    assert len(folders) == 1 and any(folders[0].rglob("*.jpg"))
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "deployment_markdown_as_text.png"), full_page=True)
    page.context.close()  # the visitor leaves
    deadline = time.monotonic() + 60
    while folders[0].exists() and time.monotonic() < deadline:
        # Streamlit forgets a disconnected session when its storage is next used
        # (server.disconnectedSessionTTL = 1 s here): another visitor comes by.
        other = open_page()
        other.goto(url)
        _ready(other)
        other.context.close()
    assert not folders[0].exists(), "the session's folder outlived the session"


def _try_passcode(page, text: str) -> None:
    box = page.get_by_label("Passcode")
    box.fill(text)
    page.get_by_role("button", name="Unlock").click()
    _settled(page)


def test_six_wrong_passcodes_then_a_reload_still_waits(locked_app, open_page):
    url, _data = locked_app
    page = open_page()
    page.goto(url)
    page.get_by_text("Passcode required").first.wait_for(timeout=60_000)
    for attempt in range(6):
        _try_passcode(page, f"wrong-{attempt}")
    page.get_by_text(re.compile(r"Too many wrong passcodes\. Try again in \d+ s")).first.wait_for()
    page.reload()
    page.get_by_text(re.compile(r"Too many wrong passcodes")).first.wait_for(timeout=60_000)
    _try_passcode(page, "open-sesame")
    assert page.get_by_role("tab").count() == 0
    page.get_by_text(re.compile(r"Too many wrong passcodes")).first.wait_for()


def test_budget_shown_and_deployment_keys_kept_from_an_unlisted_endpoint(
    live_app, recorders, open_page, tmp_path
):
    url, _data = live_app
    service, _proxy = recorders
    service.answer = {"Response": {"AttackRiskLevel": "Low", "RequestId": "fake-budget"}}
    page = open_page()
    page.goto(url)
    _ready(page)
    _pick(page, "Tencent Cloud")
    used = re.compile(r"Real calls: (\d+) used, (\d+) left")
    caption = page.locator("[data-testid=stSidebar]").get_by_text(used).first
    caption.wait_for()
    before = int(used.search(caption.inner_text()).group(1))
    with RecordingServer() as unlisted:
        _choose_custom_endpoint(page, unlisted.url)
        page.get_by_text("only sent to Tencent Cloud").first.wait_for()
        _upload_face(page, tmp_path)
        page.get_by_role("button", name="Check", exact=True).click()
        page.locator(".adf-error").first.wait_for(timeout=30_000)
        _settled(page)
        assert unlisted.requests == [], "the deployment's keys went to an unlisted endpoint"
    _choose_custom_endpoint(page, service.url)  # listed by the operator
    page.get_by_role("button", name="Check", exact=True).click()
    page.locator(".adf-verdict").wait_for(timeout=30_000)
    # The verdict comes first (a fragment run); the sidebar's count with the page's redraw.
    counted = re.compile(rf"Real calls: {before + 1} used")
    page.locator("[data-testid=stSidebar]").get_by_text(counted).first.wait_for(timeout=30_000)
    _settled(page)
    after = int(used.search(caption.inner_text()).group(1))
    assert after == before + 1
