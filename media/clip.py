"""Prepare a video: keep a window, turn upright, downscale, cap fps, H.264 MP4 that fits."""

from __future__ import annotations

import math
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from fractions import Fraction

import av
import cv2
import numpy as np

from media.errors import MediaWarning, media_error, media_warning, short_reason
from media.faces import detect_faces_grey, largest
from media.limits import (
    FACE_TARGET_PX,
    HARD_BASE64_BYTES,
    MAX_VIDEO_FPS,
    MAX_VIDEO_SECONDS,
    MIN_FACE_PX,
    RECOMMENDED_MIN_SECONDS,
    VIDEO_BASE64_TARGET,
    VIDEO_MAX_LONG,
    VIDEO_MAX_SHORT,
    base64_size,
)
from media.models import FaceBox, PrepareOptions
from media.phash import image_phash
from media.video import (
    DamagedStream,
    DecodedFrame,
    DecodeLimitReached,
    VideoSource,
    describe,
    iter_window,
    open_video,
    upright,
    video_duration,
)

__all__ = ["PreparedClip", "prepare_clip", "video_size"]

# Below this frame rate the service's 25-30 fps advice is worth a warning.
_LOW_FPS = 20.0
# x264 settings: fast enough for 2x real time on two cores, browser-friendly output.
_PRESET = "veryfast"
_CRF = 23
_MAX_PASSES = 4
# Another encoding pass (to get under the recommended size) starts only this soon.
_NO_NEW_PASS_AFTER_S = 5.0


@dataclass(frozen=True)
class _EncodePlan:
    """How one encoding pass runs: output long side (None: the box), CRF or bit rate."""

    long_side: int | None = None
    bit_rate: int | None = None


@dataclass(frozen=True)
class _FaceSample:
    """The faces found in one sampled output frame."""

    time_s: float
    faces: tuple[FaceBox, ...]


@dataclass(frozen=True)
class _Pass:
    """What one encoding pass produced."""

    data: bytes
    size: tuple[int, int]
    display_size: tuple[int, int]
    rotation: int
    fps: Fraction
    kept_s: float
    samples: tuple[_FaceSample, ...]
    phash: int
    steps: tuple[str, ...]


@dataclass(frozen=True)
class PreparedClip:
    """What preparing a video produced, before it becomes a `Prepared`."""

    data: bytes
    original_size: tuple[int, int]
    size: tuple[int, int]
    duration_s: float
    fps: float
    faces: tuple[FaceBox, ...]
    frames_checked: int
    frames_one_face: int
    warnings: tuple[MediaWarning, ...]
    steps: tuple[str, ...]
    phash: int


