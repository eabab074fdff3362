"""`python -m evaluation run|report`: measure the service on a labelled set from a terminal.

Exit codes (`client.exits`, as `python -m client`): 0 the run finished or the report was
written (item errors are data, not failures); 1 the run was stopped by an API or network
problem that would hit every call (authentication, arrears, unreachable service); 2 bad
input, usage or configuration; 130 cancelled with Ctrl-C (what was done is kept). Never a
traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TextIO

from client import (
    ENDPOINT_MAINLAND,
    ConfigError,
    Credentials,
    FaceIdClient,
    find_credentials,
    resolve_endpoint,
)
from client.exits import EXIT_API_ERROR, EXIT_INTERRUPTED, EXIT_OK, run_guarded
from evaluation.dataset import Dataset, open_dataset
from evaluation.metrics import compute_metrics
from evaluation.models import EvaluationError, RunSettings
from evaluation.plan import make_plan
from evaluation.policy import default_concurrency
from evaluation.progress import Progress, RunnerOptions
from evaluation.report import html_report, items_csv, metrics_json, text_summary
from evaluation.runner import run_evaluation
from evaluation.settings import DEMO_SCENARIO, run_settings
from evaluation.store import Store
from media import PrepareOptions
from media.files import write_atomically

__all__ = ["build_parser", "main"]


class _UsageError(Exception):
    """Bad input, usage or configuration: exit 2 with this one-line message."""


def _positive(kind: type[float] | type[int]) -> Callable[[str], float | int]:
    """An argparse type for a positive number."""

    def parse(text: str) -> float | int:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not (math.isfinite(value) and value > 0):
            raise argparse.ArgumentTypeError(f"must be a finite number greater than 0: {text!r}")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    """The `run` and `report` sub-commands."""
    parser = argparse.ArgumentParser(
        prog="python -m evaluation", description=__doc__.splitlines()[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="send a labelled set to the service (resumes if run before)")
    run.add_argument("source", help="folder (bona_fide/, attack/<type>/), CSV manifest or zip")
    run.add_argument("--db", required=True, help="SQLite store; reuse it to resume")
    run.add_argument(
        "--endpoint",
        help=f"mainland, international, a host or a URL (default {ENDPOINT_MAINLAND})",
    )
    run.add_argument("--region", help="X-TC-Region, e.g. ap-guangzhou")
    run.add_argument(
        "--qps", type=_positive(float), default=1.0, help="requests per second (default 1)"
    )
    run.add_argument(
        "--concurrency", type=_positive(int), help="calls in flight (default from --qps)"
    )
    run.add_argument(
        "--max-side", type=_positive(int), default=640, help="downscale long side (default 640)"
    )
    run.add_argument(
        "--sandbox", action="store_true", help="use a local sandbox instead of Tencent Cloud"
    )
    run.add_argument("--name", help="a name for the run, shown in reports and on the page")
    run.add_argument(
        "--note",
        help="a free-text note stored with the run, shown in reports and on the page"
        ' (--note "" clears it)',
    )
    run.add_argument(
        "--no-resend-interrupted",
        dest="resend_interrupted",
        action="store_false",
        help="keep calls that were in flight when an earlier run was killed as"
        " Evaluation.Interrupted instead of sending them again (never pays twice,"
        " but those items get no answer)",
    )
    run.add_argument(
        "--resend-uncertain",
        action="store_true",
        help="send again items whose earlier call may or may not have reached the service",
    )
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    report = sub.add_parser("report", help="metrics and exports of a stored run")
    report.add_argument("--db", required=True, help="SQLite store written by `run`")
    report.add_argument("--run", type=_positive(int), help="run id (default: the latest)")
    fmt = report.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="metrics as JSON on stdout")
    fmt.add_argument("--html", metavar="OUT", help="write a self-contained HTML report")
    fmt.add_argument("--csv", metavar="OUT", help="write one CSV row per item")
    return parser


class _ProgressBar:
    """A one-line bar on stderr (a line every few seconds when stderr is not a terminal)."""

    def __init__(self, err: TextIO, quiet: bool) -> None:
        self.err, self.quiet = err, quiet
        self.tty = hasattr(err, "isatty") and err.isatty()
        self.last = 0.0
        self.shown: tuple[int, int] | None = None

    def __call__(self, p: Progress) -> None:
        now = time.monotonic()
        final = p.done >= p.total
        if self.quiet or self.shown == (p.done, p.calls) and final:
            return
        if not self.tty and now - self.last < 5.0 and not final:
            return
        self.last, self.shown = now, (p.done, p.calls)
        filled = int(30 * p.fraction)
        eta = "" if p.eta_s is None else f" · {p.eta_s:.0f} s left"
        line = (
            f"[{'#' * filled}{'.' * (30 - filled)}] {p.done}/{p.total} items · {p.rate_per_s:.2f}/s"
            f"{eta} · {p.calls} calls · {p.errors} errors"
        )
        self.err.write(("\r" + line) if self.tty else (line + "\n"))
        self.err.flush()

    def close(self) -> None:
        """End the bar's line."""
        if self.tty and not self.quiet:
            self.err.write("\n")


