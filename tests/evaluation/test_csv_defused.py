"""Every CSV cell is defused, whatever its source: what the server sent (traces, request
id, error code and message) as much as file names and attack types."""

from __future__ import annotations

import csv
import io

from evaluation.models import ResultRow
from evaluation.report import items_csv


def test_cells_from_the_server_are_defused_too() -> None:
    evil = ResultRow(
        "a.jpg",
        "attack",
        "-print",
        "s1",
        None,
        ("=cmd|' /C calc'!A0", "SuspectedSpoofingAttack"),
        "@SUM(1+1)",
        12.5,
        2,
        "+FailedOperation",
        "\t=1+1",
        done=True,
    )
    (row,) = csv.DictReader(io.StringIO(items_csv([evil])))
    assert row["traces"].startswith("'=cmd")
    assert row["request_id"] == "'@SUM(1+1)"
    assert row["error_code"] == "'+FailedOperation"
    assert row["error_message"] == "'\t=1+1"
    assert row["attack_type"] == "'-print"
    assert row["path"] == "a.jpg" and row["latency_ms"] == "12.5" and row["attempts"] == "2"
    formula_starts = ("=", "+", "-", "@", "\t", "\r")
    assert not [name for name, value in row.items() if value[:1] in formula_starts]
