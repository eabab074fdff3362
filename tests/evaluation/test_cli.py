"""`python -m evaluation` as users run it: kill and resume, exit codes, the report shape."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from evaluation import INTERRUPTED, Store
from sandbox import Sandbox


def _cli(
    args: list[str], env: dict[str, str], timeout: float = 90
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "evaluation", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stderr + proc.stdout


def _results(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM results").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


LEVELS_CYCLE = ("Low", "Mid", "High", "High", "Low")


def _mixed_scenario(tmp_path: Path, files: dict[str, bytes], kit) -> Path:
    """Each picture gets its own level (by the content the sandbox receives)."""
    lines = ['[default]\nlevel = "Low"\nface_check = false\n']
    for i, data in enumerate(files.values()):
        level = LEVELS_CYCLE[i % len(LEVELS_CYCLE)]
        lines.append(f'[[rule]]\nsha256 = "{kit.prepared_sha(data)}"\nlevel = "{level}"\n')
    path = tmp_path / "mixed.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _kill_mid_run(args: list[str], env: dict[str, str], db: Path) -> None:
    """Start `run`, SIGKILL it once at least 6 results are stored, check it was mid-run."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "evaluation", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while _results(db) < 6 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 6 <= _results(db) < 28, "killed mid-run"


def _figures(db: Path, env: dict[str, str]) -> dict:
    """`report --json` without what legitimately differs between two runs (ids, times)."""
    proc = _cli(["report", "--db", str(db), "--json"], env)
    assert proc.returncode == 0, proc.stderr
    figures = json.loads(proc.stdout)
    figures.pop("run")
    figures.pop("latency_ms")
    return figures


@pytest.mark.slow
def test_sigkill_then_resume_gives_the_uninterrupted_figures(tmp_path: Path, kit, cli_env) -> None:
    root = tmp_path / "set"
    files = kit.write_folder(root, {"bona_fide": 12, "attack/print": 8, "attack/replay": 8})
    scenario = _mixed_scenario(tmp_path, files, kit)
    common = ["--qps", "10", "--concurrency", "4", "--max-side", "320"]
    with Sandbox(qps=20, latency_ms=300, scenario=scenario) as box:
        whole = _cli(
            [
                "run",
                str(root),
                "--db",
                str(tmp_path / "whole.db"),
                "--qps",
                "50",
                "--endpoint",
                box.url,
                "--max-side",
                "320",
            ],
            cli_env,
        )
        assert whole.returncode == 0, whole.stderr
        box.reset()
        db = tmp_path / "kill.db"
        args = ["run", str(root), "--db", str(db), "--endpoint", box.url, *common]
        _kill_mid_run(args, cli_env, db)
        again = _cli(args, cli_env)
        _no_traceback(again)
        assert again.returncode == 0, again.stderr
        stats = box.stats()
    expected = _figures(tmp_path / "whole.db", cli_env)
    levels = expected["confusion"]["bona_fide"] | expected["confusion"]["attack"]
    assert all(levels[name] > 0 for name in ("Low", "Mid", "High")), "a set worth comparing"
    assert _figures(db, cli_env) == expected, "kill + resume changes no figure"
    assert len(stats["by_sha256"]) == 28, "every content reached the service"
    repeated = sum(n - 1 for n in stats["by_sha256"].values())
    assert repeated <= 4, "only what was in flight (at most --concurrency calls) is sent again"
    with Store(db) as store:
        run = store.run(store.latest_run_id())  # type: ignore[arg-type]
    # a call may be marked in flight while it waits for the quota: marks bound the repeats
    assert repeated <= run.resent == run.interrupted <= 4
    if run.resent:
        assert "sent again" in again.stderr
        html = tmp_path / "k.html"
        assert _cli(["report", "--db", str(db), "--html", str(html)], cli_env).returncode == 0
        assert f"{run.resent} call(s) in flight at an interruption sent again" in html.read_text()


