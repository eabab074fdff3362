"""The preview's facts table names the format on both sides the same way."""

from __future__ import annotations

import io

from PIL import Image

from components.i18n import load_strings
from components.preview import facts_rows
from media import PrepareOptions, prepare


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (90, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def test_the_format_row_names_both_sides_as_formats(face_jpeg: bytes) -> None:
    label = load_strings("en")["preview.format"]
    options = PrepareOptions(check_faces=False)
    for data, expected in ((face_jpeg, ("JPEG", "JPEG")), (_png(), ("PNG", "JPEG"))):
        rows = {
            what: (orig, sent)
            for what, orig, sent in facts_rows(prepare(data, None, options), "en")
        }
        assert rows[label] == expected
