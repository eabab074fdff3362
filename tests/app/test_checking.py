"""One check without the page: on the sandbox a picture's face pre-flight runs beside the
call, and the answer is for exactly what the pre-flight chose to send."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any, Literal

import pytest
from PIL import Image

from client import Credentials, FaceIdClient
from components.check_run import run_check
from components.context import AppContext
from media import PrepareOptions
from sandbox import DEMO_SECRET_ID, DEMO_SECRET_KEY, Sandbox


@pytest.fixture
def box() -> Iterator[Any]:
    sandbox = Sandbox(port=0, qps=1000.0).start()
    yield sandbox
    sandbox.stop()


def _check(box: Any, data: bytes, backend: Literal["sandbox", "tencent"] = "sandbox") -> Any:
    credentials = Credentials(DEMO_SECRET_ID, DEMO_SECRET_KEY, source="test")
    ctx = AppContext(
        lang="en",
        backend=backend,
        endpoint=box.url,
        region=None,
        prepare_options=PrepareOptions(),
        credentials_source="test",
        make_client=lambda: FaceIdClient(credentials, endpoint=box.url, language="en-US"),
    )
    return run_check(ctx, data, filename="face.jpg", source="upload", calls_left=5)


def test_a_picture_is_sent_beside_its_preflight_and_keeps_the_warnings(box, face_jpeg):
    outcome = _check(box, face_jpeg)
    assert outcome.detection is not None and outcome.problem is None
    assert [w.code for w in outcome.prepared.warnings] == ["small_face"]  # 98 px
    assert outcome.prepared.faces and outcome.prepared.data == face_jpeg  # sent as it was
    assert box.stats()["calls"] == 1


def _larger(face_jpeg: bytes) -> bytes:
    out = io.BytesIO()
    Image.open(io.BytesIO(face_jpeg)).resize((1280, 960)).save(out, format="JPEG", quality=90)
    return out.getvalue()


def test_a_small_face_kept_larger_by_the_preflight_is_sent_as_it_chose(box, face_jpeg):
    outcome = _check(box, _larger(face_jpeg))
    # In the 640 px box the face would be 98 px: the pre-flight keeps more pixels.
    assert max(outcome.prepared.size) > 640 and outcome.detection is not None
    assert box.stats()["calls"] == 2  # the box-sized picture, then the one it chose


def test_on_the_real_service_the_call_waits_for_the_preflight(box, face_jpeg):
    outcome = _check(box, _larger(face_jpeg), backend="tencent")
    assert max(outcome.prepared.size) > 640 and outcome.detection is not None
    assert box.stats()["calls"] == 1  # one paid call, of what the pre-flight chose