@pytest.mark.slow
def test_no_resend_interrupted_never_sends_content_twice(tmp_path: Path, kit, cli_env) -> None:
    root = tmp_path / "set"
    kit.write_folder(root, {"bona_fide": 12, "attack/print": 8, "attack/replay": 8})
    scenario = tmp_path / "s.toml"
    scenario.write_text('[default]\nlevel = "High"\nface_check = false\n')
    db = tmp_path / "kill.db"
    with Sandbox(qps=20, latency_ms=300, scenario=scenario) as box:
        args = [
            "run",
            str(root),
            "--db",
            str(db),
            "--endpoint",
            box.url,
            "--qps",
            "10",
            "--concurrency",
            "4",
            "--max-side",
            "320",
            "--no-resend-interrupted",
        ]
        _kill_mid_run(args, cli_env, db)
        again = _cli(args, cli_env)
        _no_traceback(again)
        assert again.returncode == 0, again.stderr
        stats = box.stats()
    with Store(db) as store:
        run_id = store.latest_run_id()
        assert run_id is not None and len(store.runs()) == 1
        rows = store.rows(run_id)
    assert len(rows) == 28 and all(r.done for r in rows)
    with sqlite3.connect(db) as conn:
        per_content = conn.execute(
            "SELECT sha256, COUNT(*) FROM results GROUP BY config_key, sha256"
        ).fetchall()
    assert len(per_content) == 28 and {n for _, n in per_content} == {1}, "one result per item"
    assert max(stats["by_sha256"].values()) == 1, "no content sent twice"
    interrupted = [r for r in rows if r.error_code == INTERRUPTED]
    answered = [r for r in rows if r.level == "High"]
    assert len(interrupted) + len(answered) == 28
    assert len(interrupted) <= 4, "at most the calls in flight at the kill"
    if interrupted:
        assert "not sent again" in again.stderr


def test_report_json_has_the_documented_shape(tmp_path: Path, kit, cli_env) -> None:
    root = tmp_path / "set"
    kit.write_folder(root, {"bona_fide": 2, "attack/print": 2})
    scenario = tmp_path / "s.toml"
    scenario.write_text('[default]\nlevel = "Mid"\nface_check = false\n')
    db = tmp_path / "r.db"
    with Sandbox(qps=20, scenario=scenario) as box:
        run = _cli(
            ["run", str(root), "--db", str(db), "--endpoint", box.url, "--qps", "20"], cli_env
        )
    assert run.returncode == 0, run.stderr
    assert "4 items" in run.stderr
    proc = _cli(["report", "--db", str(db), "--json"], cli_env)
    assert proc.returncode == 0, proc.stderr
    m = json.loads(proc.stdout)
    assert {
        "n",
        "bona_fide",
        "attack",
        "non_response_rate",
        "confusion",
        "operating_points",
        "apcer_by_type",
        "latency_ms",
    } <= set(m)
    assert (m["n"], m["bona_fide"], m["attack"], m["non_response_rate"]) == (4, 2, 2, 0.0)
    for label in ("bona_fide", "attack"):
        assert set(m["confusion"][label]) == {"Low", "Mid", "High", "none"}
    for point in ("high", "mid_high"):
        assert {"apcer", "apcer_max", "bpcer", "acer", "accuracy"} <= set(
            m["operating_points"][point]
        )
    assert (
        m["operating_points"]["high"]["apcer"] == 1.0
        and m["operating_points"]["mid_high"]["bpcer"] == 1.0
    )
    assert m["apcer_by_type"] == {"high": {"print": 1.0}, "mid_high": {"print": 0.0}}
    assert set(m["latency_ms"]) >= {"p50", "p95"}
    assert "SecretKey" not in proc.stdout and "SandboxDemoKey" not in proc.stdout
    html, csv_out = tmp_path / "r.html", tmp_path / "r.csv"
    assert _cli(["report", "--db", str(db), "--html", str(html)], cli_env).returncode == 0
    assert _cli(["report", "--db", str(db), "--csv", str(csv_out)], cli_env).returncode == 0
    assert "<svg" in html.read_text() and "<script" not in html.read_text()
    assert csv_out.read_text().count("\n") == 5


