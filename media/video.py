"""Video decoding with PyAV: open, probe, and stream upright frames of a time window."""

from __future__ import annotations

import errno
import io
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from fractions import Fraction

import av
import numpy as np
from PIL import Image

from media.errors import media_error, short_reason
from media.limits import MAX_VIDEO_DECODE_S, MAX_VIDEO_DECODED_FRAMES, MAX_VIDEO_FRAME_PIXELS
from media.models import MediaInfo

__all__ = [
    "DamagedStream",
    "DecodeLimitReached",
    "DecodedFrame",
    "VideoSource",
    "first_video_frame",
    "iter_window",
    "open_video",
    "describe",
    "probe_video",
    "upright",
    "video_duration",
]

# Options for FFmpeg's decoders: the pixel budget per frame.
_DECODER_OPTIONS = {"max_pixels": str(MAX_VIDEO_FRAME_PIXELS)}
# A container this small with no track at all is empty, not damaged.
_EMPTY_CONTAINER_BYTES = 4096
# Frame rates outside this range are treated as unknown (broken or variable-rate headers).
_SANE_FPS = (1.0, 240.0)


@dataclass(frozen=True)
class VideoSource:
    """What the container says about its first video stream."""

    format: str
    codec: str
    width: int
    height: int
    duration_s: float | None
    fps: Fraction | None
    has_audio: bool


@dataclass(frozen=True)
class DecodedFrame:
    """One decoded frame: seconds from the window's time origin, the frame, its rotation."""

    time_s: float
    frame: av.VideoFrame
    rotation: int


@contextmanager
def open_video(data: bytes) -> Iterator[av.container.InputContainer]:
    """Open `data` as a container; MediaError when FFmpeg cannot read it or it has no video."""
    try:
        # max_pixels makes FFmpeg's decoders refuse larger frames before allocating them,
        # including the frame the demuxer may decode while probing the streams.
        container = av.open(io.BytesIO(data), mode="r", options=_DECODER_OPTIONS)
    except av.error.EOFError:
        raise media_error("no_frames") from None
    except Exception as exc:  # whatever a damaged file makes the demuxer raise: unusable input
        raise media_error("corrupt_video", detail=short_reason(exc)) from None
    try:
        if not container.streams.video:
            if not container.streams.audio and len(data) > _EMPTY_CONTAINER_BYTES:
                # no track at all, yet there is data: the index (e.g. an MP4's moov) is damaged
                raise media_error("corrupt_video", detail="no readable track (damaged index)")
            raise media_error("no_video_stream")
        context = container.streams.video[0].codec_context
        if context is None:  # header cut before the codec
            raise media_error("corrupt_video", detail="the video track has no codec settings")
        _check_frame_pixels(context.width, context.height)
        context.options = {**(context.options or {}), **_DECODER_OPTIONS}
        yield container
    finally:
        container.close()


# Refuse a frame size over the pixel budget (from the header, before decoding it).
def _check_frame_pixels(width: int | None, height: int | None) -> None:
    pixels = (width or 0) * (height or 0)
    if pixels > MAX_VIDEO_FRAME_PIXELS:
        raise _too_many_pixels(f"{width}x{height}, {pixels / 1e6:.0f} megapixels")


# The refusal for video frames over the pixel budget.
def _too_many_pixels(detail: str) -> Exception:
    return media_error(
        "too_many_pixels",
        what="video frame",
        detail=detail,
        limit_mp=MAX_VIDEO_FRAME_PIXELS / 1e6,
    )


def describe(container: av.container.InputContainer, fmt: str) -> VideoSource:
    """The container's own description of its video (no decoding)."""
    stream = container.streams.video[0]
    context = stream.codec_context
    return VideoSource(
        format=fmt,
        codec=context.name or "unknown",
        width=context.width,
        height=context.height,
        duration_s=_duration(container, stream),
        fps=_fps(stream),
        has_audio=bool(container.streams.audio),
    )


# The stream's duration in seconds, or None when the header does not say.
def _duration(container: av.container.InputContainer, stream: av.video.VideoStream) -> float | None:
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration and container.duration > 0:
        return container.duration / av.time_base
    return None


# The stream's nominal frame rate, or None when missing or absurd.
def _fps(stream: av.video.VideoStream) -> Fraction | None:
    for rate in (stream.average_rate, stream.guessed_rate, stream.base_rate):
        if rate and _SANE_FPS[0] <= float(rate) <= _SANE_FPS[1]:
            return Fraction(rate)
    return None


# The duration read from packet timestamps (for containers whose header omits it); None
# when there are more packets than MAX_VIDEO_DECODED_FRAMES * 10 to read.
def _duration_from_packets(container: av.container.InputContainer) -> float | None:
    stream = container.streams.video[0]
    first = last = None
    for count, packet in enumerate(container.demux(stream)):
        if count > MAX_VIDEO_DECODED_FRAMES * 10:
            return None  # not worth reading a million tiny packets to say how long it is
        if packet.pts is None:
            continue
        end = packet.pts + (packet.duration or 0)
        first = packet.pts if first is None else min(first, packet.pts)
        last = end if last is None else max(last, end)
    if first is None or last is None or not stream.time_base:
        return None
    return float((last - first) * stream.time_base)


