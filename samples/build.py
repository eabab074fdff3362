"""Rebuild the demo media in samples/ from NASA's public-domain astronaut portrait.

Run `python -m samples.build` (or `python samples/build.py`); `--out DIR` writes elsewhere.
Everything is seeded, so the same libraries give the same files. Each file is checked
before it replaces the old one: size limits, exactly one Haar face (first frame for video)
and, when the `media` package is importable, perceptual hashes far enough apart for the
sandbox scenario to tell the samples apart.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
from PIL import Image

from samples import SAMPLES_DIR
from samples.effects import (
    Box,
    crop_resize,
    detect_faces,
    face_swap,
    load_astronaut,
    poor_quality,
    printed_photo,
    screen_recapture,
)

__all__ = [
    "FPS",
    "FRAME_SIZE",
    "MIN_HASH_DISTANCE",
    "SPECS",
    "SampleSpec",
    "build",
    "main",
    "verify",
]

FRAME_SIZE = (480, 640)  # width, height: the service's recommended portrait framing
FPS = 25
VIDEO_SECONDS = 3.0
MAX_IMAGE_BYTES = 150_000
MAX_VIDEO_BYTES = 600_000
MIN_HASH_DISTANCE = 21  # the sandbox matches within 10 bits; keep samples twice that apart
JPEG_QUALITY = 85


@dataclass(frozen=True)
class SampleSpec:
    """One file of the kit: its name, kind and the function that renders it."""

    file: str
    kind: str  # "image" or "video"
    render: Callable[[np.ndarray, np.ndarray], bytes]  # (source, composite source) -> bytes


def _main_face(rgb: np.ndarray) -> tuple[int, int, int, int]:
    """The largest Haar face in `rgb` (the portrait's own face, not background clutter)."""
    faces = detect_faces(rgb)
    if not faces:
        raise RuntimeError("no face found in the source portrait")
    return max(faces, key=lambda face: face[2] * face[3])


def _jpeg(rgb: np.ndarray) -> bytes:
    """Encode RGB pixels as a baseline JPEG with no metadata (stable bytes)."""
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return buffer.getvalue()


def _camera_motion(
    source: np.ndarray, start: Box, end: Box, *, mirror: bool, seed: int
) -> Iterator[np.ndarray]:
    """Frames of a hand-held capture: eased zoom/pan, slight shake, exposure breathing."""
    rng = np.random.default_rng(seed)
    count = round(VIDEO_SECONDS * FPS)
    shake = np.cumsum(rng.normal(0, 0.9, (count, 2)), axis=0)
    shake -= shake[0]
    for index in range(count):
        t = index / (count - 1)
        box = start.lerp(end, 0.5 - 0.5 * np.cos(np.pi * t))
        box = Box(box.x + shake[index, 0], box.y + shake[index, 1], box.w, box.h)
        frame = crop_resize(source, box, FRAME_SIZE, mirror=mirror).astype(np.float32)
        exposure = 1.0 + 0.06 * np.sin(2 * np.pi * index / (FPS * 1.6))
        yield np.clip(frame * exposure, 0, 255).astype(np.uint8)


def _mp4(frames: Iterator[np.ndarray]) -> bytes:
    """Encode RGB frames as H.264 (yuv420p) in a fast-start MP4 that browsers can play."""
    with tempfile.TemporaryDirectory(prefix="samples-") as folder:
        path = Path(folder) / "clip.mp4"  # fast start rewrites the file, so it needs a real one
        with av.open(str(path), mode="w", options={"movflags": "+faststart"}) as container:
            stream = container.add_stream("libx264", rate=FPS)
            stream.width, stream.height = FRAME_SIZE
            stream.pix_fmt = "yuv420p"
            # x264's macroblock tree makes constant-quality output vary run to run: off.
            stream.options = {"crf": "23", "preset": "medium", "x264-params": "mbtree=0"}
            for frame in frames:
                container.mux(stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")))
            container.mux(stream.encode(None))
        return path.read_bytes()


def _real_photo(source: np.ndarray, _composite: np.ndarray) -> bytes:
    """The untouched portrait, framed like a phone's front camera."""
    return _jpeg(crop_resize(source, Box(128, 0, 640, 853), FRAME_SIZE))


def _composite_photo(_source: np.ndarray, composite: np.ndarray) -> bytes:
    """The face-swapped portrait, mirrored and closer, as a selfie preview shows it."""
    return _jpeg(crop_resize(composite, Box(208, 20, 480, 640), FRAME_SIZE, mirror=True))


def _screen_recapture(source: np.ndarray, _composite: np.ndarray) -> bytes:
    """The portrait shown on a phone screen and photographed."""
    content = crop_resize(source, Box(90, 0, 680, 907), (360, 480))
    return _jpeg(screen_recapture(content, np.random.default_rng(3), FRAME_SIZE))


def _printed_photo(source: np.ndarray, _composite: np.ndarray) -> bytes:
    """The portrait printed with a watermark and photographed on a table."""
    content = crop_resize(source, Box(150, 10, 620, 827), (360, 480))
    rng = np.random.default_rng(4)
    return _jpeg(printed_photo(content, rng, FRAME_SIZE, angle=-5.0, shift=(-20.0, 30.0)))


def _poor_photo(source: np.ndarray, _composite: np.ndarray) -> bytes:
    """A dark, shaken, noisy, tilted shot of the portrait."""
    framed = crop_resize(source, Box(20, 10, 780, 1040), FRAME_SIZE, angle=14.0)
    return _jpeg(poor_quality(framed, np.random.default_rng(5)))


def _real_video(source: np.ndarray, _composite: np.ndarray) -> bytes:
    """A mirrored live capture easing in from a wide shot."""
    start, end = Box(0, 0, 768, 1024), Box(96, 20, 620, 827)
    return _mp4(_camera_motion(source, start, end, mirror=True, seed=6))


def _composite_video(_source: np.ndarray, composite: np.ndarray) -> bytes:
    """The face-swapped portrait, close up, easing out as if the phone moved back."""
    start, end = Box(280, 30, 390, 520), Box(250, 10, 440, 587)
    return _mp4(_camera_motion(composite, start, end, mirror=False, seed=7))


SPECS: tuple[SampleSpec, ...] = (
    SampleSpec("real_photo.jpg", "image", _real_photo),
    SampleSpec("composite_photo.jpg", "image", _composite_photo),
    SampleSpec("screen_recapture.jpg", "image", _screen_recapture),
    SampleSpec("printed_photo.jpg", "image", _printed_photo),
    SampleSpec("poor_quality.jpg", "image", _poor_photo),
    SampleSpec("real_video.mp4", "video", _real_video),
    SampleSpec("composite_video.mp4", "video", _composite_video),
)


def _first_frame(data: bytes, kind: str) -> np.ndarray:
    """RGB pixels of an image, or of a video's first frame."""
    if kind == "image":
        with Image.open(io.BytesIO(data)) as image:
            return np.asarray(image.convert("RGB"))
    with av.open(io.BytesIO(data), "r") as container:
        frame = next(container.decode(video=0))
        return frame.to_ndarray(format="rgb24")


def verify(files: dict[str, bytes]) -> list[str]:
    """Problems with a set of built files (empty when all is well)."""
    kinds = {spec.file: spec.kind for spec in SPECS}
    problems = []
    for name, data in files.items():
        limit = MAX_IMAGE_BYTES if kinds[name] == "image" else MAX_VIDEO_BYTES
        if len(data) >= limit:
            problems.append(f"{name}: {len(data)} bytes, limit {limit}")
        faces = detect_faces(_first_frame(data, kinds[name]))
        if len(faces) != 1:
            problems.append(f"{name}: Haar cascade found {len(faces)} faces, need exactly 1")
    problems.extend(_hash_problems(files))
    return problems


def _hash_problems(files: dict[str, bytes]) -> list[str]:
    """Pairs of samples whose perceptual hashes the sandbox could confuse."""
    try:
        from media import hamming_distance, perceptual_hash
    except ImportError:
        print("note: media package not importable, perceptual distances not checked")
        return []
    hashes = {name: perceptual_hash(data) for name, data in files.items()}
    names = sorted(hashes)
    return [
        f"{a} and {b}: perceptual hashes only {d} bits apart, need {MIN_HASH_DISTANCE}"
        for i, a in enumerate(names)
        for b in names[i + 1 :]
        if (d := hamming_distance(hashes[a], hashes[b])) < MIN_HASH_DISTANCE
    ]


def build(out_dir: Path = SAMPLES_DIR) -> list[Path]:
    """Render every sample, verify them all, then move them into `out_dir` together."""
    source = load_astronaut()
    composite = face_swap(source, _main_face(source))
    files = {spec.file: spec.render(source, composite) for spec in SPECS}
    problems = verify(files)
    if problems:
        raise RuntimeError("samples failed their checks: " + "; ".join(problems))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".build-") as staging:
        for name, data in files.items():
            (Path(staging) / name).write_bytes(data)
        for name in files:
            target = out_dir / name
            shutil.move(str(Path(staging) / name), target)
            written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: build the samples and list what was written."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SAMPLES_DIR, help="output folder")
    args = parser.parse_args(argv)
    try:
        paths = build(args.out)
    except (RuntimeError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for path in paths:
        print(f"{path}  {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
