"""The Evaluate tab's results: metrics for both operating points, charts (Altair), the
items with thumbnails on demand, downloads, and two runs side by side."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import altair as alt
import pandas as pd
import streamlit as st

from components.i18n import t
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
from evaluation.report import correct

if TYPE_CHECKING:
    from components.context import AppContext

__all__ = ["compare_ui", "pct", "results_ui"]

OUTCOMES = ("Low", "Mid", "High", "none")


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
        ),
        tooltip=["label", "outcome", "count", alt.Tooltip("share:Q", format=".1%")],
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
                "apcer:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]), title="APCER"
            ),
            y=alt.Y("type:N", title=t("evaluate.attack_type", lang)),
            yOffset="point:N",
            color=alt.Color(
                "point:N",
                title=t("evaluate.point", lang),
                legend=alt.Legend(orient="bottom", labelLimit=0),
            ),
            tooltip=["type", "point", alt.Tooltip("apcer:Q", format=".1%")],
        )
    )


def _latency_chart(rows: list[ResultRow], lang: str) -> alt.Chart:
    """Histogram of answered calls' latency."""
    data = pd.DataFrame(
        {"ms": [r.latency_ms for r in rows if r.responded and r.latency_ms is not None]}
    )
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("ms:Q", bin=alt.Bin(maxbins=30), title=t("evaluate.latency_ms", lang)),
            y=alt.Y(
                "count():Q",
                title=t("evaluate.count", lang),
                axis=alt.Axis(tickMinStep=1, format="d"),  # whole items only
            ),
        )
    )


def _items_ui(rows: list[ResultRow], files: dict[str, Path], lang: str) -> None:
    """The items, wrong decisions first, with filters; a selected row shows its picture."""
    st.subheader(t("evaluate.items_heading", lang))
    a, b, c = st.columns([2, 2, 1])
    labels = a.multiselect(
        t("evaluate.filter_label", lang),
        ["bona_fide", "attack"],
        default=["bona_fide", "attack"],
        format_func=lambda label: _class_name(label, lang),
        key="eval_filter_label",
    )
    outcomes = b.multiselect(
        t("evaluate.filter_outcome", lang),
        [*OUTCOMES, "pending"],
        default=[*OUTCOMES, "pending"],
        format_func=lambda outcome: _outcome_name(outcome, lang),
        key="eval_filter_outcome",
    )
    only_wrong = c.toggle(t("evaluate.filter_wrong", lang), key="eval_filter_wrong")
    shown = [
        r
        for r in wrong_first(rows)
        if r.label in labels and r.outcome in outcomes and not (only_wrong and correct(r, "high"))
    ]
    mark = {True: "✅", False: "❌", None: "—"}
    table = pd.DataFrame(
        [
            {
                t("evaluate.col_path", lang): r.path,
                t("evaluate.label", lang): _class_name(r.label, lang),
                t("evaluate.attack_type", lang): r.attack_type or "",
                t("evaluate.col_outcome", lang): _outcome_name(r.outcome, lang),
                t("evaluate.col_correct", lang): mark[correct(r, "high")],
                t("evaluate.col_traces", lang): ", ".join(r.traces),
                t("evaluate.col_error", lang): r.error_code or "",
                t("evaluate.latency_ms", lang): None
                if r.latency_ms is None
                else round(r.latency_ms),
                t("evaluate.col_request_id", lang): r.request_id or "",
            }
            for r in shown
        ]
    )
    event = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="eval_items",
    )
    picked = list(getattr(getattr(event, "selection", None), "rows", []) or [])
    if not picked:
        st.caption(t("evaluate.select_hint", lang))
        return
    row = shown[picked[0]]
    file = files.get(row.path)
    if file is None or not file.is_file():
        st.info(t("evaluate.no_thumbnail", lang))
        return
    try:
        from media import first_frame

        image = first_frame(file.read_bytes())
        image.thumbnail((320, 320))
        st.image(image, caption=f"{row.path} · {_outcome_name(row.outcome, lang)}")
    except Exception:  # an undecodable file has its error in the table already
        st.info(t("evaluate.no_thumbnail", lang))


def _files_for(run: RunInfo, rows: list[ResultRow], dataset: Dataset | None) -> dict[str, Path]:
    """Where the run's items can be read on this server, for thumbnails."""
    if dataset is not None and run.source == dataset.source:
        return {item.path: item.file for item in dataset.items}
    root = Path(run.source)
    return {r.path: root / r.path for r in rows} if root.is_dir() else {}


