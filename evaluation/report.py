"""Exports of a run: metrics JSON, items CSV, a plain-text summary and a self-contained
HTML report (inline SVG charts, no scripts, no network)."""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

from evaluation.metrics import OPERATING_POINTS
from evaluation.models import ATTACK, LEVELS, ResultRow, RunInfo

__all__ = [
    "CSV_COLUMNS",
    "html_report",
    "items_csv",
    "metrics_json",
    "text_summary",
    "wrong_first",
]

CSV_COLUMNS = (
    "path",
    "label",
    "attack_type",
    "sha256",
    "outcome",
    "traces",
    "request_id",
    "latency_ms",
    "attempts",
    "error_code",
    "error_message",
    "correct_high",
    "correct_mid_high",
)
INTERRUPTED_CODE = "Evaluation.Interrupted"
BREAKDOWN_HEAD = (
    "group / 分组",
    "items / 样本",
    "answered / 有结果",
    "APCER",
    "BPCER",
    "accuracy / 准确率",
)
POINT_TITLES = {
    "high": "block on High / 仅拦截 High",
    "mid_high": "block on Mid or High / 拦截 Mid 与 High",
}


def correct(row: ResultRow, point: str) -> bool | None:
    """Whether the decision at an operating point matches the label; None without an answer."""
    blocked = row.blocked(point)
    return None if blocked is None else blocked == (row.label == ATTACK)


def wrong_first(rows: Sequence[ResultRow], point: str = "high") -> list[ResultRow]:
    """Rows ordered wrong decisions first, then non-responses, then right ones, by path."""
    rank = {False: 0, None: 1, True: 2}
    return sorted(rows, key=lambda r: (rank[correct(r, point)], r.path))


def metrics_json(metrics: dict[str, Any], run: RunInfo | None = None) -> str:
    """The metrics as indented JSON, with the run's settings under "run" when given."""
    out = dict(metrics)
    if run is not None:
        out["run"] = _run_dict(run)
    return json.dumps(out, indent=2, ensure_ascii=False)


def _run_dict(run: RunInfo) -> dict[str, Any]:
    """A run's settings and state as plain JSON values (no secrets are ever stored)."""
    return {
        "id": run.run_id,
        "name": run.name,
        "note": run.note,
        "source": run.source,
        "status": run.status,
        "created_at": run.created_at,
        "updated_at": run.updated_at,
        "items": run.items,
        "done": run.done,
        "interrupted": run.interrupted,
        "resent": run.resent,
        **run.settings.as_dict(),
        "skipped": [{"path": p, "code": c, "detail": d} for p, c, d in run.skipped],
    }


# Text that a spreadsheet would run as a formula gets a leading quote (CSV injection).
def _cell(text: str) -> str:
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# Every text cell of a CSV row defused, whatever its source (our names, the file's, the
# server's: traces, request ids, error codes); numbers stay numbers.
def _defused(values: Sequence[Any]) -> list[Any]:
    return [_cell(value) if isinstance(value, str) else value for value in values]


