"""The webcam clip recorder in a real browser: Debian's Chromium with a fake camera
(the astronaut y4m) records clips on the running app and gets video verdicts from the
sandbox; a refused camera, an insecure page and a browser without MediaRecorder each
show their message; and a Chromium WebM recording prepares into an API-ready MP4."""

from __future__ import annotations

import base64
import json
import re
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from components.i18n import load_strings
from media import PrepareOptions, identify, prepare

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
EN, ZH = load_strings("en"), load_strings("zh")
# The app opens in Chinese unless its secrets say otherwise.
START = ZH

# Remembers every camera stream the page opens, so a test can see they were released.
TRACK_STREAMS = """
(() => {
  const media = navigator.mediaDevices;
  if (!media || !media.getUserMedia) return;
  window.__streams = [];
  const original = media.getUserMedia.bind(media);
  media.getUserMedia = async (constraints) => {
    const stream = await original(constraints);
    window.__streams.push(stream);
    return stream;
  };
})();
"""

# Record `seconds` of the fake camera as WebM/VP8, the way Firefox or an older Chrome
# would hand the recorder's clip over; returns {frames, span, data (base64)}. The length
# is counted on the frames the camera delivers (their media time, as the recorder element
# does), not on the wall clock: on a loaded machine the fake camera starts late and
# delivers few frames, and a wall-clock recording then held a fraction of a second.
RECORD_WEBM = """
async (seconds) => {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { width: 640, height: 480 }, audio: false,
  });
  const video = document.createElement("video");
  video.muted = true;
  video.srcObject = stream;
  document.body.appendChild(video);
  video.play();
  // The media time of the next frame shown; a camera silent for 60 s fails the test.
  const nextFrame = () => new Promise((resolve, reject) => {
    const stalled = setTimeout(() => reject(new Error("no camera frame in 60 s")), 60000);
    video.requestVideoFrameCallback((now, metadata) => {
      clearTimeout(stalled);
      resolve(metadata.mediaTime);
    });
  });
  await nextFrame();  // the camera is delivering
  const recorder = new MediaRecorder(stream, { mimeType: "video/webm;codecs=vp8" });
  const chunks = [];
  recorder.ondataavailable = (event) => { if (event.data.size) chunks.push(event.data); };
  const started = new Promise((resolve) => { recorder.onstart = resolve; });
  const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
  recorder.start(500);
  await started;
  const first = await nextFrame();
  let last = first;
  let frames = 1;
  while (last - first < seconds) {
    last = await nextFrame();
    frames += 1;
  }
  recorder.stop();
  await stopped;
  stream.getTracks().forEach((track) => track.stop());
  video.remove();
  const blob = new Blob(chunks, { type: "video/webm" });
  const url = await new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.readAsDataURL(blob);
  });
  return { frames, span: last - first, data: url.slice(url.indexOf(",") + 1) };
}
"""
# Camera seconds the WebM test records (counted on frames, see RECORD_WEBM).
RECORDED_SECONDS = 3.0


def _sandbox_stats(sandbox_url: str) -> dict[str, Any]:
    """The sandbox's counters over real HTTP."""
    with urllib.request.urlopen(f"{sandbox_url}/__sandbox/stats", timeout=10) as response:
        return json.loads(response.read())


def _stats_when(
    sandbox_url: str, ready: Callable[[dict[str, Any]], bool], timeout_s: float = 60.0
) -> dict[str, Any]:
    """The sandbox's counters once `ready` holds for them (fails after `timeout_s`)."""
    deadline = time.monotonic() + timeout_s
    while True:
        stats = _sandbox_stats(sandbox_url)
        if ready(stats) or time.monotonic() > deadline:
            return stats
        time.sleep(0.2)


def _videos(stats: dict[str, Any]) -> int:
    """How many FaceInputType 2 calls the sandbox has seen."""
    return int(stats["by_input_type"].get("2", 0))


def _watch_console(page: Any) -> list[str]:
    """Collect console errors and uncaught page errors as they happen."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    return errors


def _open_recorder(page: Any, app_url: str, strings: dict[str, str] = START) -> None:
    """Load the app and pick the video-clip way in on the Check tab."""
    page.goto(app_url)
    page.get_by_text(strings["check.way_clip"], exact=False).first.click()
    page.get_by_test_id("recorder-start").wait_for()


def _switch_language(page: Any, name: str) -> None:
    """Press a language in the sidebar's switch ("English" / "中文")."""
    page.get_by_test_id("stSidebar").get_by_text(name, exact=True).click()