def video_duration(data: bytes) -> float | None:
    """The video's duration in seconds: from the header, else from packet timestamps."""
    with open_video(data) as container:
        stream = container.streams.video[0]
        return _duration(container, stream) or _duration_from_packets(container)


def probe_video(data: bytes, fmt: str) -> MediaInfo:
    """Probe a video fully enough to trust it: header facts plus one decoded frame."""
    with open_video(data) as container:
        source = describe(container, fmt)
        first = _first_frame_of(container)
        duration = source.duration_s
        if duration is None:
            container.seek(0)
            duration = _duration_from_packets(container)
    width, height = first.frame.width, first.frame.height
    if first.rotation in (90, 270):
        width, height = height, width
    return MediaInfo(
        kind="video",
        format=fmt,
        width=width,
        height=height,
        duration_s=round(duration, 3) if duration is not None else None,
        fps=round(float(source.fps), 3) if source.fps else None,
        codec=source.codec,
        rotation=first.rotation,
        has_audio=source.has_audio,
    )


def iter_window(
    container: av.container.InputContainer, start: float, seconds: float | None
) -> Iterator[DecodedFrame]:
    """Decode frames from `start` for `seconds` (None: to the end), times relative to `start`.
    Seeks when start > 0, stops decoding once the window ends, never holds more than a frame.
    At most MAX_VIDEO_DECODED_FRAMES frames are decoded (kept or skipped: frames that do not
    advance time count) in at most MAX_VIDEO_DECODE_S seconds: then DecodeLimitReached."""
    stream = container.streams.video[0]
    stream.thread_type = "AUTO"
    base = (
        float(stream.start_time * stream.time_base)
        if stream.start_time and stream.time_base
        else 0.0
    )
    if start > 0 and stream.time_base:
        try:
            container.seek(int((base + start) / stream.time_base), stream=stream, backward=True)
        except av.FFmpegError:  # not seekable (no index): decode from the start, skip to `start`
            with suppress(av.FFmpegError):
                container.seek(0)
    origin = base + start if start > 0 else None
    end = None if seconds is None else seconds - 1e-6
    last_time = None
    give_up_at = time.monotonic() + MAX_VIDEO_DECODE_S
    decoded = 0
    try:
        for frame in container.decode(stream):
            decoded += 1
            if decoded > MAX_VIDEO_DECODED_FRAMES:
                raise DecodeLimitReached(f"{MAX_VIDEO_DECODED_FRAMES} frames decoded")
            if time.monotonic() > give_up_at:
                raise DecodeLimitReached(f"{MAX_VIDEO_DECODE_S:g} s of decoding")
            _check_frame_pixels(frame.width, frame.height)
            stamp = frame.time
            if stamp is None:
                stamp = (last_time or 0.0) + 1 / 30
            last_time = stamp
            if origin is None:
                origin = stamp
            relative = stamp - origin
            if relative < -1e-3:
                continue
            if end is not None and relative >= end:
                break
            yield DecodedFrame(max(relative, 0.0), frame, _rotation(frame))
    except av.FFmpegError as exc:
        if exc.errno == errno.EINVAL and not (stream.codec_context.width or 0):
            # the header's size was refused while probing (max_pixels): larger than allowed
            raise _too_many_pixels("larger than the decoder's budget") from None
        raise DamagedStream(short_reason(exc)) from None


class DamagedStream(Exception):
    """Decoding stopped at a damaged part of the stream (frames before it were fine)."""


class DecodeLimitReached(DamagedStream):
    """Decoding stopped at the per-clip budget of frames or time (frames before it were
    fine); the text says which budget."""


# The frame's display rotation (counter-clockwise degrees) as 0, 90, 180 or 270.
def _rotation(frame: av.VideoFrame) -> int:
    try:
        degrees = float(frame.rotation or 0)
    except (AttributeError, TypeError, ValueError):
        return 0
    return int(round(degrees / 90.0)) % 4 * 90


def upright(frame: av.VideoFrame, rotation: int, size: tuple[int, int] | None = None) -> np.ndarray:
    """A frame turned upright as an RGB array (rotation counter-clockwise, as FFmpeg displays
    it), scaled on the way to the upright `size` (w, h) when given."""
    if size is None:
        pixels = frame.to_ndarray(format="rgb24")
    else:
        width, height = size if rotation in (0, 180) else size[::-1]
        pixels = frame.to_ndarray(format="rgb24", width=width, height=height, interpolation="AREA")
    turns = rotation // 90
    return np.ascontiguousarray(np.rot90(pixels, turns)) if turns else pixels


# The first decoded frame of an open container; MediaError when there is none to decode.
def _first_frame_of(container: av.container.InputContainer) -> DecodedFrame:
    try:
        first = next(iter_window(container, 0.0, None), None)
    except DamagedStream as exc:
        raise media_error("corrupt_video", detail=short_reason(exc)) from None
    if first is None:
        raise media_error("no_frames")
    return first


def first_video_frame(data: bytes, fmt: str) -> Image.Image:
    """The first frame of a video, upright, as an RGB picture."""
    with open_video(data) as container:
        first = _first_frame_of(container)
        return Image.fromarray(upright(first.frame, first.rotation))
