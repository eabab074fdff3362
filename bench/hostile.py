"""Hostile inputs: peak memory and time of each, through `python -m media prepare` and
through the sandbox, beside a plain 480x640 JPEG measured in the same run.

    python bench/hostile.py [--skip-sandbox]

Every input runs in a fresh child process, reaped with `os.wait4` for its own peak RSS;
"peak MB" is above an idle child that only imports what it needs. The sandbox column
sends the file once to a fresh in-process sandbox (refusals are answers too). The last
line is JSON: {"worst_peak_mb", "worst_s", "sandbox_growth_mb_per_50"}, the growth being
the sandbox's resident memory added by 50 distinct failing requests.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hostile_corpus import (  # noqa: E402
    CORPUS,
    huge_frame_video,
    measure_child,
    sandbox_call_argv,
    write_corpus,
)

_BODY_LIMIT = 10 * 1024 * 1024


def _media_row(path: Path, out: Path) -> tuple[str, float, float]:
    argv = [sys.executable, "-m", "media", "prepare", str(path), "--out", str(out), "--json"]
    run = measure_child(argv, cwd=str(ROOT), timeout_s=180)
    if run.returncode == 0:
        outcome = "prepared"
    else:
        outcome = run.stderr.strip().splitlines()[-1][:70] if run.stderr.strip() else "?"
    return outcome, run.peak_mb, run.seconds


def _sandbox_row(path: Path | None, input_type: int) -> tuple[str, float, float]:
    run = measure_child(sandbox_call_argv(path, input_type), cwd=str(ROOT), timeout_s=180)
    if run.returncode != 0:
        return f"exit {run.returncode}", run.peak_mb, run.seconds
    code, seconds = run.stdout.split()
    return code, run.peak_mb, float(seconds)


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _faceless_photo(index: int) -> bytes:
    import numpy as np
    from PIL import Image

    y, x = np.mgrid[0:960, 0:1280]
    pixels = np.stack([x % 256, y % 256, np.full_like(x, index * 37 % 256)], axis=-1)
    out = io.BytesIO()
    Image.fromarray(pixels.astype(np.uint8)).save(out, format="JPEG", quality=90)
    return out.getvalue()


def sandbox_growth_per_50() -> float:
    """Resident memory a `python -m sandbox` adds over 50 distinct failing requests."""
    import re
    import subprocess

    from client import ApiError, Credentials, FaceIdClient
    from sandbox import DEMO_SECRET_ID, DEMO_SECRET_KEY

    huge = huge_frame_video()
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--port", "0", "--qps", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=str(ROOT),
    )
    try:
        assert process.stdout is not None
        found = re.search(r"http://\S+", process.stdout.readline())
        assert found is not None, "the sandbox did not print its address"
        url = found.group(0)
        creds = Credentials(DEMO_SECRET_ID, DEMO_SECRET_KEY, source="bench")
        with FaceIdClient(creds, endpoint=url, max_retries=0, timeout=60) as api:

            def send(index: int) -> None:
                kind = index % 4
                if kind in (0, 1):
                    data, input_type = _faceless_photo(index), 1
                elif kind == 2:
                    data, input_type = b"\x00\x00\x00\x18ftypmp42" + os.urandom(200_000), 2
                else:
                    data, input_type = huge + index.to_bytes(4, "big", signed=True), 2
                with contextlib.suppress(ApiError):
                    api.detect(data, input_type)

            for index in range(-4, 0):
                send(index)
            before = _rss_mb(process.pid)
            for index in range(50):
                send(index)
            return _rss_mb(process.pid) - before
    finally:
        process.terminate()
        process.wait(timeout=20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-sandbox", action="store_true", help="media prepare only")
    args = parser.parse_args()
    from media.sniff import sniff

    worst_mb = worst_s = 0.0
    with tempfile.TemporaryDirectory(prefix="hostile-") as folder:
        paths = write_corpus(Path(folder) / "corpus")
        out = Path(folder) / "out.bin"
        idle = measure_child([sys.executable, "-c", "import media.cli"], cwd=str(ROOT))
        sandbox_idle = None if args.skip_sandbox else _sandbox_row(None, 1)
        print(f"idle: media {idle.peak_mb:.0f} MB", end="")
        print("" if sandbox_idle is None else f", sandbox+client {sandbox_idle[1]:.0f} MB")
        print(f"{'input':32} {'MB':>6} {'s':>6}  {'sandbox MB':>10} {'s':>6}  outcome")
        baseline: tuple[float, float] | None = None
        for entry in CORPUS:
            path = paths[entry.name]
            outcome, peak, seconds = _media_row(path, out)
            above = peak - idle.peak_mb
            worst_mb, worst_s = max(worst_mb, above), max(worst_s, seconds)
            line = f"{entry.name:32} {above:6.0f} {seconds:6.2f}"
            sandbox_outcome = ""
            if sandbox_idle is not None:
                kind = sniff(path.read_bytes()[:64]).kind
                if path.stat().st_size * 4 / 3 > _BODY_LIMIT:
                    line += f"  {'-':>10} {'-':>6}"
                    sandbox_outcome = "  | sandbox: body over 10 MB, refused unread"
                else:
                    code, s_peak, s_seconds = _sandbox_row(path, 1 if kind == "image" else 2)
                    s_above = s_peak - sandbox_idle[1]
                    worst_mb, worst_s = max(worst_mb, s_above), max(worst_s, s_seconds)
                    line += f"  {s_above:10.0f} {s_seconds:6.2f}"
                    sandbox_outcome = f"  | sandbox: {code}"
            if baseline is None:
                baseline = (max(above, 1.0), max(seconds, 0.01))
                ratio = "(baseline)"
            else:
                ratio = f"(x{above / baseline[0]:.1f} MB, x{seconds / baseline[1]:.1f} s)"
            print(f"{line}  {outcome} {ratio}{sandbox_outcome}", flush=True)
    growth = None if args.skip_sandbox else round(sandbox_growth_per_50(), 1)
    if growth is not None:
        print(f"sandbox growth over 50 distinct failing requests: {growth} MB")
    result = {
        "worst_peak_mb": round(worst_mb, 1),
        "worst_s": round(worst_s, 2),
        "sandbox_growth_mb_per_50": growth,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    started = time.monotonic()
    code = main()
    print(f"(bench took {time.monotonic() - started:.0f} s)", file=sys.stderr)
    sys.exit(code)