def test_bad_input_exits_2_with_one_line(tmp_path: Path, cli_env) -> None:
    for args in (
        ["run", str(tmp_path / "absent"), "--db", str(tmp_path / "x.db")],
        ["report", "--db", str(tmp_path / "absent.db")],
        ["run", str(tmp_path), "--db", str(tmp_path / "x.db"), "--qps", "0"],
    ):
        proc = _cli(args, cli_env)
        _no_traceback(proc)
        assert proc.returncode == 2, (args, proc.stderr)
        assert proc.stderr.strip()


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0"])
def test_qps_must_be_a_finite_positive_number(value: str, capsys) -> None:
    from evaluation.cli import build_parser

    with pytest.raises(SystemExit) as caught:
        build_parser().parse_args(["run", "set", "--db", "x.db", "--qps", value])
    assert caught.value.code == 2 and "--qps" in capsys.readouterr().err


def test_ctrl_c_while_loading_the_set_stops_at_once(tmp_path: Path, monkeypatch, capsys) -> None:
    """Hashing a large set or unpacking a zip can take minutes: Ctrl-C must stop it there
    (exit 130), not be swallowed until the run starts."""
    import contextlib

    import evaluation.cli
    from evaluation import DatasetError

    @contextlib.contextmanager
    def slow_loading(source: object):
        os.kill(os.getpid(), signal.SIGINT)  # the user presses Ctrl-C while files are hashed
        time.sleep(0.2)
        raise DatasetError("late", "still loading when Ctrl-C was ignored", "仍在加载")
        yield

    monkeypatch.setattr(evaluation.cli, "open_dataset", slow_loading)
    # As in a fresh `python -m evaluation` process (other tests may have changed it).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        code = evaluation.cli.main(["run", str(tmp_path), "--db", str(tmp_path / "x.db")])
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, previous)
    assert code == 130, capsys.readouterr().err


def test_endpoint_without_credentials_is_a_usage_error(tmp_path: Path, kit, cli_env) -> None:
    kit.write_folder(tmp_path / "set", {"bona_fide": 1})
    env = {k: v for k, v in cli_env.items() if not k.startswith("TENCENTCLOUD_")}
    proc = _cli(
        [
            "run",
            str(tmp_path / "set"),
            "--db",
            str(tmp_path / "x.db"),
            "--endpoint",
            "http://127.0.0.1:9",
        ],
        env,
    )
    _no_traceback(proc)
    assert proc.returncode == 2 and "credentials" in proc.stderr


def test_wrong_credentials_stop_the_run_with_exit_1(tmp_path: Path, kit, cli_env) -> None:
    kit.write_folder(tmp_path / "set", {"bona_fide": 2, "attack/x": 2})
    env = cli_env | {"TENCENTCLOUD_SECRET_KEY": "WrongKeyEXAMPLE"}
    with Sandbox(qps=20) as box:
        proc = _cli(
            [
                "run",
                str(tmp_path / "set"),
                "--db",
                str(tmp_path / "x.db"),
                "--endpoint",
                box.url,
                "--qps",
                "20",
            ],
            env,
        )
    _no_traceback(proc)
    assert proc.returncode == 1
    assert "AuthFailure" in proc.stderr and "WrongKey" not in proc.stderr + proc.stdout


def test_without_credentials_a_local_sandbox_is_used(tmp_path: Path, kit, cli_env) -> None:
    kit.write_folder(tmp_path / "set", {"bona_fide": 1, "attack/x": 1})
    env = {k: v for k, v in cli_env.items() if not k.startswith("TENCENTCLOUD_")}
    proc = _cli(["run", str(tmp_path / "set"), "--db", str(tmp_path / "x.db"), "--qps", "20"], env)
    _no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    assert "local sandbox" in proc.stderr
    with Store(tmp_path / "x.db") as store:
        run = store.run(store.latest_run_id() or 0)
    assert run.settings.backend == "sandbox" and run.done == 2
