"""Run notes: stored with the run, kept on resume, migrated into older stores, escaped in
the HTML report, present in `--json` and the page's run selector."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from evaluation import NOTE_MAX_CHARS, RunSettings, Store, compute_metrics
from evaluation.dataset import Dataset, DatasetItem
from evaluation.report import html_report, metrics_json, text_summary

SETTINGS = RunSettings("sandbox", "local-sandbox:x", None, 2.0, 2, {"max_side": 640})
HOSTILE = "<script>alert(1)</script> & **bold**"


def _dataset() -> Dataset:
    item = DatasetItem("bona_fide/b1.jpg", Path("b1"), "bona_fide", None, "sha-b1", 1)
    return Dataset("src", Path("."), "folder", (item,), ())


def test_a_note_is_kept_on_resume_replaced_when_given_and_bounded(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        run_id = store.open_run("src", SETTINGS, _dataset(), note="  first try  ")
        assert store.run(run_id).note == "first try"
        assert store.open_run("src", SETTINGS, _dataset()) == run_id  # resumed, no note given
        assert store.run(run_id).note == "first try"
        store.open_run("src", SETTINGS, _dataset(), note="x" * (NOTE_MAX_CHARS + 50))
        assert store.run(run_id).note == "x" * NOTE_MAX_CHARS
        store.open_run("src", SETTINGS, _dataset(), note="")
        assert store.run(run_id).note is None
        store.open_run("src", SETTINGS, _dataset(), note=HOSTILE)
        assert [r.note for r in store.runs()] == [HOSTILE]


def _old_store(path: Path) -> None:
    """A store as the first version wrote it: no interrupted/resent/note columns."""
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL,"
        " config_key TEXT NOT NULL, settings_json TEXT NOT NULL, status TEXT NOT NULL,"
        " pid INTEGER, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
        " UNIQUE (source, config_key));"
    )
    db.execute(
        "INSERT INTO runs (source, config_key, settings_json, status, pid, created_at, updated_at)"
        " VALUES ('src', ?, ?, 'finished', NULL, '2026-01-01T00:00:00+00:00',"
        " '2026-01-01T00:00:00+00:00')",
        (SETTINGS.config_key, json.dumps(SETTINGS.as_dict())),
    )
    db.commit()
    db.close()


def test_an_older_store_gains_the_note_column_and_keeps_its_runs(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _old_store(path)
    with Store(path) as store:
        (run,) = store.runs()
        assert (run.run_id, run.status, run.note, run.resent) == (1, "finished", None, 0)
        store.open_run("src", SETTINGS, _dataset(), note="after the upgrade")
    with Store(path) as store:  # opening a migrated store again changes nothing
        assert store.run(1).note == "after the upgrade"
    columns = [r[1] for r in sqlite3.connect(path).execute("PRAGMA table_info(runs)")]
    assert columns.count("note") == 1


def test_two_processes_migrating_one_old_store_at_once_agree(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _old_store(path)
    code = "import sys; from evaluation import Store; Store(sys.argv[1]).close()"
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(path)], stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    errors = [p.communicate(timeout=60)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    with Store(path) as store:
        assert store.run(1).note is None


def test_reports_show_the_note_escaped(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        run_id = store.open_run("src", SETTINGS, _dataset(), note=HOSTILE)
        run, rows = store.run(run_id), store.rows(run_id)
    metrics = compute_metrics(rows)
    page = html_report(metrics, rows, run)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; **bold**" in page
    assert "<script" not in page
    assert json.loads(metrics_json(metrics, run))["run"]["note"] == HOSTILE
    assert f"note: {HOSTILE}" in text_summary(metrics, run)
