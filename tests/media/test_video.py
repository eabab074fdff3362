"""Videos: every container, the window, upright output, 720p/30 fps caps, and bad clips."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import av
import numpy as np
import pytest

from media import MediaError, PrepareOptions, first_frame, identify, prepare
from media.limits import VIDEO_BASE64_TARGET

Clips = Callable[[str], bytes]


# What a player sees in prepared bytes: container, codec, pixel format, size, frames, seconds.
def played(data: bytes) -> SimpleNamespace:
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.video[0]
        frames = list(container.decode(stream))
        return SimpleNamespace(
            container=container.format.name,
            codec=stream.codec_context.name,
            pix_fmt=stream.codec_context.pix_fmt,
            size=(frames[0].width, frames[0].height),
            frames=len(frames),
            seconds=float(stream.duration * stream.time_base),
            audio=len(container.streams.audio),
            first=frames[0].to_ndarray(format="rgb24"),
            rotation=frames[0].rotation,
        )


# Assert the prepared clip is browser-ready H.264 MP4 within the service's limits.
def assert_api_ready(prepared: object) -> SimpleNamespace:
    assert prepared.kind == "video" and prepared.input_type == 2 and prepared.mime == "video/mp4"
    assert prepared.base64_bytes <= VIDEO_BASE64_TARGET
    assert prepared.data[4:8] == b"ftyp"
    assert prepared.data.find(b"moov") < prepared.data.find(b"mdat"), "moov first (fast start)"
    seen = played(prepared.data)
    assert seen.codec == "h264" and seen.pix_fmt == "yuv420p" and seen.audio == 0
    assert seen.size == prepared.size and all(side % 2 == 0 for side in seen.size)
    assert max(seen.size) <= 1280 and min(seen.size) <= 720
    assert prepared.fps <= 30
    assert seen.seconds == pytest.approx(prepared.duration_s, abs=0.05)
    return seen


@pytest.mark.parametrize("name", ["mp4", "mov", "m4v", "avi", "flv", "webm", "mkv"])
def test_each_container_becomes_h264_mp4(clips: Clips, name: str) -> None:
    data = clips(name)
    info = identify(data)
    assert info.kind == "video" and info.format == name
    assert info.duration_s == pytest.approx(2.4, abs=0.1)
    assert info.fps == pytest.approx(25)
    prepared = prepare(data, f"clip.{name}")
    seen = assert_api_ready(prepared)
    assert prepared.original_format == name
    assert prepared.duration_s == pytest.approx(2.4, abs=0.05)
    assert seen.frames == 60


def test_long_1080p_clip_keeps_the_first_five_seconds(clips: Clips) -> None:
    data = clips("1080p_60s")
    info = identify(data)
    assert (info.width, info.height) == (1920, 1080) and info.duration_s == pytest.approx(
        60, abs=0.5
    )
    prepared = prepare(data)
    assert_api_ready(prepared)
    assert prepared.original_size == (1920, 1080) and prepared.size == (640, 360)
    assert prepared.duration_s == pytest.approx(5.0, abs=0.01)
    assert "low_fps" in prepared.warning_codes


def test_window_start_and_length(clips: Clips) -> None:
    prepared = prepare(
        clips("1080p_60s"), options=PrepareOptions(video_start_s=30, video_seconds=3)
    )
    assert_api_ready(prepared)
    assert prepared.duration_s == pytest.approx(3.0, abs=0.01)
    long = prepare(clips("1080p_60s"), options=PrepareOptions(video_seconds=45, check_faces=False))
    assert long.duration_s == pytest.approx(20.0, abs=0.01), "the service's 20 s maximum"
    assert any("20 s" in step for step in long.steps)
    with pytest.raises(MediaError) as caught:
        prepare(clips("mp4"), options=PrepareOptions(video_start_s=10))
    assert caught.value.code == "start_past_end"


def test_seeking_keeps_the_right_part(tmp_path: Path, build: SimpleNamespace) -> None:
    # Each second has its own grey level: 0 s -> 0, 1 s -> 40, 2 s -> 80, ...
    def frame_at(index: int) -> np.ndarray:
        return np.full((240, 320, 3), (index // 10) * 40, np.uint8)

    data = build.make_video(
        tmp_path / "steps.mp4", width=320, height=240, fps=10, seconds=6, frame_at=frame_at
    )
    prepared = prepare(
        data, options=PrepareOptions(video_start_s=3, video_seconds=2, check_faces=False)
    )
    assert played(prepared.data).first.mean() == pytest.approx(120, abs=8)
    assert prepared.duration_s == pytest.approx(2.0, abs=0.01)


def test_4k_clip_is_downscaled(clips: Clips) -> None:
    prepared = prepare(clips("4k"))
    assert_api_ready(prepared)
    assert prepared.original_size == (3840, 2160) and prepared.size == (640, 360)
    assert "short_clip" in prepared.warning_codes


def test_box_never_goes_above_720p(clips: Clips) -> None:
    prepared = prepare(clips("4k"), options=PrepareOptions(max_side=4000, check_faces=False))
    assert prepared.size == (1280, 720)


def test_frame_rate_is_capped_at_30(clips: Clips) -> None:
    prepared = prepare(clips("mp4_60fps"), options=PrepareOptions(check_faces=False))
    seen = assert_api_ready(prepared)
    assert prepared.fps == 30 and seen.frames == 150 and prepared.duration_s == pytest.approx(5.0)


def test_portrait_phone_video_comes_out_upright(clips: Clips) -> None:
    data = clips("portrait_phone")
    info = identify(data)
    assert (info.width, info.height) == (360, 640) and info.rotation in (90, 270)
    prepared = prepare(data)
    seen = assert_api_ready(prepared)
    assert prepared.size == (360, 640) and seen.rotation == 0
    pixels = seen.first.astype(int)
    assert pixels[40, 180, 0] > 180 and pixels[40, 180, 2] < 90, "red band on top"
    assert pixels[600, 40, 2] > 180 and pixels[600, 40, 0] < 90, "blue block bottom-left"
    upright = np.asarray(first_frame(data)).astype(int)
    assert upright.shape == (640, 360, 3) and upright[40, 180, 0] > 180


def test_face_preflight_on_sampled_frames(clips: Clips) -> None:
    prepared = prepare(clips("selfie"))
    assert_api_ready(prepared)
    assert prepared.size == (480, 640)
    assert prepared.frames_checked == 3 and prepared.frames_one_face == 3
    assert len(prepared.faces) == 1 and prepared.faces[0].size >= 100
    assert prepared.warnings == ()
    assert "dropped the audio track" in prepared.steps


def test_short_clip_warns(clips: Clips) -> None:
    prepared = prepare(clips("short"), options=PrepareOptions(check_faces=False))
    assert prepared.warning_codes == ("short_clip",)
    assert "1.0 s" in prepared.warnings[0].en and "2 到 5 秒" in prepared.warnings[0].zh


def test_faceless_clip_warns(clips: Clips) -> None:
    prepared = prepare(clips("mp4"))
    assert "no_face" in prepared.warning_codes and prepared.frames_one_face == 0


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("audio_only", {"no_video_stream"}),
        ("no_frames_avi", {"no_frames"}),
        ("no_frames_mkv", {"no_frames"}),
        ("no_frames_mp4", {"no_frames", "no_video_stream"}),
        ("truncated_mp4", {"corrupt_video"}),
    ],
)
def test_bad_videos_get_a_clear_refusal(clips: Clips, name: str, codes: set[str]) -> None:
    data = clips("mp4")[:3000] if name == "truncated_mp4" else clips(name)
    for call in (prepare, identify, first_frame):
        with pytest.raises(MediaError) as caught:
            call(data)
        assert caught.value.code in codes
        assert "\n" not in str(caught.value) and caught.value.text("zh")


def test_truncated_fast_start_mp4_keeps_what_decodes(clips: Clips) -> None:
    whole = prepare(clips("mp4"), options=PrepareOptions(check_faces=False)).data
    prepared = prepare(whole[: len(whole) * 2 // 3], options=PrepareOptions(check_faces=False))
    assert 0 < prepared.duration_s < 2.4
    assert_api_ready(prepared)


def test_bad_window_options_are_refused(clips: Clips) -> None:
    for options in (PrepareOptions(video_seconds=0), PrepareOptions(video_start_s=-1)):
        with pytest.raises(MediaError) as caught:
            prepare(clips("mp4"), options=options)
        assert caught.value.code == "bad_option"


def test_steps_say_which_window_was_kept(clips: Clips) -> None:
    prepared = prepare(
        clips("1080p_60s"), options=PrepareOptions(video_start_s=12, check_faces=False)
    )
    assert "kept 12.0-17.0 s of 60.0 s" in prepared.steps


def test_face_aware_sizing_keeps_more_of_a_clip(tmp_path: Path, build: SimpleNamespace) -> None:
    frames = build.astronaut_frames(600, 1280, 720)
    data = build.make_video(
        tmp_path / "far.mp4", width=1280, height=720, fps=25, seconds=1, frame_at=frames
    )
    prepared = prepare(data)
    assert max(prepared.size) > 640 and max(prepared.size) <= 1280
    assert any("so the face stays" in step for step in prepared.steps)
    plain = prepare(data, options=PrepareOptions(check_faces=False))
    assert plain.size == (640, 360)


def test_oversized_clip_is_reencoded_to_fit(clips: Clips, monkeypatch: pytest.MonkeyPatch) -> None:
    import media.clip

    # A 40 KB budget stands in for 8 MB: the same loop has to lower the bit rate, then the size.
    monkeypatch.setattr(media.clip, "VIDEO_BASE64_TARGET", 40_000)
    prepared = prepare(clips("selfie"), options=PrepareOptions(check_faces=False))
    assert prepared.base64_bytes <= 40_000
    assert any("re-encoded at" in step for step in prepared.steps)
    assert_api_ready_size = played(prepared.data)
    assert assert_api_ready_size.size == prepared.size


@pytest.mark.parametrize("rotation", [90, 180])
def test_other_display_rotations_come_out_upright(
    tmp_path: Path, build: SimpleNamespace, rotation: int
) -> None:
    upright = build.marker_picture(320, 240) if rotation == 180 else build.marker_picture(240, 320)
    # Display rotation is counter-clockwise: store the picture turned clockwise by as much.
    coded = np.ascontiguousarray(np.rot90(upright, -(rotation // 90)))
    height, width = coded.shape[:2]
    data = build.make_video(
        tmp_path / "turned.mp4",
        width=width,
        height=height,
        fps=10,
        seconds=1,
        frame_at=lambda _i: coded,
        rotation=rotation,
    )
    prepared = prepare(data, options=PrepareOptions(check_faces=False))
    pixels = played(prepared.data).first.astype(int)
    assert pixels.shape[:2] == upright.shape[:2]
    h, w = pixels.shape[:2]
    assert pixels[h // 10, w // 2, 0] > 180 and pixels[h * 9 // 10, w // 10, 2] > 180
