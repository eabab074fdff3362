"""Where checks go: the page's own sandbox, or Tencent Cloud with the keys found.

The sandbox is started once per server process (`st.cache_resource`) on a free port with
the demo kit's scenario, and kept across reruns and sessions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from client import (
    ConfigError,
    Credentials,
    DetectClient,
    Detection,
    FaceIdClient,
    find_credentials,
)
from components.app_secrets import DEFAULT_TIMEOUT_S, AppSecrets
from components.check_run import CAP_CODE
from components.context import AppContext
from components.endpoints import endpoint_refusal
from components.sidebar import SidebarChoice
from components.state import CLIENT
from core.text import api_language
from media import PrepareOptions
from samples import SCENARIO_PATH
from sandbox import DEMO_SECRET_ID, DEMO_SECRET_KEY, Sandbox

__all__ = [
    "BudgetExhausted",
    "BudgetedClient",
    "FoundCredentials",
    "build_context",
    "page_credentials",
    "running_sandbox",
    "session_client",
    "source_label",
]

SANDBOX_TIMEOUT_S = 30.0
TENCENT_TIMEOUT_S = DEFAULT_TIMEOUT_S  # per attempt; the `timeout_s` setting changes it


class BudgetExhausted(ConfigError):
    """The call budget (this visitor's or the deployment's) is used up: nothing was sent."""

    code = CAP_CODE


class BudgetedClient:
    """A client that takes one call from the budget before each real call (check tab and
    evaluation runs alike); everything else is the wrapped client's."""

    def __init__(self, client: FaceIdClient, take_call: Callable[[], bool]) -> None:
        self._client = client
        self._take_call = take_call

    def detect(self, data: bytes, input_type: int) -> Detection:
        """`FaceIdClient.detect`, refused with `BudgetExhausted` once the budget is spent."""
        if not self._take_call():
            raise BudgetExhausted(
                "the call budget of this page is used up for now",
                zh="本页面的调用额度暂时已用完",
            )
        return self._client.detect(data, input_type)

    @property
    def max_retries(self) -> int:
        """The wrapped client's retries (each retry is a billed call the budget never saw:
        a runner pacing its own retries sets 0 here, on the client that sends)."""
        return self._client.max_retries

    @max_retries.setter
    def max_retries(self, value: int) -> None:
        self._client.max_retries = value

    def close(self) -> None:
        """Close the wrapped client."""
        self._client.close()


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
    """Keys for Tencent Cloud: pasted (this session) > app secrets > environment/profile
    files (`client.find_credentials`' order, the secrets as its explicit values)."""
    if pasted is not None:
        return FoundCredentials(pasted)
    try:
        return FoundCredentials(
            find_credentials(secrets.secret_id, secrets.secret_key, secrets.token, source="secrets")
        )
    except ConfigError as error:
        return FoundCredentials(None, problem=error)


def source_label(credentials: Credentials, lang: str) -> str:
    """Where the keys came from, for the page (never the key itself)."""
    from components.i18n import t

    if credentials.source in ("pasted", "secrets"):
        return t(f"sidebar.source_{credentials.source}", lang)
    return credentials.source


def _client_factory(
    credentials: Credentials | None,
    endpoint: str,
    region: str | None,
    lang: str,
    timeout: float,
    *,
    refusal: ConfigError | None = None,
    take_call: Callable[[], bool] | None = None,
) -> Callable[[], DetectClient]:
    """A function making a new client with these settings: ConfigError without keys or
    when these keys may not go to `endpoint`; with `take_call`, every call is budgeted."""

    def make_client() -> DetectClient:
        if credentials is None:
            raise ConfigError(
                "no Tencent Cloud credentials: paste keys in the sidebar or set them",
                zh="没有腾讯云密钥：请在侧边栏粘贴密钥，或在配置中设置",
            )
        if refusal is not None:
            raise refusal
        client = FaceIdClient(
            credentials,
            endpoint=endpoint,
            region=region,
            language=api_language(lang),
            timeout=timeout,
        )
        return BudgetedClient(client, take_call) if take_call else client

    return make_client


def _client_key(credentials: Credentials | None, *settings: object) -> str:
    """A digest of the keys and settings a client is made with (the keys only hashed)."""
    secret = (
        "\0".join((credentials.secret_id, credentials.secret_key, credentials.token or ""))
        if credentials
        else ""
    )
    return hashlib.sha256(repr((secret, *settings)).encode()).hexdigest()


def session_client(ctx: AppContext) -> DetectClient:
    """This session's client for the page's settings, reused across checks (keep-alive,
    one TLS handshake); a new one when the settings or keys change. ConfigError without keys."""
    cached = CLIENT.get()
    if cached is not None and cached[0] == ctx.client_key and ctx.client_key:
        return cached[1]
    client = ctx.make_client()
    if cached is not None:
        cached[1].close()
    CLIENT.set((ctx.client_key, client))
    return client


def build_context(
    choice: SidebarChoice,
    found: FoundCredentials,
    *,
    sandbox_latency_ms: float = 0.0,
    secrets: AppSecrets | None = None,
) -> AppContext:
    """The `AppContext` for this run from the sidebar's choices; with the deployment's
    `secrets`, real calls are budgeted, time out after `timeout_s` per attempt, and the
    deployment's keys only go where `components.endpoints` allows."""
    options = PrepareOptions(
        max_side=choice.max_side,
        video_start_s=choice.video_start_s,
        video_seconds=choice.video_seconds,
    )
    if choice.backend == "sandbox":
        sandbox = running_sandbox(sandbox_latency_ms)
        credentials = Credentials(DEMO_SECRET_ID, DEMO_SECRET_KEY, source="sandbox")
        return AppContext(
            lang=choice.lang,
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
    timeout = secrets.timeout_s if secrets else TENCENT_TIMEOUT_S
    refusal = endpoint_refusal(choice.endpoint, creds, secrets) if secrets else None
    take = _budget_taker(secrets) if secrets else None
    return AppContext(
        lang=choice.lang,
        backend="tencent",
        endpoint=choice.endpoint,
        region=choice.region,
        prepare_options=options,
        credentials_source=creds.source if creds else "",
        make_client=_client_factory(
            creds,
            choice.endpoint,
            choice.region,
            choice.lang,
            timeout,
            refusal=refusal,
            take_call=take,
        ),
        client_key=_client_key(
            creds,
            choice.endpoint,
            choice.region,
            choice.lang,
            timeout,
            refusal is not None,
            _budget_caps(secrets),
        ),
    )


def _budget_caps(secrets: AppSecrets | None) -> tuple[object, ...]:
    """What a budgeted client's counting depends on (a kept client is remade if it changes)."""
    if secrets is None:
        return ()
    return (
        str(secrets.data_dir),
        secrets.max_calls_per_session,
        secrets.max_calls_per_deployment,
        secrets.budget_window_hours,
    )


def _budget_taker(secrets: AppSecrets) -> Callable[[], bool]:
    """Takes one call from this visitor's and the deployment's budget (any thread)."""
    from components.visitor import ledger, visitor_key

    book, visitor = ledger(secrets), visitor_key()  # read here: worker threads have no context

    def take() -> bool:
        return book.take_call(
            visitor,
            visitor_cap=secrets.max_calls_per_session,
            deployment_cap=secrets.max_calls_per_deployment,
            window_s=secrets.budget_window_hours * 3600.0,
        )

    return take
