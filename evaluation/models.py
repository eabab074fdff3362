"""Plain values shared by the evaluation modules: settings, outcomes and stored rows."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from core.service import RISK_LEVELS
from core.text import Message, MessageError

__all__ = [
    "ATTACK",
    "BONA_FIDE",
    "LABELS",
    "LEVELS",
    "EvaluationError",
    "Outcome",
    "ResultRow",
    "RunInfo",
    "RunSettings",
]

BONA_FIDE = "bona_fide"
ATTACK = "attack"
LABELS = (BONA_FIDE, ATTACK)
LEVELS = RISK_LEVELS


class EvaluationError(MessageError):
    """A problem with the evaluation's input or settings, told in English and Chinese
    (`.text(lang)`; `.reason` is the `Message`)."""

    def __init__(self, code: str, en: str, zh: str) -> None:
        super().__init__(Message(code, en, zh))


@dataclass(frozen=True)
class RunSettings:
    """What a run was made with; `config_key` says which stored results it may reuse.

    Results are shared between runs whose backend, endpoint and preparation settings are
    equal: the same content is then never sent twice. `name` is the user's label for
    the run; it changes nothing that is sent."""

    backend: str
    endpoint: str
    region: str | None = None
    qps: float = 1.0
    concurrency: int = 4
    prepare: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    name: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The settings as a JSON-ready dict (how the store keeps them)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RunSettings:
        """Settings back from `as_dict()`'s output."""
        return cls(
            d["backend"],
            d["endpoint"],
            d.get("region"),
            float(d.get("qps", 1.0)),
            int(d.get("concurrency", 1)),
            dict(d.get("prepare", {})),
            dict(d.get("versions", {})),
            d.get("name") or None,
        )

    @property
    def config_key(self) -> str:
        """Hex SHA-256 of the settings that change what the service is asked."""
        ident = {"backend": self.backend, "endpoint": self.endpoint, "prepare": self.prepare}
        return hashlib.sha256(json.dumps(ident, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class Outcome:
    """What happened to one piece of content: a verdict or an error, never media bytes."""

    sha256: str
    level: str | None = None
    level_raw: str | None = None
    traces: tuple[str, ...] = ()
    request_id: str | None = None
    latency_ms: float | None = None
    attempts: int = 0
    error_code: str | None = None
    error_message: str | None = None
    retryable: bool = False
    prepared: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)  # slots: a run holds tens of thousands of rows
class ResultRow:
    """One dataset item of a run joined with its stored outcome (if any yet); `kind`
    (image / video) and `face_px` (the largest face's shorter side, in the prepared
    picture) come from the preparation when there was one."""

    path: str
    label: str
    attack_type: str | None
    sha256: str
    level: str | None = None
    traces: tuple[str, ...] = ()
    request_id: str | None = None
    latency_ms: float | None = None
    attempts: int = 0
    error_code: str | None = None
    error_message: str | None = None
    done: bool = False
    kind: str | None = None
    face_px: int | None = None

    @property
    def responded(self) -> bool:
        """True when the service gave a risk level for this item."""
        return self.done and self.error_code is None and self.level in LEVELS

    def blocked(self, operating_point: str) -> bool | None:
        """Whether the item is rejected as an attack at an operating point, None if no answer."""
        if not self.responded:
            return None
        if operating_point == "high":
            return self.level == "High"
        return self.level in ("Mid", "High")

    @property
    def outcome(self) -> str:
        """`Low`/`Mid`/`High`, or `none` for errors and refusals, or `pending`."""
        if not self.done:
            return "pending"
        return self.level if self.responded and self.level else "none"


@dataclass(frozen=True)
class RunInfo:
    """A stored run: its settings, where its items came from, and how far it got.
    `interrupted` counts calls found in flight from a killed run when it was resumed,
    `resent` how many of them were sent again. `note` is the user's free-text note."""

    run_id: int
    source: str
    settings: RunSettings
    status: str
    created_at: str
    updated_at: str
    items: int
    done: int
    skipped: tuple[tuple[str, str, str], ...] = ()
    resent: int = 0
    interrupted: int = 0
    note: str | None = None

    @property
    def name(self) -> str | None:
        """The user's name for the run, if any."""
        return self.settings.name
