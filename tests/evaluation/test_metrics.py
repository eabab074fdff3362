"""Metrics against hand-computed fixtures, including empty classes and all-error runs."""

from __future__ import annotations

import pytest

from evaluation.metrics import compute_metrics, percentile, wilson_interval
from evaluation.models import ResultRow


def _row(
    i: int,
    label: str,
    level: str | None,
    *,
    kind: str | None = None,
    error: str | None = None,
    latency: float | None = None,
    attempts: int = 1,
) -> ResultRow:
    return ResultRow(
        path=f"{label}/{i}.jpg",
        label=label,
        attack_type=kind if label == "attack" else None,
        sha256=f"{label}{i}",
        level=level,
        latency_ms=latency,
        attempts=attempts,
        error_code=error,
        done=True,
    )


def _fixture() -> list[ResultRow]:
    """10 bona fide (7 Low, 1 Mid, 1 High, 1 error), print: 2 High 1 Mid 1 Low,
    synth: 1 High 2 Low 1 error; answered items get latencies 100..1600 ms."""
    levels = [("bona_fide", None, lv) for lv in ["Low"] * 7 + ["Mid", "High"]]
    levels += [("attack", "print", lv) for lv in ["High", "High", "Mid", "Low"]]
    levels += [("attack", "synth", lv) for lv in ["High", "Low", "Low"]]
    rows = [
        _row(i, label, lv, kind=kind, latency=100.0 * (i + 1))
        for i, (label, kind, lv) in enumerate(levels)
    ]
    rows.append(_row(90, "bona_fide", None, error="FailedOperation.PoorImageQuality"))
    rows.append(
        _row(91, "attack", None, kind="synth", error="FailedOperation.CoveredFace", attempts=3)
    )
    rows.append(ResultRow("attack/pending.jpg", "attack", "print", "p", done=False))
    return rows


def test_wilson_interval_matches_textbook_values() -> None:
    assert wilson_interval(0, 10) == pytest.approx([0.0, 0.27753], abs=1e-4)
    assert wilson_interval(5, 10) == pytest.approx([0.23659, 0.76341], abs=1e-4)
    assert wilson_interval(10, 10) == pytest.approx([0.72247, 1.0], abs=1e-4)
    assert wilson_interval(0, 0) is None


def test_percentile_interpolates_like_numpy() -> None:
    values = [100.0 * k for k in range(1, 17)]
    assert percentile(values, 50) == pytest.approx(850.0)
    assert percentile(values, 95) == pytest.approx(1525.0)
    assert percentile([], 50) is None
    assert percentile([7.0], 95) == 7.0


def test_counts_and_confusion() -> None:
    m = compute_metrics(_fixture())
    assert (m["n"], m["bona_fide"], m["attack"], m["pending"]) == (18, 10, 8, 1)
    assert m["confusion"]["bona_fide"] == {"Low": 7, "Mid": 1, "High": 1, "none": 1}
    assert m["confusion"]["attack"] == {"Low": 3, "Mid": 1, "High": 3, "none": 1}
    assert m["confusion_by_type"]["synth"] == {"Low": 2, "Mid": 0, "High": 1, "none": 1}
    assert m["non_response_rate"] == pytest.approx(2 / 18)
    assert m["non_response"]["bona_fide"]["rate"] == pytest.approx(1 / 10)
    assert m["non_response"]["attack"]["rate"] == pytest.approx(1 / 8)
    assert m["errors_by_code"] == {
        "FailedOperation.CoveredFace": 1,
        "FailedOperation.PoorImageQuality": 1,
    }
    assert m["calls"] == 16 + 1 + 3


def test_operating_point_block_on_high() -> None:
    op = compute_metrics(_fixture())["operating_points"]["high"]
    assert op["apcer"] == pytest.approx(4 / 7)
    assert op["apcer_max"] == pytest.approx(2 / 3)
    assert op["apcer_max_type"] == "synth"
    assert op["bpcer"] == pytest.approx(1 / 9)
    assert op["acer"] == pytest.approx(7 / 18)
    assert op["accuracy"] == pytest.approx(11 / 16)
    assert op["ci"]["bpcer"] == pytest.approx(wilson_interval(1, 9))
    assert op["ci"]["apcer"] == pytest.approx(wilson_interval(4, 7))


def test_operating_point_block_on_mid_or_high() -> None:
    m = compute_metrics(_fixture())
    op = m["operating_points"]["mid_high"]
    assert op["apcer"] == pytest.approx(3 / 7)
    assert op["apcer_max"] == pytest.approx(2 / 3)
    assert op["bpcer"] == pytest.approx(2 / 9)
    assert op["acer"] == pytest.approx(4 / 9)
    assert op["accuracy"] == pytest.approx(11 / 16)
    assert m["apcer_by_type"]["mid_high"] == pytest.approx({"print": 1 / 4, "synth": 2 / 3})
    assert m["apcer_by_type"]["high"] == pytest.approx({"print": 1 / 2, "synth": 2 / 3})


def test_latency_uses_answered_items_only() -> None:
    lat = compute_metrics(_fixture())["latency_ms"]
    assert lat["p50"] == pytest.approx(850.0)
    assert lat["p95"] == pytest.approx(1525.0)
    assert lat["count"] == 16


def test_empty_attack_class_gives_no_apcer() -> None:
    rows = [_row(i, "bona_fide", lv) for i, lv in enumerate(["Low", "Low", "High"])]
    m = compute_metrics(rows)
    op = m["operating_points"]["high"]
    assert (op["apcer"], op["apcer_max"], op["acer"]) == (None, None, None)
    assert op["bpcer"] == pytest.approx(1 / 3)
    assert op["accuracy"] == pytest.approx(2 / 3)
    assert m["apcer_by_type"] == {"high": {}, "mid_high": {}}
    assert m["confusion"]["attack"] == {"Low": 0, "Mid": 0, "High": 0, "none": 0}
    assert m["non_response"]["attack"]["rate"] is None


def test_all_error_run_reports_only_non_responses() -> None:
    rows = [
        _row(0, "bona_fide", None, error="InvalidParameter"),
        _row(1, "attack", None, kind="print", error="FailedOperation.UnKnown", attempts=2),
    ]
    m = compute_metrics(rows)
    assert m["non_response_rate"] == 1.0
    for point in ("high", "mid_high"):
        op = m["operating_points"][point]
        assert [op[k] for k in ("apcer", "apcer_max", "bpcer", "acer", "accuracy")] == [None] * 5
    assert m["apcer_by_type"]["high"] == {"print": None}
    assert m["latency_ms"]["p50"] is None
    assert m["calls"] == 3


def test_no_rows_at_all() -> None:
    m = compute_metrics([])
    assert (m["n"], m["non_response_rate"], m["calls"]) == (0, None, 0)


def test_unknown_level_counts_as_no_response() -> None:
    rows = [_row(0, "attack", "Weird", kind="print"), _row(1, "attack", "High", kind="print")]
    m = compute_metrics(rows)
    assert m["confusion"]["attack"]["none"] == 1
    assert m["operating_points"]["high"]["apcer"] == 0.0
