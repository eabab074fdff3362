"""Measure the anti-deepfake service on labelled sets: datasets, a rate-limited resumable
runner, a SQLite store, ISO/IEC 30107-3 style metrics and reports.

    with open_dataset("my_set.zip") as dataset, Store("eval.db") as store:
        settings = run_settings(
            sandbox=False, endpoint="mainland", region=None, qps=1.0, concurrency=2,
            prepare_options=PrepareOptions(), name="baseline",
        )  # named as the page names it: the two share results
        summary = run_evaluation(dataset, store, settings, make_client)
        metrics = compute_metrics(store.rows(summary.run_id))

No Streamlit here; `python -m evaluation run|report` is the command line.
"""

from __future__ import annotations

from evaluation.dataset import (
    Dataset,
    DatasetError,
    DatasetItem,
    SkippedEntry,
    ZipLimits,
    extract_zip,
    load_dataset,
    open_dataset,
)
from evaluation.metrics import OPERATING_POINTS, compute_metrics, percentile, wilson_interval
from evaluation.models import (
    ATTACK,
    BONA_FIDE,
    EvaluationError,
    Outcome,
    ResultRow,
    RunInfo,
    RunSettings,
)
from evaluation.pacing import TokenBucket
from evaluation.plan import Plan, balanced_order, make_plan
from evaluation.policy import default_concurrency
from evaluation.progress import Progress, RunnerOptions, RunSummary
from evaluation.report import html_report, items_csv, metrics_json, text_summary, wrong_first
from evaluation.runner import run_evaluation
from evaluation.settings import backend_name, make_settings, run_settings, sandbox_identity
from evaluation.store import INTERRUPTED, NOTE_MAX_CHARS, Store, StoreError

__all__ = [
    "ATTACK",
    "BONA_FIDE",
    "INTERRUPTED",
    "NOTE_MAX_CHARS",
    "OPERATING_POINTS",
    "Dataset",
    "DatasetError",
    "DatasetItem",
    "EvaluationError",
    "Outcome",
    "Plan",
    "Progress",
    "ResultRow",
    "RunInfo",
    "RunSettings",
    "RunSummary",
    "RunnerOptions",
    "SkippedEntry",
    "Store",
    "StoreError",
    "TokenBucket",
    "ZipLimits",
    "backend_name",
    "balanced_order",
    "compute_metrics",
    "default_concurrency",
    "extract_zip",
    "html_report",
    "items_csv",
    "load_dataset",
    "make_plan",
    "make_settings",
    "metrics_json",
    "open_dataset",
    "percentile",
    "run_evaluation",
    "run_settings",
    "sandbox_identity",
    "text_summary",
    "wilson_interval",
    "wrong_first",
]
