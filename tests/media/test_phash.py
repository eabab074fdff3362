"""Perceptual hash: survives downscale, re-encode and trimming; separates different pictures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import numpy as np
from PIL import Image

from media import PrepareOptions, hamming_distance, perceptual_hash, prepare

# The sandbox treats hashes this close as the same scenario picture.
MATCH = 10


def test_hamming_distance_counts_differing_bits() -> None:
    assert hamming_distance(0, 0) == 0
    assert hamming_distance(0b1011, 0b0001) == 2
    assert hamming_distance(2**64 - 1, 0) == 64


def test_hash_survives_downscale_and_jpeg_reencode(build: SimpleNamespace) -> None:
    original = build.astronaut_png()
    reference = perceptual_hash(original)
    assert 0 < reference < 2**64
    small = build.encode(build.astronaut(200), "JPEG", quality=40)
    assert hamming_distance(reference, perceptual_hash(small)) <= MATCH // 2
    prepared = prepare(build.encode(build.astronaut(1600), "JPEG", quality=95))
    assert hamming_distance(reference, prepared.phash) <= MATCH // 2
    assert hamming_distance(prepared.phash, perceptual_hash(prepared.data)) <= 2


def test_hash_separates_different_pictures(build: SimpleNamespace) -> None:
    names = ["astronaut.png", "camera.png", "coffee.png", "chelsea.png", "rocket.jpg"]
    hashes = [perceptual_hash((build.data / name).read_bytes()) for name in names]
    for i in range(len(hashes)):
        for j in range(i + 1, len(hashes)):
            assert hamming_distance(hashes[i], hashes[j]) > 2 * MATCH, (names[i], names[j])


def test_video_hash_is_its_first_frame_and_survives_preparing(
    tmp_path: Path, build: SimpleNamespace, clips: Callable[[str], bytes]
) -> None:
    data = clips("selfie")
    still = build.encode(build.selfie(720, 960), "PNG")
    prepared = prepare(data)
    assert hamming_distance(perceptual_hash(data), perceptual_hash(still)) <= MATCH // 2
    assert hamming_distance(prepared.phash, perceptual_hash(data)) <= MATCH // 2
    assert hamming_distance(perceptual_hash(prepared.data), perceptual_hash(data)) <= MATCH // 2
    shorter = prepare(data, options=PrepareOptions(video_seconds=1, check_faces=False))
    assert hamming_distance(shorter.phash, prepared.phash) <= 2
    other = build.make_video(
        tmp_path / "other.mp4",
        width=480,
        height=360,
        fps=10,
        seconds=1,
        frame_at=lambda _i: np.asarray(Image.open(build.data / "coffee.png").resize((480, 360))),
    )
    assert hamming_distance(perceptual_hash(other), prepared.phash) > 2 * MATCH
