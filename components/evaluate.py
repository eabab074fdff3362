"""The Evaluate tab: measure the service on a labelled set, then read, export and compare.

Runs go through `evaluation` (the same engine as `python -m evaluation`) in the page's
script thread, so progress is drawn live; any click stops the run cleanly after the calls
in flight (results are kept and the run can be continued).
"""

from __future__ import annotations

import hashlib
import secrets
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from components.evaluate_results import compare_ui, results_ui
from components.i18n import t
from evaluation import (
    Dataset,
    EvaluationError,
    Progress,
    RunnerOptions,
    Store,
    default_concurrency,
    load_dataset,
    make_settings,
    run_evaluation,
    sandbox_identity,
)

if TYPE_CHECKING:
    from components.context import AppContext
    from evaluation import RunSettings

__all__ = ["evaluate_tab"]

SCENARIO_PATH = Path(__file__).resolve().parent.parent / "samples" / "scenario.toml"


def _session_dir(create: bool = True) -> Path:
    """This session's own temporary folder (uploads, extracted sets, the default store),
    named at once but made only when something is written into it."""
    if "eval_dir" not in st.session_state:
        name = f"evaluate-{secrets.token_hex(8)}"
        st.session_state["eval_dir"] = str(Path(tempfile.gettempdir()) / name)
    folder = Path(st.session_state["eval_dir"])
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def _duration(seconds: float | None) -> str:
    """`1 h 02 min`, `3 min 05 s` or `12 s`."""
    if seconds is None:
        return "–"
    s = int(round(seconds))
    if s >= 3600:
        return f"{s // 3600} h {s % 3600 // 60:02d} min"
    return f"{s // 60} min {s % 60:02d} s" if s >= 60 else f"{s} s"


def _store_ui(lang: str) -> Path:
    """Where this page keeps results: the session's temporary file or a chosen path."""
    st.subheader(t("evaluate.store_heading", lang))
    mode = st.radio(
        t("evaluate.store_mode", lang),
        ["session", "path"],
        horizontal=True,
        key="eval_store_mode",
        format_func=lambda m: t(f"evaluate.store_{m}", lang),
    )
    default = _session_dir(create=False) / "evaluation.db"
    if mode == "session":
        return default
    st.session_state.setdefault("eval_store_path", str(default))
    text = st.text_input(
        t("evaluate.store_path_label", lang),
        key="eval_store_path",
        help=t("evaluate.store_path_help", lang),
    )
    return Path(text.strip() or default).expanduser()


def _load(source: Path, lang: str) -> Dataset | None:
    """Read a set once per session (zips unpacked into the session folder); errors shown."""
    cache: dict[str, Dataset] = st.session_state.setdefault("eval_sets", {})
    key = str(source)
    if key not in cache:
        dest = _session_dir() / "sets" / hashlib.sha256(key.encode()).hexdigest()[:16]
        dest.mkdir(parents=True, exist_ok=True)
        try:
            with st.spinner(t("evaluate.loading", lang)):
                cache[key] = load_dataset(source, extract_to=dest)
        except EvaluationError as exc:
            st.error(
                t("evaluate.source_problem", lang, reason=exc.text(lang)), icon=":material/error:"
            )
            return None
    return cache[key]


def _source_ui(lang: str) -> Dataset | None:
    """Upload a zip or name a folder / manifest / zip on the server."""
    st.subheader(t("evaluate.source_heading", lang))
    st.caption(t("evaluate.layout_help", lang))
    mode = st.segmented_control(
        t("evaluate.source_mode", lang),
        ["upload", "folder"],
        default="upload",
        required=True,
        format_func=lambda m: t(f"evaluate.source_{m}", lang),
        key="eval_source_mode",
    )
    if mode == "folder":
        text = st.text_input(
            t("evaluate.folder_label", lang),
            key="eval_folder",
            placeholder=t("evaluate.folder_placeholder", lang),
        )
        if not text.strip():
            return None
        if st.button(t("evaluate.reload", lang), key="eval_reload"):
            st.session_state.get("eval_sets", {}).pop(str(Path(text.strip()).expanduser()), None)
        return _load(Path(text.strip()).expanduser(), lang)
    upload = st.file_uploader(t("evaluate.upload_label", lang), type=["zip"], key="eval_zip")
    if upload is None:
        return None
    data = upload.getvalue()
    name = Path(upload.name).name if upload.name.lower().endswith(".zip") else "upload.zip"
    archive = _session_dir() / "uploads" / hashlib.sha256(data).hexdigest()[:16] / name
    if not archive.exists():
        archive.parent.mkdir(parents=True, exist_ok=True)
        archive.write_bytes(data)
    return _load(archive, lang)


def _settings(ctx: AppContext, qps: float, concurrency: int) -> RunSettings:
    """Run settings from the page's backend and preparation settings."""
    endpoint = sandbox_identity(SCENARIO_PATH) if ctx.backend == "sandbox" else ctx.endpoint
    return make_settings(ctx.backend, endpoint, ctx.region, qps, concurrency, ctx.prepare_options)