@contextlib.contextmanager
def _backend(
    args: argparse.Namespace, err: TextIO
) -> Iterator[tuple[bool, str, Callable[[], FaceIdClient]]]:
    """(whether it is a local sandbox, endpoint URL, client factory), starting a local
    sandbox when asked or when no credentials are configured."""
    try:
        credentials = None if args.sandbox else find_credentials()
    except ConfigError as exc:
        raise _UsageError(f"credentials: {exc}") from None
    if credentials is None and args.endpoint and not args.sandbox:
        raise _UsageError(
            "no credentials found for --endpoint: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY"
            " (or ~/.tencentcloud/credentials), or use --sandbox"
        )
    if credentials is not None:
        endpoint = resolve_endpoint(args.endpoint)
        yield False, endpoint, _factory(credentials, endpoint, args.region)
        return
    from sandbox import DEMO_SECRET_ID, DEMO_SECRET_KEY, Sandbox, SandboxStartError, ScenarioError

    scenario = DEMO_SCENARIO if DEMO_SCENARIO.is_file() else None
    reason = "--sandbox" if args.sandbox else "no credentials configured"
    print(f"{reason}: using a local sandbox" + (f" with {scenario}" if scenario else ""), file=err)
    try:
        box = Sandbox(qps=args.qps, scenario=scenario).start()
    except (ScenarioError, SandboxStartError) as exc:
        raise _UsageError(f"local sandbox: {exc}") from None
    with box:
        creds = Credentials(DEMO_SECRET_ID, DEMO_SECRET_KEY, source="sandbox")
        yield True, box.url, _factory(creds, box.url, args.region)


def _factory(
    credentials: Credentials, endpoint: str, region: str | None
) -> Callable[[], FaceIdClient]:
    """A client factory; builds one client now so configuration errors surface early."""
    FaceIdClient(credentials, endpoint=endpoint, region=region, max_retries=0).close()
    return lambda: FaceIdClient(credentials, endpoint=endpoint, region=region, max_retries=0)


def _describe(dataset: Dataset, err: TextIO) -> None:
    """The set and its skipped entries, on stderr."""
    counts = dataset.counts()
    types = ", ".join(f"{k} {v}" for k, v in dataset.attack_types().items()) or "none"
    print(
        f"{len(dataset.items)} items: bona fide {counts['bona_fide']}, attack {counts['attack']}"
        f" ({types}); {len(dataset.skipped)} skipped",
        file=err,
    )
    for entry in dataset.skipped[:20]:
        print(f"  skipped {entry.path}: {entry.detail}", file=err)
    if len(dataset.skipped) > 20:
        print(f"  … and {len(dataset.skipped) - 20} more (see the report)", file=err)


