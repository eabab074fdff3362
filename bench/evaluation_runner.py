"""How much of the service's quota the evaluation runner uses.

100 items against the sandbox limited to 5 requests/s with 300 ms added latency, once with
the runner's default concurrency and once one call at a time (the baseline), in the same
run. Prints both rates and their share of the limit; the last line is JSON:
{"achieved_per_s", "limit_per_s", "utilisation", "sequential_utilisation"} (goal >= 0.95).

    python bench/evaluation.py [--items 100]
"""

from __future__ import annotations

import argparse
import io
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import skimage.data
from PIL import Image

from client import Credentials, FaceIdClient
from evaluation import (
    RunnerOptions,
    Store,
    default_concurrency,
    load_dataset,
    make_settings,
    run_evaluation,
)
from media import PrepareOptions
from sandbox import DEMO_SECRET_ID, DEMO_SECRET_KEY, Sandbox

LIMIT_PER_S = 5.0
LATENCY_MS = 300.0
PHOTOS = ("astronaut.png", "coffee.png", "chelsea.png", "rocket.jpg", "retina.jpg")


def write_items(root: Path, count: int) -> None:
    """`count` distinct JPEGs (crops of skimage's photos), half bona fide, half attack."""
    data_dir = Path(skimage.data.__file__).parent
    photos = [np.asarray(Image.open(data_dir / name).convert("RGB")) for name in PHOTOS]
    for i in range(count):
        photo = photos[i % len(photos)]
        step = i // len(photos)
        crop = np.rot90(photo[step : step + 300, step : step + 300], k=step % 4)
        folder = root / ("bona_fide" if i % 2 == 0 else "attack/print")
        folder.mkdir(parents=True, exist_ok=True)
        buf = io.BytesIO()
        Image.fromarray(np.ascontiguousarray(crop)).save(buf, "JPEG", quality=85)
        (folder / f"{i:03d}.jpg").write_bytes(buf.getvalue())


def measure(root: Path, work: Path, concurrency: int, name: str) -> tuple[float, int]:
    """Run the whole set against a fresh sandbox; returns (calls per second, calls)."""
    scenario = work / "scenario.toml"
    scenario.write_text('[default]\nlevel = "Low"\nface_check = false\n', encoding="utf-8")
    creds = Credentials(DEMO_SECRET_ID, DEMO_SECRET_KEY, source="bench")
    dataset = load_dataset(root)
    options = PrepareOptions()
    with (
        Sandbox(qps=LIMIT_PER_S, latency_ms=LATENCY_MS, scenario=scenario) as box,
        Store(work / f"{name}.db") as store,
    ):
        settings = make_settings("sandbox", box.url, None, LIMIT_PER_S, concurrency, options)
        started = time.perf_counter()
        summary = run_evaluation(
            dataset,
            store,
            settings,
            lambda: FaceIdClient(creds, endpoint=box.url, max_retries=0),
            options=RunnerOptions(qps=LIMIT_PER_S, concurrency=concurrency),
            prepare_options=options,
        )
        elapsed = time.perf_counter() - started
        limited = box.stats()["by_code"].get("RequestLimitExceeded", 0)
    print(
        f"{name:10} concurrency {concurrency:2}: {summary.calls} calls in {elapsed:.2f} s"
        f" = {summary.calls / elapsed:.2f}/s, {summary.errors} errors, {limited} rate-limit rejections"
    )
    return summary.calls / elapsed, summary.calls


def main() -> None:
    """Measure both ways and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-evaluation-") as tmp:
        work = Path(tmp)
        write_items(work / "set", args.items)
        print(
            f"{args.items} items, sandbox limit {LIMIT_PER_S:.0f}/s, {LATENCY_MS:.0f} ms added latency"
        )
        achieved, _ = measure(work / "set", work, default_concurrency(LIMIT_PER_S), "runner")
        sequential, _ = measure(work / "set", work, 1, "sequential")
    result = {
        "achieved_per_s": round(achieved, 3),
        "limit_per_s": LIMIT_PER_S,
        "utilisation": round(achieved / LIMIT_PER_S, 3),
        "sequential_utilisation": round(sequential / LIMIT_PER_S, 3),
    }
    print(
        f"utilisation {result['utilisation']:.3f} vs one-at-a-time {result['sequential_utilisation']:.3f}"
        f" ({achieved / sequential:.2f}x)"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
