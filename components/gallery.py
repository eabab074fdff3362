"""The sample gallery: the demo kit's media as thumbnails with captions, one click to check.

Reads `samples/catalog.toml` (an array of tables, one per sample, with `id`, `file`,
`kind`, `caption_en`, `caption_zh`, `description_en`, `description_zh`, `expected`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from components.checking import thumbnail_jpeg
from components.i18n import t

__all__ = ["CATALOG_PATH", "Sample", "gallery_ui", "load_catalog", "sample_bytes"]

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"
CATALOG_PATH = SAMPLES_DIR / "catalog.toml"
COLUMNS = 3
THUMB_SIDE = 360


@dataclass(frozen=True)
class Sample:
    """One demo-kit item."""

    id: str
    file: str
    kind: str
    caption_en: str
    caption_zh: str
    description_en: str
    description_zh: str
    expected: str

    # The caption in the page language.
    def caption(self, lang: str) -> str:
        return self.caption_zh if lang == "zh" else self.caption_en

    # The description in the page language.
    def description(self, lang: str) -> str:
        return self.description_zh if lang == "zh" else self.description_en

    @property
    def path(self) -> Path:
        """Where the sample's file is."""
        return SAMPLES_DIR / self.file


def _entries(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The sample tables: the first array of tables in the catalog."""
    for value in document.values():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            return value
    return []


@st.cache_data(show_spinner=False)
def load_catalog(path: str = str(CATALOG_PATH)) -> tuple[Sample, ...]:
    """Every sample whose file exists, in catalog order; empty without a catalog."""
    try:
        with open(path, "rb") as fh:
            document = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return ()
    samples = []
    for entry in _entries(document):
        try:
            sample = Sample(
                **{name: str(entry.get(name, "")) for name in Sample.__dataclass_fields__}
            )
        except TypeError:
            continue
        if sample.id and sample.path.is_file():
            samples.append(sample)
    return tuple(samples)


@st.cache_data(show_spinner=False, max_entries=64)
def sample_bytes(path: str) -> bytes:
    """The sample file's content (cached)."""
    return Path(path).read_bytes()


@st.cache_data(show_spinner=False, max_entries=64)
def _sample_thumbnail(path: str) -> bytes | None:
    """A JPEG thumbnail of the sample (first frame for videos)."""
    return thumbnail_jpeg(sample_bytes(path), THUMB_SIDE)


def _pick(sample_id: str) -> None:
    """Button callback: this sample becomes the gallery's input."""
    st.session_state["sample_id"] = sample_id


def gallery_ui(lang: str) -> Sample | None:
    """Draw the gallery and return the picked sample (kept across reruns), or None."""
    samples = load_catalog()
    if not samples:
        st.info(t("gallery.empty", lang), icon=":material/photo_library:")
        return None
    picked_id = st.session_state.get("sample_id")
    st.caption(t("gallery.hint", lang))
    for row_start in range(0, len(samples), COLUMNS):
        columns = st.columns(COLUMNS, gap="small")
        for column, sample in zip(columns, samples[row_start : row_start + COLUMNS], strict=False):
            with column.container(border=True, gap="small"):
                thumb = _sample_thumbnail(str(sample.path))
                if thumb:
                    st.image(thumb, width="stretch")
                chosen = sample.id == picked_id
                st.button(
                    f"{'🎬' if sample.kind == 'video' else '🖼️'} {sample.caption(lang)}",
                    key=f"sample_{sample.id}",
                    on_click=_pick,
                    args=(sample.id,),
                    help=sample.description(lang),
                    type="primary" if chosen else "secondary",
                    width="stretch",
                )
    return next((s for s in samples if s.id == picked_id), None)
