"""The demo kit's scenario (samples/scenario.toml) loads, and every sample, prepared as
the app prepares it, gets the outcome its rule stages."""

from __future__ import annotations

from pathlib import Path

import pytest
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

import media
from sandbox import Sandbox, load_scenario

KIT = Path(__file__).resolve().parents[2] / "samples" / "scenario.toml"

pytestmark = pytest.mark.skipif(not KIT.is_file(), reason="the demo kit is not built yet")


@pytest.mark.slow
def test_every_sample_gets_its_staged_outcome(sdk, detect):
    scenario = load_scenario(KIT)
    rules = [rule for rule in scenario.rules if rule.reference]
    assert rules, "the kit's scenario has no perceptual rules"
    with Sandbox(qps=0, scenario=KIT) as sandbox:
        client = sdk(sandbox)
        for rule in rules:
            path = KIT.parent / rule.reference
            prepared = media.prepare(path.read_bytes(), path.name)
            expected = rule.outcome
            try:
                reply = detect(client, prepared.data, prepared.input_type)
            except TencentCloudSDKException as exc:
                assert exc.get_code() == expected.error, rule.label
                continue
            assert expected.error is None, rule.label
            assert reply.AttackRiskLevel == expected.level, rule.label
            assert [d.Type for d in reply.AttackRiskDetailList] == list(expected.types), rule.label
