"""What the page's webcam elements (snapshot and recorder) share: their browser-side
files, and taking each capture they hand over once.

Both are Streamlit components-v2 elements with inline HTML/CSS/JS (no build step). What
they share lives in `webcam_common/`: the camera module (`camera.js`: opening and
releasing the camera, error kinds, templates), the UI around it (`element.js`: buttons,
status line, error card, lifetime; `element.css`; the markup `element.html`). Here each
element's own files are joined to those: its script and sheet follow the shared ones, and
its markup fills the `<!-- slot: NAME -->` places of the shared markup.
"""

from __future__ import annotations

import re
from collections.abc import MutableSequence
from pathlib import Path
from typing import TypedDict

__all__ = [
    "CAMERA_ERROR_KINDS",
    "COMMON",
    "SEEN_IDS_KEPT",
    "ElementAssets",
    "element_assets",
    "error_string_keys",
    "first_time",
]

_HERE = Path(__file__).resolve().parent
COMMON = _HERE / "webcam_common"
# How many handed-over capture ids (photos, recordings) an element remembers.
SEEN_IDS_KEPT = 32
# The camera's error kinds (camera.js `cameraErrorKind`, `cameraAvailable`): both elements
# show a card for each, with a title and a body from their locale file.
CAMERA_ERROR_KINDS = ("denied", "notfound", "busy", "insecure", "failed")
_SLOT = re.compile(r"^[ \t]*<!-- slot: ([a-z-]+) -->[ \t]*\n", re.MULTILINE)


class ElementAssets(TypedDict):
    """The keyword arguments `st.components.v2.component` takes for an element's files."""

    html: str
    css: str
    js: str


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _slots(markup: str) -> dict[str, str]:
    """An element's markup cut at its `<!-- slot: NAME -->` lines: NAME -> what follows."""
    parts = _SLOT.split(markup)
    return {name: body.strip() for name, body in zip(parts[1::2], parts[2::2], strict=True)}


def element_assets(folder: str, stem: str, name: str) -> ElementAssets:
    """`html`, `css` and `js` for `st.components.v2.component` from the files `<stem>.*`
    in `components/<folder>/` and the shared ones in `webcam_common/`.

    `name` prefixes the shared markup's test ids (`<name>-root`, `<name>-status`, ...;
    the buttons get `<name>-<action>` in the browser). A slot the element does not fill
    stays empty; a slot name the shared markup lacks raises ValueError."""
    base = _HERE / folder
    slots = _slots(_read(base / f"{stem}.html"))
    template = _read(COMMON / "element.html")
    unknown = set(slots) - set(_SLOT.findall(template))
    if unknown:
        raise ValueError(f"{folder}/{stem}.html fills unknown slots: {sorted(unknown)}")
    html = _SLOT.sub(lambda match: f"{slots.get(match.group(1), '')}\n", template)
    return {
        "html": html.replace("{name}", name),
        "css": f"{_read(COMMON / 'element.css')}\n{_read(base / f'{stem}.css')}",
        "js": "\n".join(
            _read(path)
            for path in (COMMON / "camera.js", COMMON / "element.js", base / f"{stem}.js")
        ),
    }


def first_time(capture_id: str, seen_ids: MutableSequence[str]) -> bool:
    """Whether the capture `capture_id` (a photo or a recording an element handed over)
    is new; remembers it among the most recent SEEN_IDS_KEPT ids in `seen_ids`, so a
    trigger value seen twice is taken once."""
    if capture_id in seen_ids:
        return False
    seen_ids.append(capture_id)
    del seen_ids[:-SEEN_IDS_KEPT]
    return True


def error_string_keys(*own_kinds: str) -> tuple[str, ...]:
    """The `err_<kind>_title` and `err_<kind>_body` string keys of an element's error cards:
    the camera's kinds, then its own."""
    kinds = (*CAMERA_ERROR_KINDS, *own_kinds)
    return tuple(f"err_{kind}_{part}" for kind in kinds for part in ("title", "body"))
