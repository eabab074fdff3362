"""The Evaluate tab: measure the service on a labelled set, then read, export and compare.

Runs go through `evaluation` (the same engine, settings and plan as `python -m evaluation`,
so the two share results) in a background thread owned by the session
(`components.evaluate_run`): the page stays usable while it runs, and a language switch,
a tab switch or any widget change neither stops it nor loses a selection.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from components.app_secrets import AppSecrets, read_secrets
from components.evaluate_inputs import dataset_source_ui, store_choice_ui
from components.evaluate_results import compare_ui, results_ui, store_version
from components.evaluate_run import current_job, duration, job_panel, start_job
from components.i18n import t
from components.state import (
    EVAL_CONCURRENCY,
    EVAL_PLAN,
    EVAL_QPS,
    EVAL_RUN_NAME,
    EVAL_RUN_NOTE,
    EVAL_START,
    EVAL_STORE_HANDLE,
)
from components.text import as_text
from evaluation import (
    NOTE_MAX_CHARS,
    Dataset,
    EvaluationError,
    Plan,
    Store,
    default_concurrency,
    make_plan,
    run_settings,
)
from samples import SCENARIO_PATH

if TYPE_CHECKING:
    from components.context import AppContext
    from evaluation import RunSettings, SkippedEntry

__all__ = ["evaluate_tab"]


def _duration(seconds: float | None) -> str:
    """`1 h 02 min`, `3 min 05 s` or `12 s`."""
    return duration(seconds)


def _store_ui(lang: str, secrets: AppSecrets) -> Path | None:
    """Where this page keeps results (`components.evaluate_inputs`: named stores by default)."""
    return store_choice_ui(lang, secrets)


def _source_ui(lang: str, secrets: AppSecrets) -> Dataset | None:
    """The labelled set (`components.evaluate_inputs`: uploads only by default)."""
    return dataset_source_ui(lang, secrets)


def _settings(ctx: AppContext, qps: float, concurrency: int, name: str | None) -> RunSettings:
    """Run settings from the page's backend and preparation settings, named exactly as
    `python -m evaluation` names them (`evaluation.run_settings`)."""
    return run_settings(
        sandbox=ctx.backend == "sandbox",
        endpoint=ctx.endpoint,
        region=ctx.region,
        qps=qps,
        concurrency=concurrency,
        prepare_options=ctx.prepare_options,
        scenario=SCENARIO_PATH if SCENARIO_PATH.is_file() else None,
        name=name,
    )


def _page_store(path: Path, lang: str) -> Store | None:
    """This session's handle on the store file (opened once, not on every rerun); None
    while the file does not exist (a run creates it). Errors are shown."""
    held = EVAL_STORE_HANDLE.get()
    if held is not None and held[0] == str(path) and os.path.exists(path):
        return held[1]
    if held is not None:
        held[1].close()
        EVAL_STORE_HANDLE.forget()
    if not path.exists():
        return None
    try:
        store = Store(path)
    except EvaluationError as exc:
        st.error(
            t("evaluate.store_problem", lang, reason=as_text(exc.text(lang))),
            icon=":material/error:",
        )
        return None
    EVAL_STORE_HANDLE.set((str(path), store))
    return store


def _plan(store: Store | None, dataset: Dataset, settings: RunSettings) -> Plan:
    """The plan for this set and settings, computed again only when the store changed."""
    key = (id(dataset), settings.config_key, settings.qps, store_version(store))
    cached = EVAL_PLAN.get()
    if cached is not None and cached[0] == key:
        return cached[1]
    final = store.final_hashes(settings.config_key) if store is not None else set()
    plan = make_plan(dataset, final, settings.qps)
    EVAL_PLAN.set((key, plan))
    return plan


def _pace_ui(ctx: AppContext) -> RunSettings:
    """Quota, calls in flight and the run's name."""
    lang = ctx.lang
    left, middle, right = st.columns([1, 1, 2])
    EVAL_QPS.start(1.0)
    EVAL_CONCURRENCY.start(default_concurrency(1.0))
    qps = left.number_input(
        t("evaluate.qps", lang),
        min_value=0.1,
        max_value=100.0,
        step=0.5,
        key=EVAL_QPS.key,
        help=t("evaluate.qps_help", lang),
    )
    chosen = middle.number_input(
        t("evaluate.concurrency", lang),
        min_value=1,
        max_value=32,
        key=EVAL_CONCURRENCY.key,
        help=t("evaluate.concurrency_help", lang),
    )
    name = right.text_input(
        t("evaluate.run_name", lang),
        key=EVAL_RUN_NAME.key,
        max_chars=120,
        placeholder=t("evaluate.run_name_placeholder", lang),
    )
    return _settings(ctx, float(qps), int(chosen), name)


