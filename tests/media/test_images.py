"""Photos: every accepted format, orientation, colour modes, sizing, encoding limits."""

from __future__ import annotations

import io
import random
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image

from media import MediaError, PrepareOptions, identify, prepare
from media.limits import IMAGE_BASE64_TARGET


# Decode prepared bytes back into a picture (what the service will see).
def decoded(data: bytes) -> Image.Image:
    picture = Image.open(io.BytesIO(data))
    picture.load()
    return picture


@pytest.mark.parametrize(
    ("fmt", "options", "expected"),
    [
        ("JPEG", {"quality": 92}, "jpeg"),
        ("PNG", {}, "png"),
        ("WEBP", {"quality": 90}, "webp"),
        ("BMP", {}, "bmp"),
        ("GIF", {}, "gif"),
        ("TIFF", {}, "tiff"),
        ("HEIF", {}, "heic"),
    ],
)
def test_each_image_format_becomes_an_api_ready_jpeg(
    build: SimpleNamespace, fmt: str, options: dict[str, object], expected: str
) -> None:
    if fmt == "HEIF":
        import pillow_heif

        pillow_heif.register_heif_opener()
    data = build.encode(build.astronaut(1024), fmt, **options)
    prepared = prepare(data, f"photo.{expected}")
    assert prepared.original_format == expected
    assert prepared.kind == "image" and prepared.input_type == 1
    assert prepared.mime == "image/jpeg"
    assert prepared.original_size == (1024, 1024)
    assert prepared.size == (640, 640)
    picture = decoded(prepared.data)
    assert picture.format == "JPEG" and picture.mode == "RGB" and picture.size == (640, 640)
    assert prepared.base64_bytes == len(prepared.base64()) <= IMAGE_BASE64_TARGET
    assert len(prepared.faces) == 1 and not prepared.warnings
    assert identify(data).format == expected


def test_never_upscales_and_keeps_an_already_ready_jpeg_byte_for_byte(
    build: SimpleNamespace,
) -> None:
    data = build.encode(build.selfie(480, 640), "JPEG", quality=90)
    prepared = prepare(data)
    assert prepared.size == (480, 640)
    assert prepared.data == data and prepared.sha256 == prepared.source_sha256
    assert any("kept the original" in step for step in prepared.steps)


def test_box_is_configurable_and_aspect_is_kept(build: SimpleNamespace) -> None:
    picture = Image.fromarray(build.marker_picture(3000, 1500))
    prepared = prepare(
        build.encode(picture, "JPEG"), options=PrepareOptions(max_side=800, check_faces=False)
    )
    assert prepared.size == (800, 400)
    assert decoded(prepared.data).size == (800, 400)


def test_large_jpeg_is_decoded_at_reduced_scale(build: SimpleNamespace) -> None:
    picture = Image.fromarray(build.marker_picture(4000, 3000))
    prepared = prepare(build.encode(picture, "JPEG"), options=PrepareOptions(check_faces=False))
    assert prepared.size == (640, 480)
    assert any("reduced scale" in step for step in prepared.steps)


