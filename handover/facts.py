"""What a hand-over file says about one verdict, as one plain value, and its texts.

The texts come from the page's locale files (`locales/<lang>/handover.toml` and the
verdict strings), so the report reads like the page in the same language.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from client import level_explanation, trace_explanation
from components.i18n import t

if TYPE_CHECKING:
    from client import Detection

__all__ = ["Handover", "TraceLine", "fact_lines", "file_stem", "format_time", "trace_lines"]


@dataclass(frozen=True)
class TraceLine:
    """One attack trace as sent by the service, with its meaning in plain words."""

    type: str
    meaning: str


@dataclass(frozen=True)
class Handover:
    """One verdict to hand over: level, traces, RequestId, time, backend and the picture.

    `picture` is a JPEG of what was sent (a video's first frame), or None to leave it out.
    `sandbox` marks a staged verdict (the page's local sandbox): the files then carry a
    visible SANDBOX watermark."""

    level: str
    level_raw: str
    traces: tuple[str, ...]
    request_id: str
    checked_at: float
    backend: str
    lang: str = "en"
    name: str | None = None
    picture: bytes | None = field(default=None, repr=False)
    latency_ms: float | None = None

    @property
    def sandbox(self) -> bool:
        """Whether this verdict was staged by the sandbox (not Tencent's model)."""
        return self.backend != "tencent"

    @classmethod
    def from_detection(
        cls,
        detection: Detection,
        *,
        checked_at: float,
        backend: str,
        lang: str,
        name: str | None = None,
        picture: bytes | None = None,
    ) -> Handover:
        """The hand-over facts of a successful check."""
        return cls(
            level=str(detection.level.value),
            level_raw=detection.level_raw or "",
            traces=tuple(detection.trace_types),
            request_id=detection.request_id or "",
            checked_at=checked_at,
            backend=backend,
            lang=lang,
            name=name,
            picture=picture,
            latency_ms=detection.latency_ms,
        )

    def text(self, key: str, **values: object) -> str:
        """A locale string in this hand-over's language."""
        return t(key, self.lang, **values)

    @property
    def level_title(self) -> str:
        """The level in words ("High risk" / "高风险")."""
        return self.text(f"verdict.level_{self._level_key.lower()}")

    @property
    def advice(self) -> str:
        """The service's advice for the level, in words."""
        return self.text(f"verdict.advice_{self._level_key.lower()}")

    @property
    def level_meaning(self) -> str:
        """What the level means, from the client's guidance table."""
        return level_explanation(self._level_key, self.lang)

    @property
    def backend_label(self) -> str:
        """The backend in words."""
        return self.text(f"sidebar.backend_{'tencent' if self.backend == 'tencent' else 'sandbox'}")

    @property
    def _level_key(self) -> str:
        return self.level if self.level in ("Low", "Mid", "High") else "Unknown"


def trace_lines(handover: Handover) -> list[TraceLine]:
    """Each trace with its meaning (an unknown type says so and keeps the raw name)."""
    unknown = handover.text("verdict.trace_unknown")
    return [
        TraceLine(kind, trace_explanation(kind, handover.lang) or unknown)
        for kind in handover.traces
    ]


def fact_lines(handover: Handover) -> list[tuple[str, str]]:
    """The facts both files list, as (label in the hand-over's language, value): RequestId,
    time, backend, the input's name and the answer's latency (the last two when known)."""
    facts = [
        ("handover.request_id", handover.request_id or "—"),
        ("handover.time", format_time(handover.checked_at)),
        ("handover.backend", handover.backend_label),
    ]
    if handover.name:
        facts.append(("handover.input", handover.name))
    if handover.latency_ms is not None:
        facts.append(("handover.latency", f"{handover.latency_ms:.0f} ms"))
    return [(handover.text(key), value) for key, value in facts]


def format_time(timestamp: float) -> str:
    """Local date and time with its UTC offset, e.g. `2026-03-01 14:05:09 +0800`."""
    return time.strftime("%Y-%m-%d %H:%M:%S %z", time.localtime(timestamp))


def file_stem(handover: Handover) -> str:
    """A file name stem for the downloads: level and RequestId (safe characters only)."""
    rid = "".join(c for c in handover.request_id if c.isalnum() or c == "-")[:40] or "check"
    return f"anti-deepfake-{handover.level.lower()}-{rid}"
