"""The Check tab: choose a way in, check new input at once, show verdict, preview and raw.

The same content with the same settings is not sent twice in a session; "Check again"
sends it anyway. The tab is a fragment: a new input reruns only this tab, which sends
the verdict alone; once the browser has painted it, the whole page is drawn again
(History, call count, then this tab's preview and raw view).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import streamlit as st

from components.check_run import (
    NO_KEYS_CODE,
    check_key,
    may_have_been_sent,
    run_check,
    with_face_preflight,
    with_media,
)
from components.errors import problem_ui
from components.gallery import gallery_ui, sample_bytes
from components.guard import guarded
from components.handover_ui import handover_ui
from components.i18n import t
from components.preview import preview_ui
from components.raw import raw_ui
from components.sending import (
    check_running,
    client_for_worker,
    in_fragment_run,
    may_send_ui,
    note_sent,
    pending_prepared,
    run_cancellable,
    unless_cancelled,
)
from components.state import (
    CHECK_AGAIN,
    PENDING_PREPARED,
    UPLOAD,
    WAY_IN,
    WEBCAM_RECORDER,
    WEBCAM_SNAPSHOT,
    add_to_history,
    calls_made,
    checks_revision,
    count_call,
    input_key,
    keep_on_screen,
    mark_shown,
    outcome_for,
    remember,
    request_recheck,
    take_recheck,
)
from components.verdict import verdict_ui
from components.verdict_anchor import verdict_anchor_ui
from media import MediaError
from media.sniff import sniff

if TYPE_CHECKING:
    from components.check_run import CheckOutcome
    from components.context import AppContext

__all__ = ["WAYS_IN", "PickedInput", "check_tab", "picked_input_ui"]

# The sample gallery comes first and is the default: it needs no camera and no file.
WAYS_IN = ("sample", "camera", "upload", "clip", "batch")
DEFAULT_WAY_IN = "sample"
WAY_ICONS = {"camera": "📷", "upload": "⬆️", "sample": "🖼️", "clip": "🎬", "batch": "🗂️"}


@dataclass(frozen=True)
class PickedInput:
    """Bytes to check, with their file name and which way they came in."""

    data: bytes
    filename: str | None
    source: str
    note: str | None = None  # what a sample shows, for the verdict column


def _way_in_ui(lang: str) -> str:
    """Which way in: sample (the default), camera, upload, clip or several files."""
    WAY_IN.start(DEFAULT_WAY_IN)
    way = st.segmented_control(
        t("check.way_in", lang),
        options=list(WAYS_IN),
        format_func=lambda name: f"{WAY_ICONS[name]} {t(f'check.way_{name}', lang)}",
        required=True,
        key=WAY_IN.key,
        label_visibility="collapsed",
    )
    return way if way in WAYS_IN else DEFAULT_WAY_IN


def _clip_ui(ctx: AppContext) -> bytes | None:
    """The webcam recorder (its own module)."""
    from components.webcam_recorder import webcam_recorder_ui

    return webcam_recorder_ui(ctx, key=input_key(WEBCAM_RECORDER))


def _snapshot_ui(lang: str) -> bytes | None:
    """The webcam snapshot element (its own module)."""
    from components.webcam_snapshot import webcam_snapshot_ui

    return webcam_snapshot_ui(lang, key=input_key(WEBCAM_SNAPSHOT))


def _left_snapshot() -> None:
    """The user left the snapshot way in: its element (and camera) is gone, so is its photo."""
    from components.webcam_snapshot import forget_snapshot

    forget_snapshot(input_key(WEBCAM_SNAPSHOT))


def picked_input_ui(ctx: AppContext, way: str | None = None) -> PickedInput | None:
    """Draw the chosen way in (and, without `way`, the choice itself); return its input."""
    lang = ctx.lang
    way = way or _way_in_ui(lang)
    if way != "camera":
        _left_snapshot()
    if way == "camera":
        photo = _snapshot_ui(lang)
        return PickedInput(photo, "snapshot.jpg", "camera") if photo else None
    if way == "upload":
        upload = st.file_uploader(
            t("check.upload_label", lang),
            # No type filter: Streamlit would refuse other files with an English-only note
            # and keep showing the previous verdict; `media` sniffs the content instead and
            # explains a refusal in the page language.
            key=input_key(UPLOAD),
            help=t("check.upload_help", lang),
        )
        return PickedInput(upload.getvalue(), upload.name, "upload") if upload else None
    if way == "sample":
        sample = gallery_ui(lang)
        if sample is None:
            return None
        note = f"**{sample.caption(lang)}** · {sample.description(lang)}"
        return PickedInput(sample_bytes(str(sample.path)), sample.path.name, "sample", note)
    clip = _clip_ui(ctx)
    # WebM or MP4, whatever the browser recorded: `media` tells them apart by content.
    return PickedInput(clip, None, "clip") if clip else None


def _missing_keys(outcome: CheckOutcome) -> bool:
    """Whether the check stopped for want of usable keys (retried once keys are given)."""
    problem = outcome.problem
    return problem is not None and problem.code in (NO_KEYS_CODE, "Client.ConfigError")


def _is_video(data: bytes) -> bool:
    """Whether the input looks like a video (by its first bytes; preparing checks it)."""
    try:
        return sniff(data).kind == "video"
    except MediaError:
        return False


def _video_progress(ctx: AppContext, elapsed: float) -> str:
    """What a video check is doing, with the seconds elapsed."""
    options = ctx.prepare_options
    start = options.video_start_s
    return t(
        "check.preparing_video",
        ctx.lang,
        start=start,
        end=start + options.video_seconds,
        elapsed=elapsed,
    )


@dataclass(frozen=True)
class _Checked:
    """An input's outcome; a `fresh` one is still to be kept (`_keep`), in History in
    place of `replaces`."""

    outcome: CheckOutcome
    fresh: bool = False
    replaces: CheckOutcome | None = None


def _checked(ctx: AppContext, picked: PickedInput, calls_cap: int) -> _Checked | None:
    """The outcome for this input: the session's earlier one, or a new check (still to be
    kept); None while the input waits for the user (a click on the real service, a
    settings change)."""
    key = check_key(picked.data, ctx)
    earlier = outcome_for(key)
    asked = take_recheck(key)
    if earlier is not None and not asked and not _missing_keys(earlier):
        earlier = with_media(earlier, picked.data, ctx.prepare_options)  # no call: local only
        if (earlier.source, earlier.filename) != (picked.source, picked.filename):
            # The same content come in another way (a sample uploaded before): listed again.
            earlier = replace(earlier, source=picked.source, filename=picked.filename)
            add_to_history(earlier)
        keep_on_screen(earlier)
        return _Checked(earlier)
    running = check_running(key)  # started by an earlier run: wait for it again
    if not running and not asked and not may_send_ui(ctx, picked.data, picked.filename, key):
        return None
    if not running:
        note_sent(key)
    client = client_for_worker(ctx)
    prepared = pending_prepared(key)
    calls_left = calls_cap - calls_made()  # session state: read here, not in the worker
    label = (lambda elapsed: _video_progress(ctx, elapsed)) if _is_video(picked.data) else None
    outcome = run_cancellable(
        lambda cancel: run_check(
            ctx,
            picked.data,
            filename=picked.filename,
            source=picked.source,
            calls_left=calls_left,
            client=unless_cancelled(client, cancel),
            prepared=prepared,
            faces_later=True,  # added by `_keep`, once the verdict is drawn
        ),
        key,
        ctx.lang,
        label=label,
    )
    if outcome is None:  # cancelled: the page says so and offers to send it again
        may_send_ui(ctx, picked.data, picked.filename, key)
        return None
    PENDING_PREPARED.forget()  # sent: the prepared bytes are not kept
    # A retry after missing keys stands in for the refused attempt rather than adding to it.
    replaces = earlier if earlier is not None and _missing_keys(earlier) else None
    return _Checked(outcome, fresh=True, replaces=replaces)


def _keep(
    ctx: AppContext, outcome: CheckOutcome, replaces: CheckOutcome | None, *, later: bool
) -> CheckOutcome:
    """Count a new check and keep it (History, the no-resend cache); returns it as kept.

    With `later` (the verdict goes out alone) its face pre-flight, if it was sent without
    one, and History's picture are left to the next run (`finish_kept_check`): neither the
    server nor the browser is busy with them before the verdict is on screen."""
    if may_have_been_sent(outcome):
        count_call()
    if later:
        remember(outcome, replaces=replaces, finish=ctx.prepare_options)
        return outcome
    outcome = with_face_preflight(outcome, ctx.prepare_options)
    remember(outcome, replaces=replaces)
    return outcome


def _result_ui(
    ctx: AppContext, outcome: CheckOutcome, calls_cap: int, *, handover: bool = True
) -> None:
    """The verdict card (or why there is none), the hand-over downloads (with `handover`)
    and the check-again button."""
    lang = ctx.lang
    retry = False
    if outcome.detection is not None:
        verdict_ui(outcome.detection, lang, sandbox=ctx.backend == "sandbox")
        if handover:
            handover_ui(outcome, lang, key="check")
    elif outcome.problem is not None:
        retry = problem_ui(outcome.problem, lang, calls_cap=calls_cap, prepared=outcome.prepared)
        if outcome.problem.kind == "media":
            return  # the same file would be refused again; a new file or setting rechecks
    st.button(
        t("check.retry" if retry else "check.again", lang),
        key=CHECK_AGAIN.key,
        on_click=request_recheck,
        args=(outcome.key,),
        icon=":material/refresh:",
        type="primary" if retry else "secondary",
    )


def _page_revision() -> tuple[int, int]:
    """What the rest of the page shows about this session's checks (History, call count)."""
    return checks_revision(), calls_made()