def _note_ui(lang: str) -> str | None:
    """The run's note (free text kept with the run in the store); None when left empty,
    so continuing a run keeps the note it has."""
    note = st.text_area(
        t("evaluate.run_note", lang),
        key=EVAL_RUN_NOTE.key,
        max_chars=NOTE_MAX_CHARS,
        height=68,
        placeholder=t("evaluate.run_note_placeholder", lang),
    )
    return note.strip() or None


def _skip_reason(entry: SkippedEntry, lang: str) -> str:
    """Why an entry was left out: the library's detail in English, by its code otherwise."""
    return entry.detail if lang == "en" else t(f"evaluate.skip_{entry.code}", lang)


def _plan_ui(ctx: AppContext, dataset: Dataset, plan: Plan) -> None:
    """The plan: counts, what is already measured, the order and the time it will take."""
    lang = ctx.lang
    cells = st.columns(6)
    figures = [
        ("plan_items", plan.items),
        ("plan_bona_fide", plan.bona_fide),
        ("plan_attack", plan.attack),
        ("plan_types", len(plan.attack_types)),
        ("plan_stored", plan.stored_contents),
        ("plan_to_send", plan.send_count),
    ]
    for cell, (key, value) in zip(cells, figures, strict=True):
        cell.metric(t(f"evaluate.{key}", lang), value)
    types = ", ".join(f"{name} ({n})" for name, n in plan.attack_types.items())
    if types:
        st.caption(t("evaluate.plan_types_list", lang, types=as_text(types)))
    st.caption(
        t("evaluate.plan_time", lang)
        + t("app.label_sep", lang)
        + _duration(plan.estimate_s)
        + " · "
        + t("evaluate.plan_order", lang, seed=plan.seed)
    )
    if dataset.skipped:
        with st.expander(t("evaluate.skipped", lang, count=len(dataset.skipped))):
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            t("evaluate.skipped_path", lang): s.path,
                            t("evaluate.skipped_reason", lang): _skip_reason(s, lang),
                        }
                        for s in dataset.skipped
                    ]
                ),
                hide_index=True,
                width="stretch",
            )


def _start_ui(
    ctx: AppContext,
    store_path: Path,
    dataset: Dataset,
    plan: Plan,
    settings: RunSettings,
    note: str | None = None,
) -> None:
    """Start (or Continue): disabled while this session's run is going."""
    lang = ctx.lang
    if plan.send_count == 0:
        st.success(t("evaluate.nothing_to_send", lang))
    label = (
        t("evaluate.start", lang)
        if plan.fresh or plan.send_count == 0
        else t("evaluate.resume", lang)
    )
    job = current_job()
    st.button(
        label,
        type="primary",
        key=EVAL_START.key,
        disabled=job is not None and job.running,
        on_click=_on_start,  # before the page is drawn again, so Start shows disabled
        args=(store_path, dataset, settings, ctx.make_client, ctx.prepare_options, note),
    )


def _on_start(*args: Any) -> None:
    """The Start button's callback: `start_job(*args)` (the job is read back with
    `current_job`; a button callback returns nothing)."""
    start_job(*args)


def evaluate_tab(ctx: AppContext) -> None:
    """Draw the Evaluate tab: store, set, plan, run, results, comparison."""
    lang = ctx.lang
    st.caption(t("evaluate.intro", lang))
    secrets = read_secrets()  # once a rerun: reading them is not free
    store_path = _store_ui(lang, secrets)
    store = _page_store(store_path, lang) if store_path is not None else None
    usable = store_path is not None and (store is not None or not store_path.exists())
    dataset = _source_ui(lang, secrets)  # drawn even when the store is unusable: its choices stay
    if store_path is None or not usable:
        return
    if dataset is not None and not dataset.items:
        st.warning(t("evaluate.empty_set", lang))
    elif dataset is not None:
        st.subheader(t("evaluate.plan_heading", lang))
        settings = _pace_ui(ctx)
        note = _note_ui(lang)
        plan = _plan(store, dataset, settings)
        _plan_ui(ctx, dataset, plan)
        _start_ui(ctx, store_path, dataset, plan, settings, note)
    job_panel(lang)
    store = _page_store(store_path, lang)  # a run may have made it
    if store is not None:
        results_ui(ctx, store, dataset)
        compare_ui(store, lang)
    else:
        st.subheader(t("evaluate.results_heading", lang))
        st.info(t("evaluate.no_runs", lang))