def video_size(display: tuple[int, int], long_side: int) -> tuple[int, int]:
    """The even output size for a display size: long side within `long_side`, never above 720p,
    never larger than the source."""
    width, height = display
    cap_long = min(long_side, VIDEO_MAX_LONG)
    scale = min(1.0, cap_long / max(width, height), VIDEO_MAX_SHORT / min(width, height))
    return max(2, int(width * scale) // 2 * 2), max(2, int(height * scale) // 2 * 2)


def prepare_clip(data: bytes, fmt: str, options: PrepareOptions) -> PreparedClip:
    """Make a video API-ready following `options`."""
    start, seconds, notes = _window(options)
    with open_video(data) as container:
        source = describe(container, fmt)
    if source.duration_s is not None and start >= source.duration_s:
        raise media_error("start_past_end", start=start, duration=source.duration_s)
    plan = _EncodePlan()
    started = time.monotonic()
    result = _encode_pass(data, source, start, seconds, options, plan)
    fit_steps: list[str] = []
    for _ in range(_MAX_PASSES - 1):
        size_b64 = base64_size(len(result.data))
        if size_b64 <= VIDEO_BASE64_TARGET:
            break
        if time.monotonic() - started > _NO_NEW_PASS_AFTER_S and size_b64 <= HARD_BASE64_BYTES:
            break  # over the recommended size but usable: no time for another pass
        plan = _smaller_plan(plan, result)
        fit_steps.append(
            f"re-encoded at {(plan.bit_rate or 0) // 1000} kbit/s, long side {plan.long_side} px, "
            f"to fit {VIDEO_BASE64_TARGET / 2**20:.3g} MB"
        )
        result = _encode_pass(data, source, start, seconds, options, plan)
    size_b64 = base64_size(len(result.data))
    if size_b64 > HARD_BASE64_BYTES:
        raise media_error("too_big", kind="video", mb=size_b64 / 2**20)
    warnings = _clip_warnings(result, source, options)
    if size_b64 > VIDEO_BASE64_TARGET:
        warnings.append(
            media_warning("over_recommended_size", kind="video", mb=size_b64 / 2**20, target=8)
        )
    one_face = sum(1 for sample in result.samples if len(sample.faces) == 1)
    return PreparedClip(
        data=result.data,
        original_size=result.display_size,
        size=result.size,
        duration_s=round(result.kept_s, 3),
        fps=round(float(result.fps), 3),
        faces=_best_faces(result.samples),
        frames_checked=len(result.samples),
        frames_one_face=one_face,
        warnings=tuple(warnings),
        steps=(*notes, _window_step(start, result.kept_s, source), *result.steps, *fit_steps),
        phash=result.phash,
    )


# The validated window (start, seconds) and notes on any adjustment.
def _window(options: PrepareOptions) -> tuple[float, float, list[str]]:
    start, seconds = float(options.video_start_s), float(options.video_seconds)
    if not math.isfinite(start) or start < 0:
        raise media_error("bad_option", detail=f"start must be 0 or more seconds, not {start}")
    if not math.isfinite(seconds) or seconds <= 0:
        raise media_error("bad_option", detail=f"seconds must be more than 0, not {seconds}")
    notes: list[str] = []
    if seconds > MAX_VIDEO_SECONDS:
        notes.append(f"limited the window to {MAX_VIDEO_SECONDS:.0f} s (the service's maximum)")
        seconds = MAX_VIDEO_SECONDS
    return start, seconds, notes


# The kept window in words, against the source's length when known.
def _window_step(start: float, kept: float, source: VideoSource) -> str:
    total = f" of {source.duration_s:.1f} s" if source.duration_s else ""
    return f"kept {start:.1f}-{start + kept:.1f} s{total}"


# A plan that should come out smaller: a bit rate for the target, then a smaller picture.
def _smaller_plan(plan: _EncodePlan, result: _Pass) -> _EncodePlan:
    budget_bits = VIDEO_BASE64_TARGET * 3 / 4 * 8 * 0.85
    rate = int(budget_bits / max(result.kept_s, 0.5))
    if plan.bit_rate is None:
        return _EncodePlan(long_side=max(result.size), bit_rate=rate)
    smaller_side = max(64, int(max(result.size) * 0.75))
    return _EncodePlan(long_side=smaller_side, bit_rate=int(min(rate, plan.bit_rate) * 0.8))


# Decode the window once and encode it as H.264 MP4 following `plan`.
def _encode_pass(
    data: bytes,
    source: VideoSource,
    start: float,
    seconds: float,
    options: PrepareOptions,
    plan: _EncodePlan,
) -> _Pass:
    with open_video(data) as container, tempfile.TemporaryDirectory(prefix="media-") as workdir:
        frames = iter_window(container, start, seconds)
        try:
            first = next(frames, None)
        except DamagedStream as exc:
            raise media_error("corrupt_video", detail=short_reason(exc)) from None
        if first is None:
            if start > 0:
                duration = source.duration_s or video_duration(data) or 0.0
                raise media_error("start_past_end", start=start, duration=duration)
            raise media_error("no_frames")
        path = os.path.join(workdir, "prepared.mp4")
        encoder = _ClipEncoder(path, source, first, options, plan)
        try:
            damaged_at = encoder.run(first, frames)
            encoded = encoder.finish()
        except av.FFmpegError as exc:
            encoder.abandon()
            raise media_error("encode_failed", detail=short_reason(exc)) from None
        except BaseException:
            encoder.abandon()
            raise
        with open(path, "rb") as handle:
            payload = handle.read()
    steps = list(encoder.steps)
    if isinstance(encoder.stopped, DecodeLimitReached):
        steps.append(f"stopped decoding after {damaged_at:.1f} s: limit of {encoder.stopped}")
    elif damaged_at is not None:
        steps.append(f"stopped at a damaged part of the file after {damaged_at:.1f} s")
    steps.append(f"encoded H.264 MP4 ({encoded}, {len(payload) / 1024:.0f} KB)")
    return _Pass(
        data=payload,
        size=encoder.size,
        display_size=encoder.display_size,
        rotation=first.rotation,
        fps=encoder.rate,
        kept_s=encoder.kept_s,
        samples=tuple(encoder.samples),
        phash=encoder.phash,
        steps=tuple(steps),
    )


class _ClipEncoder:
    """Streams decoded frames into an MP4 file: upright, resized, frame-rate capped."""

    def __init__(
        self,
        path: str,
        source: VideoSource,
        first: DecodedFrame,
        options: PrepareOptions,
        plan: _EncodePlan,
    ) -> None:
        self.rotation = first.rotation
        coded = (first.frame.width, first.frame.height)
        self.display_size = coded[::-1] if self.rotation in (90, 270) else coded
        self.steps: list[str] = []
        self.stopped: DamagedStream | None = None
        self.samples: list[_FaceSample] = []
        self.check_faces = options.check_faces
        self.sample_every = max(1.0, min(MAX_VIDEO_SECONDS, options.video_seconds) / 8)
        self.next_sample = 0.0
        self.rate = _output_rate(source.fps)
        self.max_slots = max(1, round(min(options.video_seconds, MAX_VIDEO_SECONDS) * self.rate))
        self.size = self._choose_size(first, options, plan)
        self.phash = 0
        self.last_slot = -1
        self.container = av.open(path, mode="w", format="mp4", options={"movflags": "+faststart"})
        self.stream = self.container.add_stream("libx264", rate=self.rate)
        self.stream.width, self.stream.height = self.size
        self.stream.pix_fmt = "yuv420p"
        self.time_base = Fraction(1) / self.rate
        self.stream.codec_context.time_base = self.time_base
        if plan.bit_rate:
            self.stream.bit_rate = plan.bit_rate
            self.stream.options = {
                "preset": _PRESET,
                "maxrate": str(plan.bit_rate),
                "bufsize": str(plan.bit_rate * 2),
            }
            self.encoding = f"libx264 {plan.bit_rate // 1000} kbit/s"
        else:
            self.stream.options = {"preset": _PRESET, "crf": str(_CRF)}
            self.encoding = f"libx264 CRF {_CRF}"
        self._describe(source)

    # Pick the output size: the box, or more when the first frame's face would be too small.
    def _choose_size(
        self, first: DecodedFrame, options: PrepareOptions, plan: _EncodePlan
    ) -> tuple[int, int]:
        if plan.long_side is not None:
            return video_size(self.display_size, plan.long_side)
        size = video_size(self.display_size, options.max_side)
        if not self.check_faces:
            return size
        grey = self._grey(first, size)
        face = largest(detect_faces_grey(grey))
        if face is None or face.size >= MIN_FACE_PX:
            return size
        wanted = math.ceil(max(size) * FACE_TARGET_PX / max(face.size, 1))
        bigger = video_size(self.display_size, min(wanted, VIDEO_MAX_LONG))
        if bigger != size:
            self.steps.append(
                f"kept {bigger[0]}x{bigger[1]} (not {size[0]}x{size[1]}) so the face stays "
                f"at least {MIN_FACE_PX} px"
            )
        return bigger

    # Notes on what this pass changes about the source.
    def _describe(self, source: VideoSource) -> None:
        if self.rotation:
            self.steps.append(f"turned the picture upright (rotation {self.rotation} degrees)")
        if self.size != self.display_size:
            w, h = self.display_size
            self.steps.append(f"downscaled {w}x{h} to {self.size[0]}x{self.size[1]}")
        if source.fps and float(source.fps) > MAX_VIDEO_FPS + 0.01:
            self.steps.append(
                f"capped the frame rate at {float(self.rate):g} fps (from {float(source.fps):.3g})"
            )
        if source.has_audio:
            self.steps.append("dropped the audio track")

    # An upright grey copy of a decoded frame at `size` (for face detection).
    def _grey(self, decoded: DecodedFrame, size: tuple[int, int]) -> np.ndarray:
        return cv2.cvtColor(upright(decoded.frame, self.rotation, size), cv2.COLOR_RGB2GRAY)

    # Encode `first` and the rest; returns the time of a damaged part, if decoding hit one.
    def run(self, first: DecodedFrame, rest: Iterator[DecodedFrame]) -> float | None:
        self._add(first)
        try:
            for decoded in rest:
                self._add(decoded)
        except DamagedStream as stopped:
            self.stopped = stopped
            return self.kept_s
        return None

    # Encode one decoded frame into its output slot (frames beyond the rate cap are dropped).
    def _add(self, decoded: DecodedFrame) -> None:
        slot = round(decoded.time_s * self.rate)
        if slot <= self.last_slot or slot >= self.max_slots:
            return
        if self.rotation:
            pixels = upright(decoded.frame, self.rotation, self.size)
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            grey = cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY) if self._sampling(decoded) else None
        else:
            frame = decoded.frame.reformat(
                width=self.size[0], height=self.size[1], format="yuv420p", interpolation="AREA"
            )
            grey = frame.to_ndarray(format="gray") if self._sampling(decoded) else None
        if self.last_slot < 0:
            self.phash = image_phash(frame.to_image())
        if grey is not None:
            self.samples.append(_FaceSample(decoded.time_s, tuple(detect_faces_grey(grey))))
            self.next_sample += self.sample_every
        frame.pts = slot
        frame.time_base = self.time_base
        self.container.mux(self.stream.encode(frame))
        self.last_slot = slot

    # Whether this frame is due for a face check.
    def _sampling(self, decoded: DecodedFrame) -> bool:
        return self.check_faces and decoded.time_s >= self.next_sample - 1e-6

    # Seconds of video kept so far.
    @property
    def kept_s(self) -> float:
        return (self.last_slot + 1) / float(self.rate) if self.last_slot >= 0 else 0.0

    # Flush the encoder and close the file; returns a short description of the encoding.
    def finish(self) -> str:
        self.container.mux(self.stream.encode(None))
        self.container.close()
        return self.encoding

    # Close the output after a failure (the half-written file goes with its folder).
    def abandon(self) -> None:
        with suppress(Exception):
            self.container.close()


