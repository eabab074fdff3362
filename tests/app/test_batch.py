"""Several files at once: the table of verdicts, one corrupt file among good ones, the same
content checked once, pacing at the quota, limits, CSV, and opening a row (no call).

The page's Tencent Cloud mode is pointed at a sandbox this test starts; calls are counted
at its `GET /__sandbox/stats` endpoint.
"""

from __future__ import annotations

import io
import zipfile

import httpx
from PIL import Image

from components.batch_files import MAX_FILES
from components.i18n import load_strings

EN = load_strings("en")
ZH = load_strings("zh")
SECRET_ID = "AKIDBatchTest0000EXAMPLE"
SECRET_KEY = "BatchTestKey-NeverShowMe"


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


def _variant(face_jpeg: bytes, index: int) -> bytes:
    image = Image.open(io.BytesIO(face_jpeg)).convert("RGB")
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
    new_app, own_sandbox, face_jpeg, read
):
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY)
    at = new_app(_secrets(box, "zh"))
    corrupt = face_jpeg[:200]  # a JPEG cut short: cannot be decoded
    files = [
        ("a.jpg", face_jpeg, "image/jpeg"),
        ("broken.jpg", corrupt, "image/jpeg"),
        ("a-again.jpg", face_jpeg, "image/jpeg"),
        ("b.jpg", _variant(face_jpeg, 1), "image/jpeg"),
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


def test_calls_are_paced_at_the_quota(new_app, own_sandbox, face_jpeg):
    # The sandbox allows one call, then 1.25 per second: calls sent as soon as each file is
    # prepared come faster than that and are refused; paced at the 1/s quota none is.
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY, qps=1.25)
    at = new_app(_secrets(box))
    _batch(at, [(f"{i}.jpg", _variant(face_jpeg, i), "image/jpeg") for i in range(4)])
    at.button(key="batch_start").click().run()
    stats = _stats(box)
    assert stats["calls"] == 4 and "RequestLimitExceeded" not in stats["by_code"]
    assert all(entry.detection.attempts == 1 for entry in at.session_state["history"])


def test_a_zip_is_unpacked_and_a_damaged_member_gets_a_row(new_app, own_sandbox, face_jpeg):
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY)
    at = new_app(_secrets(box))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("set/one.jpg", face_jpeg)
        zf.writestr("set/two.jpg", _variant(face_jpeg, 2))
        zf.writestr("set/three.jpg", _variant(face_jpeg, 3))
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


def test_more_than_20_files_are_refused_with_a_clear_message(new_app, own_sandbox, face_jpeg):
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY)
    at = new_app(_secrets(box))
    files = [(f"{i}.jpg", _variant(face_jpeg, i), "image/jpeg") for i in range(MAX_FILES + 1)]
    _batch(at, files)
    assert any(f"{MAX_FILES + 1} files: at most {MAX_FILES}" in e.value for e in at.error)
    assert not at.main.dataframe and not [b for b in at.button if b.key == "batch_start"]
    assert _stats(box)["calls"] == 0


def test_an_account_error_stops_the_run_after_one_call(new_app, own_sandbox, face_jpeg, read):
    from sandbox import Faults

    box = own_sandbox(
        secret_id=SECRET_ID,
        secret_key=SECRET_KEY,
        faults=Faults(error_rate=1.0, error_codes=("UnauthorizedOperation.Arrears",)),
    )
    at = new_app(_secrets(box))
    _batch(at, [(f"{i}.jpg", _variant(face_jpeg, i), "image/jpeg") for i in range(3)])
    at.button(key="batch_start").click().run()
    assert not at.exception
    assert _stats(box)["calls"] == 1  # every further file would be refused the same way
    assert any(EN["batch.stopped"] in c.value for c in at.caption)
    assert read.error_codes_shown(at) == ["UnauthorizedOperation.Arrears"]
    results = list(_table(at)["result"])
    assert results[1:] == [EN["batch.pending"]] * 2


def test_the_session_cap_stops_the_run_and_leaves_the_rest_to_check(
    new_app, own_sandbox, face_jpeg
):
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY)
    at = new_app({**_secrets(box), "max_calls_per_session": 2})
    _batch(at, [(f"{i}.jpg", _variant(face_jpeg, i), "image/jpeg") for i in range(3)])
    at.button(key="batch_start").click().run()
    assert not at.exception
    assert _stats(box)["calls"] == 2
    assert list(_table(at)["result"])[2] == EN["batch.pending"]
    assert any(EN["batch.stopped"] in c.value for c in at.caption)
