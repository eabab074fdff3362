"""Several files at once: the table of verdicts, one corrupt file among good ones, the same
content checked once, pacing at the quota, limits, CSV, and opening a row (no call).

The page's Tencent Cloud mode is pointed at a sandbox this test starts; calls are counted
at its `GET /__sandbox/stats` endpoint.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import httpx
import pytest
from PIL import Image

from components.batch_files import MAX_FILES
from components.i18n import load_strings

EN = load_strings("en")
ZH = load_strings("zh")
SECRET_ID = "AKIDBatchTest0000EXAMPLE"
SECRET_KEY = "BatchTestKey-NeverShowMe"
SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@pytest.fixture(scope="module")
def good_face() -> bytes:
    """A portrait whose face passes the pre-flight (one face, over 100 px): sent at once."""
    return (SAMPLES / "real_photo.jpg").read_bytes()


def _grey_jpeg() -> bytes:
    """A 640x480 picture with no face in it."""
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (120, 130, 140)).save(out, format="JPEG")
    return out.getvalue()


def _secrets(box, language: str = "en") -> dict[str, object]:
    return {
        "backend": "tencent",
        "endpoint": box.url,
        "TENCENTCLOUD_SECRET_ID": SECRET_ID,
        "TENCENTCLOUD_SECRET_KEY": SECRET_KEY,
        "language": language,
    }


def _stats(box) -> dict:
    return httpx.get(f"{box.url}/__sandbox/stats", timeout=10).json()


def _variant(picture: bytes, index: int) -> bytes:
    image = Image.open(io.BytesIO(picture)).convert("RGB")
    image.paste((index * 37 % 256, 200, index * 13 % 256), (0, 0, 24, 24))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def _batch(at, files) -> None:
    at.segmented_control(key="way_in").set_value("batch").run()
    at.file_uploader(key="batch_upload").set_value(files).run()


def _table(at):
    return at.main.dataframe[0].value


def test_one_corrupt_file_gets_its_own_row_and_the_others_go_on(
    new_app, own_sandbox, good_face, read
):
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY)
    at = new_app(_secrets(box, "zh"))
    corrupt = good_face[:200]  # a JPEG cut short: cannot be decoded
    files = [
        ("a.jpg", good_face, "image/jpeg"),
        ("broken.jpg", corrupt, "image/jpeg"),
        ("a-again.jpg", good_face, "image/jpeg"),
        ("b.jpg", _variant(good_face, 1), "image/jpeg"),
    ]
    _batch(at, files)
    assert _stats(box)["calls"] == 0  # nothing is sent before Check is pressed
    assert any(ZH["batch.billed"].format(count=3) in w.value for w in at.warning)
    assert list(_table(at)["result"]) == [ZH["batch.pending"]] * 4
    at.button(key="batch_start").click().run()
    assert not at.exception
    table = _table(at)
    assert list(table["name"]) == ["a.jpg", "broken.jpg", "a-again.jpg", "b.jpg"]
    results = list(table["result"])
    assert results[0].startswith("✅") and results[3].startswith("✅")
    assert results[1].startswith("❗") and "image file is truncated" not in results[1]
    assert results[2] == results[0] and table["note"][2] == ZH["batch.same_as"].format(row=1)
    assert table["thumbnail"][0].startswith("data:image/jpeg;base64,")
    assert _stats(box)["calls"] == 2  # identical content once, the corrupt file never
    assert {b.key for b in at.get("download_button")} >= {"batch_csv"}
    # Open a row: its full verdict, from memory.
    at.selectbox(key="batch_open").select(4).run()
    assert ("Low", "green") in read.verdicts(at)
    assert _stats(box)["calls"] == 2
    assert not [b for b in at.button if b.key == "batch_start"]


def test_calls_are_paced_at_the_quota(new_app, own_sandbox, good_face):
    # The sandbox allows one call, then 1.25 per second: calls sent as soon as each file is
    # prepared come faster than that and are refused; paced at the 1/s quota none is.
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY, qps=1.25)
    at = new_app(_secrets(box))
    _batch(at, [(f"{i}.jpg", _variant(good_face, i), "image/jpeg") for i in range(4)])
    at.button(key="batch_start").click().run()
    stats = _stats(box)
    assert stats["calls"] == 4 and "RequestLimitExceeded" not in stats["by_code"]
    assert all(entry.detection.attempts == 1 for entry in at.session_state["history"])


def test_a_zip_is_unpacked_and_a_damaged_member_gets_a_row(new_app, own_sandbox, good_face):
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY)
    at = new_app(_secrets(box))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("set/one.jpg", good_face)
        zf.writestr("set/two.jpg", _variant(good_face, 2))
        zf.writestr("set/three.jpg", _variant(good_face, 3))
    data = bytearray(buffer.getvalue())
    header = data.find(b"set/three.jpg") + len("set/three.jpg")
    data[header + 100 : header + 140] = b"\0" * 40  # corrupt its compressed bytes
    _batch(at, [("photos.zip", bytes(data), "application/zip")])
    at.button(key="batch_start").click().run()
    table = _table(at)
    assert list(table["name"]) == [
        "photos.zip/set/one.jpg",
        "photos.zip/set/two.jpg",
        "photos.zip/set/three.jpg",
    ]
    assert table["result"][2] == f"❗ {EN['batch.left_out_unreadable']}"
    assert _stats(box)["calls"] == 2


def test_more_than_20_files_are_refused_with_a_clear_message(new_app, own_sandbox, good_face):
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY)
    at = new_app(_secrets(box))
    files = [(f"{i}.jpg", _variant(good_face, i), "image/jpeg") for i in range(MAX_FILES + 1)]
    _batch(at, files)
    assert any(f"{MAX_FILES + 1} files: at most {MAX_FILES}" in e.value for e in at.error)
    assert not at.main.dataframe and not [b for b in at.button if b.key == "batch_start"]
    assert _stats(box)["calls"] == 0


def test_an_account_error_stops_the_run_after_one_call(new_app, own_sandbox, good_face, read):
    from sandbox import Faults

    box = own_sandbox(
        secret_id=SECRET_ID,
        secret_key=SECRET_KEY,
        faults=Faults(error_rate=1.0, error_codes=("UnauthorizedOperation.Arrears",)),
    )
    at = new_app(_secrets(box))
    _batch(at, [(f"{i}.jpg", _variant(good_face, i), "image/jpeg") for i in range(3)])
    at.button(key="batch_start").click().run()
    assert not at.exception
    assert _stats(box)["calls"] == 1  # every further file would be refused the same way
    assert any(EN["batch.stopped"] in c.value for c in at.caption)
    assert read.error_codes_shown(at) == ["UnauthorizedOperation.Arrears"]
    results = list(_table(at)["result"])
    assert results[1:] == [EN["batch.pending"]] * 2


def test_the_session_cap_stops_the_run_and_leaves_the_rest_to_check(
    new_app, own_sandbox, good_face
):
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY)
    at = new_app({**_secrets(box), "max_calls_per_session": 2})
    _batch(at, [(f"{i}.jpg", _variant(good_face, i), "image/jpeg") for i in range(3)])
    at.button(key="batch_start").click().run()
    assert not at.exception
    assert _stats(box)["calls"] == 2
    assert list(_table(at)["result"])[2] == EN["batch.pending"]
    assert any(EN["batch.stopped"] in c.value for c in at.caption)


# --- pre-flight before each paid call (issue 14) ----------------------------------------


def _held_buttons(at) -> set[str]:
    return {b.key for b in at.button if b.key and b.key.startswith("batch_send_")}


def test_flagged_files_are_held_until_send_anyway_for_each(
    new_app, own_sandbox, good_face, face_jpeg
):
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY)
    at = new_app(_secrets(box))
    files = [
        ("good.jpg", good_face, "image/jpeg"),
        ("small.jpg", face_jpeg, "image/jpeg"),  # the astronaut's face is 98 px
        ("landscape.jpg", _grey_jpeg(), "image/jpeg"),
    ]
    _batch(at, files)
    at.button(key="batch_start").click().run()
    assert not at.exception
    assert _stats(box)["calls"] == 1  # only the file the pre-flight passes
    table = _table(at)
    held = f"⏸️ {EN['batch.held']}"
    assert table["result"][0].startswith("✅") and list(table["result"][1:]) == [held] * 2
    assert "98 px" in table["preflight"][1] and "No face found" in table["preflight"][2]
    assert any(EN["batch.held_summary"].format(count=2) in w.value for w in at.warning)
    assert _held_buttons(at) == {
        "batch_send_anyway_2",
        "batch_send_anyway_3",
        "batch_send_all_anyway",
    }
    assert not [b for b in at.button if b.key == "batch_start"]  # nothing else to send
    at.run()  # a rerun sends nothing
    assert _stats(box)["calls"] == 1
    at.button(key="batch_send_anyway_2").click().run()
    assert _stats(box)["calls"] == 2  # that file only
    table = _table(at)
    assert table["result"][1] != held and table["result"][2] == held
    assert "98 px" in table["preflight"][1]  # the warning stays beside the answer
    assert _held_buttons(at) == {"batch_send_anyway_3"}
    at.button(key="batch_send_anyway_3").click().run()
    assert _stats(box)["calls"] == 3 and not _held_buttons(at)
    assert not at.exception


def test_send_all_anyway_sends_every_held_file(new_app, own_sandbox, face_jpeg):
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY)
    at = new_app(_secrets(box, "zh"))
    _batch(at, [("small.jpg", face_jpeg, "image/jpeg"), ("grey.jpg", _grey_jpeg(), "image/jpeg")])
    at.button(key="batch_start").click().run()
    assert _stats(box)["calls"] == 0
    assert list(_table(at)["result"]) == [f"⏸️ {ZH['batch.held']}"] * 2
    assert at.button(key="batch_send_all_anyway").label == ZH["batch.send_all_anyway"].format(
        count=2
    )
    at.button(key="batch_send_all_anyway").click().run()
    assert _stats(box)["calls"] == 2 and not _held_buttons(at)
    assert ZH["batch.held"] not in "".join(_table(at)["result"])


def test_on_the_sandbox_flagged_files_show_the_warning_and_the_scenario_answers(new_app, face_jpeg):
    from components.backend import running_sandbox

    at = new_app({"language": "zh"})
    before = running_sandbox(0.0).stats()["calls"]
    _batch(at, [("small.jpg", face_jpeg, "image/jpeg"), ("grey.jpg", _grey_jpeg(), "image/jpeg")])
    at.button(key="batch_start").click().run()
    assert not at.exception
    assert running_sandbox(0.0).stats()["calls"] == before + 2  # sent at once
    table = _table(at)
    assert ZH["batch.held"] not in "".join(table["result"]) and not _held_buttons(at)
    assert "98" in table["preflight"][0] and "人脸" in table["preflight"][1]


def test_a_file_checked_before_under_another_name_is_listed_again_without_a_call(
    new_app, own_sandbox, good_face
):
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY)
    at = new_app(_secrets(box))
    at.segmented_control(key="way_in").set_value("upload").run()
    at.file_uploader(key="upload").upload("first.jpg", good_face, "image/jpeg").run()
    at.button(key="check_send").click().run()
    assert _stats(box)["calls"] == 1
    _batch(
        at,
        [("renamed.jpg", good_face, "image/jpeg"), ("b.jpg", _variant(good_face, 2), "image/jpeg")],
    )
    at.button(key="batch_start").click().run()
    assert not at.exception
    names = [entry.filename for entry in at.session_state["history"]]
    assert names == ["first.jpg", "renamed.jpg", "b.jpg"]
    assert _stats(box)["calls"] == 2  # the renamed file was not sent again
    # A later run with one more file lists only that one: the renamed file is not listed again.
    _batch(
        at,
        [
            ("renamed.jpg", good_face, "image/jpeg"),
            ("b.jpg", _variant(good_face, 2), "image/jpeg"),
            ("c.jpg", _variant(good_face, 3), "image/jpeg"),
        ],
    )
    at.button(key="batch_start").click().run()
    assert not at.exception
    assert [entry.filename for entry in at.session_state["history"]] == [*names, "c.jpg"]
    assert _stats(box)["calls"] == 3
