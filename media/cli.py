"""`python -m media prepare PATH [--out FILE] [--max-side N] [--start S] [--seconds S] [--json]`."""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from PIL import Image

from media.errors import MediaError
from media.files import write_atomically
from media.models import Prepared, PrepareOptions
from media.prepare import prepare

__all__ = ["main"]

EXIT_OK, EXIT_UNUSABLE, EXIT_INTERRUPTED = 0, 2, 130
_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "video/mp4": ".mp4"}


# The argument parser for the `prepare` command.
def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m media", description="Make a photo or video API-ready for DetectAIFakeFaces."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("prepare", help="prepare one photo or video")
    run.add_argument("path", type=Path, help="the photo or video to prepare")
    run.add_argument(
        "--out", type=Path, help="where to write the prepared file (default: beside it)"
    )
    run.add_argument("--max-side", type=int, default=640, help="long side of the box (default 640)")
    run.add_argument("--start", type=float, default=0.0, help="video: seconds to skip (default 0)")
    run.add_argument(
        "--seconds", type=float, default=5.0, help="video: seconds to keep (default 5)"
    )
    run.add_argument("--crop-to-face", action="store_true", help="photo: frame the largest face")
    run.add_argument("--no-faces", action="store_true", help="skip the face pre-flight")
    run.add_argument("--lang", choices=("en", "zh"), default="en", help="language of warnings")
    run.add_argument("--json", action="store_true", help="print the report as JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 prepared, 2 unusable input, 130 Ctrl-C)."""
    args = _parser().parse_args(argv)
    warnings.simplefilter("ignore", Image.DecompressionBombWarning)
    try:
        return _prepare_command(args)
    except KeyboardInterrupt:
        print("interrupted / 已中断", file=sys.stderr)
        return EXIT_INTERRUPTED


# The `prepare` command: read, prepare, write, report.
def _prepare_command(args: argparse.Namespace) -> int:
    try:
        data = args.path.read_bytes()
    except OSError as exc:
        return _fail(f"cannot read {args.path}: {exc.strerror or exc}")
    options = PrepareOptions(
        max_side=args.max_side,
        video_start_s=args.start,
        video_seconds=args.seconds,
        check_faces=not args.no_faces,
        crop_to_face=args.crop_to_face,
    )
    try:
        prepared = prepare(data, args.path.name, options)
    except MediaError as exc:
        return _fail(exc.text(args.lang))
    except Exception as exc:  # never a traceback: an unexpected failure is still one line
        return _fail(f"could not prepare {args.path.name}: {type(exc).__name__}: {exc}")
    out = args.out or _default_out(args.path, prepared)
    try:
        write_atomically(out, prepared.data)
    except OSError as exc:
        return _fail(f"cannot write {out}: {exc.strerror or exc}")
    if args.json:
        print(json.dumps({"out": str(out), **prepared.report(args.lang)}, ensure_ascii=False))
    else:
        print(_summary(prepared, out, args.lang))
    return EXIT_OK


# Print a one-line reason on stderr and return the "unusable" exit code.
def _fail(reason: str) -> int:
    print(f"error: {reason}", file=sys.stderr)
    return EXIT_UNUSABLE


# `photo.heic` -> `photo.prepared.jpg` beside the input.
def _default_out(path: Path, prepared: Prepared) -> Path:
    return path.with_name(f"{path.stem}.prepared{_EXTENSIONS.get(prepared.mime, '.bin')}")


# A readable multi-line summary of what was prepared.
def _summary(prepared: Prepared, out: Path, lang: str) -> str:
    ow, oh = prepared.original_size
    w, h = prepared.size
    lines = [
        f"prepared {prepared.kind} -> {out}",
        f"  {prepared.original_format} {ow}x{oh}, {prepared.original_bytes / 1024:.0f} KB"
        f" -> {prepared.mime} {w}x{h}, {len(prepared.data) / 1024:.0f} KB"
        f" (base64 {prepared.base64_bytes / 2**20:.2f} MB)",
    ]
    if prepared.kind == "video":
        lines.append(f"  {prepared.duration_s:.2f} s at {prepared.fps:g} fps")
    faces = ", ".join(f"{f.w}x{f.h} at ({f.x},{f.y})" for f in prepared.faces) or "none"
    checked = f" ({prepared.frames_one_face}/{prepared.frames_checked} frames with one face)"
    lines.append(f"  faces: {faces}{checked if prepared.kind == 'video' else ''}")
    lines += [f"  step: {step}" for step in prepared.steps]
    lines += [f"  warning [{w.code}]: {w.text(lang)}" for w in prepared.warnings]
    lines.append(f"  took {prepared.elapsed_ms:.0f} ms, phash {prepared.phash:016x}")
    return "\n".join(lines)
