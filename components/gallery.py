"""The sample gallery: the demo kit's media as thumbnails with captions, one click to check.

The catalogue (`samples/catalog.toml`) is read by `samples.catalog`; a broken or missing
catalogue shows an empty gallery with a note, never an error.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from components.check_run import thumbnail_jpeg
from components.i18n import t
from components.state import SAMPLE_BUTTON, SAMPLE_ID
from samples.catalog import CatalogError, Sample, load_catalog

__all__ = ["gallery_ui", "gallery_samples", "sample_bytes"]

COLUMNS = 3
THUMB_SIDE = 360


@st.cache_data(show_spinner=False)
def gallery_samples() -> tuple[Sample, ...]:
    """Every sample whose file exists, in catalogue order; empty without a usable catalogue."""
    try:
        return tuple(sample for sample in load_catalog() if sample.path.is_file())
    except CatalogError:
        return ()


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
    SAMPLE_ID.set(sample_id)


def gallery_ui(lang: str) -> Sample | None:
    """Draw the gallery and return the picked sample (kept across reruns), or None."""
    samples = gallery_samples()
    if not samples:
        st.info(t("gallery.empty", lang), icon=":material/photo_library:")
        return None
    picked_id = SAMPLE_ID.get()
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
                    key=SAMPLE_BUTTON.of(sample.id),
                    on_click=_pick,
                    args=(sample.id,),
                    help=sample.description(lang),
                    type="primary" if chosen else "secondary",
                    width="stretch",
                )
    return next((s for s in samples if s.id == picked_id), None)
