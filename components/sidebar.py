"""The sidebar: language, backend, credentials source, endpoint, region, media settings.

`sidebar_ui` draws the widgets and returns a plain `SidebarChoice`; it never shows a key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import streamlit as st

from client import ENDPOINT_INTL, ENDPOINT_MAINLAND, ConfigError, Credentials, endpoint_alias
from components.app_secrets import AppSecrets
from components.i18n import t
from components.state import (
    BACKEND,
    CUSTOM_ENDPOINT,
    ENDPOINT_CHOICE,
    FORGET_KEYS,
    KEPT,
    LANG,
    MAX_SIDE,
    PASTE_FEEDBACK,
    PASTE_FORM,
    PASTE_ID,
    PASTE_KEY,
    PASTE_TOKEN,
    REGION,
    VIDEO_SECONDS,
    VIDEO_START,
    Widget,
    forget_pasted_credentials,
    pasted_credentials,
    reassert_widget_values,
    set_pasted_credentials,
)
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
T = TypeVar("T")


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


def _keep_choices() -> None:
    """Language-switch callback: keep every widget's value through the relabelling.

    The browser holds a radio's or selectbox's value as its label; after a switch the
    old label matches no new option and Streamlit would hand back the label itself
    (the backend radio then showed neither option chosen). Read now, each value is still
    the option's own value; writing it back makes the next run use it, whatever the
    labels. Widgets whose value cannot be set (buttons, uploaders) are left alone."""
    reassert_widget_values(skip=LANG)


def language_ui(default: str) -> Lang:
    """The page language, "zh" or "en" (a segmented control at the top of the sidebar).
    Switching keeps every other widget's state (see `_keep_choices`)."""
    choice = st.sidebar.segmented_control(
        "Language / 语言",
        options=list(LANGUAGE_NAMES),
        format_func=LANGUAGE_NAMES.__getitem__,
        default=default,
        required=True,
        key=LANG.key,
        on_change=_keep_choices,
    )
    return lang_of(choice if choice in LANGUAGE_NAMES else default)


def _kept(widget: Widget[T], default: T) -> None:
    """Give `widget` its last value (or `default`) before it is drawn.

    Streamlit forgets a widget's value on a run that does not draw it (the endpoint while
    the sandbox is chosen) or whose label changed (a language switch); a copy kept under
    another name brings it back, so such a run never changes what the user chose."""
    if not widget.is_set():
        kept = KEPT.of(widget.key).get()
        widget.set(default if kept is None else kept)


def _keep(widget: Widget[T], value: T) -> T:
    """Remember a widget's value for `_kept`; returns it."""
    return KEPT.of(widget.key).set(value)


def backend_ui(lang: str, default: str) -> str:
    """ "sandbox" or "tencent"."""
    options = ["sandbox", "tencent"]
    _kept(BACKEND, default if default in options else "sandbox")
    choice = st.sidebar.radio(
        t("sidebar.backend", lang),
        options=options,
        format_func=lambda name: t(f"sidebar.backend_{name}", lang),
        key=BACKEND.key,
        help=t("sidebar.backend_help", lang),
    )
    return str(_keep(BACKEND, choice))


def _endpoint_default(secrets: AppSecrets) -> tuple[str, str]:
    """The endpoint choice and custom URL the deployment's secrets ask for."""
    value = (secrets.endpoint or "mainland").strip()
    alias = endpoint_alias(value)  # the aliases `python -m evaluation --endpoint` takes too
    return (alias, "") if alias else ("custom", value)


