"""The DetectAIFakeFaces action as the sandbox performs it, from request to reply.

    size -> action/version -> signature (TC3 or v1) -> rate limit -> body or
      query/form parameters -> FaceInputType -> base64
      -> decode/duration -> (injected fault) -> scenario rule | face checks -> verdict

Synchronous and possibly slow (hashing, decoding, face detection): the web layer
runs `DetectService.handle` in a worker thread.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import media
from sandbox.auth import (
    Account,
    check_action,
    check_action_values,
    verify_signature,
    verify_v1_signature,
)
from sandbox.envelope import Rejection, error_body, new_request_id, verdict_body
from sandbox.faults import FaultDice
from sandbox.memo import Memo
from sandbox.messages import language_of, message
from sandbox.ratelimit import RateLimiter
from sandbox.scenario import Answer, Scenario
from sandbox.validation import (
    CheckedPicture,
    FaceInput,
    check_faces,
    check_media,
    decode_face_input,
    parse_body,
    parse_input_type,
)
from sandbox.wire import Wire, api_params, read_wire

__all__ = ["Call", "DetectService", "Refusal", "Reply"]

log = logging.getLogger("sandbox")


@dataclass(frozen=True)
class Call:
    """One HTTP request as the action sees it; header names are lower-case."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: bytes


@dataclass(frozen=True)
class Reply:
    """The JSON envelope to send, the result code ("OK" or an error code) and what the
    call carried, for the stats."""

    body: dict[str, Any]
    code: str
    input_type: int | None = None
    sha256: str | None = None


class DetectService:
    """Checks and answers DetectAIFakeFaces calls."""

    def __init__(
        self,
        *,
        accounts: Mapping[str, Account],
        limiter: RateLimiter,
        scenario: Scenario,
        dice: FaultDice,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.accounts = dict(accounts)
        self.limiter = limiter
        self.scenario = scenario
        self.dice = dice
        self.clock = clock
        # Per distinct input (type + sha256): the slow, deterministic analyses. Refusals are
        # kept as (code, values) only: a cached exception would keep its traceback, and
        # with it the request body and the decoded picture, alive.
        self._media_checks: Memo[Refusal | None] = Memo()
        self._phashes: Memo[int | None] = Memo()
        self._face_checks: Memo[Refusal | None] = Memo()

    def handle(self, call: Call) -> Reply:
        """The reply for one call; never raises."""
        wire = read_wire(call.method, call.query, call.headers, call.body)
        language = language_of(call.headers.get("x-tc-language") or wire.language)
        request_id = new_request_id()
        state: dict[str, Any] = {}
        try:
            outcome = self._run(call, wire, state)
        except Rejection as rejection:
            return Reply(rejection.body(language, request_id), rejection.code, **state)
        except Exception:
            log.exception("sandbox: unexpected failure while answering a call")
            text = message("InternalError", language)
            return Reply(error_body("InternalError", text, request_id), "InternalError", **state)
        if outcome.error is not None:
            text = message(outcome.error, language)
            return Reply(error_body(outcome.error, text, request_id), outcome.error, **state)
        assert outcome.level is not None
        body = verdict_body(outcome.level, outcome.types, outcome.extra, request_id)
        return Reply(body, "OK", **state)

    def _authenticate(self, call: Call, wire: Wire) -> Account:
        """Action, version and signature, TC3 or v1: the account that signed."""
        if wire.problem is not None and wire.problem.code == "RequestSizeLimitExceeded":
            raise wire.problem
        if wire.version == "v1":
            if wire.problem is not None:
                raise wire.problem
            check_action_values(wire.params.get("Action", ""), wire.params.get("Version", ""))
            return verify_v1_signature(
                method=call.method,
                path=call.path,
                host=call.headers.get("host", ""),
                params=wire.params,
                accounts=self.accounts,
                now=self.clock(),
            )
        check_action(call.headers)
        return verify_signature(
            method=call.method,
            path=call.path,
            query=call.query,
            headers=call.headers,
            body=call.body,
            accounts=self.accounts,
            now=self.clock(),
        )

    def _params(self, call: Call, wire: Wire) -> dict[str, Any]:
        """The action's parameters: the JSON body of a TC3 POST, else the query string
        (GET) or form body (v1 POST)."""
        if wire.version == "tc3" and call.method.upper() == "POST":
            return parse_body(call.body, call.headers.get("content-type", ""))
        if wire.problem is not None:
            raise wire.problem
        return api_params(wire)

    def _run(self, call: Call, wire: Wire, state: dict[str, Any]) -> Answer:
        """Every check in order; fills `state` with input_type and sha256 once known."""
        account = self._authenticate(call, wire)
        decision = self.limiter.acquire(account.secret_id)
        if not decision.allowed:
            raise Rejection(
                "RequestLimitExceeded", count=decision.count_last_second, limit=decision.limit
            )
        params = self._params(call, wire)
        state["input_type"] = parse_input_type(params)
        face = decode_face_input(params, state["input_type"])
        state["sha256"] = face.sha256
        key = f"{face.input_type}:{face.sha256}"
        checked: list[CheckedPicture] = []  # the picture decoded by this call, if it was
        refusal = self._media_checks.get(
            key, lambda: _refusal(lambda: checked.append(check_media(face)))
        )
        if refusal is not None:
            raise refusal.rejection()
        injected = self.dice.injected_error()
        if injected is not None:
            raise Rejection(injected)
        return self._decide(face, key, checked[0] if checked else None)

    def _decide(self, face: FaceInput, key: str, checked: CheckedPicture | None) -> Answer:
        """The matching rule's outcome, else the face checks and the default verdict."""
        match = self.scenario.match(
            face.sha256, lambda: self._phashes.get(face.sha256, lambda: _phash_or_none(face.data))
        )
        if match is not None:
            log.debug("sandbox: %s matched (distance %s)", match.rule.label, match.distance)
            return match.rule.outcome
        if self.scenario.face_check:
            refusal = self._face_checks.get(
                key, lambda: _refusal(lambda: _check_faces_of(face, checked))
            )
            if refusal is not None:
                raise refusal.rejection()
        return self.scenario.default


@dataclass(frozen=True)
class Refusal:
    """A remembered refusal: only what the answer needs (code and message values, which
    `Rejection` keeps short), never the exception, its traceback or the request."""

    code: str
    values: tuple[tuple[str, object], ...]

    def rejection(self) -> Rejection:
        """A fresh exception to raise for this refusal."""
        return Rejection(self.code, **dict(self.values))


def _refusal(check: Callable[[], object]) -> Refusal | None:
    """What `check` refuses (as a `Refusal`), or None when it passes."""
    try:
        check()
    except Rejection as rejection:
        return Refusal(rejection.code, tuple(rejection.values.items()))
    return None


def _check_faces_of(face: FaceInput, checked: CheckedPicture | None) -> None:
    """The face checks on the input's picture (first frame for a video), decoded again
    only when this call did not decode it already."""
    if checked is None:
        checked = check_media(face)
    check_faces(checked.picture, scale=checked.scale)


def _phash_or_none(data: bytes) -> int | None:
    """The input's perceptual hash, or None when it cannot be computed."""
    try:
        return int(media.perceptual_hash(data))
    except media.MediaError:
        return None
