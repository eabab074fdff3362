"""History: names, traces and backend; reopening a check (no call); clearing asks first and
also clears the Check tab; a sample checked before by upload is listed again; at most 50
entries, none holding media bytes.

Calls are counted where they arrive: the `GET /__sandbox/stats` endpoint of a sandbox this
test starts, reached through the page's Tencent Cloud mode (custom endpoint).
"""

from __future__ import annotations

import io
import pickle

import httpx
from PIL import Image

from components.i18n import load_strings
from components.state import HISTORY_LIMIT
from samples import SAMPLES_DIR, SCENARIO_PATH

EN = load_strings("en")
SECRET_ID = "AKIDHistoryTest000EXAMPLE"
SECRET_KEY = "HistoryTestKey-NeverShowMe"


def _secrets(box) -> dict[str, object]:
    return {
        "backend": "tencent",
        "endpoint": box.url,
        "TENCENTCLOUD_SECRET_ID": SECRET_ID,
        "TENCENTCLOUD_SECRET_KEY": SECRET_KEY,
        "language": "en",
    }


def _calls(box) -> int:
    """Calls the sandbox received, read from its stats endpoint."""
    return int(httpx.get(f"{box.url}/__sandbox/stats", timeout=10).json()["calls"])


def _history_tab(at):
    return next(tab for tab in at.tabs if tab.label == EN["app.tab_history"])


def _upload(at, data: bytes, name: str) -> None:
    at.segmented_control(key="way_in").set_value("upload").run()
    at.file_uploader(key="upload").upload(name, data, "image/jpeg").run()
    _press_check(at)


def _press_check(at) -> None:
    """On the real service a new input is sent only by a click."""
    at.button(key="check_send").click().run()


def test_history_names_traces_and_backend_and_reopens_without_a_call(
    new_app, read, own_sandbox, face_jpeg
):
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY, scenario=SCENARIO_PATH)
    at = new_app(_secrets(box))
    _upload(at, face_jpeg, "visitor.jpg")
    at.segmented_control(key="way_in").set_value("sample").run()
    at.button(key="sample_face-swap-photo").click().run()
    _press_check(at)
    assert _calls(box) == 2
    table = _history_tab(at).dataframe[0].value
    assert list(table["name"]) == ["Face-swap composite", "visitor.jpg"]
    assert "SuspectedSynthesisImage" in table["traces"][0]
    assert list(table["backend"]) == [EN["sidebar.backend_tencent"]] * 2
    # Reopen the older check: its verdict again, from memory.
    picker = at.selectbox(key="history_open")
    older = picker.options[1]
    picker.select(older).run()
    assert not at.exception
    assert ("Low", "green") in read.verdicts(at) and ("High", "red") in read.verdicts(at)
    assert any(EN["history.reopened_note"] in c.value for c in _history_tab(at).caption)
    labels = {b.label for b in _history_tab(at).get("download_button")}
    assert {EN["handover.download_html"], EN["handover.download_png"]} <= labels
    at.run()  # and reruns keep showing it without sending
    assert _calls(box) == 2


def test_clearing_asks_first_and_clears_the_check_tab_too(new_app, read, own_sandbox, face_jpeg):
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY)
    at = new_app(_secrets(box))
    _upload(at, face_jpeg, "visitor.jpg")
    assert read.verdicts(at) == [("Low", "green")]
    at.button(key="clear_history").click().run()
    assert any("Forget these 1 checks" in w.value for w in _history_tab(at).warning)
    at.button(key="clear_history_keep").click().run()  # changed my mind: nothing forgotten
    assert len(at.session_state["history"]) == 1 and read.verdicts(at) == [("Low", "green")]
    at.button(key="clear_history").click().run()
    at.button(key="clear_history_confirm").click().run()
    assert not at.exception
    assert len(at.session_state["history"]) == 0
    assert read.verdicts(at) == []  # the Check tab's verdict is gone ...
    uploader = at.file_uploader[0]
    assert uploader.key != "upload" and not uploader.value  # ... and its input is empty
    assert any(EN["check.prompt"] in i.value for i in at.info)
    assert _calls(box) == 1  # and nothing was sent again