def _endpoint_ui(lang: str, secrets: AppSecrets) -> str:
    """The endpoint host or URL."""
    default_choice, default_url = _endpoint_default(secrets)
    _kept(ENDPOINT_CHOICE, default_choice)
    choice = _keep(
        ENDPOINT_CHOICE,
        st.sidebar.radio(
            t("sidebar.endpoint", lang),
            options=list(ENDPOINT_CHOICES),
            format_func=lambda name: t(f"sidebar.endpoint_{name}", lang),
            key=ENDPOINT_CHOICE.key,
            horizontal=True,
        ),
    )
    if choice == "mainland":
        st.sidebar.caption(ENDPOINT_MAINLAND)
        return ENDPOINT_MAINLAND
    if choice == "international":
        st.sidebar.caption(ENDPOINT_INTL)
        return ENDPOINT_INTL
    _kept(CUSTOM_ENDPOINT, default_url)  # only when drawn: a value set but never drawn sticks
    url = st.sidebar.text_input(
        t("sidebar.custom_url", lang),
        placeholder="https://faceid.ap-singapore.tencentcloudapi.com",
        key=CUSTOM_ENDPOINT.key,
        help=t("sidebar.custom_url_help", lang),
    )
    return str(_keep(CUSTOM_ENDPOINT, url)).strip() or ENDPOINT_MAINLAND


def _region_ui(lang: str, secrets: AppSecrets) -> str | None:
    """The region (`X-TC-Region`), or None for the service's default."""
    options = list(REGIONS)
    if secrets.region and secrets.region not in options:
        options.append(secrets.region)
    _kept(REGION, secrets.region or "")
    region = st.sidebar.selectbox(
        t("sidebar.region", lang),
        options=options,
        format_func=lambda name: name or t("sidebar.region_none", lang),
        key=REGION.key,
    )
    return str(_keep(REGION, region) or "") or None


def _use_pasted_keys() -> None:
    """Form callback: keep the pasted keys for this session, or note why they are refused."""
    secret_id = str(PASTE_ID.value() or "").strip()
    secret_key = str(PASTE_KEY.value() or "").strip()
    token = str(PASTE_TOKEN.value() or "").strip() or None
    for widget in (PASTE_ID, PASTE_KEY, PASTE_TOKEN):
        widget.set("")  # the key must not stay in any widget
    try:
        set_pasted_credentials(Credentials(secret_id, secret_key, token, source="pasted"))
        PASTE_FEEDBACK.set(("ok", ""))
    except ConfigError:  # after trimming, only an empty SecretId or SecretKey is refused
        PASTE_FEEDBACK.set(("bad", ""))


def _paste_keys_ui(lang: str) -> None:
    """A form to paste a SecretId/SecretKey for this browser session only."""
    with st.sidebar.expander(t("sidebar.paste_title", lang), icon=":material/key:"):
        st.caption(t("sidebar.paste_note", lang))
        with st.form(PASTE_FORM.key, clear_on_submit=True, border=False):
            st.text_input("SecretId", key=PASTE_ID.key, placeholder="AKID…")
            st.text_input("SecretKey", type="password", key=PASTE_KEY.key)
            st.text_input(t("sidebar.paste_token", lang), type="password", key=PASTE_TOKEN.key)
            st.form_submit_button(
                t("sidebar.paste_use", lang), type="primary", on_click=_use_pasted_keys
            )
        feedback = PASTE_FEEDBACK.get()
        PASTE_FEEDBACK.forget()  # shown once
        if feedback and feedback[0] == "ok":
            st.success(t("sidebar.paste_ok", lang))
        elif feedback:
            st.error(t("sidebar.paste_bad", lang))
        if pasted_credentials() is not None:
            st.button(
                t("sidebar.paste_forget", lang),
                on_click=forget_pasted_credentials,
                key=FORGET_KEYS.key,
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
    _kept(MAX_SIDE, 640)
    _kept(VIDEO_START, 0.0)
    _kept(VIDEO_SECONDS, 5.0)
    max_side = st.sidebar.select_slider(
        t("sidebar.max_side", lang),
        options=list(IMAGE_BOX_SIZES),
        key=MAX_SIDE.key,
        help=t("sidebar.max_side_help", lang),
    )
    start = st.sidebar.number_input(
        t("sidebar.video_start", lang),
        min_value=0.0,
        max_value=600.0,
        step=0.5,
        key=VIDEO_START.key,
    )
    seconds = st.sidebar.slider(
        t("sidebar.video_seconds", lang),
        min_value=1.0,
        max_value=20.0,
        step=0.5,
        key=VIDEO_SECONDS.key,
        help=t("sidebar.video_seconds_help", lang),
    )
    _keep(MAX_SIDE, max_side)
    _keep(VIDEO_START, start)
    _keep(VIDEO_SECONDS, seconds)
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
