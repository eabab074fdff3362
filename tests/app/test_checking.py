"""One check without the page. On the sandbox a picture that already fits the image box is
sent at once and its face pre-flight comes after the answer (left to the page with
`faces_later`, which adds it once the verdict is drawn); a larger one is prepared with its
pre-flight first and sent once, exactly as the pre-flight chose."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from typing import Any, Literal

import pytest
from PIL import Image

from client import ConfigError, Credentials, FaceIdClient
from components.check_run import run_check, with_face_preflight
from components.context import AppContext
from media import PrepareOptions
from sandbox import DEMO_SECRET_ID, DEMO_SECRET_KEY, Sandbox


@pytest.fixture
def box() -> Iterator[Any]:
    sandbox = Sandbox(port=0, qps=1000.0).start()
    yield sandbox
    sandbox.stop()


def _context(box: Any, backend: Literal["sandbox", "tencent"] = "sandbox") -> AppContext:
    credentials = Credentials(DEMO_SECRET_ID, DEMO_SECRET_KEY, source="test")
    return AppContext(
        lang="en",
        backend=backend,
        endpoint=box.url,
        region=None,
        prepare_options=PrepareOptions(),
        credentials_source="test",
        make_client=lambda: FaceIdClient(credentials, endpoint=box.url, language="en-US"),
    )


def _check(
    box: Any,
    data: bytes,
    backend: Literal["sandbox", "tencent"] = "sandbox",
    *,
    faces_later: bool = False,
) -> Any:
    ctx = _context(box, backend)
    return run_check(
        ctx, data, filename="face.jpg", source="upload", calls_left=5, faces_later=faces_later
    )


def test_a_picture_that_fits_is_answered_with_its_preflight_warnings(box, face_jpeg):
    outcome = _check(box, face_jpeg)
    assert outcome.detection is not None and outcome.problem is None
    assert [w.code for w in outcome.prepared.warnings] == ["small_face"]  # 98 px
    assert outcome.prepared.faces and outcome.prepared.data == face_jpeg  # sent as it was
    assert box.stats()["calls"] == 1


def test_faces_later_answers_first_and_the_preflight_is_added_without_a_call(box, face_jpeg):
    outcome = _check(box, face_jpeg, faces_later=True)
    assert outcome.detection is not None and outcome.problem is None
    # The verdict comes without the pre-flight: no faces looked for yet, no face warning.
    assert outcome.prepared.frames_checked == 0 and not outcome.prepared.faces
    assert "small_face" not in [w.code for w in outcome.prepared.warnings]
    finished = with_face_preflight(outcome, PrepareOptions())
    assert [w.code for w in finished.prepared.warnings] == ["small_face"]
    assert finished.prepared.faces and finished.prepared.data == outcome.prepared.data
    assert finished.detection == outcome.detection
    assert box.stats()["calls"] == 1  # adding the pre-flight sends nothing
    assert with_face_preflight(finished, PrepareOptions()) is finished  # once is enough


def test_faces_later_still_explains_a_refusal_with_the_preflight(box, face_jpeg):
    no_keys = replace(_context(box), make_client=_refusing_client)
    outcome = run_check(
        no_keys, face_jpeg, filename="face.jpg", source="upload", calls_left=5, faces_later=True
    )
    assert outcome.problem is not None and outcome.detection is None
    assert [w.code for w in outcome.prepared.warnings] == ["small_face"]


def _refusing_client() -> Any:
    raise ConfigError("no keys for this test", zh="本测试没有密钥")


def _larger(face_jpeg: bytes) -> bytes:
    out = io.BytesIO()
    Image.open(io.BytesIO(face_jpeg)).resize((1280, 960)).save(out, format="JPEG", quality=90)
    return out.getvalue()


@pytest.mark.parametrize("faces_later", [False, True])
def test_a_larger_picture_is_preflighted_first_and_sent_once(box, face_jpeg, faces_later):
    outcome = _check(box, _larger(face_jpeg), faces_later=faces_later)
    # In the 640 px box the face would be 98 px: the pre-flight keeps more pixels.
    assert max(outcome.prepared.size) > 640 and outcome.detection is not None
    assert outcome.prepared.faces  # the pre-flight came first, even with faces_later
    assert box.stats()["calls"] == 1  # only what the pre-flight chose is sent


def test_on_the_real_service_the_call_waits_for_the_preflight(box, face_jpeg):
    outcome = _check(box, _larger(face_jpeg), backend="tencent")
    assert max(outcome.prepared.size) > 640 and outcome.detection is not None
    assert box.stats()["calls"] == 1  # one paid call, of what the pre-flight chose


def test_a_check_kept_unfinished_gets_its_preflight_and_picture_in_the_next_run(box, face_jpeg):
    """`remember(finish=...)`: kept at once (History, no-resend cache) without the pre-flight
    or History's picture; `finish_kept_check` (the next run) adds both, sending nothing."""
    from streamlit.testing.v1 import AppTest

    def page(url: str, data: bytes) -> None:
        import streamlit as st

        from client import Credentials, FaceIdClient
        from components.check_run import run_check
        from components.context import AppContext
        from components.state import CURRENT, HISTORY, finish_kept_check, outcome_for, remember
        from media import PrepareOptions
        from sandbox import DEMO_SECRET_ID, DEMO_SECRET_KEY

        def warned(outcome: object) -> list[str]:
            return [w.code for w in outcome.prepared.warnings]  # type: ignore[attr-defined]

        credentials = Credentials(DEMO_SECRET_ID, DEMO_SECRET_KEY, source="test")
        ctx = AppContext(
            lang="en",
            backend="sandbox",
            endpoint=url,
            region=None,
            prepare_options=PrepareOptions(),
            credentials_source="test",
            make_client=lambda: FaceIdClient(credentials, endpoint=url, language="en-US"),
        )
        if "kept" not in st.session_state:  # the run that sends the verdict alone
            outcome = run_check(
                ctx, data, filename="f.jpg", source="upload", calls_left=5, faces_later=True
            )
            remember(outcome, finish=ctx.prepare_options)
            entry = HISTORY.get()[0]
            st.session_state["kept"] = (entry.picture is None, warned(CURRENT.get()))
        else:  # the next run
            finish_kept_check()
            entry = HISTORY.get()[0]
            cached = outcome_for(entry.key)
            st.session_state["finished"] = (
                entry.picture is not None,
                warned(CURRENT.get()),
                warned(entry),
                cached is CURRENT.get(),
                len(HISTORY.get()),
            )

    at = AppTest.from_function(page, args=(box.url, face_jpeg), default_timeout=60)
    at.run()
    assert not at.exception
    assert at.session_state["kept"] == (True, [])
    at.run()
    assert not at.exception
    assert at.session_state["finished"] == (True, ["small_face"], ["small_face"], True, 1)
    assert box.stats()["calls"] == 1
