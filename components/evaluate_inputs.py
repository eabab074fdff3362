"""The Evaluate tab's inputs: which labelled set to read and which store keeps the results.

By default a visitor can only upload a zip (unpacked into this session's own folder,
within a disk quota, removed when the session ends) and choose a store by name among the
app's own stores. Server folders and store paths exist only when the operator lists
`allowed_roots`; every such path, manifest row and link is then confined to those roots
(`evaluation.paths`).
"""

from __future__ import annotations

import hashlib
import secrets as token
import shutil
import tempfile
import weakref
from dataclasses import replace
from pathlib import Path
from typing import Any

import streamlit as st

from components.app_secrets import AppSecrets
from components.i18n import t
from components.state import (
    EVAL_FOLDER,
    EVAL_RELOAD,
    EVAL_SESSION_FOLDER,
    EVAL_SETS,
    EVAL_SOURCE_MODE,
    EVAL_STORE_MODE,
    EVAL_STORE_NAME,
    EVAL_STORE_NEW,
    EVAL_STORE_PATH,
    EVAL_UPLOAD_DIGEST,
    EVAL_ZIP,
)
from components.text import as_text
from evaluation import Dataset, EvaluationError, ZipLimits
from evaluation.paths import (
    PathRefused,
    folder_bytes,
    list_stores,
    load_confined,
    remove_stale,
    resolve_within,
    store_path,
)

__all__ = [
    "SESSIONS_DIR",
    "STALE_AFTER_S",
    "STORES_DIR",
    "SessionFolder",
    "dataset_source_ui",
    "session_folder",
    "store_choice_ui",
    "sweep_stale_folders",
]

SESSIONS_DIR = "sessions"
STORES_DIR = "stores"
STALE_AFTER_S = 24 * 3600.0
DEFAULT_STORE = "evaluation"
NEW_STORE = "\0new"  # the "create a new store" choice (never a valid store name)
LEGACY_PREFIX = "evaluate-"  # folders earlier versions left in the system's temp folder


