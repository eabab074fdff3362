"""The values the client hands back: risk level, attack traces, and one frozen `Detection`.

Parsing is tolerant: an unknown `AttackRiskLevel` becomes `RiskLevel.UNKNOWN` (the raw text
kept in `level_raw`), an unknown trace type is kept as written with `known=False`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core import service

__all__ = [
    "KNOWN_TRACE_TYPES",
    "TRACE_TYPES",
    "AttackTrace",
    "Detection",
    "FaceInputType",
    "RiskLevel",
    "parse_detection",
]

# The documented attack trace types, in the order the docs list them.
TRACE_TYPES: tuple[str, ...] = (
    "SuspectedSpoofingAttack",
    "SuspectedSynthesisImage",
    "SuspectedSynthesisVideo",
    "SuspectedAnomalyAttack",
    "SuspectedAdversarialAttack",
    "SuspectedBlackIndustry",
    "SuspectedWatermark",
)
KNOWN_TRACE_TYPES: frozenset[str] = frozenset(TRACE_TYPES)


class FaceInputType(enum.IntEnum):
    """`FaceInputType` on the wire: 1 picture, 2 video."""

    IMAGE = 1
    VIDEO = 2


class RiskLevel(enum.StrEnum):
    """`AttackRiskLevel`; any value the service may add later maps to UNKNOWN."""

    LOW = service.LOW
    MID = service.MID
    HIGH = service.HIGH
    UNKNOWN = "Unknown"

    @classmethod
    def _missing_(cls, value: object) -> RiskLevel:
        return cls.UNKNOWN


@dataclass(frozen=True)
class AttackTrace:
    """One entry of `AttackRiskDetailList`: its `Type` exactly as sent, and whether we know it."""

    type: str
    known: bool

    @classmethod
    def of(cls, trace_type: str) -> AttackTrace:
        """A trace for a type string; unknown spellings are kept raw."""
        return cls(trace_type, trace_type in KNOWN_TRACE_TYPES)


@dataclass(frozen=True)
class Detection:
    """One successful DetectAIFakeFaces answer.

    `raw` is the JSON body exactly as received (`{"Response": {...}}`); `request_preview`
    is `{"url", "headers", "body"}` of what was sent, with `Authorization`/`X-TC-Token`
    redacted and `FaceInput` elided. `latency_ms` is the round trip of the answering
    attempt; `attempts` counts every try including retries."""

    level: RiskLevel
    level_raw: str
    traces: tuple[AttackTrace, ...]
    extra: Mapping[str, Any]
    request_id: str
    latency_ms: float
    attempts: int
    raw: Mapping[str, Any]
    request_preview: Mapping[str, Any]

    @property
    def response(self) -> Mapping[str, Any]:
        """The `Response` object as received."""
        return self.raw["Response"]

    @property
    def trace_types(self) -> tuple[str, ...]:
        """The trace types as sent, in order."""
        return tuple(t.type for t in self.traces)


def _traces_of(details: Any) -> tuple[AttackTrace, ...]:
    """`AttackRiskDetailList` entries; tolerates a missing list and bare strings."""
    if not isinstance(details, list):
        return ()
    traces = []
    for item in details:
        trace_type = item.get("Type") if isinstance(item, Mapping) else item
        if trace_type is not None:
            traces.append(AttackTrace.of(str(trace_type)))
    return tuple(traces)


def parse_detection(
    raw: Mapping[str, Any],
    *,
    latency_ms: float,
    attempts: int,
    request_preview: Mapping[str, Any],
) -> Detection:
    """A `Detection` from a success envelope (the caller has already ruled out errors)."""
    response = raw["Response"]
    level_raw = response.get("AttackRiskLevel")
    level_raw = "" if level_raw is None else str(level_raw)
    extra = response.get("ExtraInfo")
    return Detection(
        level=RiskLevel(level_raw),
        level_raw=level_raw,
        traces=_traces_of(response.get("AttackRiskDetailList")),
        extra=dict(extra) if isinstance(extra, Mapping) else {},
        request_id=str(response.get("RequestId") or ""),
        latency_ms=latency_ms,
        attempts=attempts,
        raw=raw,
        request_preview=request_preview,
    )
