"""The Evaluate tab's results: the run selector, metrics for both operating points, charts
(Altair), breakdowns, the error-analysis gallery, the items with the full verdict of a
selected one, downloads built on click, and two runs compared.

A run's rows and metrics are computed once per store change and kept for the session,
so a rerun of the page redraws them without reading or computing the run again; the
items table shows one page of rows at a time, so its cost does not grow with the run."""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st

from components.check_run import jpeg_data_url, thumbnail_jpeg
from components.i18n import t
from components.state import (
    EVAL_CMP_A,
    EVAL_CMP_B,
    EVAL_COMPARE_CACHE,
    EVAL_DL_CSV,
    EVAL_DL_HTML,
    EVAL_DL_JSON,
    EVAL_FILES,
    EVAL_FILTER_LABEL,
    EVAL_FILTER_OUTCOME,
    EVAL_FILTER_WRONG,
    EVAL_GALLERY_TYPES,
    EVAL_ITEMS,
    EVAL_ITEMS_PAGE,
    EVAL_JOB,
    EVAL_PICK_RUN,
    EVAL_RUN_ID,
    EVAL_RUNS_CACHE,
    EVAL_SELECTED_PATH,
    EVAL_VIEW_CACHE,
    Slot,
)
from components.text import as_text
from evaluation import (
    OPERATING_POINTS,
    Dataset,
    ResultRow,
    RunInfo,
    Store,
    compute_metrics,
    html_report,
    items_csv,
    metrics_json,
    wrong_first,
)
from evaluation.compare import changed_items, compare_metrics, settings_diff
from evaluation.report import correct

if TYPE_CHECKING:
    from components.context import AppContext

__all__ = ["compare_ui", "pct", "results_ui", "store_version"]

OUTCOMES = ("Low", "Mid", "High", "none")
PAGE_ROWS = 200
GALLERY_SIZE = 12
GALLERY_WIDTH = 160  # px: two pictures a row on a phone
GALLERY_THUMB_SIDE = 240  # px: the picture kept per item (sharp at twice the width shown)
KEPT_VIEWS = 3
LIVE_REFRESH_S = 10.0


def pct(value: float | None) -> str:
    """A rate as a percentage, or a dash."""
    return "–" if value is None else f"{value * 100:.1f}%"


def _pct_ci(value: float | None, ci: list[float] | None) -> str:
    """A rate with its interval: `12.5% [3.1%–40.2%]`."""
    return pct(value) if not ci else f"{pct(value)} [{ci[0] * 100:.1f}–{ci[1] * 100:.1f}%]"


def _metrics_table(m: dict[str, Any], lang: str) -> pd.DataFrame:
    """Both operating points with their Wilson intervals."""
    rows = []
    for point in OPERATING_POINTS:
        op = m["operating_points"][point]
        row = {t("evaluate.col_point", lang): t(f"evaluate.point_{point}", lang)}
        for key in ("apcer", "apcer_max", "bpcer", "acer", "accuracy"):
            row[t(f"evaluate.col_{key}", lang)] = _pct_ci(op[key], op["ci"][key])
        if op["apcer_max_type"]:
            row[t("evaluate.col_apcer_max", lang)] += f" · {op['apcer_max_type']}"
        rows.append(row)
    return pd.DataFrame(rows)


def _class_name(label: str, lang: str) -> str:
    """ "bona_fide" / "attack" in the page language."""
    return t(f"evaluate.class_{label}", lang) if label in ("bona_fide", "attack") else label


def _outcome_name(outcome: str, lang: str) -> str:
    """A risk level as the service names it; "none" and "pending" in the page language."""
    return t(f"evaluate.outcome_{outcome}", lang) if outcome in ("none", "pending") else outcome


# Legends go below the chart (a category legend one entry a line, a colour scale as a short
# bar): beside the chart or in one row they are cut off on a phone (390 px), where the
# chart is as wide as the screen.
_LEGEND_BELOW = alt.Legend(orient="bottom", direction="vertical", labelLimit=0)
_SCALE_BELOW = alt.Legend(orient="bottom", direction="horizontal", gradientLength=160)


