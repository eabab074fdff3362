"""Face pre-flight: boxes on a real face photo, actionable warnings, face-aware sizing, framing."""

from __future__ import annotations

import io
from types import SimpleNamespace

from PIL import Image, ImageEnhance

from media import FaceBox, PrepareOptions, detect_faces, first_frame, prepare


# A white canvas with the given pictures pasted at the given places.
def canvas(size: tuple[int, int], *pieces: tuple[Image.Image, tuple[int, int]]) -> Image.Image:
    picture = Image.new("RGB", size, (235, 235, 235))
    for piece, place in pieces:
        picture.paste(piece, place)
    return picture


def test_haar_cascade_finds_the_astronauts_face(build: SimpleNamespace) -> None:
    faces = detect_faces(build.astronaut())
    assert len(faces) == 1
    face = faces[0]
    # Her face is in the upper middle of the 512x512 photo.
    assert 150 < face.x + face.w / 2 < 300 and 60 < face.y + face.h / 2 < 170
    assert 70 <= face.w <= 130
    assert detect_faces(first_frame(build.astronaut_png())) == faces


def test_one_good_face_gives_no_warning(build: SimpleNamespace) -> None:
    prepared = prepare(build.encode(build.selfie(960, 1280), "JPEG"))
    assert prepared.size == (480, 640)
    assert len(prepared.faces) == 1 and prepared.faces[0].size >= 100
    assert prepared.warnings == () and prepared.frames_one_face == 1
    face = prepared.faces[0]
    assert face.x + face.w <= 480 and face.y + face.h <= 640, "boxes are in prepared coordinates"


def test_two_faces_side_by_side_warn(build: SimpleNamespace) -> None:
    face = build.selfie(480, 640)
    data = build.encode(canvas((960, 640), (face, (0, 0)), (face, (480, 0))), "JPEG")
    prepared = prepare(data)
    assert len(prepared.faces) == 2
    assert "multiple_faces" in prepared.warning_codes
    warning = prepared.warnings[prepared.warning_codes.index("multiple_faces")]
    assert "2 faces" in warning.en and "2 张人脸" in warning.zh


def test_blank_picture_warns_no_face() -> None:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 200, 200)).save(out, format="PNG")
    prepared = prepare(out.getvalue())
    assert prepared.faces == () and prepared.warning_codes == ("no_face",)
    assert "未检测到人脸" in prepared.warnings[0].text("zh")


def test_tiny_face_warns_small_face(build: SimpleNamespace) -> None:
    # The astronaut at 300 px puts a ~55 px face in a 640x480 picture: no more pixels exist.
    data = build.encode(canvas((640, 480), (build.astronaut(300), (170, 90))), "PNG")
    prepared = prepare(data)
    assert len(prepared.faces) == 1 and prepared.faces[0].size < 100
    assert "small_face" in prepared.warning_codes
    assert f"{prepared.faces[0].size} px" in prepared.warnings[-1].en


def test_face_aware_sizing_keeps_more_resolution(build: SimpleNamespace) -> None:
    # A 2400x1800 photo whose face would be ~50 px in the default 640 box.
    data = build.encode(canvas((2400, 1800), (build.astronaut(1024), (700, 400))), "JPEG")
    prepared = prepare(data)
    assert max(prepared.size) > 640
    assert prepared.faces and prepared.faces[0].size >= 95
    assert any("so the face stays" in step for step in prepared.steps)
    assert "small_face" not in prepared.warning_codes
    again = detect_faces(first_frame(prepared.data))
    assert len(again) == 1 and again[0].size >= 100, "the sandbox measures the sent picture"
    plain = prepare(data, options=PrepareOptions(check_faces=False))
    assert plain.size == (640, 480) and plain.faces == ()


def test_crop_to_face_frames_the_largest_face(build: SimpleNamespace) -> None:
    data = build.encode(canvas((2400, 1800), (build.astronaut(1024), (700, 400))), "JPEG")
    prepared = prepare(data, options=PrepareOptions(crop_to_face=True))
    width, height = prepared.size
    assert height > width, "a portrait frame around the face"
    assert max(prepared.size) <= 640
    assert len(prepared.faces) == 1 and prepared.faces[0].size >= 100
    assert any("framed the largest face" in step for step in prepared.steps)
    again = detect_faces(Image.open(io.BytesIO(prepared.data)).convert("RGB"))
    assert len(again) == 1 and abs(again[0].w - prepared.faces[0].w) < 25


def test_face_box_helpers() -> None:
    box = FaceBox(10, 20, 100, 80)
    assert box.size == 80 and box.scaled(0.5) == FaceBox(5, 10, 50, 40)


def test_concurrent_prepares_agree_with_a_serial_one(build: SimpleNamespace) -> None:
    from concurrent.futures import ThreadPoolExecutor

    data = build.encode(build.selfie(960, 1280), "JPEG")
    serial = prepare(data)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: prepare(data), range(8)))
    assert {r.sha256 for r in results} == {serial.sha256}
    assert {r.faces for r in results} == {serial.faces}


def test_a_dark_face_is_warned_about_and_a_well_lit_one_is_not(build: SimpleNamespace) -> None:
    lit = build.astronaut()
    dark = ImageEnhance.Brightness(lit).enhance(0.3)
    assert "too_dark" not in prepare(build.encode(lit, "JPEG")).warning_codes
    dark_result = prepare(build.encode(dark, "JPEG"))
    assert "too_dark" in dark_result.warning_codes
    assert len(dark_result.faces) == 1, "still one face: the warning is about light, not the face"
    warning = next(w for w in dark_result.warnings if w.code == "too_dark")
    assert "补光" in warning.text("zh") and "light" in warning.text("en")
