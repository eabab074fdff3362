"""Sandbox throughput: signed DetectAIFakeFaces calls per second with a prepared
~100 KB picture (no rate limit), beside bare HTTP round trips to a trivial endpoint
of the same server, so we know the sandbox is never an evaluation's bottleneck.

    python bench/sandbox_throughput.py [--calls 200] [--rounds 3]

Figures are medians over rounds; the final line is JSON {"rps", "bare_rps", "ratio"}
(plus "uncached_rps": distinct pictures, so every call runs the face check).
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import skimage
from PIL import Image

import media
from client import Credentials, FaceIdClient
from sandbox import DEMO_SECRET_ID, DEMO_SECRET_KEY, Sandbox

ASTRONAUT = Path(skimage.__file__).parent / "data" / "astronaut.png"


def prepared_picture(target_kb: int = 100) -> bytes:
    """The astronaut portrait through `media.prepare`, source quality chosen so the
    prepared JPEG is close to `target_kb`."""
    source = Image.open(ASTRONAUT).convert("RGB").resize((1024, 1024))
    best = b""
    for quality in (70, 80, 90, 95, 98):
        out = io.BytesIO()
        source.save(out, "JPEG", quality=quality)
        best = media.prepare(out.getvalue(), "astronaut.jpg").data
        if len(best) >= target_kb * 1024 * 0.9:
            break
    return best


def variants(picture: bytes, count: int) -> list[bytes]:
    """`count` different byte strings of the same picture (a JPEG comment differs), so
    each has its own sha256 and is analysed afresh."""
    return [
        picture[:2] + b"\xff\xfe" + (6 + 2).to_bytes(2, "big") + f"{i:06d}".encode() + picture[2:]
        for i in range(count)
    ]


def rate(calls: int, one_call: Callable[[int], object]) -> float:
    """Calls per second for `calls` sequential calls."""
    started = time.perf_counter()
    for index in range(calls):
        one_call(index)
    return calls / (time.perf_counter() - started)


def main() -> None:
    """Run the rounds and print figures, the JSON line last."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--uncached-calls", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    picture = prepared_picture()
    fresh = variants(picture, args.uncached_calls * args.rounds)
    print(
        f"picture: {len(picture) / 1024:.0f} KB prepared JPEG; {args.calls} calls x {args.rounds} rounds"
    )
    with Sandbox(qps=0) as sandbox:
        credentials = Credentials(DEMO_SECRET_ID, DEMO_SECRET_KEY)
        with (
            FaceIdClient(credentials, endpoint=sandbox.url, max_retries=0) as api,
            httpx.Client() as http,
        ):
            api.detect(picture, 1)  # warm up: cascade load, first analysis
            http.get(sandbox.url + "/__sandbox/health")
            rps, bare, uncached = [], [], []
            for round_index in range(args.rounds):
                rps.append(rate(args.calls, lambda _: api.detect(picture, 1)))
                bare.append(rate(args.calls, lambda _: http.get(sandbox.url + "/__sandbox/health")))
                batch = fresh[round_index * args.uncached_calls :][: args.uncached_calls]

                def send_uncached(i: int, batch: list[bytes] = batch) -> object:
                    return api.detect(batch[i], 1)

                uncached.append(rate(len(batch), send_uncached))
                print(
                    f"round {round_index + 1}: detect {rps[-1]:.1f}/s  bare {bare[-1]:.1f}/s  uncached {uncached[-1]:.1f}/s"
                )
        assert sandbox.stats()["by_code"] == {
            "OK": 1 + args.rounds * (args.calls + args.uncached_calls)
        }
    result = {
        "rps": round(statistics.median(rps), 1),
        "bare_rps": round(statistics.median(bare), 1),
        "ratio": round(statistics.median(rps) / statistics.median(bare), 3),
        "uncached_rps": round(statistics.median(uncached), 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