def _confusion_chart(m: dict[str, Any], lang: str) -> alt.Chart:
    """Heatmap of label (and attack type) by outcome, shaded by share of the label."""
    attack = _class_name("attack", lang)
    labels = {_class_name(k, lang): v for k, v in dict(m["confusion"]).items()} | {
        f"{attack} · {k}": v for k, v in m["confusion_by_type"].items()
    }
    outcome_names = [_outcome_name(o, lang) for o in OUTCOMES]
    data = [
        {
            "label": label,
            "outcome": _outcome_name(o, lang),
            "count": counts[o],
            "share": counts[o] / (sum(counts.values()) or 1),
        }
        for label, counts in labels.items()
        for o in OUTCOMES
    ]
    base = alt.Chart(pd.DataFrame(data)).encode(
        x=alt.X("outcome:N", sort=outcome_names, title=t("evaluate.outcome", lang)),
        y=alt.Y("label:N", sort=list(labels), title=t("evaluate.label", lang)),
    )
    cells = base.mark_rect().encode(
        color=alt.Color(
            "share:Q",
            scale=alt.Scale(scheme="blues", domain=[0, 1]),
            title=t("evaluate.share", lang),
            legend=_SCALE_BELOW,
        ),
        tooltip=["label:N", "outcome:N", "count:Q", alt.Tooltip("share:Q", format=".1%")],
    )
    text = base.mark_text(fontSize=14).encode(
        text="count:Q",
        color=alt.condition("datum.share > 0.5", alt.value("white"), alt.value("black")),
    )
    return cells + text


def _apcer_chart(m: dict[str, Any], lang: str) -> alt.Chart:
    """APCER per attack type at both operating points."""
    data = [
        {"type": name, "point": t(f"evaluate.point_{point}", lang), "apcer": value}
        for point in OPERATING_POINTS
        for name, value in m["apcer_by_type"][point].items()
        if value is not None
    ]
    return (
        alt.Chart(pd.DataFrame(data, columns=["type", "point", "apcer"]))
        .mark_bar()
        .encode(
            x=alt.X(
                "apcer:Q",
                axis=alt.Axis(format="%", labelFlush=True),  # 100% stays inside the chart
                scale=alt.Scale(domain=[0, 1]),
                title="APCER",
            ),
            y=alt.Y("type:N", title=t("evaluate.attack_type", lang)),
            yOffset="point:N",
            color=alt.Color(
                "point:N",
                title=t("evaluate.point", lang),
                legend=_LEGEND_BELOW,
            ),
            tooltip=["type:N", "point:N", alt.Tooltip("apcer:Q", format=".1%")],
        )
    )


def _latency_chart(rows: list[ResultRow], lang: str) -> alt.Chart:
    """Histogram of answered calls' latency (binned here: the chart carries 30 bars, not
    one value per item)."""
    values = np.array([r.latency_ms for r in rows if r.responded and r.latency_ms is not None])
    counts, edges = np.histogram(values, bins=min(30, max(1, len(values))))
    data = pd.DataFrame({"start": edges[:-1], "end": edges[1:], "count": counts})
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("start:Q", bin="binned", title=t("evaluate.latency_ms", lang)),
            x2="end:Q",
            y=alt.Y(
                "count:Q",
                title=t("evaluate.count", lang),
                axis=alt.Axis(tickMinStep=1, format="d"),  # whole items only
            ),
            tooltip=[
                alt.Tooltip("start:Q", format=".0f"),
                alt.Tooltip("end:Q", format=".0f"),
                "count:Q",
            ],
        )
    )


def store_version(store: Store | None) -> tuple[int, ...]:
    """Changes whenever the store file is written (its and its WAL's size and time)."""
    if store is None:
        return ()
    out: list[int] = []
    for path in (store.path, Path(f"{store.path}-wal")):
        try:
            st_ = os.stat(path)
        except OSError:
            out += [0, 0]
            continue
        out += [st_.st_mtime_ns, st_.st_size]
    return tuple(out)


def arrow_table(frame: pd.DataFrame) -> pa.Table:
    """A table as Arrow, converted once: `st.dataframe` sends an Arrow table as it is,
    where a pandas frame is converted again on every rerun."""
    return pa.Table.from_pandas(frame, preserve_index=False)


def chart_parts(chart: alt.TopLevelMixin) -> tuple[pa.Table | None, dict[str, Any]]:
    """A chart as (its data as Arrow, its Vega-Lite spec without the data), validated and
    converted once; drawn with `st.vega_lite_chart(data, spec)`, which sends an Arrow
    table as it is instead of converting the spec's inline rows on every rerun."""
    spec = chart.to_dict()
    datasets = spec.get("datasets", {})
    name = spec.get("data", {}).get("name")
    if len(datasets) != 1 or name not in datasets:
        return None, spec  # not one named table: drawn as Altair gave it
    values = datasets[name]
    spec = {k: v for k, v in spec.items() if k not in ("data", "datasets")}
    return pa.Table.from_pandas(pd.DataFrame(values), preserve_index=False), spec


