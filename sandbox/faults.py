"""Faults for testing clients: added latency with jitter, API errors at a chosen rate,
and transport faults (a dropped connection, a 502 HTML page from a "gateway", a
reply body trickled out slowly).

`Faults` is the configuration; `FaultDice` rolls them per call, thread-safely, from a
seedable random generator so a test can make the sequence repeatable.
"""

from __future__ import annotations

import math
import random
import re
import threading
from dataclasses import dataclass
from typing import Literal

__all__ = ["BAD_GATEWAY_HTML", "FaultDice", "Faults", "TransportFault", "is_error_code"]

TransportFault = Literal["drop", "bad_gateway"]

_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$")

BAD_GATEWAY_HTML = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>sandbox</center>\r\n"
    "</body>\r\n</html>\r\n"
)


def is_error_code(code: str) -> bool:
    """Whether `code` looks like a Tencent Cloud error code (`Word` or `Word.Word`)."""
    return bool(_CODE.match(code))


@dataclass(frozen=True)
class Faults:
    """Rates are probabilities per API call, between 0 and 1.

    - `error_rate`: answer with one of `error_codes` (chosen at random) instead of a verdict.
    - `drop_rate`: send the status line and headers, then close the connection.
    - `bad_gateway_rate`: answer HTTP 502 with an HTML page, as a broken gateway does.
    - `slow_body_rate`: send the real reply in small pieces over `slow_body_ms`.
    """

    error_rate: float = 0.0
    error_codes: tuple[str, ...] = ("FailedOperation.DetectEngineSystemError",)
    drop_rate: float = 0.0
    bad_gateway_rate: float = 0.0
    slow_body_rate: float = 0.0
    slow_body_ms: float = 2000.0
    seed: int | None = None

    def __post_init__(self) -> None:
        for name in ("error_rate", "drop_rate", "bad_gateway_rate", "slow_body_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if self.drop_rate + self.bad_gateway_rate > 1.0:
            raise ValueError("drop_rate + bad_gateway_rate must not exceed 1")
        if not self.error_codes:
            raise ValueError("error_codes must name at least one code")
        for code in self.error_codes:
            if not is_error_code(code):
                raise ValueError(f"not an error code: {code!r}")
        if not (math.isfinite(self.slow_body_ms) and self.slow_body_ms >= 0):
            raise ValueError(f"slow_body_ms must be 0 or more, got {self.slow_body_ms}")


class FaultDice:
    """Rolls the configured faults and latency for each call."""

    def __init__(self, faults: Faults, latency_ms: float = 0.0, jitter_ms: float = 0.0) -> None:
        if not all(math.isfinite(v) and v >= 0 for v in (latency_ms, jitter_ms)):
            raise ValueError("latency_ms and jitter_ms must be 0 or more")
        self.faults = faults
        self.latency_ms = latency_ms
        self.jitter_ms = jitter_ms
        self._random = random.Random(faults.seed)
        self._lock = threading.Lock()

    def _uniform(self) -> float:
        """One draw in [0, 1) from the shared generator."""
        with self._lock:
            return self._random.random()

    def latency_s(self) -> float:
        """Seconds to wait before answering: latency plus or minus up to jitter."""
        if not self.latency_ms and not self.jitter_ms:
            return 0.0
        offset = (self._uniform() * 2.0 - 1.0) * self.jitter_ms
        return max(0.0, self.latency_ms + offset) / 1000.0

    def transport_fault(self) -> TransportFault | None:
        """A dropped connection, a 502 page, or nothing."""
        f = self.faults
        if not (f.drop_rate or f.bad_gateway_rate):
            return None
        roll = self._uniform()
        if roll < f.drop_rate:
            return "drop"
        if roll < f.drop_rate + f.bad_gateway_rate:
            return "bad_gateway"
        return None

    def injected_error(self) -> str | None:
        """An error code to answer with instead of the verdict, or None."""
        f = self.faults
        if not f.error_rate or self._uniform() >= f.error_rate:
            return None
        with self._lock:
            return self._random.choice(f.error_codes)

    def slow_body(self) -> bool:
        """Whether to trickle this reply out slowly."""
        return bool(self.faults.slow_body_rate) and self._uniform() < self.faults.slow_body_rate
