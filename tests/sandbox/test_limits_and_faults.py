"""Rate limiting per SecretId under concurrent clients, and the configured faults."""

from __future__ import annotations

import contextlib
import json
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

from sandbox import Faults, Sandbox
from sandbox.faults import FaultDice
from sandbox.ratelimit import RateLimiter

TYPE_3 = json.dumps({"FaceInput": "eA==", "FaceInputType": 3}).encode()  # passes the limiter


def sdk_outcome(sdk, detect, sandbox, **kwargs) -> tuple[str, str]:
    """(code, message) of one SDK call that fails."""
    try:
        detect(sdk(sandbox, **kwargs), b"x", 3)
    except TencentCloudSDKException as exc:
        return exc.get_code(), exc.get_message()
    return "OK", ""


def test_rate_limit_under_concurrent_clients(sdk, detect):
    with Sandbox(qps=2) as sandbox:
        started = time.monotonic()
        with ThreadPoolExecutor(10) as pool:
            outcomes = list(
                pool.map(lambda _: sdk_outcome(sdk, detect, sandbox, language="en-US"), range(10))
            )
        elapsed = time.monotonic() - started
        passed = [c for c, _ in outcomes if c == "InvalidParameter"]
        limited = [m for c, m in outcomes if c == "RequestLimitExceeded"]
        assert len(passed) + len(limited) == 10
        # A burst of qps calls, plus whatever refilled while the calls ran.
        assert 2 <= len(passed) <= 2 + int(elapsed * 2) + 1
        assert len(limited) >= 10 - len(passed)
        assert all("frequency limit `2` for a second" in m for m in limited)
        assert sandbox.stats()["by_code"]["RequestLimitExceeded"] == len(limited)
        time.sleep(1.1)  # the bucket refills
        assert sdk_outcome(sdk, detect, sandbox)[0] == "InvalidParameter"


def test_rate_limit_counts_per_secret_id_and_refills():
    now = [100.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    assert [limiter.acquire("a").allowed for _ in range(3)] == [True, True, False]
    assert limiter.acquire("b").allowed  # another SecretId has its own bucket
    denied = limiter.acquire("a")
    assert (denied.allowed, denied.count_last_second, denied.limit) == (False, 4, 2)
    now[0] += 0.5  # half a second refills one token at 2 qps
    assert limiter.acquire("a").allowed
    assert not limiter.acquire("a").allowed


def test_no_rate_limit_when_qps_is_zero():
    limiter = RateLimiter(0)
    assert all(limiter.acquire("a").allowed for _ in range(1000))


def test_added_latency(post, code_of):
    with Sandbox(qps=0, latency_ms=300) as sandbox:
        started = time.monotonic()
        assert code_of(post(sandbox.url, TYPE_3)) == "InvalidParameter"
        assert time.monotonic() - started >= 0.3


def test_latency_jitter_stays_in_range():
    dice = FaultDice(Faults(seed=7), latency_ms=100, jitter_ms=40)
    delays = [dice.latency_s() for _ in range(500)]
    assert min(delays) >= 0.06 and max(delays) <= 0.14
    assert max(delays) - min(delays) > 0.05  # it does vary


def test_error_rate_rolls_chosen_codes():
    dice = FaultDice(
        Faults(error_rate=0.3, error_codes=("InternalError", "ServiceUnavailable"), seed=1)
    )
    rolls = [dice.injected_error() for _ in range(2000)]
    hits = [r for r in rolls if r is not None]
    assert 0.25 < len(hits) / len(rolls) < 0.35
    assert set(hits) == {"InternalError", "ServiceUnavailable"}


@pytest.mark.parametrize(
    "kwargs",
    [
        {"error_rate": 1.5},
        {"drop_rate": -0.1},
        {"error_codes": ()},
        {"error_codes": ("not a code",)},
        {"drop_rate": 0.6, "bad_gateway_rate": 0.6},
        {"slow_body_rate": 0.5, "slow_body_ms": float("nan")},
    ],
)
def test_bad_fault_configuration_is_refused(kwargs):
    with pytest.raises(ValueError):
        Faults(**kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"qps": float("nan")},
        {"qps": float("inf")},
        {"latency_ms": float("nan")},
        {"jitter_ms": float("inf")},
    ],
)
def test_non_finite_settings_are_refused(kwargs):
    # NaN slips past `< 0` checks: a NaN qps made every call RequestLimitExceeded
    # while the ready line said "qps=unlimited".
    with pytest.raises(ValueError):
        Sandbox(**kwargs)


def test_dropped_connection(sdk, detect):
    with Sandbox(qps=0, faults=Faults(drop_rate=1.0)) as sandbox:
        # The SDK reports the broken read as a network failure, not an API error code.
        code = sdk_outcome(sdk, detect, sandbox)[0]
        assert code in {"ClientNetworkError", "ChunkedEncodingError", "ConnectionError"}
        with pytest.raises(httpx.TransportError):
            httpx.post(
                sandbox.url + "/", content=TYPE_3, headers={"Content-Type": "application/json"}
            )
        assert sandbox.stats()["faults"] == {"drop": 2}
        assert sandbox.stats()["by_code"] == {}


def test_bad_gateway_html_page(sdk, detect):
    with Sandbox(qps=0, faults=Faults(bad_gateway_rate=1.0)) as sandbox:
        code, message = sdk_outcome(sdk, detect, sandbox)
        assert code == "ServerNetworkError"
        reply = httpx.post(sandbox.url + "/", content=TYPE_3)
        assert reply.status_code == 502
        assert reply.headers["content-type"].startswith("text/html")
        assert "502 Bad Gateway" in reply.text
        assert sandbox.stats()["faults"] == {"bad_gateway": 2}


def test_slow_body_arrives_whole_but_late(post, code_of):
    with Sandbox(qps=0, faults=Faults(slow_body_rate=1.0, slow_body_ms=500)) as sandbox:
        started = time.monotonic()
        reply = post(sandbox.url, TYPE_3)
        assert time.monotonic() - started >= 0.45
        assert reply.headers["content-type"] == "application/json"
        assert code_of(reply) == "InvalidParameter"
        assert sandbox.stats()["faults"] == {"slow_body": 1}


def test_fault_rates_are_honoured_over_many_calls(post):
    faults = Faults(drop_rate=0.2, bad_gateway_rate=0.2, seed=3)
    with Sandbox(qps=0, faults=faults) as sandbox:
        for _ in range(60):
            with contextlib.suppress(httpx.TransportError):
                post(sandbox.url, TYPE_3)
        stats = sandbox.stats()
        assert stats["calls"] == 60
        assert 4 <= stats["faults"]["drop"] <= 22
        assert 4 <= stats["faults"]["bad_gateway"] <= 22
        assert (
            stats["by_code"]["InvalidParameter"]
            == 60 - stats["faults"]["drop"] - stats["faults"]["bad_gateway"]
        )
