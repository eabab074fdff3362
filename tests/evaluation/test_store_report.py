"""The store's resume rules and the exports' contents."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from evaluation import (
    INTERRUPTED,
    Outcome,
    ResultRow,
    RunSettings,
    Store,
    StoreError,
    compute_metrics,
)
from evaluation.dataset import Dataset, DatasetItem
from evaluation.report import html_report, items_csv, metrics_json, text_summary, wrong_first

SETTINGS = RunSettings("sandbox", "local-sandbox:x", None, 2.0, 2, {"max_side": 640})


def _dataset(names: list[str]) -> Dataset:
    items = tuple(
        DatasetItem(
            f"{'attack/x' if 'a' in n else 'bona_fide'}/{n}.jpg",
            Path(n),
            "attack" if "a" in n else "bona_fide",
            "x" if "a" in n else None,
            f"sha-{n}",
            1,
        )
        for n in names
    )
    return Dataset("src", Path("."), "folder", items, ())


def test_results_are_shared_by_settings_not_by_run(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        first = store.open_run("one", SETTINGS, _dataset(["b1", "a1"]))
        store.record(SETTINGS.config_key, first, Outcome("sha-b1", level="Low", attempts=1))
        second = store.open_run("two", SETTINGS, _dataset(["b1", "a2"]))
        assert second != first
        assert store.final_hashes(SETTINGS.config_key) == {"sha-b1"}
        rows = {r.path: r for r in store.rows(second)}
        assert rows["bona_fide/b1.jpg"].level == "Low" and not rows["attack/x/a2.jpg"].done
        other = RunSettings("sandbox", "local-sandbox:x", None, 2.0, 2, {"max_side": 320})
        assert other.config_key != SETTINGS.config_key
        assert store.final_hashes(other.config_key) == set()
        same_but_faster = RunSettings("sandbox", "local-sandbox:x", None, 5.0, 8, {"max_side": 640})
        assert same_but_faster.config_key == SETTINGS.config_key


def test_retryable_outcomes_are_sent_again_and_calls_add_up(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        run = store.open_run("one", SETTINGS, _dataset(["b1"]))
        store.record(
            SETTINGS.config_key,
            run,
            Outcome("sha-b1", attempts=6, error_code="RequestLimitExceeded", retryable=True),
        )
        assert store.final_hashes(SETTINGS.config_key) == set()
        store.record(SETTINGS.config_key, run, Outcome("sha-b1", level="High", attempts=1))
        (row,) = store.rows(run)
        assert (row.level, row.error_code, row.attempts) == ("High", None, 7)


def _crash_with_a_call_in_flight(db: Path) -> int:
    """A run whose process died with 'sha-b1' marked in flight; the run's id."""
    with Store(db) as store:
        run = store.open_run("one", SETTINGS, _dataset(["b1", "b2"]))
    code = (
        "import sys; from evaluation.store import Store; s = Store(sys.argv[1]);"
        f"s.mark_inflight({SETTINGS.config_key!r}, {run}, 'sha-b1')"
    )
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    subprocess.run(
        [sys.executable, "-c", code, str(db)], check=True, env=env
    )  # that process is gone now
    return run