def _describe_plan(dataset: Dataset, store: Store, settings: RunSettings, err: TextIO) -> None:
    """What will be sent, from the same plan the page shows and the runner follows."""
    plan = make_plan(dataset, store.final_hashes(settings.config_key), settings.qps)
    print(
        f"plan: {plan.stored_items} item(s) already measured under these settings,"
        f" {plan.send_count} content(s) to send, about {plan.estimate_s:.0f} s at"
        f" {settings.qps:g}/s; labels and attack types interleaved (seed {plan.seed})",
        file=err,
    )


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The `run` sub-command. Ctrl-C while loading stops at once (KeyboardInterrupt);
    during the run it cancels: calls in flight finish and are stored."""
    cancel = threading.Event()
    with open_dataset(args.source) as dataset, Store(args.db) as store:
        _describe(dataset, err)
        if not dataset.items:
            raise _UsageError(f"{args.source}: nothing to evaluate")
        with _backend(args, err) as (sandbox, url, factory):
            concurrency = args.concurrency or default_concurrency(args.qps)
            prepare_options = PrepareOptions(max_side=args.max_side)
            settings = run_settings(
                sandbox=sandbox,
                endpoint=url,
                region=args.region,
                qps=args.qps,
                concurrency=concurrency,
                prepare_options=prepare_options,
                scenario=DEMO_SCENARIO if DEMO_SCENARIO.is_file() else None,
                name=args.name,
            )
            _describe_plan(dataset, store, settings, err)
            bar = _ProgressBar(err, args.quiet)
            options = RunnerOptions(
                qps=args.qps,
                concurrency=concurrency,
                resend_uncertain=args.resend_uncertain,
                resend_interrupted=args.resend_interrupted,
            )
            previous = signal.signal(signal.SIGINT, lambda *_: cancel.set())
            try:
                summary = run_evaluation(
                    dataset,
                    store,
                    settings,
                    factory,
                    options=options,
                    prepare_options=prepare_options,
                    progress=bar,
                    cancel=cancel,
                    note=args.note,
                )
            finally:
                signal.signal(signal.SIGINT, previous)
            bar.close()
        if summary.resent:
            print(
                f"{summary.resent} call(s) were in flight when an earlier run stopped: sent again"
                " (they may have been billed twice; --no-resend-interrupted keeps them unsent)",
                file=err,
            )
        elif summary.interrupted:
            print(
                f"{summary.interrupted} item(s) were in flight when an earlier run stopped: recorded as"
                " Evaluation.Interrupted, not sent again (--resend-uncertain sends them)",
                file=err,
            )
        print(
            text_summary(compute_metrics(store.rows(summary.run_id)), store.run(summary.run_id)),
            file=out,
        )
    if summary.stopped_code:
        print(
            f"stopped: {summary.stopped_code}: {summary.stopped_message}; fix it and run the same"
            " command again to continue",
            file=err,
        )
        return EXIT_API_ERROR
    if summary.cancelled:
        print("cancelled: run the same command again to continue", file=err)
        return EXIT_INTERRUPTED
    return EXIT_OK


def _report(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The `report` sub-command."""
    if not Path(args.db).is_file():
        raise _UsageError(f"{args.db}: no such store")
    with Store(args.db) as store:
        run_id = args.run or store.latest_run_id()
        if run_id is None:
            raise _UsageError(f"{args.db}: no runs stored yet")
        run = store.run(run_id)
        rows = store.rows(run_id)
    metrics = compute_metrics(rows)
    if args.json:
        print(metrics_json(metrics, run), file=out)
    elif args.html or args.csv:
        target = Path(args.html or args.csv)
        root = Path(run.source)
        files = (lambda path: root / path) if root.is_dir() else None  # pictures for the gallery
        text = html_report(metrics, rows, run, files=files) if args.html else items_csv(rows)
        try:
            write_atomically(target, text.encode("utf-8"))
        except OSError as exc:
            raise _UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
        print(f"wrote {target}", file=err)
    else:
        print(text_summary(metrics, run), file=out)
    return EXIT_OK


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run the command line; returns the exit code."""
    out, err = out or sys.stdout, err or sys.stderr
    args = build_parser().parse_args(argv)
    command = _run if args.command == "run" else _report
    return run_guarded(
        lambda: command(args, out, err), err, usage_errors=(_UsageError, EvaluationError)
    )
