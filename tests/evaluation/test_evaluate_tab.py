"""The Evaluate tab through Streamlit's AppTest: plan, a run in the background, results
of the run just made, a language switch mid-run, compare, and the CLI sharing results."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.i18n import load_strings
from evaluation import Store
from sandbox import Sandbox
from tests.evaluation.conftest import wait_for_the_run

NOTE = "retake: <b>glare</b> on set B"


def _page(url: str, store: str, work: str, max_side: int, check_faces: bool) -> None:
    """A page holding only the Evaluate tab, on a given sandbox and store; the language
    comes from session state so a test can switch it between reruns."""
    import streamlit as st

    from client import Credentials, FaceIdClient
    from components.context import AppContext
    from components.evaluate import evaluate_tab
    from components.state import LANG, reassert_widget_values
    from media import PrepareOptions
    from sandbox import DEMO_SECRET_ID, DEMO_SECRET_KEY

    lang = st.session_state.get("page_lang", "en")
    if st.session_state.get("_lang_drawn", lang) != lang:
        reassert_widget_values(skip=LANG)  # as the page's language switch does
    st.session_state["_lang_drawn"] = lang
    creds = Credentials(DEMO_SECRET_ID, DEMO_SECRET_KEY, source="sandbox")
    st.session_state.setdefault("eval_store_mode", "path")
    st.session_state.setdefault("eval_store_path", store)
    ctx = AppContext(
        lang=lang,
        backend="sandbox",
        endpoint=url,
        region=None,  # type: ignore[arg-type]
        prepare_options=PrepareOptions(max_side=max_side, check_faces=check_faces),
        credentials_source="sandbox",
        make_client=lambda: FaceIdClient(creds, endpoint=url, max_retries=0),
    )
    evaluate_tab(ctx)


def _app(box: Sandbox, tmp_path: Path, lang: str, check_faces: bool = False) -> AppTest:
    at = AppTest.from_function(
        _page,
        args=(box.url, str(tmp_path / "page.db"), str(tmp_path / "session"), 320, check_faces),
        default_timeout=60,
    )
    at.session_state["page_lang"] = lang
    # Server folders and store paths only inside the roots the operator allows.
    at.secrets["allowed_roots"] = [str(tmp_path)]
    at.secrets["data_dir"] = str(tmp_path / "data")
    return at


def _table(at: AppTest, column: str):
    """The first dataframe on the page with this column."""
    return next(df.value for df in at.dataframe if column in df.value.columns)


def _choose_folder(at: AppTest, root: Path) -> None:
    at.segmented_control(key="eval_source_mode").set_value("folder").run()
    at.text_input(key="eval_folder").input(str(root)).run()
    assert not at.exception, at.exception


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_two_runs_in_a_row_each_shown_when_it_ends(tmp_path: Path, kit, lang: str) -> None:
    from components.i18n import t

    root = tmp_path / "set"
    kit.write_folder(root, {"bona_fide": 3, "attack/print": 2, "attack/replay": 1})
    (root / "attack" / "notes.txt").write_text("x")
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    scenario = tmp_path / "s.toml"
    scenario.write_text('[default]\nlevel = "High"\nface_check = false\n')
    with Sandbox(qps=50, scenario=scenario) as box:
        at = _app(box, tmp_path, lang)
        at.run()
        assert not at.exception
        assert any(t("evaluate.no_runs", lang) in i.value for i in at.info)
        _choose_folder(at, root)
        plan = [m.value for m in at.metric]
        assert plan == [
            "6",
            "3",
            "3",
            "2",
            "0",
            "6",
        ]  # items, bona fide, attack, types, stored, to send
        assert int(at.number_input(key="eval_concurrency").value) > 0
        assert _table(at, t("evaluate.skipped_reason", lang)).shape[0] == 1
        at.number_input(key="eval_qps").set_value(50.0).run()
        at.text_input(key="eval_run_name").input("first").run()
        at.button(key="eval_start").click().run()
        assert not at.exception, at.exception
        wait_for_the_run(at)
        assert box.stats()["calls"] == 6
        assert at.selectbox(key="eval_pick_run").value == 1
        assert "first" in at.selectbox(key="eval_pick_run").format_func(1)
        metrics = _table(at, t("evaluate.col_point", lang))
        assert metrics[t("evaluate.col_apcer", lang)].str.startswith("0.0%").all()
        assert metrics[t("evaluate.col_bpcer", lang)].str.startswith("100.0%").all()
        items = _table(at, "request_id")  # columns by id; their titles are localised
        assert len(items) == 6 and items.iloc[0]["label"] == t("evaluate.class_bona_fide", lang), (
            "wrong ones first"
        )
        assert list(items.columns[:7]) == [
            "path",
            "label",
            "type",
            "outcome",
            "right",
            "error",
            "ms",
        ]
        # Breakdowns name their groups in the page language (pictures; face size unknown,
        # since this page prepares without the face pre-flight).
        group = t("evaluate.group", lang)
        kinds, faces = (df.value for df in at.dataframe if group in df.value.columns)
        assert list(kinds[group]) == [t("evaluate.group_image", lang)]
        assert list(faces[group]) == [t("evaluate.group_unknown", lang)]
        items_table = next(d for d in at.dataframe if "request_id" in d.value.columns)
        assert items_table.proto.placeholder == "—"  # a missing latency is a dash, not "None"
        assert len(at.get("download_button")) == 3
        assert [m.value for m in at.metric][4:] == ["6", "0"], (
            at.segmented_control(key="eval_source_mode").value,
            at.text_input(key="eval_folder").value if "eval_folder" in at.session_state else None,
            [w.key for w in at.main.children.values()],
        )
        # the same pictures from another folder: a second run, answered from the store
        _choose_folder(at, copy)
        at.text_input(key="eval_run_name").input("second").run()
        at.button(key="eval_start").click().run()
        wait_for_the_run(at)
        assert box.stats()["calls"] == 6, (
            "the same content under the same settings is not sent again"
        )
        assert at.selectbox(key="eval_pick_run").value == 2, "the run just finished is shown"
        changed = t("evaluate.compare_changed", lang, count=0)
        assert any(changed in m.value for m in at.markdown)
        compare = _table(at, t("evaluate.compare_significant", lang))
        assert len(compare) == 11
        assert set(compare[t("evaluate.compare_diff", lang)]) <= {"+0.0 pp", "–"}
        diff = _table(at, t("evaluate.compare_setting", lang))
        assert set(diff[t("evaluate.compare_setting", lang)]) == {"name", "source"}
    assert not at.exception


@pytest.mark.slow
def test_a_language_switch_mid_run_neither_stops_it_nor_loses_selections(
    tmp_path: Path, kit, default_value_warnings: list[str]
) -> None:
    from components.i18n import t

    root = tmp_path / "set"
    kit.write_folder(root, {"bona_fide": 6, "attack/print": 6})
    scenario = tmp_path / "s.toml"
    scenario.write_text('[default]\nlevel = "Mid"\nface_check = false\n')
    with Sandbox(qps=0, latency_ms=400, scenario=scenario) as box:
        at = _app(box, tmp_path, "en")
        at.run()
        _choose_folder(at, root)
        # 12 calls paced at 1.5 a second take at least 7.3 s: the run is still going when
        # Results is drawn below, however loaded the machine.
        at.number_input(key="eval_qps").set_value(1.5).run()
        at.button(key="eval_start").click().run()
        assert at.button(key="eval_start").disabled, "Start is disabled during a run"
        job = at.session_state["eval_job"]
        assert job.running
        at.session_state["page_lang"] = "zh"
        at.run()
        assert not at.exception, at.exception
        assert at.session_state["eval_job"] is job and job.running and not job.cancel.is_set()
        assert at.text_input(key="eval_folder").value == str(root)
        assert at.number_input(key="eval_qps").value == 1.5
        assert default_value_warnings == []  # the settings keep their values, no default beside
        assert any(t("evaluate.cancel", "zh") == b.label for b in at.button)
        # Results calls the run under way, never "stopped before the end".
        deadline = time.monotonic() + 60
        while job.running and job.progress is None and time.monotonic() < deadline:
            time.sleep(0.05)
        at.run()
        assert job.running and job.progress is not None
        infos = [i.value for i in at.info]
        zh = load_strings("zh")
        assert any(zh["evaluate.under_way"].split("{")[0] in v for v in infos), infos
        assert not any(zh["evaluate.last_cancelled"].split("{")[0] in v for v in infos)
        wait_for_the_run(at)
        assert job.summary is not None and job.summary.status == "finished"
        assert box.stats()["calls"] == 12
        assert at.selectbox(key="eval_pick_run").value == 1
        assert any(
            t("evaluate.finished", "zh", done=12, calls=12, errors=0) in s.value for s in at.success
        )


@pytest.mark.slow
def test_the_cli_reports_the_pages_run_without_sending_anything(
    tmp_path: Path, kit, cli_env
) -> None:
    root = tmp_path / "set"
    kit.write_folder(root, {"bona_fide": 2, "attack/print": 2})
    with Sandbox(qps=0, scenario=Path("samples/scenario.toml").resolve()) as box:
        at = _app(box, tmp_path, "en", check_faces=True)
        at.run()
        _choose_folder(at, root)
        at.number_input(key="eval_qps").set_value(20.0).run()
        at.text_area(key="eval_run_note").input(NOTE).run()
        at.button(key="eval_start").click().run()
        wait_for_the_run(at)
        sent = box.stats()["calls"]
        assert "<b>glare</b>" in at.selectbox(key="eval_pick_run").format_func(1)
        assert any(NOTE in x.value for x in at.text), "the note is shown as plain text"
        assert not any("<b>glare</b>" in m.value for m in at.markdown)
    assert sent == 4
    db = tmp_path / "page.db"
    env = {k: v for k, v in cli_env.items() if not k.startswith("TENCENTCLOUD_")}

    def cli(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "evaluation", *extra],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=os.getcwd(),
        )

    run_args = ["run", str(root), "--db", str(db), "--sandbox", "--max-side", "320"]
    proc = cli(*run_args, "--qps", "20")
    assert proc.returncode == 0, proc.stderr
    assert "4 item(s) already measured under these settings, 0 content(s) to send" in proc.stderr
    assert proc.stdout.startswith("run 1 ")
    with Store(db) as store:
        (run,) = store.runs()
    assert run.done == 4
    assert run.note == NOTE, "a resume without --note keeps the page's note"
    assert json.loads(cli("report", "--db", str(db), "--json").stdout)["run"]["note"] == NOTE
    assert cli(*run_args, "--note", "from the CLI").returncode == 0
    report = json.loads(cli("report", "--db", str(db), "--json").stdout)
    assert (report["run"]["id"], report["run"]["note"]) == (1, "from the CLI")


def _store_with_runs(tmp_path: Path, kit, demo_client, db: Path, names: list[str]) -> None:
    """A store holding one sandbox run per name, each of its own copy of a small set (a run
    is a set and its settings: same set, same settings, same run)."""
    from evaluation import RunnerOptions, load_dataset, run_evaluation, run_settings

    root = tmp_path / "set"
    kit.write_folder(root, {"bona_fide": 2, "attack/print": 2})
    scenario = tmp_path / "s.toml"
    scenario.write_text('[default]\nlevel = "Low"\nface_check = false\n')
    with Sandbox(qps=0, scenario=scenario) as box, Store(db) as store:
        for i, name in enumerate(names):
            folder = tmp_path / f"set{i}"
            shutil.copytree(root, folder)
            run_evaluation(
                load_dataset(folder),
                store,
                run_settings(
                    sandbox=True,
                    endpoint=box.url,
                    region=None,
                    qps=50.0,
                    concurrency=2,
                    prepare_options=kit.FAST,
                    scenario=scenario,
                    name=name,
                ),
                demo_client(box.url),
                options=RunnerOptions(qps=50.0, concurrency=2),
                prepare_options=kit.FAST,
            )


@pytest.mark.slow
def test_a_language_switch_keeps_the_store_the_run_and_the_filters_chosen(
    tmp_path: Path, kit, demo_client, default_value_warnings: list[str]
) -> None:
    """Every Evaluate choice is keyed by an id, never by its (translated) label; no widget
    is given a default beside the value the switch writes back (Streamlit would warn)."""
    from components.evaluate_inputs import STORES_DIR
    from components.i18n import t

    stores = tmp_path / "data" / STORES_DIR
    stores.mkdir(parents=True)
    Store(stores / "alpha.db").close()  # listed first: the default choice
    _store_with_runs(tmp_path, kit, demo_client, stores / "beta.db", ["one", "two"])
    at = AppTest.from_function(
        _page, args=("http://127.0.0.1:9", "", str(tmp_path), 320, False), default_timeout=60
    )
    at.secrets["data_dir"] = str(tmp_path / "data")  # named stores only (no allowed_roots)
    at.session_state["page_lang"] = "en"
    at.run()
    assert at.selectbox(key="eval_store_name").value == "alpha"
    at.selectbox(key="eval_store_name").set_value("beta").run()
    assert at.selectbox(key="eval_pick_run").value == 2, "the newest run first"
    at.selectbox(key="eval_pick_run").set_value(1).run()
    at.multiselect(key="eval_filter_label").set_value(["attack"]).run()
    at.toggle(key="eval_filter_wrong").set_value(True).run()
    at.selectbox(key="eval_cmp_a").set_value(2).run()
    at.selectbox(key="eval_cmp_b").set_value(1).run()
    assert not at.exception, at.exception
    before = _table(at, "request_id")
    at.session_state["page_lang"] = "zh"
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="eval_store_name").value == "beta"
    assert at.selectbox(key="eval_pick_run").value == 1
    assert "one" in at.selectbox(key="eval_pick_run").format_func(1)
    assert at.multiselect(key="eval_filter_label").value == ["attack"]
    assert at.toggle(key="eval_filter_wrong").value is True
    assert (at.selectbox(key="eval_cmp_a").value, at.selectbox(key="eval_cmp_b").value) == (2, 1)
    after = _table(at, "request_id")
    assert list(after["path"]) == list(before["path"]) and len(after) == 2, "the same rows"
    assert set(after["label"]) == {t("evaluate.class_attack", "zh")}
    assert default_value_warnings == []


def _views(db: str) -> None:
    """Views of run 1 while it is written, then once it has ended (see the test below)."""
    import dataclasses
    from pathlib import Path

    import streamlit as st

    from components.evaluate_results import run_view
    from evaluation import Store

    with Store(Path(db)) as store:
        first = run_view(store, dataclasses.replace(store.run(1), status="running"))
        store.set_status(1, "running")  # a write: the store file changes
        while_running = run_view(store, store.run(1))
        store.set_status(1, "finished")
        ended = run_view(store, store.run(1))
    st.session_state["seen"] = (while_running is first, ended is first, ended.run.status)


def test_a_run_being_written_is_not_read_again_on_every_rerun(
    tmp_path: Path, kit, demo_client
) -> None:
    db = tmp_path / "s.db"
    _store_with_runs(tmp_path, kit, demo_client, db, ["one"])
    at = AppTest.from_function(_views, args=(str(db),), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["seen"] == (True, False, "finished")
