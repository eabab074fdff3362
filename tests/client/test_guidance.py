"""Guidance for every documented code and trace type, in both languages; the models."""

from __future__ import annotations

import re

import pytest

from client import RiskLevel, guidance, level_explanation, trace_explanation
from client.errors import (
    RETRYABLE_CODES,
    ApiError,
    ConfigError,
    ConnectionFailed,
    InvalidResponse,
    RequestTimeout,
    ServiceError,
)
from client.models import KNOWN_TRACE_TYPES, AttackTrace, parse_detection
from tests.contract_codes import CONTRACT_CODES

CJK = re.compile(r"[\u4e00-\u9fff]")
CLIENT_CODES = [
    cls.code for cls in (ConfigError, ConnectionFailed, RequestTimeout, InvalidResponse)
]


@pytest.mark.parametrize("code", CONTRACT_CODES + CLIENT_CODES)
def test_every_code_has_its_own_entry_in_both_languages(code):
    en, zh = guidance(code, "en"), guidance(code, "zh")
    assert en.exact and zh.exact and en.code == code
    for text in (en.title, en.meaning, en.action):
        assert text and not CJK.search(text)
    for text in (zh.title, zh.meaning, zh.action):
        assert CJK.search(text)
    assert en.retryable == zh.retryable
    assert guidance(code, "en-US") == en and guidance(code, "zh-CN") == zh


def test_entries_say_the_useful_thing():
    assert "clock" in guidance("AuthFailure.SignatureExpire", "en").action
    assert "时间" in guidance("AuthFailure.SignatureExpire", "zh").action
    assert "Activate" in guidance("UnauthorizedOperation.Nonactivated", "en").action
    assert "开通" in guidance("UnauthorizedOperation.Nonactivated", "zh").action
    assert "10 MB" in guidance("RequestSizeLimitExceeded", "en").meaning


@pytest.mark.parametrize("code", sorted(RETRYABLE_CODES) + ["RequestLimitExceeded.IPLimitExceeded"])
def test_codes_the_client_retries_are_marked_retryable(code):
    assert guidance(code, "en").retryable and ServiceError(code, "m").retryable


def test_unknown_codes_fall_back_by_family_then_generic():
    family = guidance("AuthFailure.SomethingNew", "en")
    assert not family.exact and family.title == "Authentication failed"
    generic = guidance("TotallyNew.Code", "zh")
    assert not generic.exact and CJK.search(generic.action)
    assert guidance("Client.TransportError", "en").title == "Network problem"


@pytest.mark.parametrize("trace_type", sorted(KNOWN_TRACE_TYPES) + ["SuspecteeAnomalyAttack"])
def test_every_trace_type_is_explained_in_both_languages(trace_type):
    en, zh = trace_explanation(trace_type, "en"), trace_explanation(trace_type, "zh")
    assert en and not CJK.search(en) and len(en) > 30
    assert zh and CJK.search(zh)


def test_unknown_trace_type_has_no_explanation_and_is_kept_raw():
    assert trace_explanation("SuspectedSomethingElse", "en") is None
    assert AttackTrace.of("SuspectedSomethingElse") == AttackTrace("SuspectedSomethingElse", False)


def test_level_explanations():
    assert "block" in level_explanation("High", "en")
    assert "拦截" in level_explanation("High", "zh")
    assert level_explanation("Weird", "en").startswith("Unknown")


def test_risk_level_tolerates_unknown_values():
    assert RiskLevel("Mid") is RiskLevel.MID
    assert RiskLevel("Critical") is RiskLevel.UNKNOWN
    assert RiskLevel("") is RiskLevel.UNKNOWN


def test_parse_detection_is_tolerant():
    raw = {
        "Response": {
            "AttackRiskLevel": "Mid",
            "AttackRiskDetailList": [{"Type": "SuspectedWatermark"}, "Bare", {}],
            "RequestId": "r",
        }
    }
    det = parse_detection(raw, latency_ms=1.0, attempts=1, request_preview={})
    assert det.level is RiskLevel.MID
    assert det.trace_types == ("SuspectedWatermark", "Bare")
    assert det.extra == {} and det.raw is raw
    empty = parse_detection(
        {"Response": {"RequestId": "r"}}, latency_ms=1.0, attempts=1, request_preview={}
    )
    assert empty.level is RiskLevel.UNKNOWN and empty.level_raw == ""


def test_error_tree():
    for cls in (ConnectionFailed, RequestTimeout, InvalidResponse, ServiceError):
        assert issubclass(cls, ApiError)
    # Settings that cannot work are not a failed call: no handler has to catch them first.
    assert not issubclass(ConfigError, ApiError)
    config = ConfigError("endpoint is empty", zh="接入地址为空")
    assert (config.code, str(config), config.text("zh")) == (
        "Client.ConfigError",
        "endpoint is empty",
        "接入地址为空",
    )
    assert config.text("zh-CN") == "接入地址为空" and ConfigError("x").text("zh") == "x"
    assert not config.retryable and config.request_id is None and config.detail == str(config)
    assert ConnectionFailed("x").retryable
    assert (
        not RequestTimeout("x", sent=True).retryable and RequestTimeout("x", sent=False).retryable
    )
    assert not ServiceError("AuthFailure.SignatureFailure", "m").retryable
    assert str(InvalidResponse("bad", request_id="r1")) == "bad (RequestId r1)"
