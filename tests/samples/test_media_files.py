"""The shipped media are what a demo needs: one clear face each, small, playable, and
perceptually distinct so the sandbox scenario can tell every sample apart."""

from __future__ import annotations

import io
from itertools import combinations

import av
import numpy as np
import pytest
from PIL import Image

import media
from samples import SCENARIO_PATH
from samples.build import MAX_IMAGE_BYTES, MAX_VIDEO_BYTES, MIN_HASH_DISTANCE
from samples.catalog import Sample
from samples.effects import detect_faces
from sandbox import load_scenario
from sandbox.scenario import MATCH_DISTANCE


def _first_frame_rgb(data: bytes) -> np.ndarray:
    return np.asarray(media.first_frame(data).convert("RGB"))


def test_every_sample_shows_exactly_one_haar_face(
    catalog: tuple[Sample, ...], sample_bytes: dict[str, bytes]
) -> None:
    for sample in catalog:
        frame = _first_frame_rgb(sample_bytes[sample.id])
        assert len(detect_faces(frame)) == 1, f"{sample.file}: stock Haar cascade"
        assert len(media.detect_faces(Image.fromarray(frame))) == 1, f"{sample.file}: media"


def test_faces_are_big_enough_for_the_service(
    catalog: tuple[Sample, ...], sample_bytes: dict[str, bytes]
) -> None:
    for sample in catalog:
        (face,) = detect_faces(_first_frame_rgb(sample_bytes[sample.id]))
        assert min(face[2], face[3]) >= 100, f"{sample.file}: face {face[2]} px"
    real = next(s for s in catalog if s.id == "real-photo")
    (face,) = detect_faces(_first_frame_rgb(sample_bytes[real.id]))
    assert face[2] >= 130, "the real photo's face should be well over 100 px"


def test_images_are_small_portrait_jpegs(
    catalog: tuple[Sample, ...], sample_bytes: dict[str, bytes]
) -> None:
    for sample in (s for s in catalog if s.kind == "image"):
        data = sample_bytes[sample.id]
        assert len(data) < MAX_IMAGE_BYTES, sample.file
        with Image.open(io.BytesIO(data)) as image:
            assert (image.format, image.size) == ("JPEG", (480, 640)), sample.file


def test_videos_are_short_h264_clips_a_browser_can_play(
    catalog: tuple[Sample, ...], sample_bytes: dict[str, bytes]
) -> None:
    videos = [s for s in catalog if s.kind == "video"]
    assert len(videos) >= 2
    for sample in videos:
        data = sample_bytes[sample.id]
        assert len(data) < MAX_VIDEO_BYTES, sample.file
        with av.open(io.BytesIO(data)) as container:
            stream = container.streams.video[0]
            frames = sum(1 for _ in container.decode(video=0))
            assert stream.codec_context.name == "h264"
            assert stream.codec_context.pix_fmt == "yuv420p"
            assert (stream.width, stream.height) == (480, 640)
            assert stream.average_rate == 25
        assert 2.0 <= frames / 25 <= 4.0, f"{sample.file}: {frames} frames"


def test_video_frames_keep_one_face_throughout(
    catalog: tuple[Sample, ...], sample_bytes: dict[str, bytes]
) -> None:
    for sample in (s for s in catalog if s.kind == "video"):
        with av.open(io.BytesIO(sample_bytes[sample.id])) as container:
            counts = [
                len(detect_faces(frame.to_ndarray(format="rgb24")))
                for index, frame in enumerate(container.decode(video=0))
                if index % 10 == 0
            ]
        bad = [index for index, count in enumerate(counts) if count != 1]
        assert bad == [], f"{sample.file}: sampled frames without exactly one face {bad}"


def test_samples_are_perceptually_far_apart(
    catalog: tuple[Sample, ...], sample_bytes: dict[str, bytes]
) -> None:
    hashes = {s.file: media.perceptual_hash(sample_bytes[s.id]) for s in catalog}
    close = [
        (a, b, media.hamming_distance(hashes[a], hashes[b]))
        for a, b in combinations(sorted(hashes), 2)
        if media.hamming_distance(hashes[a], hashes[b]) < MIN_HASH_DISTANCE
    ]
    assert close == []
    assert MIN_HASH_DISTANCE > 2 * MATCH_DISTANCE


@pytest.mark.parametrize(
    "options",
    [
        media.PrepareOptions(),
        media.PrepareOptions(max_side=320),
        media.PrepareOptions(max_side=240),
    ],
    ids=["default", "320px", "240px"],
)
def test_prepared_samples_still_match_their_own_rule(
    catalog: tuple[Sample, ...], sample_bytes: dict[str, bytes], options: media.PrepareOptions
) -> None:
    scenario = load_scenario(SCENARIO_PATH)
    for sample in catalog:
        prepared = media.prepare(sample_bytes[sample.id], sample.file, options)
        match = scenario.match(prepared.sha256, lambda p=prepared: media.perceptual_hash(p.data))
        assert match is not None, f"{sample.file} at {options.max_side}px matched no rule"
        assert match.rule.reference == sample.file
        assert match.distance is not None and match.distance <= 4


def test_a_recompressed_copy_still_matches_and_a_different_picture_does_not(
    catalog: tuple[Sample, ...], sample_bytes: dict[str, bytes]
) -> None:
    scenario = load_scenario(SCENARIO_PATH)
    for sample in (s for s in catalog if s.kind == "image"):
        image = media.first_frame(sample_bytes[sample.id])
        buffer = io.BytesIO()
        image.resize((300, 400)).save(buffer, format="JPEG", quality=40)
        recompressed = media.perceptual_hash(buffer.getvalue())
        match = scenario.match("", lambda h=recompressed: h)
        assert match is not None and match.rule.reference == sample.file
    unrelated = Image.new("RGB", (480, 640), (200, 180, 160))
    unrelated.paste((30, 60, 90), (0, 0, 240, 640))
    buffer = io.BytesIO()
    unrelated.save(buffer, format="JPEG")
    assert scenario.match("", lambda: media.perceptual_hash(buffer.getvalue())) is None