def items_csv(rows: Sequence[ResultRow]) -> str:
    """One CSV line per item with its outcome and whether each operating point got it right."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        flags = [
            ("" if correct(r, p) is None else int(bool(correct(r, p)))) for p in OPERATING_POINTS
        ]
        writer.writerow(
            _defused(
                [
                    r.path,
                    r.label,
                    r.attack_type or "",
                    r.sha256,
                    r.outcome,
                    ";".join(r.traces),
                    r.request_id or "",
                    "" if r.latency_ms is None else round(r.latency_ms, 1),
                    r.attempts,
                    r.error_code or "",
                    r.error_message or "",
                    *flags,
                ]
            )
        )
    return buf.getvalue()


def _fmt(value: float | None, percent: bool = True) -> str:
    """A rate as a percentage (or a plain number), a dash when missing."""
    if value is None:
        return "–"
    return f"{value * 100:.1f}%" if percent else f"{value:.0f}"


def _fmt_ci(ci: list[float] | None) -> str:
    """A Wilson interval as `[a%, b%]`."""
    return "" if not ci else f"[{ci[0] * 100:.1f}%, {ci[1] * 100:.1f}%]"


def text_summary(metrics: dict[str, Any], run: RunInfo | None = None) -> str:
    """A short human-readable summary for the terminal."""
    lines = []
    if run is not None:
        lines.append(
            f"run {run.run_id}{' (' + run.name + ')' if run.name else ''} · {run.source} ·"
            f" {run.settings.backend} {run.settings.endpoint} · {run.status}"
        )
        if run.note:
            lines.append(f"note: {run.note}")
        if run.settings.backend == "sandbox":
            lines.append(
                "SANDBOX: staged verdicts from a local emulator, not Tencent Cloud's model"
            )
        if run.resent:
            lines.append(f"{run.resent} call(s) in flight at an interruption sent again")
    lines.append(
        f"items {metrics['n']} (bona fide {metrics['bona_fide']}, attack {metrics['attack']}),"
        f" pending {metrics['pending']}, non-response {_fmt(metrics['non_response_rate'])}"
    )
    for point in OPERATING_POINTS:
        op = metrics["operating_points"][point]
        lines.append(
            f"{point:9} APCER {_fmt(op['apcer'])} {_fmt_ci(op['ci']['apcer'])}  worst {_fmt(op['apcer_max'])}"
            f" ({op['apcer_max_type'] or '–'})  BPCER {_fmt(op['bpcer'])} {_fmt_ci(op['ci']['bpcer'])}"
            f"  ACER {_fmt(op['acer'])}  accuracy {_fmt(op['accuracy'])}"
        )
    lat = metrics["latency_ms"]
    lines.append(
        f"latency p50 {_fmt(lat['p50'], False)} ms, p95 {_fmt(lat['p95'], False)} ms; calls {metrics['calls']};"
        f" errors {json.dumps(metrics['errors_by_code'])}"
    )
    return "\n".join(lines)


def _svg_heatmap(confusion: dict[str, dict[str, int]]) -> str:
    """Label x outcome counts as an SVG grid, darker for larger shares of the row."""
    cols = [*LEVELS, "none"]
    cell, left, top = 70, 150, 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + cell * 4 + 10}" height="{top + cell * len(confusion) + 10}" role="img">'
    ]
    for j, name in enumerate(cols):
        parts.append(
            f'<text x="{left + j * cell + cell / 2}" y="20" text-anchor="middle" font-size="13">{name}</text>'
        )
    for i, (label, counts) in enumerate(confusion.items()):
        total = sum(counts.values()) or 1
        y = top + i * cell
        parts.append(
            f'<text x="{left - 8}" y="{y + cell / 2 + 5}" text-anchor="end" font-size="13">{escape(label)}</text>'
        )
        for j, name in enumerate(cols):
            share = counts.get(name, 0) / total
            parts.append(
                f'<rect x="{left + j * cell}" y="{y}" width="{cell - 2}" height="{cell - 2}" '
                f'fill="#1565c0" fill-opacity="{0.08 + 0.85 * share:.2f}"/>'
                f'<text x="{left + j * cell + cell / 2}" y="{y + cell / 2 + 5}" text-anchor="middle" '
                f'font-size="14" fill="{"#fff" if share > 0.5 else "#000"}">{counts.get(name, 0)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _svg_bars(values: dict[str, float | None], unit: str = "%") -> str:
    """Horizontal bars for a name -> value mapping (rates shown as percentages)."""
    width, left, bar = 360, 190, 22
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 70}" height="{bar * max(len(values), 1) + 20}" role="img">'
    ]
    peak = max((v for v in values.values() if v is not None), default=0) or 1
    for i, (name, value) in enumerate(values.items()):
        y = 10 + i * bar
        shown = "–" if value is None else (f"{value * 100:.1f}%" if unit == "%" else f"{value:.0f}")
        length = 0 if value is None else width * (value if unit == "%" else value / peak)
        parts.append(
            f'<text x="{left - 8}" y="{y + 15}" text-anchor="end" font-size="12">{escape(name)}</text>'
            f'<rect x="{left}" y="{y + 3}" width="{length:.1f}" height="{bar - 6}" fill="#c62828"/>'
            f'<text x="{left + length + 6:.1f}" y="{y + 15}" font-size="12">{shown}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _latency_bins(latencies: Sequence[float], bins: int = 12) -> dict[str, float | None]:
    """Counts of latencies in equal-width bins, labelled by their range in ms."""
    if not latencies:
        return {}
    low, high = min(latencies), max(latencies)
    step = (high - low) / bins or 1.0
    counts = [0] * bins
    for value in latencies:
        counts[min(int((value - low) / step), bins - 1)] += 1
    return {
        f"{low + i * step:.0f}–{low + (i + 1) * step:.0f} ms": float(c)
        for i, c in enumerate(counts)
    }


def _table(head: Sequence[str], body: Sequence[Sequence[Any]]) -> str:
    """An escaped HTML table."""
    cells = "".join(f"<th>{escape(str(h))}</th>" for h in head)
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in body
    )
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{rows}</tbody></table>"


def _fmt_counts(value: float | None, k: int, n: int, ci: list[float] | None) -> str:
    """An exact figure: `12.5% (2/16) [3.1%, 40.2%]`."""
    return f"{_fmt(value)} ({k}/{n}) {_fmt_ci(ci)}".strip()


def _metric_rows(metrics: dict[str, Any]) -> list[list[str]]:
    """Both operating points with exact counts behind each rate."""
    out = []
    for point in OPERATING_POINTS:
        op = metrics["operating_points"][point]
        c = op["counts"]
        answered = c["attack_answered"] + c["bona_fide_answered"]
        right = answered - c["attack_passed"] - c["bona_fide_blocked"]
        out.append(
            [
                POINT_TITLES[point],
                _fmt_counts(
                    op["apcer"], c["attack_passed"], c["attack_answered"], op["ci"]["apcer"]
                ),
                f"{_fmt(op['apcer_max'])} {_fmt_ci(op['ci']['apcer_max'])} {op['apcer_max_type'] or ''}",
                _fmt_counts(
                    op["bpcer"], c["bona_fide_blocked"], c["bona_fide_answered"], op["ci"]["bpcer"]
                ),
                f"{_fmt(op['acer'])} {_fmt_ci(op['ci']['acer'])}",
                _fmt_counts(op["accuracy"], right, answered, op["ci"]["accuracy"]),
            ]
        )
    return out


def _settings_rows(run: RunInfo) -> list[list[str]]:
    """A run's settings as `setting, value` rows (nested values spelled out)."""
    d = run.settings.as_dict()
    rows = [
        ["run", f"#{run.run_id}" + (f" · {run.name}" if run.name else "")],
        *([["note / 备注", run.note]] if run.note else []),
        ["source", run.source],
        ["status", run.status],
        ["started / 开始 (UTC)", run.created_at],
        ["last update / 更新 (UTC)", run.updated_at],
        ["items / 样本", f"{run.done}/{run.items} measured"],
    ]
    rows += [
        [k, "–" if d[k] is None else str(d[k])]
        for k in ("backend", "endpoint", "region", "qps", "concurrency")
    ]
    rows += [[f"prepare.{k}", str(v)] for k, v in sorted(d["prepare"].items())]
    rows += [[f"versions.{k}", str(v)] for k, v in sorted(d["versions"].items())]
    if run.interrupted:
        rows.append(
            [
                "interrupted / 中断",
                f"{run.resent} call(s) in flight at an interruption sent again"
                if run.resent
                else f"{run.interrupted} call(s) in flight at an interruption kept as {INTERRUPTED_CODE}",
            ]
        )
    return rows


