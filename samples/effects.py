"""Deterministic image operations that turn one public-domain portrait into demo media.

Every function takes and returns RGB `numpy.uint8` arrays (height, width, 3) and draws any
randomness from the `numpy.random.Generator` it is given, so a fixed seed gives fixed output.
"""

from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass
from pathlib import Path

import cv2
import cv2.data
import numpy as np
from PIL import Image, ImageDraw, ImageFont

__all__ = [
    "Box",
    "astronaut_path",
    "crop_resize",
    "detect_faces",
    "face_swap",
    "load_astronaut",
    "poor_quality",
    "printed_photo",
    "screen_recapture",
]

_CASCADE = "haarcascade_frontalface_default.xml"


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in pixels (float so crops can move smoothly)."""

    x: float
    y: float
    w: float
    h: float

    def lerp(self, other: Box, t: float) -> Box:
        """The box a fraction `t` of the way from this one to `other`."""
        return Box(*(a + (b - a) * t for a, b in zip(self.astuple(), other.astuple(), strict=True)))

    def astuple(self) -> tuple[float, float, float, float]:
        """The box as (x, y, w, h)."""
        return (self.x, self.y, self.w, self.h)


def astronaut_path() -> Path:
    """Path of NASA's public-domain astronaut portrait inside the installed scikit-image."""
    spec = importlib.util.find_spec("skimage")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("scikit-image is not installed: pip install scikit-image")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "astronaut.png"
    if not path.is_file():
        raise RuntimeError(f"scikit-image has no {path.name} at {path.parent}")
    return path


def load_astronaut(scale: int = 2) -> np.ndarray:
    """The astronaut portrait as RGB, upscaled `scale` times with Lanczos for crisp edits."""
    with Image.open(astronaut_path()) as image:
        rgb = image.convert("RGB")
        rgb = rgb.resize((rgb.width * scale, rgb.height * scale), Image.Resampling.LANCZOS)
    return np.asarray(rgb, dtype=np.uint8).copy()


@functools.cache
def _cascade() -> cv2.CascadeClassifier:
    """OpenCV's stock frontal-face Haar cascade, loaded once."""
    return cv2.CascadeClassifier(cv2.data.haarcascades + _CASCADE)


