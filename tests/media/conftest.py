"""The generated test corpus: pictures and clips built in code, nothing downloaded."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import av
import numpy as np
import pytest
import skimage
from PIL import Image

DATA = Path(skimage.__file__).parent / "data"


# The public-domain NASA astronaut photo shipped with scikit-image, as PNG bytes.
def astronaut_png() -> bytes:
    return (DATA / "astronaut.png").read_bytes()


# The astronaut photo as an RGB picture, optionally resized to `side` x `side`.
def astronaut(side: int | None = None) -> Image.Image:
    picture = Image.open(DATA / "astronaut.png").convert("RGB")
    return picture.resize((side, side), Image.Resampling.LANCZOS) if side else picture


# Encode a picture in `fmt` with Pillow's options.
def encode(picture: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    picture.save(out, format=fmt, **options)
    return out.getvalue()


# A PNG whose header declares `width` x `height` (the pixel data is a few bytes only).
def png_declaring(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


# A picture with a recognisable layout: red top band, blue bottom-left block, grey elsewhere.
def marker_picture(width: int, height: int) -> np.ndarray:
    pixels = np.full((height, width, 3), 128, np.uint8)
    pixels[: height // 5] = (220, 30, 30)
    pixels[height * 3 // 5 :, : width // 3] = (30, 30, 220)
    return pixels


# Write a video with PyAV; `frame_at(i)` gives each RGB frame (coded orientation).
def make_video(
    path: Path,
    *,
    width: int,
    height: int,
    fps: int,
    seconds: float,
    frame_at: Callable[[int], np.ndarray] | None = None,
    codec: str = "libx264",
    container_format: str | None = None,
    container_options: dict[str, str] | None = None,
    rotation: int = 0,
    audio: bool = False,
) -> bytes:
    count = round(fps * seconds)
    still = np.full((height, width, 3), 90, np.uint8)
    with av.open(str(path), "w", format=container_format, options=container_options or {}) as out:
        stream = out.add_stream(codec, rate=fps)
        stream.width, stream.height = width, height
        stream.pix_fmt = "yuv420p"
        if codec == "libx264":
            stream.options = {"preset": "ultrafast"}
        elif codec == "libvpx":
            stream.options = {"deadline": "realtime", "cpu-used": "8"}
        if rotation:
            stream.set_display_rotation(rotation)
        sound = out.add_stream("aac", rate=44100) if audio else None
        for index in range(count):
            pixels = frame_at(index) if frame_at else _moving_bar(still, index)
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            frame.pts = index
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
        if sound is not None:
            _write_tone(out, sound, seconds)
    return path.read_bytes()


# A grey frame with a bar that moves each frame (so frames differ).
def _moving_bar(still: np.ndarray, index: int) -> np.ndarray:
    pixels = still.copy()
    height, width = pixels.shape[:2]
    left = (index * 16) % max(1, width - 32)
    pixels[height // 2 : height // 2 + 32, left : left + 32] = 240
    return pixels


# Write `seconds` of a 440 Hz tone into an AAC stream.
def _write_tone(
    out: av.container.OutputContainer, sound: av.audio.AudioStream, seconds: float
) -> None:
    rate, step = 44100, 1024
    total = int(rate * seconds)
    for start in range(0, total, step):
        times = np.arange(start, start + step) / rate
        samples = (0.2 * np.sin(2 * np.pi * 440 * times)).astype(np.float32).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
        frame.sample_rate = rate
        frame.pts = start
        out.mux(sound.encode(frame))
    out.mux(sound.encode(None))


# Frames of the astronaut drifting a little (a "face video").
def astronaut_frames(side: int, width: int, height: int) -> Callable[[int], np.ndarray]:
    face = np.asarray(astronaut(side))
    canvas = np.full((height, width, 3), 200, np.uint8)

    def frame_at(index: int) -> np.ndarray:
        pixels = canvas.copy()
        left = (width - side) // 2 + (index % 8) - 4
        top = (height - side) // 2
        pixels[top : top + side, left : left + side] = face
        return pixels

    return frame_at


# A head-and-shoulders crop of the astronaut: her face fills about half the width.
def selfie(width: int, height: int) -> Image.Image:
    return astronaut().crop((120, 10, 330, 290)).resize((width, height), Image.Resampling.LANCZOS)


# Frames of the selfie drifting a little sideways (a "face video").
def selfie_frames(width: int, height: int) -> Callable[[int], np.ndarray]:
    face = np.asarray(selfie(width, height))

    def frame_at(index: int) -> np.ndarray:
        return np.ascontiguousarray(np.roll(face, (index % 6) * 2, axis=1))

    return frame_at


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., bytes]:
    """Build (once per session) and return named test clips as bytes."""
    folder = tmp_path_factory.mktemp("clips")
    cache: dict[str, bytes] = {}

    def get(name: str) -> bytes:
        if name not in cache:
            cache[name] = _build_clip(name, folder)
        return cache[name]

    return get


# The recipe for each named clip.
def _build_clip(name: str, folder: Path) -> bytes:
    path = folder / f"{name}.bin"
    if name == "1080p_60s":
        return make_video(path, width=1920, height=1080, fps=2, seconds=60, container_format="mp4")
    if name == "4k":
        return make_video(
            path, width=3840, height=2160, fps=10, seconds=1.5, container_format="mp4"
        )
    if name == "portrait_phone":
        # An upright 360x640 picture stored as a phone's landscape sensor sees it (turned a
        # quarter counter-clockwise), with the display matrix saying "turn 90 degrees
        # clockwise to show" (FFmpeg reads -90, the old `rotate=90` tag).
        upright = marker_picture(360, 640)
        coded = np.ascontiguousarray(np.rot90(upright, 1))
        return make_video(
            path,
            width=640,
            height=360,
            fps=30,
            seconds=2.5,
            rotation=-90,
            frame_at=lambda _i: coded,
            container_format="mov",
        )
    if name == "selfie":
        return make_video(
            path,
            width=720,
            height=960,
            fps=30,
            seconds=3,
            container_format="mp4",
            frame_at=selfie_frames(720, 960),
            audio=True,
        )
    if name == "audio_only":
        with av.open(str(path), "w", format="mp4") as out:
            _write_tone(out, out.add_stream("aac", rate=44100), 1.0)
        return path.read_bytes()
    if name in ("no_frames_avi", "no_frames_mp4", "no_frames_mkv"):
        container_format = {"avi": "avi", "mp4": "mp4", "mkv": "matroska"}[name[-3:]]
        with av.open(str(path), "w", format=container_format) as out:
            stream = out.add_stream("libx264", rate=30)
            stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
            out.start_encoding()
        return path.read_bytes()
    formats = {
        "mp4": ("libx264", "mp4", None),
        "mov": ("libx264", "mov", None),
        "m4v": ("libx264", "mp4", {"brand": "M4V "}),
        "avi": ("mpeg4", "avi", None),
        "flv": ("flv", "flv", None),
        "webm": ("libvpx", "webm", None),
        "mkv": ("libx264", "matroska", None),
        "short": ("libx264", "mp4", None),
        "mp4_60fps": ("libx264", "mp4", None),
    }
    codec, container_format, options = formats[name]
    fps = 60 if name == "mp4_60fps" else 25
    seconds = 1.0 if name == "short" else 6.0 if name == "mp4_60fps" else 2.4
    width, height = (320, 240) if name == "webm" else (480, 360)
    return make_video(
        path,
        width=width,
        height=height,
        fps=fps,
        seconds=seconds,
        codec=codec,
        container_format=container_format,
        container_options=options,
    )


@pytest.fixture(scope="session")
def build() -> SimpleNamespace:
    """The corpus builders, for tests that make their own variants."""
    return SimpleNamespace(
        astronaut=astronaut,
        astronaut_png=astronaut_png,
        astronaut_frames=astronaut_frames,
        selfie=selfie,
        selfie_frames=selfie_frames,
        encode=encode,
        png_declaring=png_declaring,
        marker_picture=marker_picture,
        make_video=make_video,
        data=DATA,
    )
