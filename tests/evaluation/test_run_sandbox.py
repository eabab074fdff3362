"""Full runs against a real sandbox over HTTP, with a scenario that fixes each outcome."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from client import FaceIdClient
from evaluation import (
    Dataset,
    Progress,
    RunnerOptions,
    Store,
    compute_metrics,
    load_dataset,
    make_settings,
    run_evaluation,
)
from media import PrepareOptions, hamming_distance, perceptual_hash
from sandbox import Sandbox

# path folder -> outcomes in file order (a level, or an error code)
FAST = PrepareOptions(max_side=320, check_faces=False)  # as the kit fixture's
PLAN = {
    "bona_fide": ["Low", "Low", "Low", "Mid", "FailedOperation.PoorImageQuality"],
    "attack/print": ["High", "High", "Mid", "Low"],
    "attack/replay": ["High", "Low", "FailedOperation.IncompleteFace"],
}


def _scenario(tmp_path: Path, files: dict[str, bytes], perceptual: str, kit) -> Path:
    """Rules fixing each file's outcome: exact sha256 rules, one perceptual `match` rule."""
    outcomes = [o for folder in PLAN.values() for o in folder]
    lines = ['[default]\nlevel = "Low"\nface_check = false\n']
    for (rel, data), outcome in zip(files.items(), outcomes, strict=True):
        key = f'match = "{rel}"' if rel == perceptual else f'sha256 = "{kit.prepared_sha(data)}"'
        if outcome.startswith("FailedOperation"):
            lines.append(f'[[rule]]\n{key}\nerror = "{outcome}"\n')
        else:
            types = '\ntypes = ["SuspectedSpoofingAttack"]' if outcome != "Low" else ""
            lines.append(f'[[rule]]\n{key}\nlevel = "{outcome}"{types}\n')
    path = tmp_path / "scenario.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def dataset_and_scenario(tmp_path: Path, kit) -> tuple[Dataset, Path, dict[str, bytes]]:
    root = tmp_path / "set"
    files = kit.write_folder(root, {folder: len(outs) for folder, outs in PLAN.items()})
    (root / "attack" / "print" / "readme.txt").write_text("not a picture")
    perceptual = "bona_fide/img003.jpg"  # Mid, matched by picture, not by bytes
    others = [perceptual_hash(d) for rel, d in files.items() if rel != perceptual]
    assert min(hamming_distance(perceptual_hash(files[perceptual]), h) for h in others) > 10
    # the rule's reference lives next to the scenario, as in the demo kit
    (tmp_path / "bona_fide").mkdir(parents=True)
    (tmp_path / perceptual).write_bytes(files[perceptual])
    return load_dataset(root), _scenario(tmp_path, files, perceptual, kit), files


def _run(
    ds: Dataset, db: Path, url: str, factory: Callable[[], FaceIdClient], qps: float, **kw: object
) -> tuple[object, Store]:
    store = Store(db)
    settings = make_settings("sandbox", url, None, qps, 4, FAST)
    summary = run_evaluation(
        ds,
        store,
        settings,
        factory,
        options=RunnerOptions(qps=qps, concurrency=4),
        prepare_options=FAST,
        **kw,
    )  # type: ignore[arg-type]
    return summary, store


def test_reported_metrics_equal_the_scenario(
    tmp_path: Path, dataset_and_scenario, demo_client
) -> None:
    ds, scenario, _ = dataset_and_scenario
    with Sandbox(qps=50, scenario=scenario) as box:
        summary, store = _run(ds, tmp_path / "e.db", box.url, demo_client(box.url), qps=50)
        with store:
            m = compute_metrics(store.rows(summary.run_id))
            run = store.run(summary.run_id)
        stats = box.stats()
    assert summary.status == "finished" and summary.calls == 12
    assert [s[1] for s in run.skipped] == ["not_media"]
    assert (m["n"], m["bona_fide"], m["attack"], m["pending"]) == (12, 5, 7, 0)
    assert m["confusion"]["bona_fide"] == {"Low": 3, "Mid": 1, "High": 0, "none": 1}
    assert m["confusion"]["attack"] == {"Low": 2, "Mid": 1, "High": 3, "none": 1}
    high, mid_high = m["operating_points"]["high"], m["operating_points"]["mid_high"]
    assert (high["apcer"], high["apcer_max"], high["bpcer"], high["acer"], high["accuracy"]) == (
        3 / 6,
        2 / 4,
        0 / 4,
        (2 / 4 + 0) / 2,
        7 / 10,
    )
    assert (
        mid_high["apcer"],
        mid_high["apcer_max"],
        mid_high["bpcer"],
        mid_high["acer"],
        mid_high["accuracy"],
    ) == (2 / 6, 1 / 2, 1 / 4, (1 / 2 + 1 / 4) / 2, 7 / 10)
    assert mid_high["apcer_max_type"] == "replay"
    assert m["apcer_by_type"] == {
        "high": {"print": 2 / 4, "replay": 1 / 2},
        "mid_high": {"print": 1 / 4, "replay": 1 / 2},
    }
    assert m["non_response"]["bona_fide"]["rate"] == 1 / 5
    assert m["non_response"]["attack"]["rate"] == 1 / 7
    assert m["errors_by_code"] == {
        "FailedOperation.IncompleteFace": 1,
        "FailedOperation.PoorImageQuality": 1,
    }
    assert m["calls"] == 12 and stats["calls"] == 12
    assert m["latency_ms"]["p50"] is not None and m["latency_ms"]["p95"] >= m["latency_ms"]["p50"]


