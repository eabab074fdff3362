"""A hostile corpus, built at run time (nothing big is committed): small files that declare
huge sizes, high-depth pictures, same-timestamp frames, many EXIF segments, damaged
containers, plus a plain 480x640 JPEG as the baseline. Each entry says what the media
library must answer: a prepared file, or the refusal code.

    python tests/hostile_corpus.py DIR     writes every file into DIR and lists them

Used by tests/media/test_hostile.py, tests/sandbox/test_hostile_requests.py and
bench/hostile.py; measure each file in a fresh process (`measure_child`).
"""

from __future__ import annotations

import io
import json
import os
import signal
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

__all__ = [
    "CORPUS",
    "Hostile",
    "Measured",
    "build",
    "measure_child",
    "sandbox_call_argv",
    "write_corpus",
]


@dataclass(frozen=True)
class Hostile:
    """One hostile input: its file name, how it is built, and the accepted outcomes
    ("ok" for a prepared file, else MediaError codes)."""

    name: str
    make: Callable[[], bytes]
    outcomes: frozenset[str]
    what: str


@dataclass(frozen=True)
class Measured:
    """A child process's exit status, peak RSS (MB), wall time and CPU time (s)."""

    returncode: int
    peak_mb: float
    seconds: float
    stdout: str
    stderr: str
    cpu_s: float = 0.0


# --- PNG written row by row (a huge picture in a few hundred KB, built in little memory)


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def streamed_png(width: int, height: int, bit_depth: int, colour_type: int) -> bytes:
    """A valid PNG of a smooth gradient, compressed as it is written (rows repeat in
    blocks of 64, so it compresses to almost nothing)."""
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour_type]
    row_bytes = width * channels * bit_depth // 8
    compressor = zlib.compressobj(1)
    parts = []
    for block in range(0, height, 64):
        level = (block * 251 // max(height, 1)) % 256
        row = b"\x00" + bytes([level, 255 - level]) * (row_bytes // 2) + b"\x00" * (row_bytes % 2)
        parts.append(compressor.compress(row * min(64, height - block)))
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            _png_chunk(b"IHDR", header),
            _png_chunk(b"IDAT", b"".join(parts)),
            _png_chunk(b"IEND", b""),
        ]
    )


