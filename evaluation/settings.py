"""The settings a run is stored with, decided in one place for the page and the CLI.

Results are reused between runs with equal `RunSettings.config_key` (backend, endpoint,
preparation settings), so the page and `python -m evaluation` must name the backend and
the endpoint the same way: `run_settings()` does it for both."""

from __future__ import annotations

import hashlib
import platform
from dataclasses import asdict
from pathlib import Path

import httpx
import PIL

from client import is_tencent_endpoint, resolve_endpoint
from evaluation.models import RunSettings
from media import PrepareOptions

__all__ = [
    "DEMO_SCENARIO",
    "__version__",
    "backend_name",
    "make_settings",
    "run_settings",
    "sandbox_identity",
]

__version__ = "0.2.0"
DEMO_SCENARIO = Path(__file__).resolve().parent.parent / "samples" / "scenario.toml"


def sandbox_identity(scenario: Path | None) -> str:
    """How a local sandbox is named in run settings: its port changes every start, its
    scenario decides the answers, so results are shared between sandboxes with one scenario."""
    if scenario is None or not scenario.is_file():
        return "local-sandbox:default"
    return f"local-sandbox:{hashlib.sha256(scenario.read_bytes()).hexdigest()[:12]}"


def backend_name(endpoint: str, *, sandbox: bool = False) -> str:
    """`sandbox` for a local sandbox, `tencent` for Tencent Cloud's hosts, `custom` for any
    other host or URL (a proxy, a staging service)."""
    if sandbox:
        return "sandbox"
    return "tencent" if is_tencent_endpoint(endpoint) else "custom"


def make_settings(
    backend: str,
    endpoint: str,
    region: str | None,
    qps: float,
    concurrency: int,
    prepare_options: PrepareOptions,
    name: str | None = None,
) -> RunSettings:
    """RunSettings with the preparation options and the versions of what made the run."""
    versions = {
        "evaluation": __version__,
        "python": platform.python_version(),
        "httpx": httpx.__version__,
        "pillow": PIL.__version__,
    }
    return RunSettings(
        backend,
        endpoint,
        region,
        qps,
        concurrency,
        asdict(prepare_options),
        versions,
        (name or "").strip()[:120] or None,
    )


def run_settings(
    *,
    sandbox: bool,
    endpoint: str | None,
    region: str | None,
    qps: float,
    concurrency: int,
    prepare_options: PrepareOptions,
    scenario: Path | None = DEMO_SCENARIO,
    name: str | None = None,
) -> RunSettings:
    """The settings of a run as both the page and the CLI name them: a local sandbox by its
    scenario (its port changes every start), anything else by its resolved endpoint."""
    if sandbox:
        ident = sandbox_identity(scenario)
        return make_settings("sandbox", ident, None, qps, concurrency, prepare_options, name)
    resolved = resolve_endpoint(endpoint)
    backend = backend_name(resolved)
    region = (region or "").strip() or None
    return make_settings(backend, resolved, region, qps, concurrency, prepare_options, name)
