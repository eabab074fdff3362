"""`python -m sandbox`: run the sandbox in the foreground until Ctrl+C (or SIGTERM).

Prints one line when ready with its URL and the credentials it accepts. The secret
key is printed only for the documented demo pair; keys given by flag or environment
are never echoed.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import signal
import sys
import threading
from collections.abc import Mapping, Sequence

from sandbox.faults import Faults
from sandbox.scenario import ScenarioError
from sandbox.server import DEMO_SECRET_ID, DEMO_SECRET_KEY, Sandbox, SandboxStartError

__all__ = ["build_parser", "main", "ready_line"]


def build_parser() -> argparse.ArgumentParser:
    """The command line: server, credentials, behaviour and fault flags."""
    p = argparse.ArgumentParser(
        prog="python -m sandbox",
        description="Local DetectAIFakeFaces service (offline demo and test backend).",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    p.add_argument("--port", type=int, default=8765, help="port (0 picks a free one)")
    p.add_argument("--secret-id", help="accepted SecretId (env SANDBOX_SECRET_ID; default demo)")
    p.add_argument("--secret-key", help="accepted SecretKey (env SANDBOX_SECRET_KEY)")
    p.add_argument("--token", help="require this X-TC-Token (env SANDBOX_TOKEN)")
    p.add_argument("--qps", type=float, default=5.0, help="requests/s per SecretId, 0 = no limit")
    p.add_argument("--latency-ms", type=float, default=0.0, help="added latency per call")
    p.add_argument("--jitter-ms", type=float, default=0.0, help="latency varies by +- this")
    p.add_argument("--scenario", help="scenario TOML file deciding verdicts")
    faults = p.add_argument_group("faults (rates are probabilities per call, 0..1)")
    faults.add_argument("--error-rate", type=float, default=0.0, help="answer with an error code")
    faults.add_argument(
        "--error-codes",
        default="FailedOperation.DetectEngineSystemError",
        help="comma-separated codes for --error-rate",
    )
    faults.add_argument("--drop-rate", type=float, default=0.0, help="drop the connection")
    faults.add_argument("--bad-gateway-rate", type=float, default=0.0, help="HTTP 502 HTML page")
    faults.add_argument("--slow-body-rate", type=float, default=0.0, help="trickle the reply")
    faults.add_argument(
        "--slow-body-ms", type=float, default=2000.0, help="duration of a slow body"
    )
    faults.add_argument("--fault-seed", type=int, help="seed for repeatable fault sequences")
    return p


def _credentials(args: argparse.Namespace, environ: Mapping[str, str]) -> tuple[str, str, str]:
    """(secret_id, secret_key, where the key came from): flags, then environment, then demo."""
    if args.secret_id or args.secret_key:
        if not (args.secret_id and args.secret_key):
            raise ValueError("give --secret-id and --secret-key together")
        return args.secret_id, args.secret_key, "--secret-key"
    env_id, env_key = environ.get("SANDBOX_SECRET_ID"), environ.get("SANDBOX_SECRET_KEY")
    if env_id or env_key:
        if not (env_id and env_key):
            raise ValueError("set SANDBOX_SECRET_ID and SANDBOX_SECRET_KEY together")
        return env_id, env_key, "SANDBOX_SECRET_KEY"
    return DEMO_SECRET_ID, DEMO_SECRET_KEY, "demo"


def ready_line(sandbox: Sandbox, key_source: str, token: bool, scenario: str | None) -> str:
    """The one line printed when the sandbox answers."""
    key = f"{DEMO_SECRET_KEY} (demo pair)" if key_source == "demo" else f"<from {key_source}>"
    parts = [
        f"Sandbox ready / 沙箱已就绪: {sandbox.url}",
        f"SecretId={sandbox.secret_id}",
        f"SecretKey={key}",
    ]
    if token:
        parts.append("X-TC-Token required")
    parts.append(f"qps={sandbox.qps:g}" if sandbox.qps > 0 else "qps=unlimited")
    if scenario:
        parts.append(f"scenario={scenario}")
    return "  ".join(parts)


def _is_loopback(host: str) -> bool:
    """Whether `host` is a loopback address or name."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _fail(en: str, zh: str) -> int:
    """Print a one-line error in both languages; exit status 2."""
    print(f"error: {en} / 错误：{zh}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Run until interrupted; 0 on a clean stop, 2 on bad configuration, 130 when Ctrl+C
    comes before the sandbox is ready (while a scenario is hashed, say)."""
    args = build_parser().parse_args(argv)
    try:
        return _serve(args, os.environ if environ is None else environ)
    except KeyboardInterrupt:
        print("interrupted before the sandbox was ready / 沙箱就绪前已中断", file=sys.stderr)
        return 130


def _serve(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Build, start and serve the sandbox until Ctrl+C or SIGTERM."""
    try:
        secret_id, secret_key, key_source = _credentials(args, environ)
        token = args.token or environ.get("SANDBOX_TOKEN") or None
        faults = Faults(
            error_rate=args.error_rate,
            error_codes=tuple(c.strip() for c in args.error_codes.split(",") if c.strip()),
            drop_rate=args.drop_rate,
            bad_gateway_rate=args.bad_gateway_rate,
            slow_body_rate=args.slow_body_rate,
            slow_body_ms=args.slow_body_ms,
            seed=args.fault_seed,
        )
        sandbox = Sandbox(
            host=args.host,
            port=args.port,
            secret_id=secret_id,
            secret_key=secret_key,
            token=token,
            qps=args.qps,
            latency_ms=args.latency_ms,
            jitter_ms=args.jitter_ms,
            scenario=args.scenario,
            faults=faults,
        )
    except ScenarioError as exc:
        return _fail(f"bad scenario file: {exc}", f"场景文件有误：{exc}")
    except ValueError as exc:
        return _fail(str(exc), f"参数有误：{exc}")
    # The SIGTERM handler is in place before the ready line: a SIGTERM right after it stops
    # the sandbox cleanly (exit 0), never kills it half-way.
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        sandbox.start()
        if not _is_loopback(args.host):
            print(
                f"warning: listening on {args.host}, reachable from other machines",
                file=sys.stderr,
            )
        print(ready_line(sandbox, key_source, token is not None, args.scenario), flush=True)
        try:
            while not stopped.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
    except SandboxStartError as exc:
        return _fail(str(exc), f"沙箱无法启动：{exc}")
    finally:
        sandbox.stop()
    print("Sandbox stopped / 沙箱已停止", file=sys.stderr, flush=True)
    return 0
