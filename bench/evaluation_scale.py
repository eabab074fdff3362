"""How the evaluation scales: 1,000, 5,000 and 20,000 synthetic items against the sandbox
at an unlimited quota.

For each size, in a fresh subprocess (so its peak memory is its own), it generates the set,
runs the engine against a sandbox in another process into a named store of the app's data
folder, then times the Evaluate tab's rerun with that run selected: Streamlit's AppTest,
15 reruns after the first, `rerun_ms` is the median WALL time of a whole rerun as AppTest
sees it (the script run, its elements serialised and parsed back: what a user waits for,
and a busy shared machine inflates it), with the median CPU time of the page's script
thread beside it (which load does not inflate). It then times the HTML report (rows read,
metrics computed, report built) and reads the peak RSS. Each figure is printed beside the
1,000-item one as a ratio. The last line is JSON:
{"items_per_s_20k", "rerun_ms_20k", "report_s_20k", "peak_mb_20k",
 "growth_ratio_rerun_20k_vs_1k"} (goals: rerun < 150 ms, report < 5 s, peak < 500 MB).

    python bench/evaluation_scale.py [--sizes 1000,5000,20000]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RERUNS = 15


def write_items(root: Path, count: int) -> None:
    """`count` distinct small JPEGs: a third bona fide, the rest over three attack types."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(7)
    base = rng.integers(0, 255, (96, 96, 3), dtype=np.uint8)
    folders = ["bona_fide", "attack/print", "attack/replay", "attack/deepfake"]
    for folder in folders:
        (root / folder).mkdir(parents=True, exist_ok=True)
    for i in range(count):
        pixels = base.copy()
        pixels[i % 96, (i // 96) % 96] = (i % 251, (i // 251) % 251, 7)  # distinct content
        folder = folders[0] if i % 3 == 0 else folders[1 + (i // 3) % 3]
        buf = io.BytesIO()
        Image.fromarray(pixels).save(buf, "JPEG", quality=80)
        (root / folder / f"{i:05d}.jpg").write_bytes(buf.getvalue())


def _page() -> None:
    """The Evaluate tab, nothing else (as the app draws it); its data folder holds one
    store, which the store picker selects."""
    import time

    import streamlit as st

    from client import DetectClient
    from components.context import AppContext
    from components.evaluate import evaluate_tab
    from media import PrepareOptions

    def no_client() -> DetectClient:
        raise AssertionError("drawing the Results area sends nothing")

    ctx = AppContext(
        lang="en",
        backend="sandbox",
        endpoint="http://127.0.0.1:9",
        region=None,
        prepare_options=PrepareOptions(max_side=320, check_faces=False),
        credentials_source="sandbox",
        make_client=no_client,
    )
    started = time.thread_time()
    evaluate_tab(ctx)
    st.session_state["bench_cpu_s"] = time.thread_time() - started


def _start_sandbox(scenario: Path) -> tuple[subprocess.Popen[str], str]:
    """A sandbox in its own process, no rate limit; (process, URL)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--port", "0", "--qps", "0", "--scenario", str(scenario)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    found = re.search(r"http://\S+", line)
    if not found:
        proc.kill()
        raise SystemExit(f"sandbox did not start: {line!r}")
    return proc, found.group(0)


def measure(size: int) -> dict[str, float]:
    """All figures for one size (run in its own process)."""
    from streamlit.testing.v1 import AppTest

    from client import Credentials, FaceIdClient
    from components.app_secrets import DATA_DIR_ENV
    from evaluation import (
        RunnerOptions,
        Store,
        compute_metrics,
        html_report,
        load_dataset,
        run_evaluation,
        run_settings,
    )
    from media import PrepareOptions
    from sandbox import DEMO_SECRET_ID, DEMO_SECRET_KEY

    with tempfile.TemporaryDirectory(prefix="eval-scale-") as tmp:
        work = Path(tmp)
        os.environ[DATA_DIR_ENV] = str(work / "data")  # the page's stores: data/stores/*.db
        db = work / "data" / "stores" / "scale.db"
        db.parent.mkdir(parents=True)
        write_items(work / "set", size)
        scenario = work / "scenario.toml"
        scenario.write_text('[default]\nlevel = "Low"\nface_check = false\n', encoding="utf-8")
        dataset = load_dataset(work / "set")
        options = PrepareOptions(max_side=320, check_faces=False)
        creds = Credentials(DEMO_SECRET_ID, DEMO_SECRET_KEY, source="bench")
        box, url = _start_sandbox(scenario)
        try:
            qps, concurrency = 100_000.0, 8
            settings = run_settings(
                sandbox=True,
                endpoint=url,
                region=None,
                qps=qps,
                concurrency=concurrency,
                prepare_options=options,
                scenario=scenario,
            )
            with Store(db) as store:
                started = time.perf_counter()
                summary = run_evaluation(
                    dataset,
                    store,
                    settings,
                    lambda: FaceIdClient(creds, endpoint=url, max_retries=0),
                    options=RunnerOptions(qps=qps, concurrency=concurrency),
                    prepare_options=options,
                )
                run_s = time.perf_counter() - started
        finally:
            box.terminate()
            box.wait(10)
        assert summary.done == size, summary
        started = time.perf_counter()
        with Store(db) as store:
            run = store.run(summary.run_id)
            rows = store.rows(summary.run_id)
        report = html_report(compute_metrics(rows), rows, run)
        report_s = time.perf_counter() - started
        assert len(report) > size * 50
        at = AppTest.from_function(_page)
        at.default_timeout = 120
        at.run()  # the first draw reads and computes the run once
        assert not at.exception, at.exception
        times, cpu = [], []
        for _ in range(RERUNS):
            started = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - started) * 1000)
            cpu.append(at.session_state["bench_cpu_s"] * 1000)
        assert not at.exception and at.selectbox(key="eval_pick_run").value == summary.run_id
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "items_per_s": size / run_s,
        "rerun_ms": statistics.median(times),
        "rerun_cpu_ms": statistics.median(cpu),
        "report_s": report_s,
        "peak_mb": peak_mb,
    }


def _this_checkout() -> dict[str, str]:
    """The environment for a measuring child: the packages of the checkout this script is
    in come first (a script's own folder, bench/, is what Python puts on its path, so an
    installed copy of the project would otherwise be measured instead)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,20000")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child measuring one size
    args = parser.parse_args()
    if args.one:
        import components

        assert Path(components.__file__).is_relative_to(ROOT), components.__file__
        print(json.dumps(measure(args.one)))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    results: dict[int, dict[str, float]] = {}
    for size in sizes:
        proc = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            cwd=ROOT,
            env=_this_checkout(),
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            raise SystemExit(f"size {size} failed:\n{proc.stderr[-3000:]}")
        results[size] = json.loads(proc.stdout.strip().splitlines()[-1])
        base = results[sizes[0]]
        r = results[size]
        print(
            f"{size:>6} items: {r['items_per_s']:.0f} items/s,"
            f" rerun {r['rerun_ms']:.0f} ms wall (x{r['rerun_ms'] / base['rerun_ms']:.2f}"
            f" of {sizes[0]}; script CPU {r['rerun_cpu_ms']:.0f} ms),"
            f" report {r['report_s']:.2f} s (x{r['report_s'] / base['report_s']:.2f}),"
            f" peak {r['peak_mb']:.0f} MB (x{r['peak_mb'] / base['peak_mb']:.2f})",
            flush=True,
        )
    last, first = results[sizes[-1]], results[sizes[0]]
    print(
        json.dumps(
            {
                "items_per_s_20k": round(last["items_per_s"], 1),
                "rerun_ms_20k": round(last["rerun_ms"], 1),
                "report_s_20k": round(last["report_s"], 3),
                "peak_mb_20k": round(last["peak_mb"], 1),
                "growth_ratio_rerun_20k_vs_1k": round(last["rerun_ms"] / first["rerun_ms"], 2),
            }
        )
    )


if __name__ == "__main__":
    main()
