"""The limiter never starts more than the quota in any one-second window; the plan's
balanced order makes any prefix a fair sample; one library names backends and endpoints."""

from __future__ import annotations

import math
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from client import ENDPOINT_INTL, ENDPOINT_MAINLAND, endpoint_alias, resolve_endpoint
from evaluation import TokenBucket, backend_name, balanced_order, make_plan, run_settings
from evaluation.dataset import DatasetItem
from media import PrepareOptions


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@settings(max_examples=300, deadline=None)
@given(
    rate=st.floats(min_value=0.2, max_value=40.0),
    gaps=st.lists(st.floats(min_value=0.0, max_value=1.5), min_size=1, max_size=200),
)
def test_no_one_second_window_holds_more_starts_than_the_quota(
    rate: float, gaps: list[float]
) -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate, clock=clock)
    starts: list[float] = []
    for gap in gaps:  # callers arrive at arbitrary times and wait as told
        clock.now += gap
        while (wait := bucket.try_acquire()) > 0:
            clock.now += wait
        starts.append(clock.now)
    quota = max(1, math.floor(rate + 1e-9))
    for i in range(len(starts) - quota):
        assert starts[i + quota] >= starts[i] + 1.0, "quota + 1 starts within one second"
    for a, b in zip(starts, starts[1:], strict=False):
        assert b - a >= 1.0 / rate - 1e-9, "starts are spread, not bursts"


def test_a_busy_limiter_sends_at_the_quota() -> None:
    clock = FakeClock()
    bucket = TokenBucket(5, clock=clock)
    starts = []
    while len(starts) < 51:
        wait = bucket.try_acquire()
        if wait > 0:
            clock.now += wait
        else:
            starts.append(clock.now)
    assert math.isclose((len(starts) - 1) / (starts[-1] - starts[0]), 5.0, rel_tol=1e-6)


def _items(layout: dict[tuple[str, str | None], int]) -> list[DatasetItem]:
    out = []
    for (label, kind), count in layout.items():
        for i in range(count):
            path = f"{label}/{kind or ''}/{i:04d}.jpg"
            out.append(DatasetItem(path, Path(path), label, kind, f"{path}-sha", 1))
    return out


def test_balanced_order_makes_every_prefix_a_fair_sample() -> None:
    layout = {("attack", "print"): 300, ("attack", "replay"): 100, ("bona_fide", None): 200}
    items = _items(layout)
    order = balanced_order(items, seed=7)
    assert sorted(i.path for i in order) == sorted(i.path for i in items)
    assert order == balanced_order(list(reversed(items)), seed=7), "seeded, input order ignored"
    assert order != balanced_order(items, seed=8)
    for prefix in (6, 30, 60, 300):
        head = order[:prefix]
        for (label, kind), count in layout.items():
            got = sum(1 for i in head if (i.label, i.attack_type) == (label, kind))
            assert abs(got - prefix * count / len(items)) <= 1, (prefix, label, kind)
    assert [i.label for i in order[:3]].count("bona_fide") == 1


def test_plan_counts_what_is_stored_and_sends_each_content_once() -> None:
    items = _items({("attack", "print"): 4, ("bona_fide", None): 4})
    twin = DatasetItem("bona_fide/copy.jpg", Path("x"), "bona_fide", None, items[0].sha256, 1)
    plan = make_plan([*items, twin], {items[1].sha256}, qps=2.0)
    assert (plan.items, plan.contents, plan.stored_contents, plan.stored_items) == (9, 8, 1, 1)
    assert plan.send_count == 7 and plan.estimate_s == 3.5 and not plan.fresh
    assert len({i.sha256 for i in plan.to_send}) == 7


def test_endpoint_aliases_and_backend_names_are_shared() -> None:
    assert resolve_endpoint("mainland") == resolve_endpoint(None) == ENDPOINT_MAINLAND
    assert resolve_endpoint(" International ") == resolve_endpoint("intl") == ENDPOINT_INTL
    assert resolve_endpoint("http://127.0.0.1:9") == "http://127.0.0.1:9"
    assert endpoint_alias(ENDPOINT_INTL) == endpoint_alias("intl") == "international"
    assert endpoint_alias(f"https://{ENDPOINT_MAINLAND}/") == "mainland"
    assert endpoint_alias("http://127.0.0.1:9") is None
    assert backend_name(ENDPOINT_INTL) == backend_name(f"https://{ENDPOINT_MAINLAND}") == "tencent"
    assert backend_name("http://127.0.0.1:9") == "custom"
    assert backend_name("faceid.tencentcloudapi.com.evil.example") == "custom"
    opts = PrepareOptions()
    by_alias = run_settings(
        sandbox=False, endpoint="intl", region="", qps=1, concurrency=2, prepare_options=opts
    )
    by_host = run_settings(
        sandbox=False,
        endpoint=ENDPOINT_INTL,
        region=None,
        qps=5,
        concurrency=9,
        prepare_options=opts,
        name="x",
    )
    assert by_alias.config_key == by_host.config_key and by_host.name == "x"
    custom = run_settings(
        sandbox=False,
        endpoint="http://10.0.0.1:80",
        region=None,
        qps=1,
        concurrency=2,
        prepare_options=opts,
    )
    assert custom.backend == "custom"
