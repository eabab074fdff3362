"""`python -m client detect PATH`: check one picture or video from the command line.

Exit codes: 0 a verdict (any risk level), 1 an API or network error (code and guidance
printed), 2 bad input, usage or configuration. Never a traceback (`-v` shows the log and,
for a bug, the traceback).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from client.api import ENDPOINT_MAINLAND, LANGUAGES, FaceIdClient
from client.credentials import resolve_credentials
from client.errors import ApiError, ConfigError, ServiceError
from client.exits import EXIT_API_ERROR, EXIT_OK, EXIT_USAGE, run_guarded
from client.guidance import guidance, level_explanation, trace_explanation
from client.models import Detection
from core.text import Message, lang_of

__all__ = ["build_parser", "main"]


_LABELS: dict[str, Message] = {
    label.code: label
    for label in (
        Message("level", "Risk level", "风险等级"),
        Message("traces", "Attack traces", "攻击痕迹"),
        Message("no_traces", "none reported", "无"),
        Message(
            "unknown_trace",
            "type not known to this tool, shown as sent",
            "本工具不认识的类型，按原样显示",
        ),
        Message("request_id", "RequestId", "请求 ID"),
        Message("latency", "Latency", "耗时"),
        Message("attempt", "attempt", "次尝试"),
        Message("attempts", "attempts", "次尝试"),
        Message("input", "Input", "输入"),
        Message("credentials", "Credentials", "密钥来源"),
        Message("error", "Error", "错误"),
        Message("what_to_do", "What to do", "怎么办"),
    )
}


def _label(key: str, lang: str) -> str:
    """A CLI label in "en" or "zh"."""
    return _LABELS[key].text(lang)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for `python -m client`."""
    parser = argparse.ArgumentParser(
        prog="python -m client",
        description="Check a face picture or video with Tencent Cloud's DetectAIFakeFaces.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    detect = commands.add_parser("detect", help="check one picture or video")
    detect.add_argument(
        "path", metavar="PATH", help="picture (jpg, png, ...) or video (mp4, mov, ...)"
    )
    kind = detect.add_mutually_exclusive_group()
    kind.add_argument(
        "--image", dest="kind", action="store_const", const="image", help="PATH must be a picture"
    )
    kind.add_argument(
        "--video", dest="kind", action="store_const", const="video", help="PATH must be a video"
    )
    detect.add_argument(
        "--endpoint",
        default=ENDPOINT_MAINLAND,
        help=f"host (HTTPS) or full URL, e.g. http://127.0.0.1:8765 (default {ENDPOINT_MAINLAND})",
    )
    detect.add_argument(
        "--region",
        default=os.environ.get("TENCENTCLOUD_REGION"),
        help="e.g. ap-guangzhou (optional)",
    )
    detect.add_argument(
        "--language", choices=LANGUAGES, default="zh-CN", help="language of messages"
    )
    detect.add_argument(
        "--json", action="store_true", help="print the Response object exactly as received"
    )
    detect.add_argument(
        "--timeout", type=float, default=60.0, help="seconds per attempt (default 60)"
    )
    detect.add_argument("--retries", type=int, default=2, help="automatic retries (default 2)")
    detect.add_argument("-v", "--verbose", action="store_true", help="log each call to stderr")
    detect.add_argument("--secret-id", help="SecretId (default: environment or credential files)")
    detect.add_argument(
        "--secret-key", help="SecretKey (prefer TENCENTCLOUD_SECRET_KEY: flags show in ps)"
    )
    return parser


def _prepare(path: Path, kind: str | None, lang: str) -> Any:
    """The file made API-ready by `media.prepare`; ValueError with a one-line reason when unusable."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror or type(exc).__name__}") from None
    try:
        from media import MediaError, prepare
    except ImportError as exc:
        raise ValueError(f"media preparation is unavailable ({exc})") from None
    try:
        prepared = prepare(data, filename=path.name)
    except MediaError as exc:
        raise ValueError(f"{path.name}: {exc.text(lang)}") from None
    if kind and prepared.kind != kind:
        article = {"image": "an image", "video": "a video"}
        raise ValueError(f"{path.name} is {article[prepared.kind]}, not {article[kind]} (--{kind})")
    return prepared


def _describe_input(prepared: Any) -> str:
    """`image 480x640, 45 KB (from jpeg 1920x2560)`."""
    width, height = prepared.size
    ow, oh = prepared.original_size
    size_kb = len(prepared.data) / 1024
    return f"{prepared.kind} {width}x{height}, {size_kb:.0f} KB (from {prepared.original_format} {ow}x{oh})"


def _print_verdict(
    detection: Detection, prepared: Any, source: str, lang: str, out: TextIO
) -> None:
    """The readable verdict: level, traces with explanations, RequestId, latency."""
    level = detection.level_raw or "?"
    print(f"{_label('level', lang)}: {level}", file=out)
    print(f"  {level_explanation(detection.level_raw, lang)}", file=out)
    print(f"{_label('traces', lang)}:", end="", file=out)
    if not detection.traces:
        print(f" {_label('no_traces', lang)}", file=out)
    else:
        print(file=out)
        for trace in detection.traces:
            text = trace_explanation(trace.type, lang) or f"({_label('unknown_trace', lang)})"
            print(f"  - {trace.type}: {text}", file=out)
    print(f"{_label('request_id', lang)}: {detection.request_id}", file=out)
    plural = "attempts" if detection.attempts != 1 else "attempt"
    attempts = f"{detection.attempts} {_label(plural, lang)}"
    print(f"{_label('latency', lang)}: {detection.latency_ms:.0f} ms ({attempts})", file=out)
    print(f"{_label('input', lang)}: {_describe_input(prepared)}", file=out)
    print(f"{_label('credentials', lang)}: {source}", file=out)


def _print_error(exc: ApiError, lang: str, err: TextIO) -> None:
    """An API or network error: code, message, what to do, RequestId."""
    advice = guidance(exc.code, lang)
    print(f"{_label('error', lang)} {exc.code}: {exc.detail}", file=err)
    stop = "。" if lang == "zh" else ". "
    print(f"{advice.title}{stop}{_label('what_to_do', lang)}: {advice.action}", file=err)


def _detect(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The `detect` command."""
    lang = lang_of(args.language)
    try:
        prepared = _prepare(Path(args.path), args.kind, lang)
        credentials = resolve_credentials(args.secret_id, args.secret_key)
        client = FaceIdClient(
            credentials,
            endpoint=args.endpoint,
            region=args.region,
            language=args.language,
            timeout=args.timeout,
            max_retries=args.retries,
        )
    except ConfigError as exc:
        print(f"{_label('error', lang)}: {exc.text(lang)}", file=err)
        return EXIT_USAGE
    except ValueError as exc:
        print(f"{_label('error', lang)}: {exc}", file=err)
        return EXIT_USAGE
    for warning in prepared.warnings:
        print(f"! {warning.text(lang)}", file=err)
    try:
        with client:
            detection = client.detect(prepared.data, prepared.input_type)
    except ConfigError as exc:
        print(f"{_label('error', lang)}: {exc.text(lang)}", file=err)
        return EXIT_USAGE
    except ApiError as exc:
        if args.json and isinstance(exc, ServiceError) and exc.raw:
            print(json.dumps(exc.raw["Response"], ensure_ascii=False), file=out)
        _print_error(exc, lang, err)
        return EXIT_API_ERROR
    if args.json:
        print(json.dumps(detection.response, ensure_ascii=False), file=out)
    else:
        _print_verdict(detection, prepared, credentials.source, lang, out)
    return EXIT_OK


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run the command line; returns the exit code."""
    out, err = out or sys.stdout, err or sys.stderr
    args = build_parser().parse_args(argv)
    if args.verbose:
        logging.basicConfig(
            level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s", stream=err
        )
        logging.getLogger("httpcore").setLevel(logging.WARNING)
    return run_guarded(
        lambda: _detect(args, out, err),
        err,
        verbose=args.verbose,
        bug_hint="" if args.verbose else "; run with -v for details",
    )
