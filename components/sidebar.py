"""The sidebar: language, backend, credentials source, endpoint, region, media settings.

`sidebar_ui` draws the widgets and returns a plain `SidebarChoice`; it never shows a key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st
from streamlit.errors import StreamlitAPIException

from client import ENDPOINT_INTL, ENDPOINT_MAINLAND, ConfigError, Credentials, endpoint_alias
from components.app_secrets import AppSecrets
from components.i18n import t
from components.state import forget_pasted_credentials, pasted_credentials, set_pasted_credentials
from components.text import as_text
from core.text import Lang, lang_of

__all__ = [
    "IMAGE_BOX_SIZES",
    "REGIONS",
    "SidebarChoice",
    "backend_ui",
    "language_ui",
    "sidebar_ui",
]

REGIONS = (
    "",
    "ap-guangzhou",
    "ap-shanghai",
    "ap-beijing",
    "ap-chengdu",
    "ap-chongqing",
    "ap-nanjing",
    "ap-hongkong",
    "ap-singapore",
    "ap-bangkok",
    "ap-jakarta",
    "ap-seoul",
    "ap-tokyo",
    "na-siliconvalley",
    "na-ashburn",
    "eu-frankfurt",
    "sa-saopaulo",
)
IMAGE_BOX_SIZES = (320, 480, 640, 800, 960, 1280)
ENDPOINT_CHOICES = ("mainland", "international", "custom")
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}


@dataclass(frozen=True)
class SidebarChoice:
    """What the sidebar settings say for this run."""

    lang: Lang
    backend: str
    endpoint: str
    region: str | None
    max_side: int
    video_start_s: float
    video_seconds: float


# Widget values the language switch re-asserts: text and numbers, and lists of them.
# Buttons (True/False), uploads, editors and chart selections are never touched: their
# values cannot be set, and their labels do not hold their state.
_PLAIN = (str, int, float)


def _keep_choices() -> None:
    """Language-switch callback: keep every widget's value through the relabelling.

    The browser holds a radio's or selectbox's value as its label; after a switch the
    old label matches no new option and Streamlit would hand back the label itself
    (the backend radio then showed neither option chosen). Read now, each value is still
    the option's own value; writing it back makes the next run use it, whatever the
    labels. Widgets whose value cannot be set (buttons, uploaders) are left alone."""
    state = st.session_state
    for key in list(state.keys()):
        if key == "lang" or str(key).startswith(("_", "FormSubmitter:")):
            continue
        try:
            value = state[key]
            values = value if isinstance(value, list | tuple) else [value]
            if not any(isinstance(v, bool) or not isinstance(v, _PLAIN) for v in values):
                state[key] = value
        except StreamlitAPIException:
            continue


def language_ui(default: str) -> Lang:
    """The page language, "zh" or "en" (a segmented control at the top of the sidebar).
    Switching keeps every other widget's state (see `_keep_choices`)."""
    choice = st.sidebar.segmented_control(
        "Language / 语言",
        options=list(LANGUAGE_NAMES),
        format_func=LANGUAGE_NAMES.__getitem__,
        default=default,
        required=True,
        key="lang",
        on_change=_keep_choices,
    )
    return lang_of(choice if choice in LANGUAGE_NAMES else default)


def _kept(key: str, default: object) -> None:
    """Give widget `key` its last value (or `default`) before it is drawn.

    Streamlit forgets a widget's value on a run that does not draw it (the endpoint while
    the sandbox is chosen) or whose label changed (a language switch); a copy kept under
    another name brings it back, so such a run never changes what the user chose."""
    state = st.session_state
    if key not in state:
        state[key] = state.get(f"kept_{key}", default)


def _keep(key: str, value: object) -> object:
    """Remember a widget's value for `_kept`; returns it."""
    st.session_state[f"kept_{key}"] = value
    return value


def backend_ui(lang: str, default: str) -> str:
    """ "sandbox" or "tencent"."""
    options = ["sandbox", "tencent"]
    _kept("backend", default if default in options else "sandbox")
    choice = st.sidebar.radio(
        t("sidebar.backend", lang),
        options=options,
        format_func=lambda name: t(f"sidebar.backend_{name}", lang),
        key="backend",
        help=t("sidebar.backend_help", lang),
    )
    return str(_keep("backend", choice))


def _endpoint_default(secrets: AppSecrets) -> tuple[str, str]:
    """The endpoint choice and custom URL the deployment's secrets ask for."""
    value = (secrets.endpoint or "mainland").strip()
    alias = endpoint_alias(value)  # the aliases `python -m evaluation --endpoint` takes too
    return (alias, "") if alias else ("custom", value)


def _endpoint_ui(lang: str, secrets: AppSecrets) -> str:
    """The endpoint host or URL."""
    default_choice, default_url = _endpoint_default(secrets)
    _kept("endpoint_choice", default_choice)
    choice = _keep(
        "endpoint_choice",
        st.sidebar.radio(
            t("sidebar.endpoint", lang),
            options=list(ENDPOINT_CHOICES),
            format_func=lambda name: t(f"sidebar.endpoint_{name}", lang),
            key="endpoint_choice",
            horizontal=True,
        ),
    )
    if choice == "mainland":
        st.sidebar.caption(ENDPOINT_MAINLAND)
        return ENDPOINT_MAINLAND
    if choice == "international":
        st.sidebar.caption(ENDPOINT_INTL)
        return ENDPOINT_INTL
    _kept("custom_endpoint", default_url)  # only when drawn: a value set but never drawn sticks
    url = st.sidebar.text_input(
        t("sidebar.custom_url", lang),
        placeholder="https://faceid.ap-singapore.tencentcloudapi.com",
        key="custom_endpoint",
        help=t("sidebar.custom_url_help", lang),
    )
    return str(_keep("custom_endpoint", url)).strip() or ENDPOINT_MAINLAND