def _breakdown_rows(groups: dict[str, Any]) -> list[list[str]]:
    """Rows of a breakdown (by media kind or face size) at the `high` point."""
    out = []
    for name, g in groups.items():
        high = g["high"]
        passed, attacks, blocked, bona, right = high["counts"]
        out.append(
            [
                name,
                g["n"],
                g["answered"],
                f"{_fmt(high['apcer'])} ({passed}/{attacks})",
                f"{_fmt(high['bpcer'])} ({blocked}/{bona})",
                f"{_fmt(high['accuracy'])} ({right}/{attacks + bona})",
            ]
        )
    return out


def _thumbnail(file: Path | None) -> str:
    """A small inline JPEG of a picture or a video's first frame, or '' when unreadable."""
    if file is None:
        return ""
    try:
        from media import first_frame

        image = first_frame(file.read_bytes(), max_side=160).convert("RGB")
        buf = io.BytesIO()
        image.save(buf, "JPEG", quality=70)
    except Exception:  # the item's error is in the tables already
        return ""
    return f"<img alt='' src='data:image/jpeg;base64,{base64.b64encode(buf.getvalue()).decode()}'>"


FileLookup = Mapping[str, Path] | Callable[[str], "Path | None"]


def _gallery(rows: Sequence[ResultRow], files: FileLookup | None, limit: int) -> str:
    """The first wrong decisions (block on High) as cards: picture, label, outcome, traces."""
    wrong = [r for r in wrong_first(rows) if correct(r, "high") is False][:limit]
    if not wrong:
        return "<p>No wrong decision / 没有错误判定</p>"
    lookup = files.get if isinstance(files, Mapping) else files
    cards = []
    for r in wrong:
        picture = _thumbnail(lookup(r.path) if lookup else None)
        cards.append(
            f"<figure class=card>{picture}<figcaption><b>{escape(r.path)}</b><br>"
            f"{escape(r.label)}{' · ' + escape(r.attack_type) if r.attack_type else ''}"
            f" → {escape(r.outcome)}<br>{escape(', '.join(r.traces) or '–')}"
            f"{'<br>' + escape(r.error_code) if r.error_code else ''}</figcaption></figure>"
        )
    return f"<div class=gallery>{''.join(cards)}</div>"


