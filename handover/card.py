"""The PNG card of a verdict: level in its colour, advice, traces explained, RequestId,
time, backend, the picture as sent, and a visible SANDBOX watermark for staged verdicts.

Drawn with Pillow in a CJK-capable font when one is installed (WenQuanYi Micro Hei,
Noto Sans CJK, ...); without one, Pillow's own font draws an English card.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from handover.facts import Handover, fact_lines, trace_lines
from handover.levels import level_style

__all__ = ["CJK_FONT_CANDIDATES", "CardFont", "card_font", "handover_png"]

CJK_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
WIDTH = 1200
MARGIN = 48
BAND = 150
PICTURE_BOX = (400, 480)
INK = (31, 35, 41)
GREY = (91, 100, 112)
SANDBOX_INK = (107, 82, 0)
SANDBOX_FILL = (255, 243, 196)
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
# Punctuation that never starts a line (it may hang past the margin instead).
_NO_LINE_START = set("，。、；：！？）》」』,.;:!?)")


@dataclass(frozen=True)
class CardFont:
    """The font file the card is drawn with (None: Pillow's own), and whether it has CJK."""

    path: str | None
    cjk: bool

    @cache  # noqa: B019 - a handful of sizes per font, kept for the process
    def size(self, px: int) -> Font:
        """This font at `px` pixels."""
        if self.path is None:
            return ImageFont.load_default(px)
        return ImageFont.truetype(self.path, px)


def card_font(candidates: tuple[str, ...] = CJK_FONT_CANDIDATES) -> CardFont:
    """The first candidate font that loads and draws Chinese, else Pillow's own font."""
    for path in candidates:
        if not Path(path).is_file():
            continue
        try:
            font = ImageFont.truetype(path, 20)
            if font.getbbox("中")[2] > 0:
                return CardFont(path, True)
        except OSError:
            continue
    return CardFont(None, False)


def _hex(colour: str) -> tuple[int, int, int]:
    """`#RRGGBB` as an (r, g, b) tuple."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _wrap(text: str, font: Font, width: int) -> list[str]:
    """Lines of `text` no wider than `width`: breaks at spaces, or between CJK characters."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for char in paragraph:
            if not line or char in _NO_LINE_START or font.getlength(line + char) <= width:
                line += char
                continue
            cut = line.rfind(" ")
            if cut > 0 and char != " " and line[-1] != " " and char.isascii():
                lines.append(line[:cut])
                line = line[cut + 1 :] + char
            else:
                lines.append(line.rstrip())
                line = char.lstrip()
        lines.append(line)
    return lines


class _Column:
    """Draws wrapped text downwards from a start point, tracking where it ends."""

    def __init__(self, draw: ImageDraw.ImageDraw, x: int, y: int, width: int) -> None:
        self.draw, self.x, self.y, self.width = draw, x, y, width

    def text(self, text: str, font: Font, fill: tuple[int, int, int], gap: int = 6) -> None:
        line_height = int(font.size * 1.35) if hasattr(font, "size") else 16
        for line in _wrap(text, font, self.width):
            self.draw.text((self.x, self.y), line, font=font, fill=fill)
            self.y += line_height
        self.y += gap

    def space(self, px: int) -> None:
        self.y += px


def _symbol(draw: ImageDraw.ImageDraw, level: str, centre: tuple[int, int], ink: str) -> None:
    """The level's sign drawn as shapes (no emoji font needed): tick, bang, cross, dot."""
    x, y = centre
    r = 34
    draw.ellipse((x - r, y - r, x + r, y + r), fill=ink)
    white = (255, 255, 255)
    if level == "Low":
        draw.line([(x - 16, y + 2), (x - 4, y + 14), (x + 18, y - 12)], fill=white, width=8)
    elif level == "Mid":
        draw.rectangle((x - 4, y - 20, x + 4, y + 6), fill=white)
        draw.rectangle((x - 4, y + 12, x + 4, y + 20), fill=white)
    elif level == "High":
        draw.line([(x - 14, y - 14), (x + 14, y + 14)], fill=white, width=8)
        draw.line([(x - 14, y + 14), (x + 14, y - 14)], fill=white, width=8)
    else:
        draw.ellipse((x - 6, y - 6, x + 6, y + 6), fill=white)


def _picture(handover: Handover) -> Image.Image | None:
    """The picture fitted into its box, or None when left out or undecodable."""
    if handover.picture is None:
        return None
    try:
        with Image.open(io.BytesIO(handover.picture)) as opened:
            picture = opened.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    picture.thumbnail(PICTURE_BOX)
    return picture


def _body(handover: Handover, font: CardFont, canvas: Image.Image, top: int) -> int:
    """Draw the picture, advice, traces and facts below the band; returns the bottom y."""
    draw = ImageDraw.Draw(canvas)
    text = handover.text
    picture = _picture(handover)
    left = MARGIN
    if picture is not None:
        canvas.paste(picture, (MARGIN, top))
        draw.rectangle(
            (MARGIN - 1, top - 1, MARGIN + picture.width, top + picture.height),
            outline=(221, 225, 230),
        )
        left = MARGIN + PICTURE_BOX[0] + 40
    column = _Column(draw, left, top, WIDTH - MARGIN - left)
    if picture is None:
        column.text(text("handover.no_picture"), font.size(20), GREY, gap=14)
    column.text(text("handover.advice"), font.size(20), GREY, gap=2)
    column.text(handover.advice, font.size(28), INK)
    column.text(handover.level_meaning, font.size(20), GREY, gap=16)
    column.text(text("handover.traces"), font.size(20), GREY, gap=2)
    lines = trace_lines(handover)
    if not lines:
        column.text(text("handover.no_traces"), font.size(22), INK)
    for line in lines:
        column.text(line.type, font.size(22), _hex(level_style(handover.level).ink), gap=0)
        column.text(line.meaning, font.size(20), INK)
    column.space(12)
    for label, value in fact_lines(handover):
        column.text(f"{label}{text('app.label_sep')}{value}", font.size(20), INK, gap=2)
    return max(column.y, top + (picture.height if picture else 0))


def _band(handover: Handover, font: CardFont, canvas: Image.Image) -> None:
    """The header band in the level's colours: sign, level in words, title."""
    style = level_style(handover.level)
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, 0, WIDTH, BAND), fill=_hex(style.background))
    draw.rectangle((0, BAND - 6, WIDTH, BAND), fill=_hex(style.ink))
    _symbol(draw, handover.level, (MARGIN + 34, BAND // 2 + 8), style.ink)
    x = MARGIN + 34 * 2 + 24
    title = f"{handover.text('handover.title')} · {handover.text('handover.subtitle')}"
    draw.text((x, 22), title, font=font.size(20), fill=GREY)
    level = f"{handover.level_title}  ({handover.level_raw or '—'})"
    draw.text((x, 52), level, font=font.size(56), fill=_hex(style.ink))


def _watermark(canvas: Image.Image, font: CardFont, word: str) -> Image.Image:
    """`canvas` with `word` written large and diagonally across it, half transparent."""
    probe = font.size(100)
    px = int(100 * canvas.width * 0.75 / max(probe.getlength(word), 1))
    px = max(40, min(px, 220))
    big = font.size(px)
    stamp = Image.new("RGBA", (int(big.getlength(word)) + 40, int(px * 1.4)), (0, 0, 0, 0))
    ImageDraw.Draw(stamp).text((20, 0), word, font=big, fill=(200, 150, 0, 90))
    stamp = stamp.rotate(20, expand=True, resample=Image.Resampling.BICUBIC)
    layer = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    layer.alpha_composite(
        stamp,
        (max(0, (canvas.width - stamp.width) // 2), max(0, (canvas.height - stamp.height) // 2)),
    )
    return Image.alpha_composite(canvas.convert("RGBA"), layer).convert("RGB")


def handover_png(
    handover: Handover, *, font_candidates: tuple[str, ...] = CJK_FONT_CANDIDATES
) -> bytes:
    """The card as PNG bytes, in the hand-over's language (English when no font can draw
    Chinese), with a SANDBOX watermark and strip for staged verdicts."""
    font = card_font(font_candidates)
    if handover.lang == "zh" and not font.cjk:
        handover = replace(handover, lang="en")
    canvas = Image.new("RGB", (WIDTH, 2400), (255, 255, 255))
    _band(handover, font, canvas)
    bottom = _body(handover, font, canvas, BAND + 32) + 24
    draw = ImageDraw.Draw(canvas)
    if handover.sandbox:
        note = _wrap(handover.text("handover.sandbox_note"), font.size(20), WIDTH - 2 * MARGIN - 24)
        height = 28 * len(note) + 24
        draw.rectangle((MARGIN, bottom, WIDTH - MARGIN, bottom + height), fill=SANDBOX_FILL)
        for index, line in enumerate(note):
            draw.text(
                (MARGIN + 12, bottom + 12 + 28 * index), line, font=font.size(20), fill=SANDBOX_INK
            )
        bottom += height + 16
    for line in _wrap(handover.text("handover.footer"), font.size(16), WIDTH - 2 * MARGIN):
        draw.text((MARGIN, bottom), line, font=font.size(16), fill=GREY)
        bottom += 22
    canvas = canvas.crop((0, 0, WIDTH, max(bottom + MARGIN // 2, 630)))
    if handover.sandbox:
        canvas = _watermark(canvas, font, handover.text("handover.watermark"))
    out = io.BytesIO()
    canvas.save(out, format="PNG")
    return out.getvalue()