def test_rerun_sends_nothing_and_stored_rows_hold_no_media(
    tmp_path: Path, dataset_and_scenario, demo_client
) -> None:
    ds, scenario, files = dataset_and_scenario
    with Sandbox(qps=50, scenario=scenario) as box:
        first, store = _run(ds, tmp_path / "e.db", box.url, demo_client(box.url), qps=50)
        store.close()
        again, store = _run(ds, tmp_path / "e.db", box.url, demo_client(box.url), qps=50)
        store.close()
        assert box.stats()["calls"] == 12
    assert first.run_id == again.run_id
    assert (again.cached, again.calls, again.done) == (12, 0, 12)
    raw = (tmp_path / "e.db").read_bytes() + b"".join(
        p.read_bytes() for p in tmp_path.glob("e.db-*")
    )
    assert all(data[200:264] not in raw for data in files.values())
    assert b"SandboxDemoKey" not in raw


def test_quota_is_used_without_exceeding_it(tmp_path: Path, kit, demo_client) -> None:
    root = tmp_path / "set"
    files = kit.write_folder(root, {"bona_fide": 8, "attack/print": 7})
    for rel, data in list(files.items())[:5]:  # the same content twice: one call, two items
        (root / rel).with_name("twin-" + Path(rel).name).write_bytes(data)
    scenario = tmp_path / "s.toml"
    scenario.write_text('[default]\nlevel = "Low"\nface_check = false\n')
    seen: list[Progress] = []
    with Sandbox(qps=5, latency_ms=50, scenario=scenario) as box:
        summary, store = _run(
            load_dataset(root),
            tmp_path / "q.db",
            box.url,
            demo_client(box.url),
            qps=5,
            progress=seen.append,
        )
        with store:
            codes = {r.error_code for r in store.rows(summary.run_id)}
        stats = box.stats()
    assert codes == {None}
    assert "RequestLimitExceeded" not in stats["by_code"]
    assert stats["by_code"] == {"OK": 15}
    # 15 calls at 5/s need at least 14 intervals of 0.2 s
    assert summary.elapsed_s >= 14 * 0.2 - 0.05
    assert summary.done == 20 and summary.calls == 15
    # the rate shown is calls sent per second: never above the quota, even with twins
    assert max(p.rate_per_s for p in seen) <= 5.0 + 1e-6
    assert seen[-1].rate_per_s > 4.0


def test_rate_limit_rejections_are_retried_not_recorded(tmp_path: Path, kit, demo_client) -> None:
    root = tmp_path / "set"
    kit.write_folder(root, {"bona_fide": 4, "attack/print": 4})
    scenario = tmp_path / "s.toml"
    scenario.write_text('[default]\nlevel = "Low"\nface_check = false\n')
    store = Store(tmp_path / "r.db")
    with Sandbox(qps=2, scenario=scenario) as box:  # the service allows less than we ask for
        settings = make_settings("sandbox", box.url, None, 20, 6, FAST)
        summary = run_evaluation(
            load_dataset(root),
            store,
            settings,
            demo_client(box.url),
            prepare_options=FAST,
            options=RunnerOptions(qps=20, concurrency=6, backoff_base_s=0.3, max_attempts=20),
        )
        stats = box.stats()
    with store:
        rows = store.rows(summary.run_id)
    assert stats["by_code"].get("RequestLimitExceeded", 0) > 0, "the sandbox did push back"
    assert {r.error_code for r in rows} == {None} and all(r.level == "Low" for r in rows)
    assert sum(r.attempts for r in rows) == stats["calls"]


