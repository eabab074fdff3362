"""The Evaluate tab's set and store choices on the whole page (AppTest of app.py): uploads
only and named stores by default, allowed roots when the operator sets them, the session
folder removed when the session ends, service text shown as text."""

from __future__ import annotations

import gc
import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.i18n import load_strings
from tests.evaluation.conftest import wait_for_the_run
from tests.fake_endpoint import RecordingServer

APP = str(Path(__file__).resolve().parents[2] / "app.py")
EN = load_strings("en")
REFUSED = "this path is not in a folder this page may use"


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app's data folder in tmp_path; no keys from the environment or profile files."""
    import os

    for name in list(os.environ):
        if name.startswith(("TENCENTCLOUD_", "TCCLI_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ANTIDEEPFAKE_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def _page(**secrets: object) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["language"] = "en"
    for name, value in secrets.items():
        at.secrets[name] = value
    at.run()
    assert not at.exception
    return at


def _run_to_the_end(at: AppTest) -> None:
    """Press Start and wait for the run to end (see `wait_for_the_run`)."""
    at.button(key="eval_start").click().run()
    wait_for_the_run(at)


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_by_default_no_server_path_can_be_typed_and_stores_are_named(_data_dir: Path):
    at = _page()
    keys = {w.key for w in at.text_input}
    assert "eval_folder" not in keys and "eval_store_path" not in keys
    assert not [w for w in at.get("button_group") if w.key == "eval_source_mode"]
    assert at.text_input(key="eval_store_new").value == "evaluation"
    at.text_input(key="eval_store_new").input("../../evil").run()
    assert any("letters, digits, spaces" in e.value for e in at.error)
    assert not any(p.suffix == ".db" for p in _data_dir.parent.rglob("*"))


def test_allowed_roots_confine_folders_with_one_message(tmp_path: Path, kit):
    root = tmp_path / "allowed"
    kit.write_folder(root / "set", {"bona_fide": 2, "attack/print": 1})
    private = tmp_path / "private"
    kit.write_folder(private, {"bona_fide": 1})
    at = _page(allowed_roots=[str(root)])
    at.get("button_group")  # the source switch exists now
    at.segmented_control(key="eval_source_mode").set_value("folder").run()
    shown = []
    for typed in (str(private), str(tmp_path / "nothing-here"), str(root / ".." / "private")):
        at.text_input(key="eval_folder").input(typed).run()
        shown.append([e.value for e in at.error])
    assert shown[0] == shown[1] == shown[2] and REFUSED in shown[0][0]
    at.text_input(key="eval_folder").input(str(root / "set")).run()
    assert [m.value for m in at.metric][:3] == ["3", "2", "1"]
    at.radio(key="eval_store_mode").set_value("path").run()
    at.text_input(key="eval_store_path").input(str(private / "stolen.db")).run()
    assert any(REFUSED in e.value for e in at.error)


def test_an_uploaded_zip_lives_in_the_session_folder_until_the_session_ends(
    _data_dir: Path, kit, tmp_path: Path
):
    private = tmp_path / "private.jpg"
    private.write_bytes(kit.picture(9))
    files = {f"pictures/{i}.jpg": kit.picture(i) for i in range(2)}
    files["manifest.csv"] = (
        f"path,label\npictures/0.jpg,bona_fide\n{private},attack\n../../private.jpg,attack\n"
    ).encode()
    at = _page()
    at.file_uploader(key="eval_zip").upload("set.zip", _zip(files), "application/zip").run()
    assert not at.exception
    sessions = list((_data_dir / "sessions").iterdir())
    assert len(sessions) == 1 and any(sessions[0].rglob("*.jpg"))
    assert [m.value for m in at.metric][0] == "1"  # the manifest's one row inside the zip
    skipped = next(df.value for df in at.dataframe if len(df.value.columns) == 2)
    assert str(private) in skipped.iloc[:, 0].tolist()
    page = str([e.value for e in at.error] + [str(df.value) for df in at.dataframe])
    assert str(sessions[0]) not in page  # the server folder is never shown
    del at
    gc.collect()
    assert not sessions[0].exists(), "the session folder outlived its session"


def test_a_stop_message_with_markdown_is_shown_as_text(tmp_path: Path, kit):
    answer = {
        "Response": {
            "Error": {
                "Code": "AuthFailure.SecretIdNotFound",
                "Message": "Stopped [click me](http://127.0.0.1:9/x) ![img](http://127.0.0.1:9/i.png) **bold**",
            },
            "RequestId": "req-md",
        }
    }
    files = {f"bona_fide/{i}.jpg": kit.picture(i) for i in range(2)}
    with RecordingServer(answer) as fake:
        at = _page(
            backend="tencent",
            endpoint=fake.url,
            TENCENTCLOUD_SECRET_ID="AKIDMarkdownTest0000EXAMPLE",
            TENCENTCLOUD_SECRET_KEY="md-key",
        )
        at.file_uploader(key="eval_zip").upload("set.zip", _zip(files), "application/zip").run()
        at.number_input(key="eval_qps").set_value(50.0).run()
        _run_to_the_end(at)
        assert fake.requests  # the run reached the fake service and stopped on its answer
    stopped = [e.value for e in at.error if "AuthFailure" in e.value]
    assert stopped, [e.value for e in at.error]
    assert "](http" not in stopped[0] and "\\[click me\\]" in stopped[0]
    assert "**bold**" not in stopped[0]


def test_an_evaluation_run_stops_at_the_call_budget(kit):
    files = {f"bona_fide/{i}.jpg": kit.picture(i) for i in range(3)}
    with RecordingServer() as fake:
        at = _page(
            backend="tencent",
            endpoint=fake.url,
            TENCENTCLOUD_SECRET_ID="AKIDBudgetTest0000EXAMPLE",
            TENCENTCLOUD_SECRET_KEY="budget-key",
            max_calls_per_session=1,
        )
        at.file_uploader(key="eval_zip").upload("set.zip", _zip(files), "application/zip").run()
        at.number_input(key="eval_qps").set_value(50.0).run()
        _run_to_the_end(at)
        assert len(fake.requests) == 1, "the budget allowed one call"
        assert any("CallCapReached" in e.value for e in at.error), [e.value for e in at.error]
        again = _page(  # a reload: a new session, the same visitor
            backend="tencent",
            endpoint=fake.url,
            TENCENTCLOUD_SECRET_ID="AKIDBudgetTest0000EXAMPLE",
            TENCENTCLOUD_SECRET_KEY="budget-key",
            max_calls_per_session=1,
        )
        assert any("1 used, 0 left" in c.value for c in again.sidebar.caption)


def test_the_session_disk_quota_bounds_unpacked_sets(_data_dir: Path, kit):
    big = {f"bona_fide/{i}.jpg": kit.picture(i) + bytes(700_000) for i in range(3)}  # ~2.1 MB
    at = _page(session_disk_mb=1)
    at.file_uploader(key="eval_zip").upload("big.zip", _zip(big), "application/zip").run()
    assert any("more than" in e.value for e in at.error), [e.value for e in at.error]
    from evaluation.paths import folder_bytes

    (session,) = (_data_dir / "sessions").iterdir()
    assert folder_bytes(session) <= 1024 * 1024, "the quota was exceeded on disk"
    assert not at.metric  # no plan for a set that was refused


def test_session_folders_a_crash_left_are_swept_when_the_page_starts(_data_dir: Path):
    import os

    from components.evaluate_inputs import sweep_stale_folders

    stale = _data_dir / "sessions" / "0123456789abcdef"
    (stale / "sets").mkdir(parents=True)
    (stale / "sets" / "big.bin").write_bytes(bytes(1000))
    two_days_ago = stale.stat().st_mtime - 2 * 86400
    os.utime(stale, (two_days_ago, two_days_ago))
    sweep_stale_folders.clear()  # a fresh server process
    _page()
    assert not stale.exists()


def test_an_uploaded_set_is_named_by_its_file_and_content_never_the_server_path(
    _data_dir: Path, kit
):
    from evaluation import Store

    files = {f"bona_fide/{i}.jpg": kit.picture(i) for i in range(2)}
    data = _zip(files)
    with RecordingServer() as fake:
        at = _page(
            backend="tencent",
            endpoint=fake.url,
            TENCENTCLOUD_SECRET_ID="AKIDSourceTest0000EXAMPLE",
            TENCENTCLOUD_SECRET_KEY="source-key",
        )
        at.file_uploader(key="eval_zip").upload("evalset.zip", data, "application/zip").run()
        at.number_input(key="eval_qps").set_value(50.0).run()
        _run_to_the_end(at)
    with Store(at.session_state["eval_job"].store_path) as store:
        (run,) = store.runs()
    assert run.source == f"evalset.zip · {hashlib.sha256(data).hexdigest()[:12]}"
    assert str(_data_dir) not in run.source


def test_an_uploaded_set_is_read_and_planned_once_not_on_every_rerun(
    kit, monkeypatch: pytest.MonkeyPatch
):
    import components.evaluate as evaluate_page
    import evaluation

    plans: list[object] = []

    def counted(*args: object, **kwargs: object) -> object:
        plans.append(args[0])
        return evaluation.make_plan(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(evaluate_page, "make_plan", counted)
    files = {f"bona_fide/{i}.jpg": kit.picture(i) for i in range(2)}
    at = _page()
    at.file_uploader(key="eval_zip").upload("evalset.zip", _zip(files), "application/zip").run()
    for _ in range(3):
        at.run()
    assert not at.exception
    assert len(plans) == 1, "the set and its plan are kept across reruns"