def _record(page: Any, strings: dict[str, str], seconds: int = 2) -> None:
    """Choose a length, open the camera if needed, record, and wait for the review."""
    if page.get_by_test_id("recorder-start").is_visible():
        page.get_by_test_id("recorder-start").click()
    page.get_by_test_id("recorder-record").wait_for(state="visible")
    page.get_by_test_id(f"recorder-length-{seconds}").click()
    assert page.get_by_test_id(f"recorder-length-{seconds}").get_attribute("aria-checked") == "true"
    page.get_by_test_id("recorder-record").click()
    page.get_by_test_id("recorder-countdown").wait_for(state="visible")
    page.get_by_test_id("recorder-rec").wait_for(state="visible", timeout=10_000)
    progress = page.get_by_test_id("recorder-progress")
    assert progress.is_visible()
    page.get_by_test_id("recorder-use").wait_for(state="visible", timeout=30_000)
    assert page.get_by_test_id("recorder-use").inner_text() == strings["clip.use"]
    # The length was counted on camera frames (the recorder's frame clock), not the clock.
    assert int(page.get_by_test_id("recorder-root").get_attribute("data-frames") or 0) >= 2


def _open_streams_live(page: Any) -> int:
    """How many camera tracks the page still holds open."""
    return page.evaluate(
        "() => (window.__streams || []).flatMap((s) => s.getTracks())"
        ".filter((t) => t.readyState === 'live').length"
    )


def _wait_for_verdict(page: Any) -> None:
    """Wait until the verdict card is on screen."""
    page.locator(".adf-verdict").first.wait_for(state="visible", timeout=90_000)


def _sandbox_url_from_raw(page: Any, strings: dict[str, str]) -> str:
    """The sandbox's base URL, read from the request shown in the Raw expander."""
    expander = page.get_by_test_id("stExpander").filter(has_text=strings["raw.title"])
    expander.get_by_text(strings["raw.title"], exact=True).click()
    code = expander.get_by_test_id("stCode").first
    code.wait_for()
    request = json.loads(code.inner_text())
    assert request["body"]["FaceInputType"] == 2
    assert request["body"]["FaceInput"] != ""  # elided, never the clip itself
    parts = urlsplit(request["url"])
    return f"{parts.scheme}://{parts.netloc}"


@pytest.mark.slow
def test_recorded_clip_gets_a_video_verdict(streamlit_app: str, open_page: Any) -> None:
    page = open_page()
    page.add_init_script(TRACK_STREAMS)
    errors = _watch_console(page)
    _open_recorder(page, streamlit_app)
    assert page.get_by_test_id("recorder-length-3").get_attribute("aria-checked") == "true"

    _record(page, START)
    assert _open_streams_live(page) == 0  # the camera light is off while reviewing
    status = page.get_by_test_id("recorder-status").inner_text()
    assert re.match(r"^\d\.\d .+ · \d+ KB · (MP4|WEBM)$", status), status
    page.get_by_test_id("recorder-use").click()
    _wait_for_verdict(page)
    assert page.get_by_test_id("recorder-status").inner_text() == START["clip.sent"].format(
        summary=status
    )

    sandbox_url = _sandbox_url_from_raw(page, START)
    after_first = _sandbox_stats(sandbox_url)
    assert _videos(after_first) >= 1

    # A rerun (here a language switch) keeps the verdict and sends nothing again.
    _switch_language(page, "English")
    page.get_by_text(EN["check.verdict_title"], exact=True).first.wait_for()
    _wait_for_verdict(page)
    sent = page.get_by_test_id("recorder-status").inner_text()
    assert sent.startswith(EN["clip.sent"].split("(")[0]), sent
    assert page.get_by_test_id("recorder-redo").inner_text() == EN["clip.record_another"]
    assert _sandbox_stats(sandbox_url)["calls"] == after_first["calls"]

    # Another recording (3 s, so its content differs) is new input: exactly one more
    # video call reaches the sandbox.
    page.get_by_test_id("recorder-redo").click()
    _record(page, EN, seconds=3)
    page.get_by_test_id("recorder-use").click()
    after_second = _stats_when(sandbox_url, lambda s: _videos(s) > _videos(after_first))
    _wait_for_verdict(page)
    assert _videos(after_second) == _videos(after_first) + 1
    assert after_second["calls"] == after_first["calls"] + 1
    assert _open_streams_live(page) == 0
    assert errors == []


def test_leaving_the_recorder_releases_the_camera(streamlit_app: str, open_page: Any) -> None:
    page = open_page()
    page.add_init_script(TRACK_STREAMS)
    _open_recorder(page, streamlit_app)
    page.get_by_test_id("recorder-start").click()
    page.get_by_test_id("recorder-record").wait_for(state="visible")
    assert _open_streams_live(page) >= 1
    page.get_by_text(START["check.way_upload"], exact=False).first.click()
    page.get_by_test_id("recorder-root").wait_for(state="detached")
    page.wait_for_function(
        "() => (window.__streams || []).flatMap((s) => s.getTracks())"
        ".every((t) => t.readyState === 'ended')"
    )