MEMO_LIMIT = 64


@dataclass(frozen=True)
class RunView:
    """What the page shows of one run, computed once per store change; what is drawn
    from it (charts, tables, filtered rows) is kept per language and filter in `memo`."""

    run: RunInfo
    rows: list[ResultRow]
    metrics: dict[str, Any]
    wrong_first: list[ResultRow]
    by_path: dict[str, ResultRow]
    memo: dict[tuple[Any, ...], Any]
    wrong: list[ResultRow]
    wrong_types: list[str]
    made_at: float  # time.monotonic() when it was computed

    def kept(self, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        """`make()` once per key (bounded: at most `MEMO_LIMIT` kept, the oldest dropped)."""
        if key not in self.memo:
            while len(self.memo) >= MEMO_LIMIT:
                self.memo.pop(next(iter(self.memo)))
            self.memo[key] = make()
        return self.memo[key]

    def chart(self, name: str, lang: str) -> tuple[pa.Table | None, dict[str, Any]]:
        """A chart of this run in a language as (Arrow data, Vega-Lite spec), built and
        validated once (Altair's validation is the slow part of drawing a chart)."""
        build = {
            "confusion": lambda: _confusion_chart(self.metrics, lang),
            "apcer": lambda: _apcer_chart(self.metrics, lang),
            "latency": lambda: _latency_chart(self.rows, lang),
        }[name]
        return self.kept(("chart", name, lang), lambda: chart_parts(build()))

    def filtered(
        self, labels: tuple[str, ...], outcomes: tuple[str, ...], only_wrong: bool
    ) -> list[ResultRow]:
        """The rows a filter of the items table keeps, wrong first (kept per filter)."""
        return self.kept(
            ("filter", labels, outcomes, only_wrong),
            lambda: [
                r
                for r in self.wrong_first
                if r.label in labels
                and r.outcome in outcomes
                and not (only_wrong and correct(r, "high"))
            ],
        )


def _cached(
    slot: Slot[dict[tuple[Any, ...], Any]],
    key: tuple[Any, ...],
    make: Callable[[], Any],
    keep: int = 1,
) -> Any:
    """A session-level cache of the last `keep` values in `slot`."""
    cache = slot.get()
    if key not in cache:
        while len(cache) >= keep:
            cache.pop(next(iter(cache)))
        cache[key] = make()
    return cache[key]


def _runs(store: Store) -> list[RunInfo]:
    """The store's runs, newest first, read again only after a write."""
    key = (str(store.path), store_version(store))
    return _cached(EVAL_RUNS_CACHE, key, lambda: list(reversed(store.runs())))


def run_view(store: Store, run: RunInfo) -> RunView:
    """A run's rows and metrics, computed once per store change. While the run is being
    written (`run`, as the store lists it now, is running), at most once every
    `LIVE_REFRESH_S` seconds: a page used during a long run does not read and compute the
    run again on every rerun; once it has ended it is read again at once."""
    run_id = run.run_id

    def make() -> RunView:
        rows = store.rows(run_id)
        ordered = wrong_first(rows)
        wrong = [r for r in ordered if correct(r, "high") is False]
        types = sorted({r.attack_type or "unspecified" for r in wrong if r.label == "attack"})
        return RunView(
            store.run(run_id),
            rows,
            compute_metrics(rows),
            ordered,
            {r.path: r for r in rows},
            {},
            wrong,
            types,
            time.monotonic(),
        )

    key = (str(store.path), run_id, store_version(store))
    cache: dict[tuple[Any, ...], RunView] = EVAL_VIEW_CACHE.get()
    if key not in cache and run.status == "running":
        for old_key, view in reversed(cache.items()):
            if old_key[:2] == key[:2] and time.monotonic() - view.made_at < LIVE_REFRESH_S:
                return view
    return _cached(EVAL_VIEW_CACHE, key, make, keep=KEPT_VIEWS)


def _flat_settings(run: RunInfo) -> dict[str, Any]:
    """A run's settings as flat key: value pairs."""
    d = run.settings.as_dict()
    out = {k: v for k, v in d.items() if k not in ("prepare", "versions", "name", "backend")}
    out |= {f"{k}": v for k, v in d["prepare"].items()}
    return out


def _differing(runs: list[RunInfo]) -> list[str]:
    """The settings whose values are not the same in every run."""
    flats = [_flat_settings(r) for r in runs]
    keys = sorted({k for f in flats for k in f})
    return [k for k in keys if len({repr(f.get(k)) for f in flats}) > 1]


def _run_label(run: RunInfo, lang: str, differing: list[str] | None = None) -> str:
    """One line naming a run in pickers: number, name, start, backend, what differs."""
    flat = _flat_settings(run)
    shown = ", ".join(f"{k}={flat.get(k)}" for k in (differing or [])[:4])
    return (
        t(
            "evaluate.run_label",
            lang,
            id=run.run_id,
            name=run.name or Path(run.source).name,
            started=run.created_at.replace("T", " ")[:16],
            backend=_backend_name(run.settings.backend, lang),
        )
        + (f" · {shown}" if shown else "")
        + (f" · {_note_line(run.note)}" if run.note else "")
    )


def _note_line(note: str, limit: int = 48) -> str:
    """A run's note on one line, cut to `limit` characters for pickers."""
    line = " ".join(note.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _backend_name(backend: str, lang: str) -> str:
    """ "sandbox" / "tencent" as the sidebar names them; anything else as stored."""
    return t(f"sidebar.backend_{backend}", lang) if backend in ("sandbox", "tencent") else backend


def _files_for(run: RunInfo, dataset: Dataset | None) -> Callable[[str], Path | None]:
    """Where an item of the run can be read on this server, for pictures (None: nowhere)."""
    if dataset is not None and run.source == dataset.source:
        files = _cached(EVAL_FILES, (id(dataset),), lambda: {i.path: i.file for i in dataset.items})
        return files.get
    root = Path(run.source)
    if not root.is_dir():
        return lambda path: None
    return lambda path: root / path


def _thumbnail(view: RunView, file: Path | None) -> str | None:
    """A small picture of an item (a video's first frame) as a JPEG `data:` URL, made once
    per run view: a rerun neither reads, encodes nor hashes it again (and Streamlit sends
    an element the browser already has as a reference). None when unreadable."""
    if file is None:
        return None

    def make() -> str | None:
        try:
            data = file.read_bytes()
        except OSError:  # gone since the run: no picture (the table still has the row)
            return None
        return jpeg_data_url(thumbnail_jpeg(data, GALLERY_THUMB_SIDE))

    return view.kept(("thumb", str(file)), make)


def _verdict_ui(view: RunView, row: ResultRow, file: Path | None, lang: str) -> None:
    """Everything stored about one item, beside its picture."""
    left, right = st.columns([1, 2])
    image = _thumbnail(view, file)
    if image is not None:
        left.image(image, caption=as_text(row.path))
    else:
        left.info(t("evaluate.no_thumbnail", lang))
    facts = {
        t("evaluate.col_path", lang): row.path,
        t("evaluate.label", lang): _class_name(row.label, lang),
        t("evaluate.attack_type", lang): row.attack_type or "–",
        t("evaluate.col_outcome", lang): _outcome_name(row.outcome, lang),
        t("evaluate.col_correct", lang): {True: "✅", False: "❌", None: "—"}[correct(row, "high")],
        t("evaluate.col_traces", lang): ", ".join(row.traces) or "–",
        t("evaluate.col_request_id", lang): row.request_id or "–",
        t("evaluate.latency_ms", lang): "–" if row.latency_ms is None else f"{row.latency_ms:.0f}",
        t("evaluate.col_attempts", lang): str(row.attempts),
        t("evaluate.col_error", lang): row.error_code or "–",
        t("evaluate.col_error_message", lang): row.error_message or "–",
        t("evaluate.col_kind", lang): row.kind or "–",
        t("evaluate.col_face_px", lang): "–" if row.face_px is None else str(row.face_px),
    }
    right.dataframe(
        pd.DataFrame({"": list(facts), " ": list(facts.values())}),
        hide_index=True,
        width="stretch",
    )


def _select_item(shown_paths: list[str]) -> None:
    """Remember the selected item by its path (not by row number: filters and language
    changes reorder and shorten the table)."""
    event = EVAL_ITEMS.value() or {}
    selection = event.get("selection", {}) if hasattr(event, "get") else {}
    picked = list(selection.get("rows", []) if hasattr(selection, "get") else [])
    if picked and 0 <= picked[0] < len(shown_paths):
        EVAL_SELECTED_PATH.set(shown_paths[picked[0]])
    else:
        EVAL_SELECTED_PATH.forget()


def _items_frame(part: list[ResultRow], lang: str) -> pd.DataFrame:
    """One page of the items table (column titles come from `column_config`)."""
    mark = {True: "✅", False: "❌", None: "—"}
    return pd.DataFrame(
        {
            "path": [r.path for r in part],
            "label": [_class_name(r.label, lang) for r in part],
            "type": [r.attack_type or "" for r in part],
            "outcome": [_outcome_name(r.outcome, lang) for r in part],
            "right": [mark[correct(r, "high")] for r in part],
            "error": [r.error_code or "" for r in part],
            "ms": pd.array(
                [None if r.latency_ms is None else round(r.latency_ms) for r in part],
                dtype="Int64",
            ),
            "traces": [", ".join(r.traces) for r in part],
            "request_id": [r.request_id or "" for r in part],
        }
    )


def _items_ui(view: RunView, files: Callable[[str], Path | None], lang: str) -> None:
    """The items, wrong decisions first, one page at a time; a selected row shows its verdict."""
    st.subheader(t("evaluate.items_heading", lang))
    a, b, c, d = st.columns([2, 2, 1, 1])
    EVAL_FILTER_LABEL.start(["bona_fide", "attack"])
    EVAL_FILTER_OUTCOME.start([*OUTCOMES, "pending"])
    EVAL_ITEMS_PAGE.start(1)
    labels = a.multiselect(
        t("evaluate.filter_label", lang),
        ["bona_fide", "attack"],
        format_func=lambda label: _class_name(label, lang),
        key=EVAL_FILTER_LABEL.key,
    )
    outcomes = b.multiselect(
        t("evaluate.filter_outcome", lang),
        [*OUTCOMES, "pending"],
        format_func=lambda outcome: _outcome_name(outcome, lang),
        key=EVAL_FILTER_OUTCOME.key,
    )
    only_wrong = c.toggle(t("evaluate.filter_wrong", lang), key=EVAL_FILTER_WRONG.key)
    shown = view.filtered(tuple(labels), tuple(outcomes), bool(only_wrong))
    pages = max(1, -(-len(shown) // PAGE_ROWS))
    page = int(
        d.number_input(
            t("evaluate.page", lang, pages=pages),
            min_value=1,
            max_value=pages,
            key=EVAL_ITEMS_PAGE.key,
        )
    )
    part = shown[(page - 1) * PAGE_ROWS : page * PAGE_ROWS]
    table = view.kept(
        ("items", tuple(labels), tuple(outcomes), bool(only_wrong), page, lang),
        lambda: arrow_table(_items_frame(part, lang)),
    )
    column = st.column_config
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        on_select=functools.partial(_select_item, [r.path for r in part]),
        selection_mode="single-row",
        key=EVAL_ITEMS.key,
        placeholder="—",  # no latency (an error before an answer) reads as a dash, not "None"
        column_config={
            "path": column.TextColumn(t("evaluate.col_path", lang), width="medium"),
            "label": column.TextColumn(t("evaluate.label", lang), width="small"),
            "type": column.TextColumn(t("evaluate.attack_type", lang), width="small"),
            "outcome": column.TextColumn(t("evaluate.col_outcome", lang), width="small"),
            "right": column.TextColumn(t("evaluate.col_correct", lang), width="small"),
            "error": column.TextColumn(t("evaluate.col_error", lang), width="medium"),
            "ms": column.NumberColumn(t("evaluate.latency_ms", lang), width="small", format="%d"),
            "traces": column.TextColumn(t("evaluate.col_traces", lang), width="medium"),
            "request_id": column.TextColumn(t("evaluate.col_request_id", lang), width="medium"),
        },
    )
    st.caption(t("evaluate.items_count", lang, shown=len(part), total=len(shown)))
    selected = view.by_path.get(EVAL_SELECTED_PATH.get() or "")
    if selected is None:
        st.caption(t("evaluate.select_hint", lang))
        return
    _verdict_ui(view, selected, files(selected.path), lang)


def _gallery_ui(view: RunView, files: Callable[[str], Path | None], lang: str) -> None:
    """Wrong decisions (block on High) as pictures, filterable by attack type."""
    st.subheader(t("evaluate.gallery_heading", lang))
    wrong = view.wrong
    if not wrong:
        st.caption(t("evaluate.gallery_empty", lang))
        return
    types = view.wrong_types
    options = ["bona_fide", *types]
    EVAL_GALLERY_TYPES.start(options)
    chosen = st.multiselect(
        t("evaluate.gallery_filter", lang),
        options,
        format_func=lambda o: _class_name("bona_fide", lang) if o == "bona_fide" else o,
        key=EVAL_GALLERY_TYPES.key,
    )
    picked = view.kept(
        ("gallery", tuple(chosen)),
        lambda: [
            r
            for r in wrong
            if (r.label == "bona_fide" and "bona_fide" in chosen)
            or (r.label == "attack" and (r.attack_type or "unspecified") in chosen)
        ],
    )
    st.caption(
        t("evaluate.gallery_count", lang, shown=min(len(picked), GALLERY_SIZE), total=len(picked))
    )
    pictures: list[str] = []
    captions: list[str] = []
    without: list[str] = []  # items whose file is not at hand on this server
    for row in picked[:GALLERY_SIZE]:
        line = (
            f"{row.path} · {_class_name(row.label, lang)}"
            + (f" · {row.attack_type}" if row.attack_type else "")
            + f" → {_outcome_name(row.outcome, lang)}"
            + (f" · {', '.join(row.traces)}" if row.traces else "")
            + (f" · {row.error_code}" if row.error_code else "")
        )
        image = _thumbnail(view, files(row.path))
        if image is None:
            without.append(line)
        else:
            pictures.append(image)
            captions.append(line)
    # One element for all the pictures (and one for the rest), not one per picture and
    # caption: a rerun's cost is mostly per element. Image captions are Markdown: the
    # names come from the visitor's files, so they are escaped to show as they are.
    if pictures:
        st.image(pictures, caption=[as_text(c) for c in captions], width=GALLERY_WIDTH)
    if without:
        st.text("\n".join(without))


def _group_name(name: str, lang: str) -> str:
    """A breakdown group in words: media kinds and "unknown" (face sizes are numbers)."""
    return t(f"evaluate.group_{name}", lang) if name in ("image", "video", "unknown") else name


def _breakdown_table(groups: dict[str, Any], lang: str) -> pd.DataFrame:
    """A breakdown (by media kind or face size) at the `high` point."""
    rows = []
    for name, g in groups.items():
        high = g["high"]
        rows.append(
            {
                t("evaluate.group", lang): _group_name(name, lang),
                t("evaluate.count", lang): g["n"],
                t("evaluate.answered", lang): g["answered"],
                t("evaluate.col_apcer", lang): pct(high["apcer"]),
                t("evaluate.col_bpcer", lang): pct(high["bpcer"]),
                t("evaluate.col_accuracy", lang): pct(high["accuracy"]),
            }
        )
    return pd.DataFrame(rows)


def _downloads_ui(
    store: Store, view: RunView, files: Callable[[str], Path | None], lang: str
) -> None:
    """CSV, JSON and HTML built when clicked, not on every rerun."""
    st.subheader(t("evaluate.downloads_heading", lang))
    run, rows, m = view.run, view.rows, view.metrics
    a, b, c = st.columns(3)
    a.download_button(
        t("evaluate.download_csv", lang),
        lambda: items_csv(rows),
        f"evaluation-{run.run_id}-items.csv",
        "text/csv",
        key=EVAL_DL_CSV.key,
        on_click="ignore",
    )
    b.download_button(
        t("evaluate.download_json", lang),
        lambda: metrics_json(m, run),
        f"evaluation-{run.run_id}-metrics.json",
        "application/json",
        key=EVAL_DL_JSON.key,
        on_click="ignore",
    )
    c.download_button(
        t("evaluate.download_html", lang),
        lambda: html_report(m, rows, run, files=files),
        f"evaluation-{run.run_id}.html",
        "text/html",
        key=EVAL_DL_HTML.key,
        on_click="ignore",
    )


def _pick_run(runs: list[RunInfo], lang: str) -> RunInfo:
    """The run selector; the run just finished is selected when it ends."""
    by_id = {r.run_id: r for r in runs}
    ids = list(by_id)
    differing = _differing(runs)
    wanted = EVAL_RUN_ID.get()
    if EVAL_PICK_RUN.value() not in ids:
        EVAL_PICK_RUN.forget()
    EVAL_PICK_RUN.start(wanted if wanted in ids else ids[0])
    run_id = st.selectbox(
        t("evaluate.run_pick", lang),
        ids,
        format_func=lambda i: _run_label(by_id[i], lang, differing),
        key=EVAL_PICK_RUN.key,
    )
    return by_id[run_id]


def _chart_ui(view: RunView, name: str, lang: str) -> None:
    """One of the run's charts, its data sent as the Arrow table kept for it."""
    data, spec = view.chart(name, lang)
    st.vega_lite_chart(data, spec, width="stretch")


def results_ui(ctx: AppContext, store: Store, dataset: Dataset | None) -> None:
    """A stored run: metrics, charts, breakdowns, gallery, items and downloads (a fragment:
    filters and selections redraw only this part)."""
    st.subheader(t("evaluate.results_heading", ctx.lang))
    _results_fragment(ctx.lang, store, dataset)


def _running_here(store: Store) -> bool:
    """Whether this session's evaluation is running into `store` (then the store's running
    run is its; one left "running" by a crash elsewhere is not)."""
    job = EVAL_JOB.get()
    return job is not None and job.running and job.store_path.resolve() == store.path.resolve()


@st.fragment
def _results_fragment(lang: str, store: Store, dataset: Dataset | None) -> None:
    """The body of `results_ui`."""
    runs = _runs(store)
    if not runs:
        st.info(t("evaluate.no_runs", lang))
        return
    listed = _pick_run(runs, lang)  # as the store lists it now (the view may be older)
    view = run_view(store, listed)
    run, m = view.run, view.metrics
    if run.settings.backend == "sandbox":
        st.warning(t("evaluate.sandbox_run", lang), icon=":material/science:")
    if run.note:  # as plain text: a note is never read as Markdown or HTML
        st.text(t("evaluate.run_note", lang) + t("app.label_sep", lang) + run.note)
    if listed.status == "running" and _running_here(store):
        st.info(
            t("evaluate.under_way", lang, done=listed.done, items=listed.items, s=LIVE_REFRESH_S)
        )
    elif listed.status in ("cancelled", "running", "incomplete") and listed.done < listed.items:
        st.info(t("evaluate.last_cancelled", lang, done=listed.done, items=listed.items))
    if run.resent:
        st.caption(t("evaluate.resent", lang, count=run.resent))
    elif run.interrupted:
        st.caption(t("evaluate.interrupted", lang, count=run.interrupted))
    st.caption(
        t(
            "evaluate.summary",
            lang,
            n=m["n"],
            bona_fide=m["bona_fide"],
            attack=m["attack"],
            pending=m["pending"],
            calls=m["calls"],
            non_response=pct(m["non_response_rate"]),
        )
    )
    st.markdown(f"**{t('evaluate.metrics_heading', lang)}**", help=t("evaluate.metrics_help", lang))
    st.dataframe(
        view.kept(("metrics", lang), lambda: arrow_table(_metrics_table(m, lang))),
        hide_index=True,
        width="stretch",
    )
    nr = m["non_response"]
    codes = ", ".join(f"{as_text(k)} × {v}" for k, v in m["errors_by_code"].items()) or "–"
    st.caption(
        t("evaluate.non_response_heading", lang)
        + t("app.label_sep", lang)
        + t(
            "evaluate.non_response_line",
            lang,
            bona_fide=pct(nr["bona_fide"]["rate"]),
            attack=pct(nr["attack"]["rate"]),
            codes=codes,
        )
    )
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('evaluate.confusion_heading', lang)}**")
        _chart_ui(view, "confusion", lang)
    with right:
        st.markdown(f"**{t('evaluate.apcer_type_heading', lang)}**")
        _chart_ui(view, "apcer", lang)
    lat = m["latency_ms"]
    if lat["count"]:
        heading = t(
            "evaluate.latency_heading", lang, p50=f"{lat['p50']:.0f}", p95=f"{lat['p95']:.0f}"
        )
        st.markdown(f"**{heading}**")
        _chart_ui(view, "latency", lang)
    else:
        st.caption(t("evaluate.no_latency", lang))
    kind, face = st.columns(2)
    kind.markdown(f"**{t('evaluate.by_kind_heading', lang)}**")
    kind.dataframe(
        view.kept(("by_kind", lang), lambda: arrow_table(_breakdown_table(m["by_kind"], lang))),
        hide_index=True,
        width="stretch",
    )
    face.markdown(f"**{t('evaluate.by_face_heading', lang)}**")
    face.dataframe(
        view.kept(
            ("by_face", lang), lambda: arrow_table(_breakdown_table(m["by_face_size"], lang))
        ),
        hide_index=True,
        width="stretch",
    )
    files = _files_for(run, dataset)
    _gallery_ui(view, files, lang)
    _items_ui(view, files, lang)
    _downloads_ui(store, view, files, lang)


def compare_ui(store: Store, lang: str) -> None:
    """Two runs side by side: settings that differ, every metric's difference and its
    significance, and the items whose outcome changed."""
    runs = _runs(store)
    with st.expander(t("evaluate.compare_heading", lang)):
        if len(runs) < 2:
            st.caption(t("evaluate.compare_need_two", lang))
            return
        by_id = {r.run_id: r for r in runs}
        ids = list(by_id)
        differing = _differing(runs)
        for widget, first in ((EVAL_CMP_A, ids[1]), (EVAL_CMP_B, ids[0])):
            if widget.value() not in ids:
                widget.forget()
            widget.start(first)
        a, b = st.columns(2)
        left = a.selectbox(
            t("evaluate.compare_left", lang),
            ids,
            key=EVAL_CMP_A.key,
            format_func=lambda i: _run_label(by_id[i], lang, differing),
        )
        right = b.selectbox(
            t("evaluate.compare_right", lang),
            ids,
            key=EVAL_CMP_B.key,
            format_func=lambda i: _run_label(by_id[i], lang, differing),
        )
        shown = _comparison(store, by_id[left], by_id[right], lang)
        st.markdown(f"**{t('evaluate.compare_settings', lang)}**")
        if shown.settings is not None:
            st.dataframe(shown.settings, hide_index=True, width="stretch")
        else:
            st.caption(t("evaluate.compare_same_settings", lang))
        st.markdown(
            f"**{t('evaluate.compare_metrics', lang)}**", help=t("evaluate.compare_help", lang)
        )
        st.dataframe(shown.metrics, hide_index=True, width="stretch")
        st.markdown(f"**{t('evaluate.compare_changed', lang, count=shown.changed_count)}**")
        if shown.changed is not None:
            st.dataframe(shown.changed, hide_index=True, width="stretch")


@dataclass(frozen=True)
class Comparison:
    """Two runs compared, as the tables the page shows (None: nothing to show)."""

    settings: pa.Table | None
    metrics: pa.Table
    changed: pa.Table | None
    changed_count: int


def _comparison(store: Store, run_a: RunInfo, run_b: RunInfo, lang: str) -> Comparison:
    """Two runs compared, computed once per store change, pair and language (finding the
    changed items walks both runs' rows)."""
    left, right = run_a.run_id, run_b.run_id

    def make() -> Comparison:
        va, vb = run_view(store, run_a), run_view(store, run_b)
        diff = settings_diff(va.run, vb.run)
        changed = changed_items(va.rows, vb.rows)
        first = changed[:PAGE_ROWS]
        return Comparison(
            arrow_table(
                pd.DataFrame(
                    {
                        t("evaluate.compare_setting", lang): list(diff),
                        f"A (#{left})": [str(x) for x, _ in diff.values()],
                        f"B (#{right})": [str(y) for _, y in diff.values()],
                    }
                )
            )
            if diff
            else None,
            arrow_table(_comparison_table(va.metrics, vb.metrics, lang, left, right)),
            arrow_table(
                pd.DataFrame(
                    {
                        t("evaluate.col_path", lang): [x.path for x, _ in first],
                        t("evaluate.label", lang): [_class_name(x.label, lang) for x, _ in first],
                        f"A (#{left})": [_outcome_name(x.outcome, lang) for x, _ in first],
                        f"B (#{right})": [_outcome_name(y.outcome, lang) for _, y in first],
                    }
                )
            )
            if changed
            else None,
            len(changed),
        )

    key = (str(store.path), store_version(store), left, right, lang)
    return _cached(EVAL_COMPARE_CACHE, key, make)


def _counts(counts: list[int] | None) -> str:
    """` (k/n)` after a rate, or nothing."""
    return f" ({counts[0]}/{counts[1]})" if counts else ""


def _comparison_table(
    a: dict[str, Any], b: dict[str, Any], lang: str, left: int, right: int
) -> pd.DataFrame:
    """One row per metric: both values, the difference and whether it is significant."""
    rows = []
    for d in compare_metrics(a, b):
        name = (
            t(f"evaluate.col_{d['metric']}", lang)
            if d["point"]
            else t("evaluate.metric_non_response", lang)
        )
        if d["point"]:
            name += " · " + t(f"evaluate.point_{d['point']}", lang)
        diff = "–" if d["diff"] is None else f"{d['diff'] * 100:+.1f} pp"
        verdict = {
            True: t("evaluate.significant_yes", lang),
            False: t("evaluate.significant_no", lang),
            None: "–",
        }[d["significant"]]
        if d["p"] is not None:
            verdict += f" (p = {d['p']:.3f})"
        elif d["significant"] is not None:
            verdict += " (Wilson)"
        rows.append(
            {
                t("evaluate.compare_metric", lang): name,
                f"A (#{left})": pct(d["a"]) + _counts(d.get("a_counts")),
                f"B (#{right})": pct(d["b"]) + _counts(d.get("b_counts")),
                t("evaluate.compare_diff", lang): diff,
                t("evaluate.compare_significant", lang): verdict,
            }
        )
    return pd.DataFrame(rows)