@pytest.mark.parametrize(
    ("orientation", "upright_size"), [(3, (300, 400)), (6, (400, 300)), (8, (400, 300))]
)
def test_exif_orientation_is_applied(
    build: SimpleNamespace, orientation: int, upright_size: tuple[int, int]
) -> None:
    upright = build.marker_picture(*upright_size)
    # Store the picture turned the way a camera would, with the tag that undoes it.
    stored = {3: np.rot90(upright, 2), 6: np.rot90(upright, 1), 8: np.rot90(upright, -1)}[
        orientation
    ]
    exif = Image.Exif()
    exif[0x0112] = orientation
    data = build.encode(
        Image.fromarray(np.ascontiguousarray(stored)), "JPEG", quality=95, exif=exif
    )
    prepared = prepare(data, options=PrepareOptions(check_faces=False))
    assert prepared.original_size == upright_size == prepared.size
    pixels = np.asarray(decoded(prepared.data)).astype(int)
    height, width = pixels.shape[:2]
    assert pixels[height // 10, width // 2, 0] > 180, "the red band must be on top"
    assert pixels[height * 9 // 10, width // 10, 2] > 180, "the blue block must be bottom-left"
    assert identify(data).width == upright_size[0]
    assert dict(decoded(prepared.data).getexif()) == {}, "no orientation tag left to apply twice"


def test_cmyk_jpeg_becomes_rgb(build: SimpleNamespace) -> None:
    picture = Image.new("RGB", (300, 200), (200, 40, 40)).convert("CMYK")
    prepared = prepare(build.encode(picture, "JPEG"), options=PrepareOptions(check_faces=False))
    red, green, blue = decoded(prepared.data).getpixel((150, 100))
    assert decoded(prepared.data).mode == "RGB"
    assert red > 160 and green < 90 and blue < 90
    assert any("CMYK" in step for step in prepared.steps)


def test_sixteen_bit_png_keeps_its_tones(build: SimpleNamespace) -> None:
    ramp = np.tile(np.linspace(0, 65535, 400).astype(np.uint16), (300, 1))
    data = build.encode(Image.fromarray(ramp), "PNG")
    prepared = prepare(data, options=PrepareOptions(check_faces=False))
    grey = np.asarray(decoded(prepared.data).convert("L")).astype(int)
    assert grey[150, 5] < 20 and 100 < grey[150, 200] < 160 and grey[150, 395] > 235
    assert any("16-bit" in step for step in prepared.steps)


def test_transparency_is_flattened_on_white(build: SimpleNamespace) -> None:
    pixels = np.zeros((200, 300, 4), np.uint8)
    pixels[:, 150:] = (20, 20, 200, 255)
    prepared = prepare(
        build.encode(Image.fromarray(pixels, "RGBA"), "PNG"),
        options=PrepareOptions(check_faces=False),
    )
    picture = decoded(prepared.data)
    assert picture.getpixel((50, 100)) >= (245, 245, 245)
    assert picture.getpixel((250, 100))[2] > 180


def test_palette_image_converts(build: SimpleNamespace) -> None:
    picture = Image.fromarray(build.marker_picture(300, 200)).convert(
        "P", palette=Image.Palette.ADAPTIVE
    )
    prepared = prepare(build.encode(picture, "PNG"), options=PrepareOptions(check_faces=False))
    assert decoded(prepared.data).mode == "RGB"
    assert decoded(prepared.data).getpixel((150, 10))[0] > 180


def test_animated_gif_uses_the_first_frame(build: SimpleNamespace) -> None:
    frames = [
        Image.new("RGB", (200, 150), colour)
        for colour in ((220, 20, 20), (20, 220, 20), (20, 20, 220))
    ]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    prepared = prepare(out.getvalue(), options=PrepareOptions(check_faces=False))
    red, green, blue = decoded(prepared.data).getpixel((100, 75))
    assert red > 180 and green < 80 and blue < 80
    assert "used the first of 3 frames" in prepared.steps


def test_noisy_photo_steps_quality_down_to_fit(build: SimpleNamespace) -> None:
    noise = np.random.default_rng(1).integers(0, 256, (1600, 1600, 3), dtype=np.uint8)
    options = PrepareOptions(max_side=1600, check_faces=False)
    prepared = prepare(build.encode(Image.fromarray(noise), "PNG"), options=options)
    assert prepared.base64_bytes <= IMAGE_BASE64_TARGET
    assert any("quality" in step for step in prepared.steps)


def test_png_declaring_50000_squared_is_refused_before_decoding(build: SimpleNamespace) -> None:
    data = build.png_declaring(50000, 50000)
    for call in (prepare, identify):
        with pytest.raises(MediaError) as caught:
            call(data)
        assert caught.value.code == "too_many_pixels"
        assert "too large" in str(caught.value) and "图片过大" in caught.value.text("zh")


def test_png_over_our_own_pixel_limit_is_refused(build: SimpleNamespace) -> None:
    with pytest.raises(MediaError) as caught:
        prepare(build.png_declaring(10000, 8500))
    assert caught.value.code == "too_many_pixels" and "10000x8500" in str(caught.value)


@pytest.mark.parametrize(
    ("name", "make", "code"),
    [
        ("zero bytes", lambda b: b"", "empty"),
        ("truncated JPEG", lambda b: b.encode(b.astronaut(), "JPEG")[:5000], "corrupt_image"),
        ("random bytes", lambda b: bytes(random.Random(7).randbytes(20000)), "unsupported"),
        ("text", lambda b: "just some notes\n第二行\n".encode() * 10, "unsupported"),
        ("PDF", lambda b: b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", "unsupported"),
        (
            "SVG",
            lambda b: b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
            "unsupported",
        ),
        ("1x1", lambda b: b.encode(Image.new("RGB", (1, 1)), "PNG"), "too_small"),
        ("JPEG header only", lambda b: b"\xff\xd8\xff\xe0" + b"\x00" * 30, "corrupt_image"),
    ],
)
def test_bad_images_get_a_clear_refusal(
    build: SimpleNamespace, name: str, make: object, code: str
) -> None:
    data = make(build)  # type: ignore[operator]
    for call in (prepare, identify):
        with pytest.raises(MediaError) as caught:
            call(data)
        error = caught.value
        assert error.code == code, name
        assert (
            "\n" not in str(error)
            and str(error) == error.en
            and error.zh
            and error.text("zh") == error.zh
        )


def test_refusal_names_what_the_file_is() -> None:
    with pytest.raises(MediaError, match="PDF"):
        prepare(b"%PDF-1.7\n")
    with pytest.raises(MediaError, match="SVG"):
        prepare(b"<svg xmlns='http://www.w3.org/2000/svg'></svg>")
    with pytest.raises(MediaError, match="text file"):
        prepare(b"hello\n")


def test_prepared_is_frozen_and_reports(build: SimpleNamespace) -> None:
    prepared = prepare(build.encode(build.astronaut(800), "JPEG"))
    with pytest.raises(AttributeError):
        prepared.kind = "video"  # type: ignore[misc]
    report = prepared.report("zh")
    assert report["size"] == [640, 640] and report["bytes"] == len(prepared.data)
    assert "data" not in report and prepared.elapsed_ms > 0
    assert "data=" not in repr(prepared)


def test_quality_then_size_step_down_to_the_budget(
    build: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    import media.still

    # A 30 KB budget stands in for 3 MB: quality drops first, then the picture shrinks.
    monkeypatch.setattr(media.still, "IMAGE_BASE64_TARGET", 30_000)
    noise = np.random.default_rng(2).integers(0, 256, (640, 640, 3), dtype=np.uint8)
    prepared = prepare(
        build.encode(Image.fromarray(noise), "PNG"), options=PrepareOptions(check_faces=False)
    )
    assert prepared.base64_bytes <= 30_000
    assert any("quality" in step for step in prepared.steps)
    assert any(step.startswith("shrank to") for step in prepared.steps)
    assert decoded(prepared.data).size == prepared.size and max(prepared.size) < 640
