"""Where checks go: the page's own sandbox, or Tencent Cloud with the keys found.

The sandbox is started once per server process (`st.cache_resource`) on a free port with
the demo kit's scenario, and kept across reruns and sessions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from client import ConfigError, Credentials, FaceIdClient, find_credentials
from components.app_secrets import AppSecrets
from components.context import AppContext
from components.i18n import api_language
from components.sidebar import SidebarChoice
from media import PrepareOptions
from sandbox import DEMO_SECRET_ID, DEMO_SECRET_KEY, Sandbox

__all__ = [
    "SCENARIO_PATH",
    "FoundCredentials",
    "build_context",
    "page_credentials",
    "running_sandbox",
    "session_client",
    "source_label",
]

SCENARIO_PATH = Path(__file__).resolve().parent.parent / "samples" / "scenario.toml"
SANDBOX_TIMEOUT_S = 30.0
TENCENT_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class FoundCredentials:
    """The keys this page would use for Tencent Cloud, or why there are none usable."""

    credentials: Credentials | None
    problem: ConfigError | None = None


@st.cache_resource(show_spinner=False)
def running_sandbox(latency_ms: float = 0.0) -> Sandbox:
    """The page's sandbox, started on first use and shared by every session.

    `latency_ms` makes it answer as slowly as a real service would (a demo setting)."""
    scenario = SCENARIO_PATH if SCENARIO_PATH.is_file() else None
    return Sandbox(port=0, scenario=scenario, latency_ms=latency_ms).start()


def page_credentials(secrets: AppSecrets, pasted: Credentials | None) -> FoundCredentials:
    """Keys for Tencent Cloud: pasted (this session) > app secrets > environment/profile files."""
    if pasted is not None:
        return FoundCredentials(pasted)
    try:
        if secrets.secret_id or secrets.secret_key:
            if not (secrets.secret_id and secrets.secret_key):
                raise ConfigError(
                    "TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY must both be set (secrets)",
                    zh="TENCENTCLOUD_SECRET_ID 和 TENCENTCLOUD_SECRET_KEY 必须同时设置（secrets）",
                )
            return FoundCredentials(
                Credentials(secrets.secret_id, secrets.secret_key, secrets.token, source="secrets")
            )
        return FoundCredentials(find_credentials())
    except ConfigError as error:
        return FoundCredentials(None, problem=error)


def source_label(credentials: Credentials, lang: str) -> str:
    """Where the keys came from, for the page (never the key itself)."""
    from components.i18n import t

    if credentials.source in ("pasted", "secrets"):
        return t(f"sidebar.source_{credentials.source}", lang)
    return credentials.source


def _client_factory(
    credentials: Credentials | None, endpoint: str, region: str | None, lang: str, timeout: float
) -> Callable[[], FaceIdClient]:
    """A function making a new client with these settings (ConfigError without keys)."""

    def make_client() -> FaceIdClient:
        if credentials is None:
            raise ConfigError(
                "no Tencent Cloud credentials: paste keys in the sidebar or set them",
                zh="没有腾讯云密钥：请在侧边栏粘贴密钥，或在配置中设置",
            )
        return FaceIdClient(
            credentials,
            endpoint=endpoint,
            region=region,
            language=api_language(lang),
            timeout=timeout,
        )

    return make_client


def _client_key(credentials: Credentials | None, *settings: object) -> str:
    """A digest of the keys and settings a client is made with (the keys only hashed)."""
    secret = (
        "\0".join((credentials.secret_id, credentials.secret_key, credentials.token or ""))
        if credentials
        else ""
    )
    return hashlib.sha256(repr((secret, *settings)).encode()).hexdigest()


def session_client(ctx: AppContext) -> FaceIdClient:
    """This session's client for the page's settings, reused across checks (keep-alive,
    one TLS handshake); a new one when the settings or keys change. ConfigError without keys."""
    cached = st.session_state.get("client")
    if cached is not None and cached[0] == ctx.client_key and ctx.client_key:
        return cached[1]
    client = ctx.make_client()
    if cached is not None:
        cached[1].close()
    st.session_state["client"] = (ctx.client_key, client)
    return client


def build_context(
    choice: SidebarChoice, found: FoundCredentials, *, sandbox_latency_ms: float = 0.0
) -> AppContext:
    """The `AppContext` for this run from the sidebar's choices."""
    options = PrepareOptions(
        max_side=choice.max_side,
        video_start_s=choice.video_start_s,
        video_seconds=choice.video_seconds,
    )
    if choice.backend == "sandbox":
        sandbox = running_sandbox(sandbox_latency_ms)
        credentials = Credentials(DEMO_SECRET_ID, DEMO_SECRET_KEY, source="sandbox")
        return AppContext(
            lang=choice.lang,  # type: ignore[arg-type]
            backend="sandbox",
            endpoint=sandbox.url,
            region=None,
            prepare_options=options,
            credentials_source="sandbox",
            make_client=_client_factory(
                credentials, sandbox.url, None, choice.lang, SANDBOX_TIMEOUT_S
            ),
            client_key=_client_key(credentials, sandbox.url, None, choice.lang),
        )
    creds = found.credentials
    return AppContext(
        lang=choice.lang,  # type: ignore[arg-type]
        backend="tencent",
        endpoint=choice.endpoint,
        region=choice.region,
        prepare_options=options,
        credentials_source=creds.source if creds else "",
        make_client=_client_factory(
            creds, choice.endpoint, choice.region, choice.lang, TENCENT_TIMEOUT_S
        ),
        client_key=_client_key(creds, choice.endpoint, choice.region, choice.lang),
    )