# The output frame rate: the source's, capped at 30 fps (30 when unknown).
def _output_rate(fps: Fraction | None) -> Fraction:
    if fps is None or float(fps) > MAX_VIDEO_FPS + 0.01:
        return Fraction(int(MAX_VIDEO_FPS))
    return fps.limit_denominator(1001)


# Face and timing warnings for the prepared clip.
def _clip_warnings(
    result: _Pass, source: VideoSource, options: PrepareOptions
) -> list[MediaWarning]:
    warnings: list[MediaWarning] = []
    if result.kept_s < RECOMMENDED_MIN_SECONDS:
        warnings.append(media_warning("short_clip", seconds=result.kept_s))
    if source.fps and float(source.fps) < _LOW_FPS:
        warnings.append(media_warning("low_fps", fps=float(source.fps)))
    if not options.check_faces or not result.samples:
        return warnings
    with_faces = [sample for sample in result.samples if sample.faces]
    if not with_faces:
        return [*warnings, media_warning("no_face")]
    most = max(len(sample.faces) for sample in result.samples)
    if most > 1:
        warnings.append(media_warning("multiple_faces", count=most))
    one = sum(1 for sample in result.samples if len(sample.faces) == 1)
    if one * 2 < len(result.samples):
        warnings.append(media_warning("few_face_frames", one=one, checked=len(result.samples)))
    biggest = (largest(sample.faces) for sample in with_faces)
    smallest = min(box.size for box in biggest if box is not None)
    if smallest < MIN_FACE_PX:
        warnings.append(media_warning("small_face", size=smallest))
    return warnings


# The faces of the best sampled frame: one face, the largest; else the most faces seen.
def _best_faces(samples: tuple[_FaceSample, ...]) -> tuple[FaceBox, ...]:
    single = [sample.faces for sample in samples if len(sample.faces) == 1]
    if single:
        return max(single, key=lambda faces: faces[0].w * faces[0].h)
    crowded = [sample.faces for sample in samples if sample.faces]
    return max(crowded, key=len) if crowded else ()
