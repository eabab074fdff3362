"""ISO/IEC 30107-3 style figures from a run's rows; pure functions, no I/O.

Two operating points: `high` blocks on High (the service's advice), `mid_high` blocks on
Mid or High. Items without an answer (errors, refusals, interruptions) are non-responses:
they are left out of APCER and BPCER and reported as non-response rates per class.

- APCER: share of answered attack items let through (per attack type; pooled; the worst type).
- BPCER: share of answered bona fide items blocked.
- ACER: (worst-type APCER + BPCER) / 2.
- accuracy: share of answered items decided correctly.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from evaluation.models import ATTACK, BONA_FIDE, LEVELS, ResultRow

__all__ = [
    "FACE_BUCKETS",
    "OPERATING_POINTS",
    "Z95",
    "breakdown",
    "compute_metrics",
    "face_bucket",
    "percentile",
    "wilson_interval",
]

OPERATING_POINTS = ("high", "mid_high")
OUTCOMES = (*LEVELS, "none")
Z95 = 1.959963984540054
# Face size buckets on the largest face's shorter side (the service asks for >= 100 px).
FACE_BUCKETS = ("<100", "100-199", "200-399", ">=400", "unknown")


def face_bucket(face_px: int | None) -> str:
    """The bucket of a face size in pixels; `unknown` when no face was measured."""
    if face_px is None:
        return "unknown"
    if face_px < 100:
        return "<100"
    if face_px < 200:
        return "100-199"
    return "200-399" if face_px < 400 else ">=400"


def wilson_interval(successes: int, n: int, z: float = Z95) -> list[float] | None:
    """Wilson score interval [low, high] for a proportion; None when n is 0."""
    if n <= 0:
        return None
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return [max(0.0, centre - half), min(1.0, centre + half)]


def _rate(count: int, n: int) -> float | None:
    """count / n, or None for an empty class."""
    return count / n if n else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0..100) with linear interpolation, like numpy's default."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def _confusion(rows: Iterable[ResultRow]) -> dict[str, int]:
    """Counts of Low / Mid / High / none over rows."""
    counter = Counter(row.outcome for row in rows)
    return {name: counter[name] for name in OUTCOMES}


def _operating_point(
    done: Sequence[ResultRow], point: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The figures of one operating point, and its APCER per attack type."""
    attacks = [r for r in done if r.label == ATTACK and r.responded]
    bona = [r for r in done if r.label == BONA_FIDE and r.responded]
    passed_attacks = sum(1 for r in attacks if not r.blocked(point))
    blocked_bona = sum(1 for r in bona if r.blocked(point))
    by_type: dict[str, Any] = {}
    by_type_ci: dict[str, Any] = {}
    worst: tuple[float, int, str] | None = None
    for name in sorted({r.attack_type or "unspecified" for r in done if r.label == ATTACK}):
        of_type = [r for r in attacks if (r.attack_type or "unspecified") == name]
        missed = sum(1 for r in of_type if not r.blocked(point))
        by_type[name] = _rate(missed, len(of_type))
        by_type_ci[name] = wilson_interval(missed, len(of_type))
        if of_type and (worst is None or (missed / len(of_type), len(of_type)) > worst[:2]):
            worst = (missed / len(of_type), len(of_type), name)
    apcer = _rate(passed_attacks, len(attacks))
    bpcer = _rate(blocked_bona, len(bona))
    apcer_max = worst[0] if worst else None
    correct = (len(attacks) - passed_attacks) + (len(bona) - blocked_bona)
    answered = len(attacks) + len(bona)
    worst_ci = by_type_ci[worst[2]] if worst else None
    bpcer_ci = wilson_interval(blocked_bona, len(bona))
    acer = (apcer_max + bpcer) / 2 if apcer_max is not None and bpcer is not None else None
    acer_ci = (
        [(worst_ci[0] + bpcer_ci[0]) / 2, (worst_ci[1] + bpcer_ci[1]) / 2]
        if worst_ci and bpcer_ci
        else None
    )
    figures = {
        "apcer": apcer,
        "apcer_max": apcer_max,
        "apcer_max_type": worst[2] if worst else None,
        "bpcer": bpcer,
        "acer": acer,
        "accuracy": _rate(correct, answered),
        "ci": {
            "apcer": wilson_interval(passed_attacks, len(attacks)),
            "apcer_max": worst_ci,
            "bpcer": bpcer_ci,
            "acer": acer_ci,
            "accuracy": wilson_interval(correct, answered),
        },
        "counts": {
            "attack_answered": len(attacks),
            "attack_passed": passed_attacks,
            "bona_fide_answered": len(bona),
            "bona_fide_blocked": blocked_bona,
        },
    }
    return figures, {"value": by_type, "ci": by_type_ci}


