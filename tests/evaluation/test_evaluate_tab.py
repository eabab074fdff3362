"""The Evaluate tab through Streamlit's AppTest: plan, run, metrics, downloads, compare."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sandbox import Sandbox


def _page(url: str, store: str, lang: str, work: str) -> None:
    """A page holding only the Evaluate tab, on a given sandbox and store."""
    import streamlit as st

    from client import Credentials, FaceIdClient
    from components.context import AppContext
    from components.evaluate import evaluate_tab
    from media import PrepareOptions
    from sandbox import DEMO_SECRET_ID, DEMO_SECRET_KEY

    creds = Credentials(DEMO_SECRET_ID, DEMO_SECRET_KEY, source="sandbox")
    st.session_state.setdefault("eval_dir", work)  # the session folder, inside tmp_path
    st.session_state.setdefault("eval_store_mode", "path")
    st.session_state.setdefault("eval_store_path", store)
    ctx = AppContext(
        lang=lang,
        backend="sandbox",
        endpoint=url,
        region=None,  # type: ignore[arg-type]
        prepare_options=PrepareOptions(max_side=320, check_faces=False),
        credentials_source="sandbox",
        make_client=lambda: FaceIdClient(creds, endpoint=url, max_retries=0),
    )
    evaluate_tab(ctx)


def _table(at: AppTest, column: str):
    """The first dataframe on the page with this column."""
    return next(df.value for df in at.dataframe if column in df.value.columns)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_plan_run_results_and_compare(tmp_path: Path, kit, lang: str) -> None:
    from components.i18n import t

    root = tmp_path / "set"
    kit.write_folder(root, {"bona_fide": 3, "attack/print": 2, "attack/replay": 1})
    (root / "attack" / "notes.txt").write_text("x")
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    scenario = tmp_path / "s.toml"
    scenario.write_text('[default]\nlevel = "High"\nface_check = false\n')
    with Sandbox(qps=50, scenario=scenario) as box:
        at = AppTest.from_function(
            _page,
            args=(box.url, str(tmp_path / "page.db"), lang, str(tmp_path / "session")),
            default_timeout=30,
        )
        at.run()
        assert not at.exception
        assert any(t("evaluate.no_runs", lang) in i.value for i in at.info)
        at.segmented_control(key="eval_source_mode").set_value("folder").run()
        at.text_input(key="eval_folder").input(str(root)).run()
        assert not at.exception
        plan = [m.value for m in at.metric]
        assert plan == [
            "6",
            "3",
            "3",
            "2",
            "0",
            "6",
        ]  # items, bona fide, attack, types, stored, to send
        assert _table(at, t("evaluate.skipped_reason", lang)).shape[0] == 1
        at.number_input(key="eval_qps").set_value(50.0).run()
        at.button(key="eval_start").click().run()
        assert not at.exception, at.exception
        assert box.stats()["calls"] == 6
        metrics = _table(at, t("evaluate.col_point", lang))
        assert metrics[t("evaluate.col_apcer", lang)].str.startswith("0.0%").all()
        assert metrics[t("evaluate.col_bpcer", lang)].str.startswith("100.0%").all()
        items = _table(at, t("evaluate.col_path", lang))
        assert len(items) == 6 and items.iloc[0][t("evaluate.label", lang)] == t(
            "evaluate.class_bona_fide", lang
        ), "wrong ones first"
        assert len(at.get("download_button")) == 3
        assert [m.value for m in at.metric][4:] == ["6", "0"], "all stored now, nothing to send"
        # the same pictures from another folder: a second run, answered from the store
        at.text_input(key="eval_folder").input(str(copy)).run()
        assert [m.value for m in at.metric][4:] == ["6", "0"]
        at.button(key="eval_start").click().run()
        assert not at.exception, at.exception
        assert box.stats()["calls"] == 6, (
            "the same content under the same settings is not sent again"
        )
        compare = _table(at, f"{t('evaluate.compare_left', lang)} (#1)")
        assert list(compare.columns) == [
            f"{t('evaluate.compare_left', lang)} (#1)",
            f"{t('evaluate.compare_right', lang)} (#2)",
        ]
        assert compare.iloc[:, 0].tolist() == compare.iloc[:, 1].tolist()
    assert not at.exception