def html_report(
    metrics: dict[str, Any],
    rows: Sequence[ResultRow],
    run: RunInfo | None = None,
    *,
    files: FileLookup | None = None,
    gallery: int = 12,
    generated_at: str | None = None,
) -> str:
    """One HTML file with the run's settings, exact figures, charts, the first wrong
    decisions and every item; opens offline, runs no script. Verdicts from a local sandbox
    carry a visible banner. `files` (item path -> file, a mapping or a function) adds
    pictures to the gallery."""
    nr = metrics["non_response"]
    latencies = [r.latency_ms for r in rows if r.responded and r.latency_ms is not None]
    item_rows = [
        [
            r.path,
            r.label,
            r.attack_type or "",
            r.outcome,
            ";".join(r.traces),
            r.error_code or "",
            "" if r.latency_ms is None else f"{r.latency_ms:.0f}",
            r.request_id or "",
            {True: "✓", False: "✗", None: "–"}[correct(r, "high")],
        ]
        for r in wrong_first(rows)
    ]
    when = generated_at or datetime.now(UTC).isoformat(timespec="seconds")
    title = "Evaluation report / 评测报告" + (f" · {run.name}" if run and run.name else "")
    sandbox = run is not None and run.settings.backend == "sandbox"
    sections = [
        f"<h1>{escape(title)}</h1>",
        f"<p class=meta>generated / 生成于 {escape(when)} (UTC)</p>",
        (
            "<div class=banner role=alert>SANDBOX — these verdicts come from a local emulator"
            " with staged answers, not from Tencent Cloud's model. / 沙箱：以下结果来自本地模拟"
            "服务的预设答案，并非腾讯云模型的判定。</div>"
            if sandbox
            else ""
        ),
    ]
    if run is not None:
        sections += [
            "<h2>Settings / 设置</h2>",
            _table(["setting / 设置", "value / 值"], _settings_rows(run)),
        ]
    errors = [[code, count] for code, count in metrics["errors_by_code"].items()]
    sections += [
        f"<p>Items / 样本: {metrics['n']} · bona fide / 真人: {metrics['bona_fide']} · attack / 攻击: {metrics['attack']}"
        f" · pending / 未完成: {metrics['pending']} · calls / 调用: {metrics['calls']}</p>",
        f"<p>Non-response / 无结果: bona fide {_fmt(nr['bona_fide']['rate'])} ({nr['bona_fide']['count']})"
        f" · attack {_fmt(nr['attack']['rate'])} ({nr['attack']['count']})</p>",
        _table(["error code / 错误码", "items / 样本"], errors) if errors else "",
        "<h2>Metrics (Wilson 95%) / 指标</h2>",
        _table(
            [
                "operating point / 判定点",
                "APCER",
                "APCER worst type / 最差类型",
                "BPCER",
                "ACER",
                "accuracy / 准确率",
            ],
            _metric_rows(metrics),
        ),
        "<h2>Confusion / 混淆矩阵</h2>",
        _svg_heatmap(
            metrics["confusion"]
            | {f"attack: {k}": v for k, v in metrics["confusion_by_type"].items()}
        ),
        "<h2>APCER per attack type / 各攻击类型 APCER</h2>",
        *(
            f"<h3>{POINT_TITLES[p]}</h3>" + _svg_bars(metrics["apcer_by_type"][p])
            for p in OPERATING_POINTS
        ),
        "<h2>By media kind / 按媒体类型 (block on High)</h2>",
        _table(BREAKDOWN_HEAD, _breakdown_rows(metrics.get("by_kind", {}))),
        "<h2>By face size / 按人脸尺寸 (px, block on High)</h2>",
        _table(BREAKDOWN_HEAD, _breakdown_rows(metrics.get("by_face_size", {}))),
        f"<h2>Latency / 耗时 (p50 {_fmt(metrics['latency_ms']['p50'], False)} ms, p95 {_fmt(metrics['latency_ms']['p95'], False)} ms)</h2>",
        _svg_bars(_latency_bins(latencies), unit="count"),
        "<h2>Wrong decisions / 错误判定</h2>",
        _gallery(rows, files, gallery),
        "<h2>Items, wrong first / 样本（错误优先）</h2>",
        _table(
            [
                "path",
                "label",
                "attack type",
                "outcome",
                "traces",
                "error",
                "ms",
                "RequestId",
                "right (High)",
            ],
            item_rows,
        ),
    ]
    if run and run.skipped:
        sections += ["<h2>Skipped / 跳过</h2>", _table(["path", "code", "detail"], run.skipped)]
    style = (
        "body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;font-size:13px}"
        "td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}.meta{color:#555;font-size:12px}"
        ".banner{background:#fff3e0;border:3px solid #e65100;color:#bf360c;font-weight:bold;padding:12px;margin:1em 0}"
        ".gallery{display:flex;flex-wrap:wrap;gap:8px}.card{border:1px solid #ccc;margin:0;padding:6px;width:180px;font-size:12px}"
        ".card img{max-width:160px;max-height:160px;display:block}"
    )
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Evaluation report</title>"
        f"<style>{style}</style></head><body>{''.join(sections)}</body></html>"
    )