def test_bad_credentials_stop_the_run_and_store_nothing(tmp_path: Path, kit) -> None:
    from client import Credentials

    root = tmp_path / "set"
    kit.write_folder(root, {"bona_fide": 3, "attack/x": 3})
    wrong = Credentials("AKIDWrongWrongEXAMPLE", "NotTheKeyEXAMPLE")
    store = Store(tmp_path / "a.db")
    with Sandbox(qps=50) as box:
        settings = make_settings("sandbox", box.url, None, 50, 2, FAST)
        summary = run_evaluation(
            load_dataset(root),
            store,
            settings,
            lambda: FaceIdClient(wrong, endpoint=box.url, max_retries=0),
            options=RunnerOptions(qps=50, concurrency=2),
            prepare_options=FAST,
        )
    with store:
        rows = store.rows(summary.run_id)
        assert store.run(summary.run_id).status == "stopped"
    assert summary.stopped_code is not None and summary.stopped_code.startswith("AuthFailure")
    assert summary.calls <= 2
    assert not any(r.done for r in rows)


def test_cancel_keeps_what_was_done(tmp_path: Path, kit, demo_client) -> None:
    root = tmp_path / "set"
    kit.write_folder(root, {"bona_fide": 10, "attack/x": 10})
    scenario = tmp_path / "s.toml"
    scenario.write_text('[default]\nlevel = "Low"\nface_check = false\n')
    cancel = threading.Event()
    seen: list[Progress] = []

    def on_progress(p: Progress) -> None:
        seen.append(p)
        if p.done >= 3:
            cancel.set()

    with Sandbox(qps=10, scenario=scenario) as box:
        summary, store = _run(
            load_dataset(root),
            tmp_path / "c.db",
            box.url,
            demo_client(box.url),
            qps=10,
            cancel=cancel,
            progress=on_progress,
        )
        with store:
            done = [r for r in store.rows(summary.run_id) if r.done]
            assert store.run(summary.run_id).status == "cancelled"
        calls = box.stats()["calls"]
    assert summary.cancelled and 3 <= summary.done < 20
    assert len(done) == summary.done == calls
    assert seen[-1].eta_s is not None and seen[-1].rate_per_s > 0


def test_an_exception_in_the_progress_callback_stops_workers_and_keeps_results(
    tmp_path: Path, kit, demo_client
) -> None:
    """What happens when the page's script is stopped by a click during a run."""
    root = tmp_path / "set"
    kit.write_folder(root, {"bona_fide": 8, "attack/x": 8})
    scenario = tmp_path / "s.toml"
    scenario.write_text('[default]\nlevel = "Low"\nface_check = false\n')

    def on_progress(p: Progress) -> None:
        if p.done >= 2:
            raise KeyboardInterrupt("stop")

    with Sandbox(qps=20, latency_ms=100, scenario=scenario) as box:
        with pytest.raises(KeyboardInterrupt):
            _run(
                load_dataset(root),
                tmp_path / "x.db",
                box.url,
                demo_client(box.url),
                qps=20,
                progress=on_progress,
            )
        calls = box.stats()["calls"]
        assert not [th.name for th in threading.enumerate() if th.name.startswith("evaluation-")]
    with Store(tmp_path / "x.db") as store:
        run = store.runs()[0]
        done = [r for r in store.rows(run.run_id) if r.done]
    assert run.status == "cancelled"
    assert 2 <= len(done) < 16 and len(done) == calls


def test_an_unexpected_preparation_failure_is_that_items_error(
    tmp_path: Path, kit, demo_client, monkeypatch
) -> None:
    """A decoder crashing on one file (not a MediaError) must not kill a worker thread,
    leave the item pending or print a traceback: it is recorded and the run goes on."""
    import evaluation.runner
    from media import prepare

    root = tmp_path / "set"
    files = kit.write_folder(root, {"bona_fide": 3, "attack/x": 3})
    poison = next(iter(files.values()))

    def fragile_prepare(data: bytes, *args: object, **kwargs: object):
        if data == poison:
            raise RuntimeError("decoder crashed")
        return prepare(data, *args, **kwargs)

    monkeypatch.setattr(evaluation.runner, "prepare", fragile_prepare)
    hooked: list[object] = []
    monkeypatch.setattr(threading, "excepthook", hooked.append)
    scenario = tmp_path / "s.toml"
    scenario.write_text('[default]\nlevel = "Low"\nface_check = false\n')
    with Sandbox(qps=50, scenario=scenario) as box:
        summary, store = _run(
            load_dataset(root), tmp_path / "p.db", box.url, demo_client(box.url), 50
        )
        with store:
            rows = store.rows(summary.run_id)
            status = store.run(summary.run_id).status
    assert not hooked, "no worker thread died"
    assert status == "finished" and all(r.done for r in rows)
    failed = [r for r in rows if r.error_code]
    assert len(failed) == 1 and failed[0].error_code == "Evaluation.PrepareFailed"
    assert "decoder crashed" in (failed[0].error_message or "")