def declared_png(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares `width` x `height` (the data is a stub)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


# --- a 32-bit float TIFF written strip by strip (deflate)


def float_tiff(width: int, height: int, rows_per_strip: int = 64) -> bytes:
    """A grey 32-bit floating-point TIFF (deflate strips of a gradient)."""
    strips = []
    for top in range(0, height, rows_per_strip):
        rows = min(rows_per_strip, height - top)
        value = struct.pack("<f", top / height * 1000.0 - 500.0)
        strips.append(zlib.compress(value * width * rows, 1))
    entries: list[tuple[int, int, int, bytes]] = []
    offset = 8
    data = b"".join(strips)
    offsets, position = [], offset
    for strip in strips:
        offsets.append(position)
        position += len(strip)
    tail = offset + len(data)
    extra = b""

    def array(kind: int, values: Sequence[int]) -> tuple[int, int, bytes]:
        nonlocal extra
        fmt = "<I" if kind == 4 else "<H"
        packed = b"".join(struct.pack(fmt, v) for v in values)
        if len(packed) <= 4:
            return kind, len(values), packed.ljust(4, b"\x00")
        place = tail + len(extra)
        extra += packed + (b"\x00" if len(packed) % 2 else b"")
        return kind, len(values), struct.pack("<I", place)

    def short(tag: int, value: int) -> None:
        entries.append((tag, 3, 1, struct.pack("<H", value) + b"\x00\x00"))

    def long(tag: int, value: int) -> None:
        entries.append((tag, 4, 1, struct.pack("<I", value)))

    long(256, width)
    long(257, height)
    short(258, 32)
    short(259, 8)
    short(262, 1)
    entries.append((273, *array(4, offsets)))
    short(277, 1)
    long(278, rows_per_strip)
    entries.append((279, *array(4, [len(s) for s in strips])))
    short(284, 1)
    short(339, 3)
    ifd_at = tail + len(extra)
    ifd = struct.pack("<H", len(entries))
    for tag, kind, count, value in sorted(entries):
        ifd += struct.pack("<HHI", tag, kind, count) + value
    ifd += b"\x00\x00\x00\x00"
    return b"II*\x00" + struct.pack("<I", ifd_at) + data + extra + ifd


# --- JPEGs


def plain_jpeg(width: int = 480, height: int = 640) -> bytes:
    """An ordinary 480x640 photo-like JPEG (gradient and noise)."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(7)
    y, x = np.mgrid[0:height, 0:width]
    picture = np.stack([x * 255 // width, y * 255 // height, (x + y) % 256], axis=-1)
    picture = (picture + rng.integers(0, 24, picture.shape)).clip(0, 255).astype("uint8")
    out = io.BytesIO()
    Image.fromarray(picture).save(out, format="JPEG", quality=90)
    return out.getvalue()


def jpeg_with_exif_segments(count: int = 1600, segment_bytes: int = 65533) -> bytes:
    """A small JPEG carrying `count` maximal APP1 "Exif" segments (about 100 MB)."""
    base = plain_jpeg(64, 64)
    body = b"Exif\x00\x00" + b"MM\x00*\x00\x00\x00\x08" + b"\x00" * (segment_bytes - 2 - 14)
    segment = b"\xff\xe1" + struct.pack(">H", segment_bytes) + body
    return base[:2] + segment * count + base[2:]


# --- videos


def huge_frame_video(side: int = 16000, bit_depth: int = 16) -> bytes:
    """A MOV holding one PNG-coded frame that declares `side` x `side` (16-bit grey)."""
    import av

    frame = streamed_png(side, side, bit_depth, 0)
    out_buffer = io.BytesIO()
    with av.open(out_buffer, "w", format="mov") as out:
        stream = out.add_stream("png", rate=25)
        stream.width = stream.height = side
        stream.pix_fmt = "gray16be" if bit_depth == 16 else "gray"
        packet = av.Packet(frame)
        packet.stream = stream
        packet.pts = packet.dts = 0
        packet.time_base = Fraction(1, 25)
        packet.is_keyframe = True
        out.mux(packet)
    return out_buffer.getvalue()


def same_timestamp_video(frames: int = 300_000) -> bytes:
    """An MKV (about 9 MB) of one H.264 key frame and `frames` copies of one "nothing
    changed" frame, all carrying the same timestamp: decoding all of it takes a minute."""
    import av
    import numpy as np

    out_buffer = io.BytesIO()
    with av.open(out_buffer, "w", format="matroska") as out:
        stream = out.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
        stream.options = {"preset": "ultrafast", "tune": "zerolatency"}
        encoded = []
        for index in range(2):
            frame = av.VideoFrame.from_ndarray(np.full((240, 320, 3), 128, np.uint8), "rgb24")
            frame.pts = index
            encoded += stream.encode(frame)
        encoded += stream.encode(None)
        key, unchanged = bytes(encoded[0]), bytes(encoded[1])
        for index in range(frames + 1):
            packet = av.Packet(key if index == 0 else unchanged)
            packet.stream = stream
            packet.pts = packet.dts = 0
            packet.time_base = Fraction(1, 25)
            packet.is_keyframe = index == 0
            out.mux(packet)
    return out_buffer.getvalue()


def small_mp4(seconds: float = 2.0) -> bytes:
    """A plain 320x240 H.264 MP4 (index at the end, as most cameras write it)."""
    import av
    import numpy as np

    out_buffer = io.BytesIO()
    with av.open(out_buffer, "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
        for index in range(int(seconds * 25)):
            pixels = np.full((240, 320, 3), index * 4 % 256, dtype=np.uint8)
            out.mux(stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")))
        out.mux(stream.encode(None))
    return out_buffer.getvalue()


def broken_moov_mp4() -> bytes:
    """An MP4 whose `moov` box (the index) is damaged: its inner boxes overwritten."""
    data = bytearray(small_mp4())
    at = data.find(b"moov")
    data[at + 4 : at + 200] = b"\xa5" * 196
    return bytes(data)


CORPUS: tuple[Hostile, ...] = (
    Hostile("plain_480x640.jpg", plain_jpeg, frozenset({"ok"}), "baseline: a plain 480x640 JPEG"),
    Hostile(
        "declares_50000x50000.png",
        lambda: declared_png(50000, 50000),
        frozenset({"too_many_pixels"}),
        "a 1 KB PNG declaring 2.5 gigapixels",
    ),
    Hostile(
        "grey16_8900x8900.png",
        lambda: streamed_png(8900, 8900, 16, 0),
        frozenset({"ok"}),
        "a 16-bit grey PNG, 79 megapixels",
    ),
    Hostile(
        "rgba_8900x8900.png",
        lambda: streamed_png(8900, 8900, 8, 6),
        frozenset({"ok"}),
        "an RGBA PNG, 79 megapixels",
    ),
    Hostile(
        "float_8900x8900.tif",
        lambda: float_tiff(8900, 8900),
        frozenset({"ok"}),
        "a 32-bit float TIFF, 79 megapixels",
    ),
    Hostile(
        "exif_1600_segments.jpg",
        jpeg_with_exif_segments,
        frozenset({"ok"}),
        "a JPEG with 1,600 EXIF segments (100 MB)",
    ),
    Hostile(
        "frame_16000x16000_16bit.mov",
        huge_frame_video,
        frozenset({"too_many_pixels"}),
        "a MOV with one 16000x16000 16-bit frame",
    ),
    Hostile(
        "same_timestamp_300000.mkv",
        same_timestamp_video,
        frozenset({"ok"}),
        "an MKV of 300,000 frames sharing one timestamp (9 MB)",
    ),
    Hostile(
        "broken_moov.mp4",
        broken_moov_mp4,
        frozenset({"corrupt_video"}),
        "an MP4 whose index (moov) is damaged",
    ),
)


def build(name: str) -> bytes:
    """The bytes of the corpus entry `name`."""
    return next(entry for entry in CORPUS if entry.name == name).make()


def write_corpus(folder: Path) -> dict[str, Path]:
    """Write every entry into `folder`; returns name -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for entry in CORPUS:
        path = folder / entry.name
        if not path.exists():
            path.write_bytes(entry.make())
        paths[entry.name] = path
    return paths


_MARK = "@@measured "
# Runs argv[1:] as its child and reports that child's own rusage on stderr. A process
# forked from a big parent starts with the parent's resident pages counted in its peak,
# so the measured command is forked from this small launcher, never from the caller.
_LAUNCHER = """
import json, os, sys, time
started = time.monotonic()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[1], sys.argv[1:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
report = {"code": os.waitstatus_to_exitcode(status), "maxrss_kb": usage.ru_maxrss,
          "seconds": time.monotonic() - started, "cpu_s": usage.ru_utime + usage.ru_stime}
sys.stderr.write("\\n" + _MARK + json.dumps(report) + "\\n")
""".replace("_MARK", repr(_MARK))


def measure_child(
    argv: Sequence[str], *, timeout_s: float = 120.0, cwd: str | None = None
) -> Measured:
    """Run `argv` (through a small launcher that reaps it with `os.wait4`) and return its
    exit status, its own peak RSS (`ru_maxrss`), wall and CPU time; killed after
    `timeout_s`."""
    launcher = [sys.executable, "-S", "-c", _LAUNCHER, *argv]
    child = subprocess.Popen(
        launcher,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = child.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        out, err = child.communicate()
    err, _, tail = err.rpartition("\n" + _MARK)
    try:
        report = json.loads(tail)
    except ValueError:  # killed before reporting
        return Measured(-9, 0.0, timeout_s, out, err, timeout_s)
    peak_mb = report["maxrss_kb"] / 1024
    return Measured(report["code"], peak_mb, report["seconds"], out, err, report["cpu_s"])


# One call to a fresh in-process sandbox, through the client: prints "<code> <seconds>".
# With "-" as the path it only loads the libraries a call uses (the idle baseline).
_SANDBOX_CALL = """
import sys, time
import cv2, media, media.faces
from client import ApiError, Credentials, FaceIdClient
from sandbox import DEMO_SECRET_ID, DEMO_SECRET_KEY, Sandbox
path, input_type = sys.argv[1], int(sys.argv[2])
with Sandbox(qps=0) as box:
    creds = Credentials(DEMO_SECRET_ID, DEMO_SECRET_KEY, source="hostile")
    with FaceIdClient(creds, endpoint=box.url, max_retries=0, timeout=60) as api:
        started = time.monotonic()
        code = "idle"
        if path != "-":
            data = open(path, "rb").read()
            try:
                code = api.detect(data, input_type).level
            except ApiError as exc:
                code = exc.code
        print(code, round(time.monotonic() - started, 2))
"""


def sandbox_call_argv(path: Path | None, input_type: int) -> list[str]:
    """The command sending `path` once to a fresh sandbox (None: the idle baseline)."""
    return [sys.executable, "-c", _SANDBOX_CALL, str(path or "-"), str(input_type)]


def _main(argv: Sequence[str]) -> int:
    folder = Path(argv[0]) if argv else Path("hostile-corpus")
    for name, path in write_corpus(folder).items():
        print(json.dumps({"name": name, "path": str(path), "bytes": path.stat().st_size}))
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