def _region_ui(lang: str, secrets: AppSecrets) -> str | None:
    """The region (`X-TC-Region`), or None for the service's default."""
    options = list(REGIONS)
    if secrets.region and secrets.region not in options:
        options.append(secrets.region)
    _kept("region", secrets.region or "")
    region = st.sidebar.selectbox(
        t("sidebar.region", lang),
        options=options,
        format_func=lambda name: name or t("sidebar.region_none", lang),
        key="region",
    )
    return str(_keep("region", region) or "") or None


def _use_pasted_keys() -> None:
    """Form callback: keep the pasted keys for this session, or note why they are refused."""
    state = st.session_state
    secret_id = str(state.get("paste_id", "")).strip()
    secret_key = str(state.get("paste_key", "")).strip()
    token = str(state.get("paste_token", "")).strip() or None
    for name in ("paste_id", "paste_key", "paste_token"):
        state[name] = ""  # the key must not stay in any widget
    try:
        set_pasted_credentials(Credentials(secret_id, secret_key, token, source="pasted"))
        state["paste_feedback"] = ("ok", "")
    except ConfigError:  # after trimming, only an empty SecretId or SecretKey is refused
        state["paste_feedback"] = ("bad", "")


def _paste_keys_ui(lang: str) -> None:
    """A form to paste a SecretId/SecretKey for this browser session only."""
    with st.sidebar.expander(t("sidebar.paste_title", lang), icon=":material/key:"):
        st.caption(t("sidebar.paste_note", lang))
        with st.form("paste_keys", clear_on_submit=True, border=False):
            st.text_input("SecretId", key="paste_id", placeholder="AKID…")
            st.text_input("SecretKey", type="password", key="paste_key")
            st.text_input(t("sidebar.paste_token", lang), type="password", key="paste_token")
            st.form_submit_button(
                t("sidebar.paste_use", lang), type="primary", on_click=_use_pasted_keys
            )
        feedback = st.session_state.pop("paste_feedback", None)
        if feedback and feedback[0] == "ok":
            st.success(t("sidebar.paste_ok", lang))
        elif feedback:
            st.error(t("sidebar.paste_bad", lang))
        if pasted_credentials() is not None:
            st.button(
                t("sidebar.paste_forget", lang),
                on_click=forget_pasted_credentials,
                key="forget_keys",
            )


def credentials_status_ui(lang: str, source: str | None, problem: str | None) -> None:
    """Where the keys come from (never the keys), or what is wrong with them."""
    if problem:
        st.sidebar.error(
            t("sidebar.creds_problem", lang, reason=as_text(problem)), icon=":material/key_off:"
        )
    elif source:
        st.sidebar.success(t("sidebar.creds_source", lang, source=source), icon=":material/key:")
    else:
        st.sidebar.warning(t("sidebar.creds_none", lang), icon=":material/key_off:")
        st.sidebar.caption(t("sidebar.creds_none_dev", lang))
    _paste_keys_ui(lang)


def _media_ui(lang: str) -> tuple[int, float, float]:
    """Image box size and video window (start, length)."""
    st.sidebar.markdown(f"**{t('sidebar.media', lang)}**")
    for key, default in (("max_side", 640), ("video_start", 0.0), ("video_seconds", 5.0)):
        _kept(key, default)
    max_side = st.sidebar.select_slider(
        t("sidebar.max_side", lang),
        options=list(IMAGE_BOX_SIZES),
        key="max_side",
        help=t("sidebar.max_side_help", lang),
    )
    start = st.sidebar.number_input(
        t("sidebar.video_start", lang),
        min_value=0.0,
        max_value=600.0,
        step=0.5,
        key="video_start",
    )
    seconds = st.sidebar.slider(
        t("sidebar.video_seconds", lang),
        min_value=1.0,
        max_value=20.0,
        step=0.5,
        key="video_seconds",
        help=t("sidebar.video_seconds_help", lang),
    )
    _keep("max_side", max_side)
    _keep("video_start", start)
    _keep("video_seconds", seconds)
    return int(max_side), float(start), float(seconds)


def sidebar_ui(
    lang: Lang,
    secrets: AppSecrets,
    *,
    default_backend: str,
    credentials_source: str | None,
    credentials_problem: str | None,
    endpoint_problem: Callable[[str], str | None] = lambda endpoint: None,
    live_place: Callable[[], None] = lambda: None,
) -> SidebarChoice:
    """Draw the settings below the language switch and return them.

    `endpoint_problem(endpoint)` says why the keys found may not go to that endpoint;
    `live_place()` is called where real-service notes belong (the call budget)."""
    backend = backend_ui(lang, default_backend)
    endpoint, region = "", None
    if backend == "sandbox":
        st.sidebar.info(t("sidebar.sandbox_note", lang), icon=":material/science:")
    else:
        credentials_status_ui(lang, credentials_source, credentials_problem)
        live_place()
        endpoint = _endpoint_ui(lang, secrets)
        refused = endpoint_problem(endpoint)
        if refused:
            st.sidebar.error(as_text(refused), icon=":material/block:")
        region = _region_ui(lang, secrets)
    st.sidebar.divider()
    max_side, start, seconds = _media_ui(lang)
    return SidebarChoice(lang, backend, endpoint, region, max_side, start, seconds)
