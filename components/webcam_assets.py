"""The browser-side files of the page's webcam elements (snapshot and clip recorder).

Both are Streamlit components-v2 elements with inline HTML/CSS/JS (no build step). They
share one camera module, `webcam_common/camera.js` (opening and releasing the camera,
error kinds, templates), which is put in front of each element's own script here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypedDict

__all__ = ["CAMERA_JS", "ElementAssets", "element_assets"]

_HERE = Path(__file__).resolve().parent
CAMERA_JS = _HERE / "webcam_common" / "camera.js"


class ElementAssets(TypedDict):
    """The keyword arguments `st.components.v2.component` takes for an element's files."""

    html: str
    css: str
    js: str


def element_assets(folder: str, stem: str) -> ElementAssets:
    """`html`, `css` and `js` for `st.components.v2.component`: the files `<stem>.*` in
    `components/<folder>/`, the script preceded by the shared camera module."""
    base = _HERE / folder
    shared = CAMERA_JS.read_text(encoding="utf-8")
    own = (base / f"{stem}.js").read_text(encoding="utf-8")
    return {
        "html": (base / f"{stem}.html").read_text(encoding="utf-8"),
        "css": (base / f"{stem}.css").read_text(encoding="utf-8"),
        "js": f"{shared}\n{own}",
    }
