"""A page run whose browser session ends is cancelled (after a grace period, so a brief
reconnect does not stop it), stays resumable, and the resumed run is exact."""

from __future__ import annotations

import threading
from pathlib import Path

from components.evaluate_run import EvaluationJob, SessionWatch
from evaluation import Store, load_dataset, make_settings
from sandbox import Sandbox


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_session_counts_as_ended_only_after_the_grace_period() -> None:
    clock, active = _Clock(), [True]
    watch = SessionWatch(lambda: active[0], grace_s=60.0, clock=clock)
    assert not watch.ended()
    active[0] = False
    assert not watch.ended()  # gone at t=0
    clock.now = 59.0
    assert not watch.ended()
    active[0] = True  # reconnected: the count starts again
    clock.now = 70.0
    assert not watch.ended()
    active[0] = False
    clock.now = 100.0
    assert not watch.ended()
    clock.now = 159.9
    assert not watch.ended()
    clock.now = 160.0
    assert watch.ended()


def _work(job: EvaluationJob, dataset, factory, kit) -> None:
    thread = threading.Thread(target=job.work, args=(dataset, factory, kit.FAST), daemon=True)
    job.thread = thread
    thread.start()
    thread.join(120)
    assert not thread.is_alive()
    assert job.problem is None and job.failed is None, (job.problem, job.failed)


def test_a_run_whose_session_ended_is_cancelled_then_resumes_exactly(
    tmp_path: Path, kit, demo_client
) -> None:
    root = tmp_path / "set"
    kit.write_folder(root, {"bona_fide": 6, "attack/print": 6})
    scenario = tmp_path / "s.toml"
    scenario.write_text('[default]\nlevel = "Mid"\nface_check = false\n')
    dataset = load_dataset(root)
    db = tmp_path / "page.db"
    with Sandbox(qps=0, latency_ms=300, scenario=scenario) as box:
        settings = make_settings("sandbox", box.url, None, 4.0, 2, kit.FAST)
        factory = demo_client(box.url)
        gone = EvaluationJob(db, settings, session=SessionWatch(lambda: False, grace_s=0.0))
        _work(gone, dataset, factory, kit)
        assert gone.abandoned and gone.cancel.is_set()
        assert gone.summary is not None and gone.summary.cancelled
        assert gone.summary.done < 12 and box.stats()["calls"] <= 2, "stopped at once"
        with Store(db) as store:
            assert store.run(gone.summary.run_id).status == "cancelled"
        here = EvaluationJob(db, settings, session=SessionWatch(lambda: True, grace_s=0.0))
        _work(here, dataset, factory, kit)
        stats = box.stats()
    assert not here.abandoned and here.summary is not None
    assert here.summary.status == "finished" and here.summary.run_id == gone.summary.run_id
    assert stats["calls"] == 12 and set(stats["by_sha256"].values()) == {1}, "nothing sent twice"
    with Store(db) as store:
        rows = store.rows(here.summary.run_id)
    assert len(rows) == 12 and {r.level for r in rows} == {"Mid"}