def _non_response(done: Sequence[ResultRow], label: str) -> dict[str, Any]:
    """Count, rate and interval of unanswered items of one class."""
    of_class = [r for r in done if r.label == label]
    missing = sum(1 for r in of_class if not r.responded)
    return {
        "count": missing,
        "rate": _rate(missing, len(of_class)),
        "ci": wilson_interval(missing, len(of_class)),
    }


def breakdown(done: Sequence[ResultRow], key: Callable[[ResultRow], str]) -> dict[str, Any]:
    """Per group (by `key`): items, answered, and each operating point's APCER, BPCER and
    accuracy with their exact counts."""
    groups: dict[str, list[ResultRow]] = {}
    for row in done:
        groups.setdefault(key(row), []).append(row)
    out: dict[str, Any] = {}
    for name in sorted(groups):
        group = groups[name]
        attacks = [r for r in group if r.label == ATTACK and r.responded]
        bona = [r for r in group if r.label == BONA_FIDE and r.responded]
        entry: dict[str, Any] = {"n": len(group), "answered": len(attacks) + len(bona)}
        for point in OPERATING_POINTS:
            passed = sum(1 for r in attacks if not r.blocked(point))
            blocked = sum(1 for r in bona if r.blocked(point))
            right = len(attacks) - passed + len(bona) - blocked
            entry[point] = {
                "apcer": _rate(passed, len(attacks)),
                "bpcer": _rate(blocked, len(bona)),
                "accuracy": _rate(right, len(attacks) + len(bona)),
                "counts": [passed, len(attacks), blocked, len(bona), right],
            }
        out[name] = entry
    return out


def compute_metrics(rows: Sequence[ResultRow]) -> dict[str, Any]:
    """All figures of a run as one JSON-ready dict (see docs/evaluation.md for the keys)."""
    done = [r for r in rows if r.done]
    types = sorted({r.attack_type or "unspecified" for r in done if r.label == ATTACK})
    points: dict[str, Any] = {}
    by_type: dict[str, Any] = {}
    by_type_ci: dict[str, Any] = {}
    for point in OPERATING_POINTS:
        points[point], per_type = _operating_point(done, point)
        by_type[point] = per_type["value"]
        by_type_ci[point] = per_type["ci"]
    latencies = [r.latency_ms for r in done if r.responded and r.latency_ms is not None]
    unanswered = sum(1 for r in done if not r.responded)
    return {
        "n": len(done),
        "bona_fide": sum(1 for r in done if r.label == BONA_FIDE),
        "attack": sum(1 for r in done if r.label == ATTACK),
        "pending": len(rows) - len(done),
        "non_response_rate": _rate(unanswered, len(done)),
        "non_response": {label: _non_response(done, label) for label in (BONA_FIDE, ATTACK)},
        "confusion": {
            label: _confusion(r for r in done if r.label == label) for label in (BONA_FIDE, ATTACK)
        },
        "confusion_by_type": {
            name: _confusion(
                r for r in done if r.label == ATTACK and (r.attack_type or "unspecified") == name
            )
            for name in types
        },
        "operating_points": points,
        "apcer_by_type": by_type,
        "apcer_by_type_ci": by_type_ci,
        "latency_ms": {
            "p50": percentile(latencies, 50),
            "p95": percentile(latencies, 95),
            "mean": sum(latencies) / len(latencies) if latencies else None,
            "max": max(latencies) if latencies else None,
            "count": len(latencies),
        },
        "calls": sum(r.attempts for r in done),
        "errors_by_code": dict(sorted(Counter(r.error_code for r in done if r.error_code).items())),
        "by_kind": breakdown(done, lambda r: r.kind or "image"),
        "by_face_size": breakdown(done, lambda r: face_bucket(r.face_px)),
    }
