"""A demo run offline: every sample, prepared like the app prepares it, sent through our
client to a real sandbox on loopback running samples/scenario.toml, gets its catalogue
outcome."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import media
from client import Credentials, FaceIdClient, ServiceError
from samples import SCENARIO_PATH
from samples.catalog import Sample
from sandbox import DEMO_SECRET_ID, DEMO_SECRET_KEY, Sandbox


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(scenario=SCENARIO_PATH, qps=1000.0) as running:
        yield running


@pytest.fixture()
def api(sandbox: Sandbox) -> Iterator[FaceIdClient]:
    credentials = Credentials(DEMO_SECRET_ID, DEMO_SECRET_KEY)
    with FaceIdClient(credentials, endpoint=sandbox.url, max_retries=0, timeout=30.0) as client:
        yield client


def _outcome(api: FaceIdClient, prepared: media.Prepared) -> tuple[str, tuple[str, ...], dict]:
    try:
        detection = api.detect(prepared.data, prepared.input_type)
    except ServiceError as error:
        return error.code, (), {}
    return detection.level_raw, detection.trace_types, dict(detection.extra or {})


def test_every_sample_gets_its_catalogue_outcome(
    sandbox: Sandbox, api: FaceIdClient, catalog: tuple[Sample, ...], sample_bytes: dict[str, bytes]
) -> None:
    sandbox.reset()
    sent = {}
    for sample in catalog:
        prepared = media.prepare(sample_bytes[sample.id], sample.file)
        assert prepared.kind == sample.kind and len(prepared.faces) == 1, sample.file
        level, traces, extra = _outcome(api, prepared)
        assert level == sample.expected, f"{sample.file}: got {level}"
        if sample.expected in ("Mid", "High"):
            assert traces, f"{sample.file}: an attack verdict should name its traces"
        if sample.id == "screen-recapture":
            (hit,) = extra["RetrievalLivenessExtraInfo"]
            assert hit["SimilarityScore"] < 0.6
        sent[prepared.sha256] = sample.file
    stats = sandbox.stats()
    assert stats["calls"] == len(catalog)
    assert set(stats["by_sha256"]) == set(sent), "the sandbox saw exactly what was prepared"
    assert stats["by_code"].get("FailedOperation.PoorImageQuality") == 1


def test_a_downscaled_sample_gets_the_same_verdict(
    api: FaceIdClient, catalog: tuple[Sample, ...], sample_bytes: dict[str, bytes]
) -> None:
    small = media.PrepareOptions(max_side=320, video_seconds=2.0)
    for sample in catalog:
        prepared = media.prepare(sample_bytes[sample.id], sample.file, small)
        assert max(prepared.size) < max(prepared.original_size), "the sample was downscaled"
        assert _outcome(api, prepared)[0] == sample.expected, sample.file