def detect_faces(rgb: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Frontal faces found by OpenCV's stock Haar cascade, as (x, y, w, h)."""
    cascade = _cascade()
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    found = cascade.detectMultiScale(gray, scaleFactor=1.1, minNeighbors=5, minSize=(40, 40))
    return [(int(x), int(y), int(w), int(h)) for x, y, w, h in found]


def crop_resize(
    rgb: np.ndarray, box: Box, size: tuple[int, int], *, mirror: bool = False, angle: float = 0.0
) -> np.ndarray:
    """Resample `box` of `rgb` (optionally rotated by `angle` degrees about its centre) to size."""
    width, height = size
    sx, sy = width / box.w, height / box.h
    cx, cy = box.x + box.w / 2, box.y + box.h / 2
    rotate = cv2.getRotationMatrix2D((cx, cy), angle, 1.0)
    to_out = np.array([[sx, 0, width / 2 - sx * cx], [0, sy, height / 2 - sy * cy]])
    matrix = to_out @ np.vstack([rotate, [0, 0, 1]])
    out = cv2.warpAffine(
        rgb, matrix, (width, height), flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REFLECT
    )
    return out[:, ::-1].copy() if mirror else out


def _ellipse_mask(
    shape: tuple[int, int], centre: tuple[float, float], axes: tuple[float, float]
) -> np.ndarray:
    """A float mask in [0, 1] that is 1 inside the given ellipse (anti-aliased edge)."""
    mask = np.zeros(shape, dtype=np.uint8)
    cv2.ellipse(
        mask,
        (round(centre[0] * 16), round(centre[1] * 16)),
        (round(axes[0] * 16), round(axes[1] * 16)),
        0, 0, 360, 255, -1, cv2.LINE_AA, shift=4,
    )  # fmt: skip
    return mask.astype(np.float32) / 255.0


def face_swap(rgb: np.ndarray, face: tuple[int, int, int, int]) -> np.ndarray:
    """Paste a warped, recoloured, over-smoothed copy of the face back with a visible seam."""
    x, y, w, h = face
    centre = (x + w / 2, y + h * 0.55)
    axes = (w * 0.42, h * 0.52)
    # The "donor" face: the same face rotated, enlarged and shifted so features misalign.
    warp = cv2.getRotationMatrix2D(centre, 7.0, 1.09)
    warp[:, 2] += np.array((w * 0.03, -h * 0.02))
    donor = cv2.warpAffine(rgb, warp, (rgb.shape[1], rgb.shape[0]), flags=cv2.INTER_CUBIC)
    # Plastic skin and a warmer, more saturated tone than the surrounding neck and hair.
    donor = cv2.bilateralFilter(donor, d=9, sigmaColor=40, sigmaSpace=7)
    hsv = cv2.cvtColor(donor, cv2.COLOR_RGB2HSV).astype(np.float32)
    hsv[..., 0] = (hsv[..., 0] + 172) % 180
    hsv[..., 1] = np.clip(hsv[..., 1] * 1.45 + 12, 0, 255)
    hsv[..., 2] = np.clip(hsv[..., 2] * 1.12 + 6, 0, 255)
    donor = cv2.cvtColor(hsv.astype(np.uint8), cv2.COLOR_HSV2RGB).astype(np.float32)
    mask = _ellipse_mask(rgb.shape[:2], centre, axes)[..., None]
    out = rgb.astype(np.float32) * (1 - mask) + donor * mask
    # A thin pale seam where the pasted face meets the original skin.
    seam = np.zeros(rgb.shape[:2], dtype=np.uint8)
    cv2.ellipse(seam, (round(centre[0]), round(centre[1])), (round(axes[0]), round(axes[1])),
                0, 0, 360, 255, 2, cv2.LINE_AA)  # fmt: skip
    seam_alpha = (seam.astype(np.float32) / 255.0 * 0.45)[..., None]
    out = out * (1 - seam_alpha) + 235.0 * seam_alpha
    return np.clip(out, 0, 255).astype(np.uint8)


def _grid(shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Pixel coordinate grids (x, y) for an image of `shape` (height, width)."""
    ys, xs = np.mgrid[0 : shape[0], 0 : shape[1]].astype(np.float32)
    return xs, ys


def screen_recapture(
    content: np.ndarray, rng: np.random.Generator, size: tuple[int, int]
) -> np.ndarray:
    """A photo of `content` shown on a phone: bezel, pixel grid, perspective, moiré and glare."""
    # The panel seen up close: every content pixel becomes a 3x3 cell of red, green and blue
    # stripes with a dark gap; resampling that grid at camera resolution aliases into moiré.
    cell = 3
    panel = np.repeat(np.repeat(content.astype(np.float32), cell, axis=0), cell, axis=1)
    xs, ys = _grid(panel.shape[:2])
    column, row = xs.astype(int) % cell, ys.astype(int) % cell
    for channel in range(3):
        panel[..., channel] *= np.where(column == channel, 1.0, 0.78)
    panel *= np.where(row == cell - 1, 0.68, 1.0)[..., None]
    panel = np.clip(panel * 1.2, 0, 255)
    # Bezel: a black frame with a front-camera dot.
    bezel = 26 * cell
    height, width = panel.shape[:2]
    device = np.full((height + 2 * bezel, width + 2 * bezel, 3), 12, dtype=np.uint8)
    device[bezel : bezel + height, bezel : bezel + width] = panel.astype(np.uint8)
    cv2.circle(device, (device.shape[1] // 2, bezel // 2), 5 * cell, (40, 44, 52), -1, cv2.LINE_AA)
    # Perspective: the phone is held slightly turned and tilted towards the camera.
    out_w, out_h = size
    dh, dw = device.shape[:2]
    src = np.array([[0, 0], [dw, 0], [dw, dh], [0, dh]], dtype=np.float32)
    dst = np.array(
        [[34, 30], [out_w - 22, 52], [out_w - 40, out_h - 24], [18, out_h - 50]], dtype=np.float32
    )
    matrix = cv2.getPerspectiveTransform(src, dst)
    desk = _desk_background((out_h, out_w), rng)
    warped = cv2.warpPerspective(device, matrix, (out_w, out_h), flags=cv2.INTER_LINEAR)
    inside = cv2.warpPerspective(np.full((dh, dw), 255, np.uint8), matrix, (out_w, out_h))
    mask = (inside.astype(np.float32) / 255.0)[..., None]
    out = desk * (1 - mask) + warped.astype(np.float32) * mask
    # Glare: a soft diagonal reflection of a window across the upper right of the glass.
    oxs, oys = _grid((out_h, out_w))
    band = np.exp(-(((oxs - 0.9 * out_w) + 0.55 * (oys - 0.05 * out_h)) ** 2) / (2 * 55.0**2))
    glare = (band * 0.55 * mask[..., 0])[..., None]
    out = out * (1 - glare) + 255.0 * glare
    out += rng.normal(0, 3.0, out.shape)
    return np.clip(out, 0, 255).astype(np.uint8)


def _desk_background(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """A dim, slightly textured desk surface behind the phone."""
    xs, ys = _grid(shape)
    base = 52 + 30 * (ys / shape[0]) + 10 * (xs / shape[1])
    grain = cv2.GaussianBlur(rng.normal(0, 14, shape).astype(np.float32), (0, 0), 3)
    tone = np.array([1.0, 0.88, 0.74], dtype=np.float32)
    return (base + grain)[..., None] * tone


def _halftone(rgb: np.ndarray, period: float) -> np.ndarray:
    """CMY halftone: each ink laid as dots on its own screen angle, like an offset print."""
    ink = 1.0 - rgb.astype(np.float32) / 255.0
    xs, ys = _grid(rgb.shape[:2])
    out = np.empty_like(ink)
    for channel, angle in enumerate((15.0, 75.0, 0.0)):
        theta = np.deg2rad(angle)
        u = xs * np.cos(theta) + ys * np.sin(theta)
        v = -xs * np.sin(theta) + ys * np.cos(theta)
        screen = (np.cos(2 * np.pi * u / period) * np.cos(2 * np.pi * v / period) + 1) / 2
        out[..., channel] = (ink[..., channel] > screen).astype(np.float32)
    out = cv2.GaussianBlur(out, (0, 0), 0.6)
    return (1.0 - out) * 255.0


def printed_photo(
    photo: np.ndarray,
    rng: np.random.Generator,
    size: tuple[int, int],
    *,
    angle: float = -5.0,
    fill: float = 0.97,
    shift: tuple[float, float] = (0.0, 0.0),
) -> np.ndarray:
    """`photo` printed on textured paper with halftone dots, a watermark, held slightly askew."""
    out_w, out_h = size
    ph, pw = photo.shape[:2]
    # Ink on paper: halftone blended with the faded continuous tone.
    faded = photo.astype(np.float32) * 0.82 + 30
    print_rgb = 0.55 * faded + 0.45 * _halftone(photo, 4.2)
    margin = 18
    sheet_h, sheet_w = ph + 2 * margin, pw + 2 * margin
    paper = np.array([244, 238, 224], dtype=np.float32)
    texture = cv2.GaussianBlur(rng.normal(0, 9, (sheet_h, sheet_w)).astype(np.float32), (0, 0), 1.2)
    sheet = paper[None, None, :] + texture[..., None]
    sheet[margin : margin + ph, margin : margin + pw] = print_rgb * (
        sheet[margin : margin + ph, margin : margin + pw] / 244.0
    )
    sheet = _add_fibres(sheet, rng)
    sheet = _watermark(np.clip(sheet, 0, 255).astype(np.uint8))
    # Held askew over a darker table.
    table = _desk_background((out_h, out_w), rng) * 1.4
    centre = (sheet_w / 2, sheet_h / 2)
    matrix = cv2.getRotationMatrix2D(centre, angle, min(out_w / sheet_w, out_h / sheet_h) * fill)
    matrix[:, 2] += (out_w / 2 - centre[0] + shift[0], out_h / 2 - centre[1] + shift[1])
    warped = cv2.warpAffine(sheet, matrix, (out_w, out_h), flags=cv2.INTER_AREA)
    inside = cv2.warpAffine(np.full((sheet_h, sheet_w), 255, np.uint8), matrix, (out_w, out_h))
    mask = (inside.astype(np.float32) / 255.0)[..., None]
    out = table * (1 - mask) + warped.astype(np.float32) * mask
    return np.clip(out, 0, 255).astype(np.uint8)


def _add_fibres(sheet: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Faint paper fibres: short random strokes a little darker than the paper."""
    height, width = sheet.shape[:2]
    fibres = np.zeros((height, width), dtype=np.uint8)
    for _ in range(260):
        x0, y0 = int(rng.integers(0, width)), int(rng.integers(0, height))
        length, angle = rng.uniform(6, 22), rng.uniform(0, np.pi)
        x1, y1 = int(x0 + length * np.cos(angle)), int(y0 + length * np.sin(angle))
        cv2.line(fibres, (x0, y0), (x1, y1), int(rng.integers(60, 140)), 1, cv2.LINE_AA)
    return sheet * (1 - 0.12 * fibres.astype(np.float32)[..., None] / 255.0)


def _watermark(sheet: np.ndarray) -> np.ndarray:
    """Semi-transparent diagonal 'SAMPLE · NOT VALID' text repeated across the sheet."""
    base = Image.fromarray(sheet).convert("RGBA")
    layer = Image.new("RGBA", (base.width * 2, base.height * 2), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    font = ImageFont.load_default(size=30)
    step_y = 92
    for row, y in enumerate(range(0, layer.height, step_y)):
        offset = (row % 2) * 150
        line = "  ·  ".join(["SAMPLE", "COPY"] * 8)
        draw.text((offset - 90, y), line, font=font, fill=(150, 30, 40, 80))
    layer = layer.rotate(32, resample=Image.Resampling.BICUBIC)
    left, top = (layer.width - base.width) // 2, (layer.height - base.height) // 2
    layer = layer.crop((left, top, left + base.width, top + base.height))
    return np.asarray(Image.alpha_composite(base, layer).convert("RGB"), dtype=np.float32)


def poor_quality(photo: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """An underexposed, shaken, noisy shot: what a dark room and a moving hand produce."""
    dark = np.power(photo.astype(np.float32) / 255.0, 1.9) * 0.42
    kernel = np.zeros((17, 17), dtype=np.float32)
    cv2.line(kernel, (1, 5), (15, 11), 1.0, 1, cv2.LINE_AA)
    kernel /= kernel.sum()
    shaken = cv2.filter2D(dark, -1, kernel, borderType=cv2.BORDER_REFLECT)
    blurred = cv2.GaussianBlur(shaken, (0, 0), 2.0)
    noisy = blurred * 255.0 + rng.normal(0, 7.0, blurred.shape)
    return np.clip(noisy, 0, 255).astype(np.uint8)
