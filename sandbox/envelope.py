"""The service's reply envelope: `{"Response": {..., "RequestId": ...}}`.

API errors travel as HTTP 200 with `Content-Type: application/json`, exactly as the
official SDK expects; every reply carries a fresh RequestId (uuid4).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sandbox.messages import message

__all__ = ["MAX_ECHO_CHARS", "Rejection", "error_body", "new_request_id", "verdict_body"]


# Longest text a message echoes back from a request (an action name, a parameter name...).
MAX_ECHO_CHARS = 160


def _echoed(value: object) -> object:
    """`value` as a message may echo it: strings (and (zh, en) pairs) cut to
    `MAX_ECHO_CHARS` characters, so a 60 KB header never comes back (or stays cached)."""
    if isinstance(value, str):
        return value if len(value) <= MAX_ECHO_CHARS else value[:MAX_ECHO_CHARS] + "…"
    if isinstance(value, tuple):
        return tuple(_echoed(part) for part in value)
    if isinstance(value, int | float) or value is None:
        return value
    return _echoed(str(value))


class Rejection(Exception):
    """An API error the sandbox answers with: a code plus values for its message (each
    echoed value at most `MAX_ECHO_CHARS` characters)."""

    def __init__(self, code: str, **values: object) -> None:
        super().__init__(code)
        self.code = code
        self.values = {name: _echoed(value) for name, value in values.items()}

    def body(self, language: str, request_id: str) -> dict[str, Any]:
        """The error envelope for this rejection in `language`."""
        return error_body(self.code, message(self.code, language, **self.values), request_id)


def new_request_id() -> str:
    """A fresh request id, as the service sends: a uuid4 string."""
    return str(uuid.uuid4())


def error_body(code: str, text: str, request_id: str) -> dict[str, Any]:
    """`{"Response": {"Error": {"Code", "Message"}, "RequestId"}}`."""
    return {"Response": {"Error": {"Code": code, "Message": text}, "RequestId": request_id}}


def verdict_body(
    level: str, types: Sequence[str], extra: Mapping[str, Any], request_id: str
) -> dict[str, Any]:
    """A DetectAIFakeFaces success reply; trace types only for Mid and High."""
    details = [{"Type": t} for t in types] if level in ("Mid", "High") else []
    return {
        "Response": {
            "AttackRiskLevel": level,
            "AttackRiskDetailList": details,
            "ExtraInfo": dict(extra),
            "RequestId": request_id,
        }
    }