def check_tab(ctx: AppContext, *, calls_cap: int) -> None:
    """Draw the Check tab.

    The single-input part is a fragment: a snapshot, a pick or an upload reruns only that
    part, so the verdict reaches the screen without redrawing the sidebar and the other
    tabs first; once it is painted the whole page is redrawn (History, call count). The
    way-in choice and "several files" stay outside it: they rerun the whole page (a batch
    run's Cancel must interrupt it, which a fragment rerun would not)."""
    way = _way_in_ui(ctx.lang)
    if way == "batch":
        from components.batch import batch_ui

        batch_ui(ctx, calls_cap=calls_cap)
        return
    _check_fragment(ctx, calls_cap, way)


@st.fragment
def _check_fragment(ctx: AppContext, calls_cap: int, way: str) -> None:
    """One way in and its verdict as a fragment, guarded itself (a fragment rerun runs
    only this body)."""
    painted = False
    with guarded(t("app.tab_check", ctx.lang), ctx.lang):
        painted = _check_tab_body(ctx, calls_cap, way)
    if painted and in_fragment_run():
        st.rerun()  # the verdict is on screen: now redraw the page around it


def _check_tab_body(ctx: AppContext, calls_cap: int, way: str) -> bool:
    """The way in, the verdict, the preview and the raw view. True when the browser reports
    a verdict from an earlier fragment run painted (the whole page should be redrawn)."""
    lang = ctx.lang
    before = _page_revision()
    left, right = st.columns([11, 10], gap="large")
    with left:
        picked = picked_input_ui(ctx, way)
    with right:
        st.subheader(t("check.verdict_title", lang), anchor=False)
        if picked is None:
            st.info(t("check.prompt", lang), icon=":material/arrow_back:")
            return False
        if picked.note:
            st.caption(picked.note)
        checked = _checked(ctx, picked, calls_cap)
        if checked is None:
            return False
        outcome = checked.outcome
        mark_shown(outcome.key)
        changed = in_fragment_run() and (checked.fresh or _page_revision() != before)
        try:
            # The hand-over downloads come with the redraw too: drawn once, on a settled page.
            _result_ui(ctx, outcome, calls_cap, handover=not changed)
        finally:
            if checked.fresh:  # after the verdict is drawn
                outcome = _keep(ctx, outcome, checked.replaces, later=changed)
        painted = verdict_anchor_ui(outcome.check_id, refresh=changed)
    if changed:
        # A new check in a fragment run: the verdict goes out alone, so neither the server
        # nor the browser is busy with pictures before it is on screen. The page is drawn
        # again once it is painted, preview and raw view included.
        st.caption(t("check.preview_follows", lang))
        return painted
    preview_ui(outcome, lang, ctx.prepare_options)
    raw_ui(ctx, outcome)
    return painted