def test_a_language_switch_after_clearing_keeps_the_several_files_way_in(
    new_app, own_sandbox, face_jpeg
):
    """Clearing gives the input widgets new keys; the several-files uploader's empty value
    ([]) is not written back on a language switch (Streamlit refuses to set an upload)."""
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY)
    at = new_app(_secrets(box))
    _upload(at, face_jpeg, "visitor.jpg")
    at.segmented_control(key="way_in").set_value("batch").run()
    at.button(key="clear_history").click().run()
    at.button(key="clear_history_confirm").click().run()
    zh = load_strings("zh")
    for lang, strings in (("zh", zh), ("en", EN), ("zh", zh)):
        at.segmented_control(key="lang").set_value(lang).run()
        assert not at.exception
        failed = strings["app.area_failed"].split("{area}")[0]
        assert not [e.value for e in at.error if failed in e.value]
        assert at.segmented_control(key="way_in").value == "batch"
        assert "batch_upload~1" in [u.key for u in at.file_uploader]
    assert _calls(box) == 1


def test_a_sample_checked_before_by_upload_is_still_listed(new_app, own_sandbox):
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY, scenario=SCENARIO_PATH)
    at = new_app(_secrets(box))
    _upload(at, (SAMPLES_DIR / "composite_photo.jpg").read_bytes(), "composite_photo.jpg")
    at.segmented_control(key="way_in").set_value("sample").run()
    at.button(key="sample_face-swap-photo").click().run()
    assert _calls(box) == 1  # the same content is not sent twice ...
    table = _history_tab(at).dataframe[0].value
    assert list(table["input"]) == [
        EN["check.way_sample"],
        EN["check.way_upload"],
    ]  # ... but listed
    at.run()
    assert len(at.session_state["history"]) == 2  # once


def _variant(face_jpeg: bytes, index: int) -> bytes:
    """The face with a small coloured patch: a different content for each index."""
    image = Image.open(io.BytesIO(face_jpeg)).convert("RGB")
    image.paste((index * 37 % 256, index * 91 % 256, index * 13 % 256), (0, 0, 24, 24))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def test_history_keeps_at_most_50_checks_and_no_media_bytes(new_app, own_sandbox, monkeypatch):
    import components.batch

    # A face the pre-flight passes: on the real service flagged files would be held back.
    face_jpeg = (SAMPLES_DIR / "real_photo.jpg").read_bytes()

    monkeypatch.setitem(components.batch.QUOTA_QPS, "tencent", 1000.0)  # pacing is tested apart
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY)
    at = new_app(_secrets(box))
    at.segmented_control(key="way_in").set_value("batch").run()
    for batch in range(3):
        files = [
            (f"f{batch}-{i}.jpg", _variant(face_jpeg, batch * 20 + i), "image/jpeg")
            for i in range(20)
        ]
        at.file_uploader(key="batch_upload").set_value(files).run()
        at.button(key="batch_start").click().run()
        assert not at.exception
    assert _calls(box) == 60
    entries = list(at.session_state["history"])
    assert len(entries) == HISTORY_LIMIT
    assert entries[-1].filename == "f2-19.jpg" and entries[0].filename == "f0-10.jpg"
    for entry in entries:
        assert entry.original == b"" and entry.prepared is not None and entry.prepared.data == b""
        assert entry.picture is not None and len(entry.picture) < 40_000
    kept = len(pickle.dumps(entries))
    media = sum(len(data) for _, data, _ in files) / 20 * HISTORY_LIMIT
    assert kept < 50 * 40_000 and kept < media  # thumbnails and results, not the uploads
    assert len(at.session_state["outcomes"]) <= 200


_MEMORY_PAGE = """
from components.check_run import CheckOutcome, Problem
from components.state import init_state, remember

init_state()
for index in range(COUNT):
    data = bytes([index % 251]) * (4 << 20)  # a 4 MB upload, different each time
    remember(
        CheckOutcome(
            key=f"{index:064x}:settings",
            source="upload",
            filename=f"{index}.jpg",
            original=data,
            prepared=None,
            detection=None,
            problem=Problem("media", "corrupt_image", "cannot be decoded"),
            checked_at=float(index),
            backend="sandbox",
        )
    )
"""
_MEMORY = r"""
import resource, sys
from streamlit.testing.v1 import AppTest

at = AppTest.from_string(sys.argv[1].replace("COUNT", sys.argv[2]), default_timeout=120)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
at.run()
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
assert not at.exception, at.exception
print(len(at.session_state["history"]), (after - before) // 1024)
"""


def test_memory_stays_flat_however_many_checks_are_made() -> None:
    """120 checks of 4 MB uploads (480 MB in all) in a subprocess: History keeps 50, and
    only the check on screen keeps its bytes, so peak memory grows by a few uploads."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", _MEMORY, _MEMORY_PAGE, "120"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    kept, grown_mb = (int(v) for v in out.stdout.split()[-2:])
    assert kept == HISTORY_LIMIT
    assert grown_mb < 64, f"memory grew {grown_mb} MB for 120 checks of 4 MB"