def _plan_ui(ctx: AppContext, dataset: Dataset, final: set[str]) -> tuple[RunSettings, int]:
    """The plan: counts, what is already measured, the pace and the time it will take."""
    lang = ctx.lang
    st.subheader(t("evaluate.plan_heading", lang))
    left, right = st.columns(2)
    qps = left.number_input(
        t("evaluate.qps", lang),
        min_value=0.1,
        max_value=100.0,
        value=1.0,
        step=0.5,
        key="eval_qps",
        help=t("evaluate.qps_help", lang),
    )
    chosen = right.number_input(
        t("evaluate.concurrency", lang),
        min_value=0,
        max_value=32,
        value=0,
        key="eval_concurrency",
        help=t("evaluate.concurrency_help", lang),
    )
    settings = _settings(ctx, float(qps), int(chosen) or default_concurrency(float(qps)))
    contents = {item.sha256 for item in dataset.items}
    to_send = len(contents - final)
    counts = dataset.counts()
    cells = st.columns(6)
    figures = [
        ("plan_items", len(dataset.items)),
        ("plan_bona_fide", counts["bona_fide"]),
        ("plan_attack", counts["attack"]),
        ("plan_types", len(dataset.attack_types())),
        ("plan_stored", len(contents & final)),
        ("plan_to_send", to_send),
    ]
    for cell, (key, value) in zip(cells, figures, strict=True):
        cell.metric(t(f"evaluate.{key}", lang), value)
    types = ", ".join(f"{name} ({n})" for name, n in dataset.attack_types().items())
    if types:
        st.caption(t("evaluate.plan_types_list", lang, types=types))
    estimate = _duration(to_send / float(qps))
    st.caption(t("evaluate.plan_time", lang) + t("app.label_sep", lang) + estimate)
    if dataset.skipped:
        with st.expander(t("evaluate.skipped", lang, count=len(dataset.skipped))):
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            t("evaluate.skipped_path", lang): s.path,
                            t("evaluate.skipped_reason", lang): s.detail,
                        }
                        for s in dataset.skipped
                    ]
                ),
                hide_index=True,
                width="stretch",
            )
    return settings, to_send


def _run_ui(ctx: AppContext, dataset: Dataset, store: Store, settings: RunSettings) -> None:
    """Run with live progress; a click anywhere (e.g. Cancel) stops it cleanly."""
    lang = ctx.lang
    st.button(t("evaluate.cancel", lang), key="eval_cancel", help=t("evaluate.cancel_help", lang))
    bar = st.progress(0.0)
    with st.status(t("evaluate.running", lang), expanded=False):

        def on_progress(p: Progress) -> None:
            text = t(
                "evaluate.progress",
                lang,
                done=p.done,
                total=p.total,
                rate=p.rate_per_s,
                eta=_duration(p.eta_s),
                errors=p.errors,
            )
            bar.progress(min(p.fraction, 1.0), text=text)

        try:
            summary = run_evaluation(
                dataset,
                store,
                settings,
                ctx.make_client,
                prepare_options=ctx.prepare_options,
                options=RunnerOptions(qps=settings.qps, concurrency=settings.concurrency),
                progress=on_progress,
                cancel=threading.Event(),
            )
        except EvaluationError as exc:  # e.g. another process is running this run
            st.error(
                t("evaluate.store_problem", lang, reason=exc.text(lang)), icon=":material/error:"
            )
            return
    notes = []
    if summary.interrupted:
        notes.append(("warning", t("evaluate.interrupted", lang, count=summary.interrupted)))
    if summary.stopped_code:
        notes.append(
            (
                "error",
                t(
                    "evaluate.stopped",
                    lang,
                    code=summary.stopped_code,
                    message=summary.stopped_message,
                ),
            )
        )
    else:
        notes.append(
            (
                "success",
                t(
                    "evaluate.finished",
                    lang,
                    done=summary.done,
                    calls=summary.calls,
                    errors=summary.errors,
                ),
            )
        )
    st.session_state["eval_notes"] = notes
    st.session_state["eval_run_id"] = summary.run_id
    st.rerun()  # redraw the plan and results from the store


def _notes_ui() -> None:
    """What the last run said (kept across the rerun that follows it)."""
    for kind, text in st.session_state.pop("eval_notes", []):
        getattr(st, kind)(text)


def evaluate_tab(ctx: AppContext) -> None:
    """Draw the Evaluate tab: store, set, plan, run, results, comparison."""
    lang = ctx.lang
    st.caption(t("evaluate.intro", lang))
    store_path = _store_ui(lang)
    try:  # a store is only created when a run starts
        store = Store(store_path) if store_path.exists() else None
    except EvaluationError as exc:
        st.error(t("evaluate.store_problem", lang, reason=exc.text(lang)), icon=":material/error:")
        return
    try:
        dataset = _source_ui(lang)
        if dataset is not None and not dataset.items:
            st.warning(t("evaluate.empty_set", lang))
        elif dataset is not None:
            final = store.final_hashes(_settings(ctx, 1.0, 1).config_key) if store else set()
            settings, to_send = _plan_ui(ctx, dataset, final)
            fresh = to_send == len({item.sha256 for item in dataset.items})
            if to_send == 0:
                st.success(t("evaluate.nothing_to_send", lang))
            label = (
                t("evaluate.start", lang) if fresh or to_send == 0 else t("evaluate.resume", lang)
            )
            if st.button(label, type="primary", key="eval_start"):
                _start(ctx, dataset, store, store_path, settings)
            _notes_ui()
        if store is not None:
            results_ui(ctx, store, dataset)
            compare_ui(store, lang)
        else:
            st.subheader(t("evaluate.results_heading", lang))
            st.info(t("evaluate.no_runs", lang))
    finally:
        if store is not None:
            store.close()


def _start(
    ctx: AppContext, dataset: Dataset, store: Store | None, path: Path, settings: RunSettings
) -> None:
    """Open (or create) the store and run."""
    if store is not None:
        _run_ui(ctx, dataset, store, settings)
        return
    try:
        created = Store(path)
    except EvaluationError as exc:
        st.error(t("evaluate.store_problem", ctx.lang, reason=exc.text(ctx.lang)))
        return
    with created:
        _run_ui(ctx, dataset, created, settings)