class SessionFolder:
    """This browser session's folder for uploads and unpacked sets; removed with the
    session (when Streamlit drops the session's state, or the server process exits)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._finalizer = weakref.finalize(self, shutil.rmtree, str(path), ignore_errors=True)


@st.cache_resource(show_spinner=False)
def sweep_stale_folders(data_dir: str) -> int:
    """Once per server process: remove session folders older than a day (left by a crash),
    here and where earlier versions unpacked sets. Returns how many were removed."""
    removed = remove_stale(Path(data_dir) / SESSIONS_DIR, max_age_s=STALE_AFTER_S)
    return removed + remove_stale(
        Path(tempfile.gettempdir()), max_age_s=STALE_AFTER_S, prefix=LEGACY_PREFIX
    )


def session_folder(settings: AppSecrets) -> Path:
    """This session's folder in the app's data folder (made on first use)."""
    sweep_stale_folders(str(settings.data_dir))
    held = EVAL_SESSION_FOLDER.get()
    if held is None:
        path = settings.data_dir / SESSIONS_DIR / token.token_hex(8)
        held = SessionFolder(path)
        EVAL_SESSION_FOLDER.set(held)
    held.path.mkdir(parents=True, exist_ok=True)
    return held.path


def _quota_left(settings: AppSecrets) -> int:
    """Bytes this session may still unpack or upload."""
    quota = settings.session_disk_mb * 1024 * 1024
    return max(0, quota - folder_bytes(session_folder(settings)))


def _refusal_ui(error: EvaluationError, lang: str) -> None:
    """One line saying why a path or name is refused (text, never Markdown)."""
    st.error(as_text(error.text(lang)), icon=":material/block:")


# --- stores ---------------------------------------------------------------------------


def _named_store_ui(lang: str, folder: Path) -> Path | None:
    """Pick an existing store by name, or name a new one."""
    names = list_stores(folder)
    options = [*names, NEW_STORE]
    choice = st.selectbox(
        t("evaluate.store_pick", lang),
        options,
        format_func=lambda name: t("evaluate.store_new", lang) if name == NEW_STORE else name,
        key=EVAL_STORE_NAME.key,
    )
    name = choice
    if choice == NEW_STORE:
        if not EVAL_STORE_NEW.is_set():
            EVAL_STORE_NEW.set(DEFAULT_STORE if not names else "")
        name = st.text_input(
            t("evaluate.store_new_name", lang),
            key=EVAL_STORE_NEW.key,
            max_chars=64,
            help=t("evaluate.store_name_help", lang),
        )
        if not name.strip():
            return None
    try:
        return store_path(folder, name)
    except PathRefused as error:
        _refusal_ui(error, lang)
        return None


def store_choice_ui(lang: str, settings: AppSecrets) -> Path | None:
    """Where this page keeps results: a named store in the app's data folder, or (only with
    `allowed_roots`) a path inside those roots. None when nothing usable is chosen."""
    st.subheader(t("evaluate.store_heading", lang))
    folder = settings.data_dir / STORES_DIR
    if not settings.allowed_roots:
        return _named_store_ui(lang, folder)
    mode = st.radio(
        t("evaluate.store_mode", lang),
        ["named", "path"],
        horizontal=True,
        key=EVAL_STORE_MODE.key,
        format_func=lambda m: t(f"evaluate.store_{m}", lang),
    )
    if mode != "path":
        return _named_store_ui(lang, folder)
    text = st.text_input(
        t("evaluate.store_path_label", lang),
        key=EVAL_STORE_PATH.key,
        help=t("evaluate.store_path_help", lang),
    )
    if not text.strip():
        return None
    try:
        return resolve_within(text, settings.allowed_roots)
    except PathRefused as error:
        _refusal_ui(error, lang)
        return None


# --- data sets ------------------------------------------------------------------------


def _load(
    source: Path,
    roots: tuple[str | Path, ...],
    settings: AppSecrets,
    lang: str,
    shown: str,
    *,
    named: str | None = None,
) -> Dataset | None:
    """Read a set once per session, confined to `roots`; zips unpacked into the session
    folder within its quota. Errors shown with `shown` in place of the server path. With
    `named` the set is kept under that name (its `source`) instead of its path."""
    cache = EVAL_SETS.get()
    key = str(source)
    if key in cache:
        return cache[key]
    folder = session_folder(settings)
    dest = folder / "sets" / hashlib.sha256(key.encode()).hexdigest()[:16]
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True, exist_ok=True)
    limits = ZipLimits(max_total_bytes=_quota_left(settings))
    try:
        with st.spinner(t("evaluate.loading", lang)):
            dataset = load_confined(source, (*roots, dest), extract_to=dest, limits=limits)
    except EvaluationError as error:
        shutil.rmtree(dest, ignore_errors=True)
        reason = error.text(lang).replace(str(source.resolve()), shown).replace(str(folder), "…")
        st.error(
            t("evaluate.source_problem", lang, reason=as_text(reason)), icon=":material/error:"
        )
        return None
    if named is not None:
        dataset = replace(dataset, source=named)
    cache[key] = dataset  # the same object on every rerun: views and plans key on it
    return dataset


def _folder_ui(lang: str, settings: AppSecrets) -> Dataset | None:
    """A folder, manifest or zip on the server, inside the allowed roots."""
    text = st.text_input(
        t("evaluate.folder_label", lang),
        key=EVAL_FOLDER.key,
        placeholder=t("evaluate.folder_placeholder", lang),
    )
    if not text.strip():
        return None
    try:
        source = resolve_within(text, settings.allowed_roots)
    except PathRefused as error:
        _refusal_ui(error, lang)
        return None
    if st.button(t("evaluate.reload", lang), key=EVAL_RELOAD.key):
        EVAL_SETS.get().pop(str(source), None)
    return _load(source, settings.allowed_roots, settings, lang, text.strip())


def _upload_ui(lang: str, settings: AppSecrets) -> Dataset | None:
    """A zip uploaded into this session's folder (never kept in session state)."""
    upload = st.file_uploader(t("evaluate.upload_label", lang), type=["zip"], key=EVAL_ZIP.key)
    if upload is None:
        return None
    name = Path(upload.name).name if upload.name.lower().endswith(".zip") else "upload.zip"
    digest = _upload_digest(upload)
    archive = session_folder(settings) / "uploads" / digest[:16] / "set.zip"
    if not archive.exists():
        if upload.size > _quota_left(settings):
            st.error(
                t("evaluate.quota", lang, mb=settings.session_disk_mb), icon=":material/block:"
            )
            return None
        archive.parent.mkdir(parents=True, exist_ok=True)
        upload.seek(0)
        with archive.open("wb") as out:
            shutil.copyfileobj(upload, out, 1 << 20)
    # Named by the visitor's file name and its content, never the server's path: that is
    # what reports and exports show, and what a later session resumes the run under.
    return _load(archive, (), settings, lang, name, named=f"{name} · {digest[:12]}")


def _upload_digest(upload: Any) -> str:
    """The SHA-256 (hex) of an uploaded zip, read once per upload, not on every rerun."""
    known = EVAL_UPLOAD_DIGEST.get()
    if known is not None and known[0] == upload.file_id:
        return known[1]
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1 << 20), b""):
        digest.update(chunk)
    EVAL_UPLOAD_DIGEST.set((upload.file_id, digest.hexdigest()))
    return digest.hexdigest()


def dataset_source_ui(lang: str, settings: AppSecrets) -> Dataset | None:
    """Upload a zip, or (only with `allowed_roots`) name a folder / manifest / zip on the
    server inside those roots."""
    sweep_stale_folders(str(settings.data_dir))  # once per server process, at first draw
    st.subheader(t("evaluate.source_heading", lang))
    st.caption(t("evaluate.layout_help", lang))
    if not settings.allowed_roots:
        return _upload_ui(lang, settings)
    EVAL_SOURCE_MODE.start("upload")
    mode = st.segmented_control(
        t("evaluate.source_mode", lang),
        ["upload", "folder"],
        required=True,
        format_func=lambda m: t(f"evaluate.source_{m}", lang),
        key=EVAL_SOURCE_MODE.key,
    )
    if mode == "folder":
        return _folder_ui(lang, settings)
    return _upload_ui(lang, settings)