@pytest.mark.slow
def test_refused_camera_shows_the_message(streamlit_app: str, open_page: Any) -> None:
    page = open_page(deny_camera=True)
    errors = _watch_console(page)
    _open_recorder(page, streamlit_app)
    page.get_by_test_id("recorder-start").click()
    card = page.get_by_test_id("recorder-error")
    card.wait_for(state="visible")
    text = card.inner_text()
    assert START["clip.err_denied_title"] in text
    assert START["clip.fallback"] in text  # the snapshot path is pointed out
    assert page.get_by_test_id("recorder-retry").is_visible()
    # The message follows the page language.
    _switch_language(page, "English")
    page.get_by_text(EN["clip.err_denied_title"]).wait_for()
    assert EN["clip.fallback"] in card.inner_text()
    # Try again is refused again, and the page keeps working: the snapshot is still there.
    page.get_by_test_id("recorder-retry").click()
    card.wait_for(state="visible")
    page.get_by_text(EN["check.way_camera"], exact=False).first.click()
    page.get_by_test_id("snap-start").wait_for()
    assert [e for e in errors if "pageerror" in e] == []


def test_browser_without_mediarecorder_shows_the_message(
    streamlit_app: str, open_page: Any
) -> None:
    page = open_page()
    page.add_init_script("delete window.MediaRecorder;")
    _open_recorder(page, streamlit_app)
    page.get_by_test_id("recorder-start").click()
    card = page.get_by_test_id("recorder-error")
    card.wait_for(state="visible")
    assert START["clip.err_norecorder_title"] in card.inner_text()
    assert not page.get_by_test_id("recorder-retry").is_visible()  # retrying cannot help


@pytest.fixture
def chromium_on_a_lan_name(face_y4m: Path) -> Iterator[Any]:
    """A Chromium page for which `clip-demo.test` resolves to this machine, so the app is
    reached over plain HTTP on a host that is not localhost: not a secure context."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--host-resolver-rules=MAP clip-demo.test 127.0.0.1",
                "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream",
                f"--use-file-for-fake-video-capture={face_y4m}",
            ],
        )
        try:
            page = browser.new_page()
            page.set_default_timeout(30_000)
            yield page
        finally:
            browser.close()


def test_insecure_page_explains_https(streamlit_app: str, chromium_on_a_lan_name: Any) -> None:
    page = chromium_on_a_lan_name
    port = urlsplit(streamlit_app).port
    _open_recorder(page, f"http://clip-demo.test:{port}")
    assert page.evaluate("window.isSecureContext") is False
    page.get_by_test_id("recorder-start").click()
    card = page.get_by_test_id("recorder-error")
    card.wait_for(state="visible")
    assert START["clip.err_insecure_title"] in card.inner_text()
    assert START["clip.fallback"] in card.inner_text()


@pytest.mark.slow
def test_chromium_webm_recording_prepares_to_an_api_ready_mp4(
    streamlit_app: str, open_page: Any
) -> None:
    page = open_page()
    page.goto(streamlit_app)  # a secure context (127.0.0.1), so the camera is offered
    recording = page.evaluate(RECORD_WEBM, RECORDED_SECONDS)
    assert recording["span"] >= RECORDED_SECONDS and recording["frames"] >= 2
    recorded = base64.b64decode(recording["data"])
    info = identify(recorded)
    assert (info.kind, info.format) == ("video", "webm")

    prepared = prepare(recorded, "clip.webm", PrepareOptions())
    assert (prepared.kind, prepared.input_type, prepared.mime) == ("video", 2, "video/mp4")
    assert prepared.original_format == "webm"
    assert identify(prepared.data).format == "mp4"
    # Browser WebM has no duration in its header: it is measured from the frames. The
    # recording holds the camera's frames over RECORDED_SECONDS, less the last ones a
    # loaded machine's encoder had not finished at stop() (up to about 1.2 s measured at a
    # load average of 17 on 2 cores), plus a few from before the first frame counted.
    assert info.duration_s is not None
    assert RECORDED_SECONDS - 2.0 <= info.duration_s <= RECORDED_SECONDS + 1.0
    assert prepared.duration_s == pytest.approx(info.duration_s, abs=0.25)
    assert prepared.size[0] <= 640 and prepared.size[1] <= 640
    assert len(prepared.faces) >= 1  # the astronaut's face survives the round trip
    assert prepared.base64_bytes < 10 * 1024 * 1024
