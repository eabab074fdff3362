"""Comparing two runs, breakdowns, the HTML report's contents and the store's run list."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from evaluation import Outcome, ResultRow, RunSettings, Store, compute_metrics
from evaluation.compare import changed_items, compare_metrics, settings_diff, two_proportion_p
from evaluation.dataset import Dataset, DatasetItem
from evaluation.report import html_report, metrics_json


def _row(path: str, label: str, level: str | None, **kw: object) -> ResultRow:
    kind = "print" if label == "attack" else None
    return ResultRow(path, label, kind, f"sha-{path}", level, (), None, 10.0, 1, done=True, **kw)  # type: ignore[arg-type]


def _run(levels_bona: list[str], levels_attack: list[str]) -> list[ResultRow]:
    return [_row(f"b{i}.jpg", "bona_fide", lv) for i, lv in enumerate(levels_bona)] + [
        _row(f"a{i}.jpg", "attack", lv) for i, lv in enumerate(levels_attack)
    ]


def test_two_proportion_test_matches_a_textbook_value() -> None:
    # 45/100 vs 30/100: z = 2.1910, two-sided p = 0.02845
    p = two_proportion_p(45, 100, 30, 100)
    assert p is not None and abs(p - 0.02845) < 1e-4
    assert two_proportion_p(3, 10, 3, 10) == 1.0 and two_proportion_p(1, 0, 1, 1) is None


def test_compare_gives_every_metric_its_difference_and_significance() -> None:
    a = _run(["Low"] * 40, ["High"] * 40)
    b = _run(["Low"] * 40, ["Low"] * 30 + ["High"] * 10)
    diff = {
        (d["metric"], d["point"]): d
        for d in compare_metrics(compute_metrics(a), compute_metrics(b))
    }
    apcer = diff[("apcer", "high")]
    assert apcer["a"] == 0.0 and apcer["b"] == 0.75 and apcer["diff"] == 0.75
    assert apcer["significant"] is True and apcer["a_counts"] == [0, 40]
    assert diff[("bpcer", "high")]["significant"] is False
    assert diff[("acer", "mid_high")]["test"] == "wilson"
    assert ("non_response_rate", None) in diff and len(diff) == 11
    changed = changed_items(a, b)
    assert len(changed) == 30 and all(
        x.outcome == "High" and y.outcome == "Low" for x, y in changed
    )


def test_settings_diff_names_only_what_differs() -> None:
    from evaluation.models import RunInfo

    one = RunSettings("sandbox", "s", None, 1.0, 2, {"max_side": 640}, {"evaluation": "1"})
    two = RunSettings("sandbox", "s", None, 5.0, 2, {"max_side": 320}, {"evaluation": "1"}, "fast")
    info = [RunInfo(i, "src", s, "finished", "t", "t", 1, 1) for i, s in ((1, one), (2, two))]
    assert settings_diff(*info) == {
        "name": (None, "fast"),
        "prepare.max_side": (640, 320),
        "qps": (1.0, 5.0),
    }


def test_breakdowns_by_media_kind_and_face_size() -> None:
    rows = [
        _row("b.jpg", "bona_fide", "Low", kind="image", face_px=150),
        _row("v.mp4", "bona_fide", "High", kind="video", face_px=80),
        _row("a.jpg", "attack", "Low", kind="image", face_px=None),
    ]
    m = compute_metrics(rows)
    assert set(m["by_kind"]) == {"image", "video"}
    assert m["by_kind"]["video"]["high"]["bpcer"] == 1.0
    assert m["by_kind"]["image"]["high"]["apcer"] == 1.0
    assert set(m["by_face_size"]) == {"<100", "100-199", "unknown"}


def _dataset(n: int) -> Dataset:
    items = tuple(
        DatasetItem(f"bona_fide/{i}.jpg", Path(f"{i}.jpg"), "bona_fide", None, f"s{i}", 1)
        for i in range(n)
    )
    return Dataset("src", Path("."), "folder", items, ())


def test_html_report_has_date_name_settings_banner_and_exact_figures(tmp_path: Path) -> None:
    settings = RunSettings(
        "sandbox", "local-sandbox:x", None, 2.0, 2, {"max_side": 640}, {}, "night <run>"
    )
    with Store(tmp_path / "s.db") as store:
        run_id = store.open_run("src", settings, _dataset(3))
        for i, level in enumerate(("Low", "High", "Low")):
            store.record(settings.config_key, run_id, Outcome(f"s{i}", level=level, attempts=1))
        run, rows = store.run(run_id), store.rows(run_id)
    m = compute_metrics(rows)
    page = html_report(m, rows, run, generated_at="2026-12-01T10:00:00+00:00")
    assert "2026-12-01T10:00:00+00:00" in page and "night &lt;run&gt;" in page
    assert "class=banner" in page and "SANDBOX" in page
    assert "<td>prepare.max_side</td><td>640</td>" in page
    assert "33.3% (1/3)" in page, "BPCER with its exact counts"
    assert "bona_fide/1.jpg" in page.split("Wrong decisions")[1].split("Items, wrong first")[0]
    assert json.loads(metrics_json(m, run))["run"]["name"] == "night <run>"
    real = RunSettings("tencent", "faceid.tencentcloudapi.com", None, 1.0, 2, {})
    with Store(tmp_path / "t.db") as store:
        other = store.run(store.open_run("src", real, _dataset(1)))
    assert "class=banner" not in html_report(compute_metrics([]), [], other)


def test_listing_runs_takes_a_fixed_number_of_queries(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        for i in range(20):
            settings = RunSettings("sandbox", f"e{i}", None, 1.0, 2, {})
            store.open_run(f"src{i}", settings, _dataset(5))
        statements: list[str] = []
        store._db.set_trace_callback(statements.append)  # noqa: SLF001 - counting queries
        runs = store.runs()
        store._db.set_trace_callback(None)  # noqa: SLF001
    assert len(runs) == 20 and all(r.items == 5 and r.done == 0 for r in runs)
    assert len(statements) == 3
    assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM runs").fetchone() == (20,)


def test_an_older_store_is_upgraded_once_even_when_opened_twice_at_once(tmp_path: Path) -> None:
    import threading

    from evaluation.store import SCHEMA

    db = tmp_path / "old.db"
    old_schema = SCHEMA.replace(
        "    interrupted INTEGER NOT NULL DEFAULT 0,\n    resent INTEGER NOT NULL DEFAULT 0,\n", ""
    )
    assert old_schema != SCHEMA
    with sqlite3.connect(db) as conn:
        conn.executescript(old_schema)
    problems: list[BaseException] = []
    start = threading.Barrier(4)

    def open_it() -> None:
        start.wait()
        try:
            Store(db).close()
        except BaseException as exc:  # collected for the assertion below
            problems.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert problems == []
    with Store(db) as store:
        run = store.run(
            store.open_run("src", RunSettings("sandbox", "e", None, 1.0, 2, {}), _dataset(1))
        )
    assert (run.interrupted, run.resent) == (0, 0)