def test_calls_in_flight_at_a_crash_are_sent_again_by_default(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    run = _crash_with_a_call_in_flight(db)
    with Store(db) as store:
        assert store.settle_interrupted(SETTINGS.config_key, run) == 1
        assert store.final_hashes(SETTINGS.config_key) == set(), "to be sent again"
        info = store.run(run)
        assert (info.interrupted, info.resent) == (1, 1)
        assert store.settle_interrupted(SETTINGS.config_key, run) == 0


def test_calls_in_flight_at_a_crash_can_be_kept_as_interrupted(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    run = _crash_with_a_call_in_flight(db)
    with Store(db) as store:
        assert store.settle_interrupted(SETTINGS.config_key, run, resend=False) == 1
        assert (store.run(run).interrupted, store.run(run).resent) == (1, 0)
        assert store.final_hashes(SETTINGS.config_key) == {"sha-b1"}
        assert store.final_hashes(SETTINGS.config_key, resend_uncertain=True) == set()
        row = next(r for r in store.rows(run) if r.sha256 == "sha-b1")
        assert row.error_code == INTERRUPTED
        assert store.settle_interrupted(SETTINGS.config_key, run, resend=False) == 0


def test_a_run_held_by_a_live_process_is_not_opened_twice(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        run = store.open_run("one", SETTINGS, _dataset(["b1"]))
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        import sqlite3

        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE runs SET pid=? WHERE id=?", (holder.pid, run))
        with Store(db) as store, pytest.raises(StoreError) as info:
            store.open_run("one", SETTINGS, _dataset(["b1"]))
        assert info.value.code == "run_busy"
    finally:
        holder.kill()
        holder.wait()


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("this is not sqlite, just text that is long enough to be read as a header" * 10)
    with pytest.raises(StoreError) as info:
        Store(bad)
    assert "notes.db" in info.value.en and info.value.zh


def test_another_programs_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    # `report --db` pointed at the wrong .db must not add tables or switch it to WAL.
    import sqlite3

    other = tmp_path / "contacts.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE contacts (name TEXT)")
        db.execute("INSERT INTO contacts VALUES ('Ada')")
    db.close()
    before = other.read_bytes()
    with pytest.raises(StoreError) as info:
        Store(other)
    assert "contacts.db" in info.value.en and "another program" in info.value.en
    assert other.read_bytes() == before
    assert not (tmp_path / "contacts.db-wal").exists()
    with Store(tmp_path / "fresh.db") as store:  # a new file is still fine
        assert store.runs() == []
    with Store(tmp_path / "fresh.db") as store:  # and so is reopening our own
        assert store.latest_run_id() is None


def _rows() -> list[ResultRow]:
    return [
        ResultRow(
            "bona_fide/ok.jpg", "bona_fide", None, "s1", "Low", (), "r1", 120.0, 1, done=True
        ),
        ResultRow(
            "bona_fide/<b>x</b>.jpg",
            "bona_fide",
            None,
            "s2",
            "High",
            ("SuspectedSpoofingAttack",),
            "r2",
            150.0,
            1,
            done=True,
        ),
        ResultRow("attack/p/a.jpg", "attack", "p", "s3", "Low", (), "r3", 90.0, 1, done=True),
        ResultRow(
            "attack/p/b.jpg",
            "attack",
            "p",
            "s4",
            None,
            (),
            None,
            None,
            1,
            "FailedOperation.CoveredFace",
            "covered",
            True,
        ),
        ResultRow("attack/p/c.jpg", "attack", "p", "s5", "High", (), "r5", 100.0, 1, done=True),
    ]


def test_wrong_first_orders_wrong_then_unanswered_then_right() -> None:
    order = [r.path for r in wrong_first(_rows())]
    assert order[:2] == ["attack/p/a.jpg", "bona_fide/<b>x</b>.jpg"]
    assert order[2] == "attack/p/b.jpg"


def test_items_csv_has_one_line_per_item_with_correctness() -> None:
    table = list(csv.DictReader(io.StringIO(items_csv(_rows()))))
    assert len(table) == 5
    by_path = {r["path"]: r for r in table}
    assert by_path["attack/p/a.jpg"]["correct_high"] == "0"
    assert by_path["attack/p/c.jpg"]["correct_high"] == "1"
    assert (
        by_path["attack/p/b.jpg"]["correct_high"] == ""
        and by_path["attack/p/b.jpg"]["outcome"] == "none"
    )
    assert by_path["bona_fide/<b>x</b>.jpg"]["traces"] == "SuspectedSpoofingAttack"


def test_html_report_is_self_contained_and_escaped() -> None:
    rows = _rows()
    page = html_report(compute_metrics(rows), rows)
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") >= 3
    assert "<script" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "<b>x</b>" not in page
    assert "FailedOperation.CoveredFace" in page


def test_text_summary_and_json_agree() -> None:
    m = compute_metrics(_rows())
    assert "APCER 50.0%" in text_summary(m)
    assert '"apcer": 0.5' in metrics_json(m)


def test_items_csv_defuses_spreadsheet_formulas_in_file_names() -> None:
    evil = ResultRow(
        "=HYPERLINK(1)/a.jpg", "attack", "+cmd", "s9", "Low", (), "r9", 1.0, 1, done=True
    )
    (row,) = csv.DictReader(io.StringIO(items_csv([evil])))
    assert row["path"] == "'=HYPERLINK(1)/a.jpg"
    assert row["attack_type"] == "'+cmd"