def results_ui(ctx: AppContext, store: Store, dataset: Dataset | None) -> None:
    """A stored run: metrics, charts, items and downloads."""
    lang = ctx.lang
    st.subheader(t("evaluate.results_heading", lang))
    runs = list(reversed(store.runs()))
    if not runs:
        st.info(t("evaluate.no_runs", lang))
        return
    by_id = {r.run_id: r for r in runs}
    ids = list(by_id)
    wanted = st.session_state.get("eval_run_id")
    run_id = st.selectbox(
        t("evaluate.run_pick", lang),
        ids,
        index=ids.index(wanted) if wanted in ids else 0,
        format_func=lambda i: _run_label(by_id[i], lang),
        key="eval_pick_run",
    )
    run = by_id[run_id]
    rows = store.rows(run_id)
    m = compute_metrics(rows)
    if run.status in ("cancelled", "running", "incomplete") and run.done < run.items:
        st.info(t("evaluate.last_cancelled", lang, done=run.done, items=run.items))
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
    st.dataframe(_metrics_table(m, lang), hide_index=True, width="stretch")
    nr = m["non_response"]
    codes = ", ".join(f"{k} × {v}" for k, v in m["errors_by_code"].items()) or "–"
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
        st.altair_chart(_confusion_chart(m, lang), width="stretch")
    with right:
        st.markdown(f"**{t('evaluate.apcer_type_heading', lang)}**")
        st.altair_chart(_apcer_chart(m, lang), width="stretch")
    lat = m["latency_ms"]
    if lat["count"]:
        heading = t(
            "evaluate.latency_heading", lang, p50=f"{lat['p50']:.0f}", p95=f"{lat['p95']:.0f}"
        )
        st.markdown(f"**{heading}**")
        st.altair_chart(_latency_chart(rows, lang), width="stretch")
    else:
        st.caption(t("evaluate.no_latency", lang))
    _items_ui(rows, _files_for(run, rows, dataset), lang)
    st.subheader(t("evaluate.downloads_heading", lang))
    a, b, c = st.columns(3)
    a.download_button(
        t("evaluate.download_csv", lang),
        items_csv(rows),
        f"evaluation-{run_id}-items.csv",
        "text/csv",
        key="eval_dl_csv",
    )
    b.download_button(
        t("evaluate.download_json", lang),
        metrics_json(m, run),
        f"evaluation-{run_id}-metrics.json",
        "application/json",
        key="eval_dl_json",
    )
    c.download_button(
        t("evaluate.download_html", lang),
        html_report(m, rows, run),
        f"evaluation-{run_id}.html",
        "text/html",
        key="eval_dl_html",
    )


def _run_label(run: RunInfo, lang: str) -> str:
    """One line naming a run in pickers."""
    return t(
        "evaluate.run_label",
        lang,
        id=run.run_id,
        source=Path(run.source).name,
        backend=_backend_name(run.settings.backend, lang),
    )


def _backend_name(backend: str, lang: str) -> str:
    """ "sandbox" / "tencent" as the sidebar names them; anything else as stored."""
    return t(f"sidebar.backend_{backend}", lang) if backend in ("sandbox", "tencent") else backend


def compare_ui(store: Store, lang: str) -> None:
    """Two runs' headline figures side by side."""
    runs = list(reversed(store.runs()))
    with st.expander(t("evaluate.compare_heading", lang)):
        if len(runs) < 2:
            st.caption(t("evaluate.compare_need_two", lang))
            return
        by_id = {r.run_id: r for r in runs}
        ids = list(by_id)
        a, b = st.columns(2)
        left = a.selectbox(
            t("evaluate.compare_left", lang),
            ids,
            index=1,
            key="eval_cmp_a",
            format_func=lambda i: _run_label(by_id[i], lang),
        )
        right = b.selectbox(
            t("evaluate.compare_right", lang),
            ids,
            index=0,
            key="eval_cmp_b",
            format_func=lambda i: _run_label(by_id[i], lang),
        )
        columns = {}
        for name, run_id in (
            (t("evaluate.compare_left", lang), left),
            (t("evaluate.compare_right", lang), right),
        ):
            columns[f"{name} (#{run_id})"] = _headline(compute_metrics(store.rows(run_id)), lang)
        table = pd.DataFrame(columns)
        table.index.name = t("evaluate.compare_metric", lang)
        st.dataframe(table, width="stretch")


def _headline(m: dict[str, Any], lang: str) -> dict[str, str]:
    """The figures two runs are compared on."""
    out = {t("evaluate.metric_n", lang): str(m["n"])}
    for point in OPERATING_POINTS:
        op = m["operating_points"][point]
        for key in ("apcer", "apcer_max", "bpcer", "acer", "accuracy"):
            out[f"{t(f'evaluate.col_{key}', lang)} · {t(f'evaluate.point_{point}', lang)}"] = (
                _pct_ci(op[key], op["ci"][key])
            )
    out[t("evaluate.metric_non_response", lang)] = pct(m["non_response_rate"])
    lat = m["latency_ms"]
    out[t("evaluate.metric_p50", lang)] = "–" if lat["p50"] is None else f"{lat['p50']:.0f}"
    out[t("evaluate.metric_p95", lang)] = "–" if lat["p95"] is None else f"{lat['p95']:.0f}"
    out[t("evaluate.metric_calls", lang)] = str(m["calls"])
    return out
