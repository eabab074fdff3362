"""The one-page HTML report of a verdict: self-contained (inline CSS, the picture as a
data URL), no script, no network; every text from the service or a file is escaped."""

from __future__ import annotations

import base64
from html import escape

from handover.facts import Handover, fact_lines, trace_lines
from handover.levels import level_style

__all__ = ["handover_html"]

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",
"WenQuanYi Micro Hei",sans-serif;color:#1F2329;margin:0;background:#F3F5F8}
main{max-width:860px;margin:24px auto;background:#fff;border-radius:12px;padding:28px 32px;
position:relative;overflow:hidden;box-shadow:0 1px 4px rgba(0,0,0,.08)}
h1{font-size:22px;margin:0}.sub{color:#5b6470;font-size:13px;margin:2px 0 18px}
.level{border:2px solid;border-radius:10px;padding:14px 18px;margin:0 0 18px}
.level .name{font-size:30px;font-weight:700}.level .raw{font-size:12px;color:#5b6470}
.grid{display:flex;gap:24px;flex-wrap:wrap}.grid>div{flex:1 1 300px}
img{max-width:100%;border-radius:8px;border:1px solid #dde1e6}
h2{font-size:15px;margin:16px 0 6px}
.trace{margin:4px 0}.trace code{background:#eef1f5;border-radius:4px;padding:1px 6px}
table{border-collapse:collapse;width:100%;font-size:14px}
td{border-top:1px solid #e6e9ee;padding:6px 4px;vertical-align:top}
td:first-child{color:#5b6470;white-space:nowrap;width:9em}
.note{color:#5b6470;font-size:12px}
.banner{background:#FFF3C4;border:1px solid #E0B400;color:#6B5200;border-radius:8px;
padding:8px 12px;margin:0 0 16px;font-weight:600}
.watermark{position:absolute;top:38%;left:-10%;width:120%;text-align:center;
transform:rotate(-24deg);font-size:110px;font-weight:800;letter-spacing:8px;
color:rgba(224,180,0,.22);pointer-events:none;white-space:nowrap;z-index:2}
footer{margin-top:20px;color:#5b6470;font-size:12px}
@media print{body{background:#fff}main{box-shadow:none;margin:0}}
"""


def _picture_html(handover: Handover) -> str:
    """The picture as sent, or a note that it was left out."""
    if handover.picture is None:
        return f'<p class="note">{escape(handover.text("handover.no_picture"))}</p>'
    data = base64.b64encode(handover.picture).decode("ascii")
    alt = escape(handover.text("handover.picture"))
    return f'<img src="data:image/jpeg;base64,{data}" alt="{alt}">'


def _traces_html(handover: Handover) -> str:
    """Each trace as sent, with its meaning."""
    lines = trace_lines(handover)
    if not lines:
        return f'<p class="trace">{escape(handover.text("handover.no_traces"))}</p>'
    rows = "".join(
        f'<p class="trace"><code>{escape(line.type)}</code> {escape(line.meaning)}</p>'
        for line in lines
    )
    return rows + f'<p class="note">{escape(handover.text("handover.traces_note"))}</p>'


def _facts_html(handover: Handover) -> str:
    """The facts (`fact_lines`) as a small table."""
    body = "".join(
        f"<tr><td>{escape(label)}</td><td>{escape(value)}</td></tr>"
        for label, value in fact_lines(handover)
    )
    return f"<table>{body}</table>"


def handover_html(handover: Handover) -> str:
    """The report as one HTML document in the hand-over's language."""
    style = level_style(handover.level)
    text = handover.text
    lang = "zh-CN" if handover.lang == "zh" else "en"
    sandbox = ""
    if handover.sandbox:
        sandbox = (
            f'<div class="watermark" aria-hidden="true">{escape(text("handover.watermark"))}</div>'
            f'<p class="banner" data-sandbox="1">{escape(text("handover.sandbox_note"))}</p>'
        )
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(text('handover.title'))} · {escape(handover.request_id)}</title>"
        f"<style>{_CSS}</style></head><body><main>{sandbox}"
        f"<h1>{escape(text('handover.title'))}</h1>"
        f'<p class="sub">{escape(text("handover.subtitle"))}</p>'
        f'<section class="level" data-level="{escape(handover.level)}" '
        f'style="border-color:{style.ink};background:{style.background};color:{style.ink}">'
        f'<div class="name">{escape(handover.level_title)}</div>'
        f"<div><b>{escape(text('handover.advice'))}</b>{escape(text('app.label_sep'))}"
        f"{escape(handover.advice)}</div>"
        f'<div class="raw">{escape(handover.level_meaning)} · AttackRiskLevel = '
        f"{escape(handover.level_raw or '—')}</div></section>"
        f'<div class="grid"><div><h2>{escape(text("handover.picture"))}</h2>'
        f"{_picture_html(handover)}</div>"
        f"<div><h2>{escape(text('handover.traces'))}</h2>{_traces_html(handover)}"
        f"{_facts_html(handover)}</div></div>"
        f"<footer>{escape(text('handover.footer'))}</footer></main></body></html>"
    )
