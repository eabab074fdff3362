"""One check, start to finish, without drawing anything: prepare, send, keep the outcome.

`run_check` never raises: every failure becomes a `Problem` the page can explain
(a media refusal, a Tencent error code, the session's call cap, or something unexpected).
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import time
from contextlib import closing
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from client.errors import ApiError, ConfigError, ServiceError
from core.text import Message
from media import MediaError, first_frame, identify, prepare
from media.sniff import sniff

if TYPE_CHECKING:
    from collections.abc import Callable

    from client import DetectClient, Detection
    from components.context import AppContext
    from media import Prepared, PrepareOptions

__all__ = [
    "CAP_CODE",
    "NO_KEYS_CODE",
    "UNEXPECTED_CODE",
    "CheckOutcome",
    "Problem",
    "check_key",
    "may_have_been_sent",
    "run_check",
    "jpeg_data_url",
    "thumbnail_jpeg",
    "with_face_preflight",
    "with_media",
    "without_media",
]

LOGGER = logging.getLogger(__name__)
CAP_CODE = "App.CallCapReached"
NO_KEYS_CODE = "App.NoKeys"
UNEXPECTED_CODE = "App.Unexpected"
THUMBNAIL_SIDE = 160
PICTURE_SIDE = 480  # the picture kept in History and put in hand-over files
ProblemKind = Literal["media", "api", "cap", "keys", "unexpected"]


@dataclass(frozen=True)
class Problem:
    """Why a check gave no verdict. `kind` picks how the page explains it."""

    kind: ProblemKind
    code: str
    message: str
    message_zh: str | None = None
    request_id: str | None = None
    retryable: bool = False
    raw: dict[str, Any] | None = field(default=None, repr=False)
    # The request as sent (FaceInput elided, Authorization redacted) when one was sent.
    request: dict[str, Any] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, kind: ProblemKind, reason: Message, **details: Any) -> Problem:
        """A problem told by a bilingual `Message` (its code, English and Chinese)."""
        return cls(kind, reason.code, reason.en, message_zh=reason.zh, **details)

    @property
    def reason(self) -> Message:
        """The message as the project's bilingual type (English when no Chinese was given)."""
        return Message(self.code, self.message, self.message_zh or self.message)

    def text(self, lang: str) -> str:
        """The message in the page language (media and settings errors carry both)."""
        return self.reason.text(lang)


@dataclass(frozen=True)
class CheckOutcome:
    """Everything the page shows about one check; kept in this session only."""

    key: str
    source: str
    filename: str | None
    original: bytes = field(repr=False)
    prepared: Prepared | None
    detection: Detection | None
    problem: Problem | None
    checked_at: float
    backend: str
    # A small JPEG of what was sent, kept once the media bytes are dropped (`without_media`).
    picture: bytes | None = field(default=None, repr=False)

    @property
    def has_media(self) -> bool:
        """Whether the input's bytes are still held (only the check on screen keeps them)."""
        return bool(self.original)

    @property
    def check_id(self) -> str:
        """This one check: its key and when it was made (a check sent again gets a new one)."""
        return f"{self.key}@{self.checked_at!r}"

    @property
    def content_sha256(self) -> str:
        """The SHA-256 of the input, the first part of `key`."""
        return self.key.split(":", 1)[0]

    @property
    def sent_or_original(self) -> bytes:
        """What was sent, or the input itself when preparing failed."""
        return self.prepared.data if self.prepared else self.original


def may_have_been_sent(outcome: CheckOutcome) -> bool:
    """Whether this check may have reached the backend (and so counts against the cap)."""
    problem = outcome.problem
    if outcome.detection is not None:
        return True
    return problem is not None and problem.kind == "api" and problem.code != "Client.ConfigError"


def check_key(data: bytes, ctx: AppContext) -> str:
    """The cache key: content sha256 plus every setting that changes what is sent or where."""
    settings = repr((ctx.backend, ctx.endpoint, ctx.region, ctx.prepare_options))
    content = hashlib.sha256(data).hexdigest()
    return f"{content}:{hashlib.sha256(settings.encode()).hexdigest()[:16]}"


def thumbnail_jpeg(data: bytes, side: int = THUMBNAIL_SIDE) -> bytes | None:
    """A small JPEG of the picture (or the video's first frame); None if undecodable."""
    try:
        image = first_frame(data, max_side=side).convert("RGB")
        image.thumbnail((side, side))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=80)
        return out.getvalue()
    except Exception:  # noqa: BLE001 - a thumbnail is decoration; no picture is fine
        return None


def jpeg_data_url(jpeg: bytes | None) -> str | None:
    """A JPEG as a `data:` URL for tables and galleries (None for no picture)."""
    return f"data:image/jpeg;base64,{base64.b64encode(jpeg).decode('ascii')}" if jpeg else None


def without_media(outcome: CheckOutcome, *, picture: bool = True) -> CheckOutcome:
    """The outcome without the input's or the prepared media's bytes: the result, the
    facts and a small picture of what was sent (`picture`; not made with `picture=False`)
    are all that is kept."""
    if not outcome.has_media:
        return outcome
    kept = outcome.picture
    if kept is None and picture:
        kept = thumbnail_jpeg(outcome.sent_or_original, PICTURE_SIDE)
    prepared = replace(outcome.prepared, data=b"") if outcome.prepared else None
    return replace(outcome, original=b"", prepared=prepared, picture=kept)


def with_media(outcome: CheckOutcome, data: bytes, options: PrepareOptions) -> CheckOutcome:
    """A media-less outcome given its bytes again (prepared locally; nothing is sent), so
    the page can preview it once more."""
    if outcome.has_media:
        return outcome
    try:
        prepared: Prepared | None = prepare(data, outcome.filename, options)
    except Exception:  # noqa: BLE001 - the first check refused it too; no preview then
        prepared = None
    return replace(outcome, original=data, prepared=prepared)


