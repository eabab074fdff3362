"""Hand-over downloads under a verdict: the one-page HTML report and the PNG card
(built by the `handover` library only when the user clicks)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from components.check_run import PICTURE_SIDE, thumbnail_jpeg
from components.i18n import t
from components.state import HANDOVER_HTML, HANDOVER_PICTURE, HANDOVER_PNG
from handover import Handover, file_stem, handover_html, handover_png

if TYPE_CHECKING:
    from components.check_run import CheckOutcome

__all__ = ["handover_facts", "handover_ui", "input_name", "report_picture"]


def input_name(outcome: CheckOutcome, lang: str) -> str | None:
    """The file name, or for a sample its caption in the page language."""
    if outcome.source == "sample" and outcome.filename:
        from components.gallery import gallery_samples

        for sample in gallery_samples():
            if sample.path.name == outcome.filename:
                return sample.caption(lang)
    return outcome.filename


def report_picture(outcome: CheckOutcome) -> bytes | None:
    """A JPEG of what was sent (a video's first frame), at most PICTURE_SIDE px."""
    if outcome.picture is not None:
        return outcome.picture
    if outcome.prepared is not None and outcome.prepared.data:
        return thumbnail_jpeg(outcome.prepared.data, PICTURE_SIDE)
    return None


def handover_facts(outcome: CheckOutcome, lang: str, *, with_picture: bool) -> Handover | None:
    """What the hand-over files say about this check; None without a verdict."""
    if outcome.detection is None:
        return None
    return Handover.from_detection(
        outcome.detection,
        checked_at=outcome.checked_at,
        backend=outcome.backend,
        lang=lang,
        name=input_name(outcome, lang),
        picture=report_picture(outcome) if with_picture else None,
    )


def handover_ui(outcome: CheckOutcome, lang: str, *, key: str) -> None:
    """The picture checkbox and the two downloads; the files are made when clicked."""
    if outcome.detection is None:
        return
    st.markdown(f"**{t('handover.heading', lang)}**")
    with_picture = st.checkbox(
        t("handover.with_picture", lang),
        value=True,
        key=HANDOVER_PICTURE.of(key),
        help=t("handover.with_picture_help", lang),
    )
    facts = handover_facts(outcome, lang, with_picture=with_picture)
    if facts is None:
        return
    stem = file_stem(facts)
    html_column, png_column = st.columns(2, gap="small")
    html_column.download_button(
        t("handover.download_html", lang),
        data=lambda: handover_html(facts).encode("utf-8"),
        file_name=f"{stem}.html",
        mime="text/html",
        key=HANDOVER_HTML.of(key),
        icon=":material/description:",
        on_click="ignore",
        width="stretch",
    )
    png_column.download_button(
        t("handover.download_png", lang),
        data=lambda: handover_png(facts),
        file_name=f"{stem}.png",
        mime="image/png",
        key=HANDOVER_PNG.of(key),
        icon=":material/image:",
        on_click="ignore",
        width="stretch",
    )
