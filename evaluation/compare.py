"""Two runs side by side: which settings differ, every metric's difference and whether it
is significant, and the items whose outcome changed. Pure functions over stored values.

Rates with exact counts (APCER, BPCER, accuracy, non-response) are compared with a
two-sided two-proportion z-test (pooled), significant at p < 0.05; rates without one
count behind them (worst-type APCER, ACER) are significant when their Wilson intervals
do not overlap."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from evaluation.metrics import OPERATING_POINTS
from evaluation.models import ResultRow, RunInfo

__all__ = ["ALPHA", "changed_items", "compare_metrics", "settings_diff", "two_proportion_p"]

ALPHA = 0.05


def two_proportion_p(k1: int, n1: int, k2: int, n2: int) -> float | None:
    """Two-sided p-value of a pooled two-proportion z-test; None when a side is empty."""
    if n1 <= 0 or n2 <= 0:
        return None
    pooled = (k1 + k2) / (n1 + n2)
    spread = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if spread <= 0:
        return 1.0
    z = (k1 / n1 - k2 / n2) / math.sqrt(spread)
    return math.erfc(abs(z) / math.sqrt(2))


def _flat(run: RunInfo) -> dict[str, Any]:
    """A run's settings as flat `key: value` pairs (prepare.* and versions.* spelled out)."""
    d = run.settings.as_dict()
    out = {k: v for k, v in d.items() if k not in ("prepare", "versions")}
    out |= {f"prepare.{k}": v for k, v in d["prepare"].items()}
    out |= {f"versions.{k}": v for k, v in d["versions"].items()}
    out["source"] = run.source
    return out


def settings_diff(a: RunInfo, b: RunInfo) -> dict[str, tuple[Any, Any]]:
    """The settings (and source) whose values differ between two runs: key -> (a, b)."""
    fa, fb = _flat(a), _flat(b)
    return {
        k: (fa.get(k), fb.get(k)) for k in sorted(fa.keys() | fb.keys()) if fa.get(k) != fb.get(k)
    }


def _counts(m: dict[str, Any], point: str) -> dict[str, tuple[int, int]]:
    """(successes, trials) behind each count-based rate of one operating point."""
    c = m["operating_points"][point]["counts"]
    answered = c["attack_answered"] + c["bona_fide_answered"]
    right = answered - c["attack_passed"] - c["bona_fide_blocked"]
    return {
        "apcer": (c["attack_passed"], c["attack_answered"]),
        "bpcer": (c["bona_fide_blocked"], c["bona_fide_answered"]),
        "accuracy": (right, answered),
    }


def _overlap(a: list[float] | None, b: list[float] | None) -> bool | None:
    """Whether two intervals overlap; None when one is missing."""
    if not a or not b:
        return None
    return a[0] <= b[1] and b[0] <= a[1]


def compare_metrics(a: dict[str, Any], b: dict[str, Any]) -> list[dict[str, Any]]:
    """One entry per metric and operating point: both values, b - a, the test used, its
    p-value (z-test) and whether the difference is significant (None: not testable)."""
    out: list[dict[str, Any]] = []
    for point in OPERATING_POINTS:
        oa, ob = a["operating_points"][point], b["operating_points"][point]
        ca, cb = _counts(a, point), _counts(b, point)
        for key in ("apcer", "apcer_max", "bpcer", "acer", "accuracy"):
            va, vb = oa[key], ob[key]
            entry: dict[str, Any] = {
                "metric": key,
                "point": point,
                "a": va,
                "b": vb,
                "diff": None if va is None or vb is None else vb - va,
            }
            if key in ca:
                p = two_proportion_p(*ca[key], *cb[key])
                entry |= {
                    "test": "z",
                    "p": p,
                    "a_counts": list(ca[key]),
                    "b_counts": list(cb[key]),
                    "significant": None if p is None else p < ALPHA,
                }
            else:
                overlap = _overlap(oa["ci"][key], ob["ci"][key])
                entry |= {
                    "test": "wilson",
                    "p": None,
                    "significant": None if overlap is None else not overlap,
                }
            out.append(entry)
    na = sum(v["count"] for v in a["non_response"].values())
    nb = sum(v["count"] for v in b["non_response"].values())
    p = two_proportion_p(na, a["n"], nb, b["n"])
    va, vb = a["non_response_rate"], b["non_response_rate"]
    out.append(
        {
            "metric": "non_response_rate",
            "point": None,
            "a": va,
            "b": vb,
            "diff": None if va is None or vb is None else vb - va,
            "test": "z",
            "p": p,
            "a_counts": [na, a["n"]],
            "b_counts": [nb, b["n"]],
            "significant": None if p is None else p < ALPHA,
        }
    )
    return out


def changed_items(
    a: Sequence[ResultRow], b: Sequence[ResultRow]
) -> list[tuple[ResultRow, ResultRow]]:
    """Items in both runs (same path and content) whose outcome differs, by path."""
    left = {(r.path, r.sha256): r for r in a}
    pairs = [(left[(r.path, r.sha256)], r) for r in b if (r.path, r.sha256) in left]
    return sorted(
        ((x, y) for x, y in pairs if x.outcome != y.outcome), key=lambda pair: pair[0].path
    )