def _api_problem(error: ApiError | ConfigError) -> Problem:
    """A `Problem` from the client's error (service code or `Client.*`)."""
    if isinstance(error, ConfigError):
        return Problem.of("api", error.reason)
    raw = dict(error.raw) if isinstance(error, ServiceError) else None
    message = error.message if isinstance(error, ServiceError) else str(error)
    return Problem(
        kind="api",
        code=error.code,
        message=message,
        request_id=error.request_id,
        retryable=error.retryable,
        raw=raw,
        request=dict(error.request_preview) if error.request_preview else None,
    )


def _detect(
    ctx: AppContext, prepared: Prepared, client: Callable[[], DetectClient] | None
) -> Detection:
    """Send the prepared media through the given client, or a fresh one."""
    if client is not None:
        return client().detect(prepared.data, int(prepared.input_type))
    with closing(ctx.make_client()) as fresh:
        return fresh.detect(prepared.data, int(prepared.input_type))


def run_check(
    ctx: AppContext,
    data: bytes,
    *,
    filename: str | None,
    source: str,
    calls_left: int,
    client: Callable[[], DetectClient] | None = None,
    prepared: Prepared | None = None,
    faces_later: bool = False,
) -> CheckOutcome:
    """Prepare `data` and send it to the page's backend; never raises.

    `client` gives a client to use and keep open (the session's); without it a new
    client is made for this check and closed after it. `prepared` is `data` already
    prepared with `ctx.prepare_options` (not prepared again).

    With `faces_later`, on the sandbox, a picture that already fits the image box (and is
    not framed to its face) is sent as soon as it is sized, and its verdict is returned
    without the face pre-flight (which cannot change those bytes), for the caller to add
    with `with_face_preflight` once the verdict is drawn. Anything else is prepared with its
    pre-flight first (which may keep more pixels for a small face), then sent once."""
    detection: Detection | None = None
    problem: Problem | None = None
    options = ctx.prepare_options
    try:
        if faces_later and prepared is None and calls_left > 0 and _answer_first(ctx, data):
            prepared = prepare(data, filename, replace(options, check_faces=False))
            detection = _detect(ctx, prepared, client)
            return _outcome(ctx, data, filename, source, prepared, detection, None)
        prepared = prepared or prepare(data, filename, options)
        if ctx.backend == "tencent" and not ctx.credentials_source:
            problem = Problem(kind="keys", code=NO_KEYS_CODE, message=NO_KEYS_CODE)
        elif calls_left <= 0:
            problem = Problem(kind="cap", code=CAP_CODE, message=CAP_CODE)
        else:
            detection = _detect(ctx, prepared, client)
    except MediaError as error:
        problem = Problem.of("media", error.reason)
    except (ApiError, ConfigError) as error:
        problem = _api_problem(error)
    except Exception as error:  # noqa: BLE001 - the page explains; the log keeps the detail
        LOGGER.exception("unexpected failure while checking %s", type(error).__name__)
        problem = Problem(kind="unexpected", code=UNEXPECTED_CODE, message=type(error).__name__)
    # A problem is explained with the pre-flight's findings (a sized picture has none yet).
    outcome = _outcome(ctx, data, filename, source, prepared, detection, problem)
    return with_face_preflight(outcome, options)


def with_face_preflight(outcome: CheckOutcome, options: PrepareOptions) -> CheckOutcome:
    """The outcome with its picture's face pre-flight (faces, warnings), when it was sent
    without one (`run_check(faces_later=True)`); nothing is sent. Unchanged otherwise."""
    sent = outcome.prepared
    if sent is None or not _preflight_missing(sent, options) or not outcome.has_media:
        return outcome
    try:
        checked = prepare(outcome.original, outcome.filename, options)
    except Exception:  # noqa: BLE001 - the verdict stands; only the warnings are lost
        LOGGER.exception("face pre-flight failed after the call")
        return outcome
    if checked.data != sent.data:  # cannot happen for a picture that fits the box
        LOGGER.warning("face pre-flight chose other bytes than were sent; keeping what was sent")
        return outcome
    return replace(outcome, prepared=checked)


def _outcome(
    ctx: AppContext,
    data: bytes,
    filename: str | None,
    source: str,
    prepared: Prepared | None,
    detection: Detection | None,
    problem: Problem | None,
) -> CheckOutcome:
    return CheckOutcome(
        key=check_key(data, ctx),
        source=source,
        filename=filename,
        original=data,
        prepared=prepared,
        detection=detection,
        problem=problem,
        checked_at=time.time(),
        backend=ctx.backend,
    )


def _answer_first(ctx: AppContext, data: bytes) -> bool:
    """Whether the verdict may come before the face pre-flight: on the sandbox (nothing
    billed; on the real service a flagged input waits for the user), for a picture that
    already fits the image box and is not framed to its face (the pre-flight cannot change
    what is sent). Read from the picture's header; an unreadable one is prepared first."""
    options = ctx.prepare_options
    if ctx.backend != "sandbox" or options.crop_to_face:
        return False
    try:
        if sniff(data).kind != "image":  # a video's preparing is mostly its pre-flight
            return False
        found = identify(data, decode=False)
    except MediaError:
        return False
    return max(found.width, found.height) <= options.max_side


def _preflight_missing(prepared: Prepared, options: PrepareOptions) -> bool:
    """Whether a picture was prepared without the face pre-flight `options` ask for."""
    return options.check_faces and prepared.kind == "image" and prepared.frames_checked == 0
