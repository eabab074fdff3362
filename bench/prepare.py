"""Benchmark `media.prepare`: a 12 MP photo and a 20 s 1080p clip, against baselines.

    python bench/prepare.py [--runs N]

Photo: a 4000x3000 JPEG to an API-ready payload (median ms), beside a naive baseline in the
same run (full decode, LANCZOS resize, re-encode). Goal: ratio at most 0.25.
Clip: a 20 s 1080p 30 fps MP4 (generated here) to a prepared 5 s clip: seconds, the ratio to
the kept clip's duration (goal at most 0.5) and the peak memory of the process doing it
(goal under 400 MB). Jobs run in fresh child processes (warmed up first: imports, face
cascade), so each peak memory (VmHWM) belongs to one job. Final line: JSON with the figures.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["main"]


# A 12-megapixel camera-like JPEG: a real photo scaled up with sensor-like noise.
def make_photo(path: Path) -> None:
    import numpy as np
    import skimage
    from PIL import Image

    source = Image.open(Path(skimage.__file__).parent / "data" / "astronaut.png").convert("RGB")
    big = np.asarray(source.resize((4000, 3000), Image.Resampling.BICUBIC)).astype(np.int16)
    noise = np.random.default_rng(0).normal(0, 6, big.shape).astype(np.int16)
    Image.fromarray(np.clip(big + noise, 0, 255).astype(np.uint8)).save(path, quality=92)


# A 20 s 1080p 30 fps H.264 clip of a face moving over a textured background, at about
# the bit rate a phone records (so decoding costs what it would for a real clip).
def make_clip(path: Path) -> None:
    import av
    import numpy as np
    import skimage
    from PIL import Image

    photo = Image.open(Path(skimage.__file__).parent / "data" / "astronaut.png").convert("RGB")
    selfie = np.asarray(photo.crop((120, 10, 330, 290)).resize((810, 1080)))
    rng = np.random.default_rng(0)
    background = rng.integers(60, 180, (1080, 2400, 3), dtype=np.uint8)
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = 1920, 1080, "yuv420p"
        stream.options = {"preset": "ultrafast", "crf": "26"}
        for index in range(20 * 30):
            shift = (index * 4) % 480
            pixels = np.ascontiguousarray(background[:, shift : shift + 1920])
            left = 500 + (index * 2) % 200
            pixels[:, left : left + 810] = selfie
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            frame.pts = index
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))


# The naive way: decode every pixel, LANCZOS resize to the 640 box, JPEG re-encode.
def naive_photo(data: bytes) -> bytes:
    from PIL import Image, ImageOps

    picture = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
    scale = 640 / max(picture.size)
    picture = picture.resize(
        (round(picture.width * scale), round(picture.height * scale)), Image.Resampling.LANCZOS
    )
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=90)
    return out.getvalue()


# The peak resident memory of this process in MB (VmHWM: reset by exec, unlike ru_maxrss,
# which Linux carries over from the parent that forked us).
def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# Child process: warm up (imports, face cascade), run `job` `repeat` times on `path`, print
# {"seconds": [...], "peak_mb", ...} as JSON.
def child(job: str, path: Path, repeat: int) -> None:
    import media

    warm = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (800, 600), (128, 128, 128)).save(warm, format="JPEG")
    media.prepare(warm.getvalue())
    naive_photo(warm.getvalue())
    data = path.read_bytes()
    seconds: list[float] = []
    extra: dict[str, object] = {}
    for _ in range(repeat):
        started = time.perf_counter()
        if job == "naive":
            payload = naive_photo(data)
            extra = {"base64_bytes": len(payload) * 4 // 3}
        else:
            result = media.prepare(data, path.name)
            extra = {
                "size": list(result.size),
                "duration_s": result.duration_s,
                "base64_bytes": result.base64_bytes,
                "frames_one_face": result.frames_one_face,
                "frames_checked": result.frames_checked,
            }
        seconds.append(time.perf_counter() - started)
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb(), **extra}))


# Run one job in a fresh interpreter and return its JSON answer.
def run_child(job: str, path: Path, repeat: int) -> dict[str, Any]:
    answer = subprocess.run(
        [sys.executable, __file__, "--child", job, str(path), str(repeat)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return json.loads(answer.stdout.strip().splitlines()[-1])


# Build the inputs, run each job `runs` times (interleaved), print figures and the JSON line.
def main(runs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bench-prepare-") as folder:
        photo, clip = Path(folder) / "photo.jpg", Path(folder) / "clip.mp4"
        make_photo(photo)
        print(f"photo: 4000x3000 JPEG, {photo.stat().st_size / 2**20:.1f} MB", flush=True)
        made = time.perf_counter()
        make_clip(clip)
        print(
            f"clip: 20 s 1080p30 MP4, {clip.stat().st_size / 2**20:.1f} MB "
            f"(made in {time.perf_counter() - made:.1f} s)",
            flush=True,
        )
        fast, naive = [], []
        for _ in range(2):  # two rounds of fresh processes, interleaved
            fast.append(run_child("photo", photo, runs))
            naive.append(run_child("naive", photo, runs))
        video = [run_child("video", clip, 1) for _ in range(3)]
    image_ms = statistics.median(t for r in fast for t in r["seconds"]) * 1000
    naive_ms = statistics.median(t for r in naive for t in r["seconds"]) * 1000
    video_s = statistics.median(r["seconds"][0] for r in video)
    kept = video[0]["duration_s"]
    figures = {
        "image_ms": round(image_ms, 1),
        "image_naive_ms": round(naive_ms, 1),
        "image_ratio": round(image_ms / naive_ms, 3),
        "video_s": round(video_s, 3),
        "video_ratio": round(video_s / kept, 3),
        "video_peak_mb": round(max(r["peak_mb"] for r in video), 1),
        "image_peak_mb": round(max(r["peak_mb"] for r in fast), 1),
        "image_naive_peak_mb": round(max(r["peak_mb"] for r in naive), 1),
    }
    print(f"photo prepare: median {image_ms:.1f} ms over {2 * runs} runs -> {fast[0]['size']}")
    print(f"photo naive:   median {naive_ms:.1f} ms (full decode + LANCZOS + re-encode)")
    print(f"photo ratio:   {figures['image_ratio']} (goal <= 0.25)")
    faces = (
        f"{video[0]['frames_one_face']}/{video[0]['frames_checked']} sampled frames with one face"
    )
    print(f"clip prepare:  median {video_s:.2f} s for {kept} s kept -> {video[0]['size']}, {faces}")
    print(
        f"clip ratio:    {figures['video_ratio']} (goal <= 0.5); peak {figures['video_peak_mb']} MB (goal < 400)"
    )
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="photo runs per variant (default 7)")
    parser.add_argument(
        "--child", nargs=3, metavar=("JOB", "PATH", "REPEAT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), int(args.child[2]))
    else:
        main(args.runs)
