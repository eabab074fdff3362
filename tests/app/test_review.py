"""Findings of the page review: what a non-developer sees, in both languages.

No keys for Tencent Cloud, a text file uploaded, a refused key, traces read aloud, the
History table, and the Evaluate charts' labels.
"""

from __future__ import annotations

import hashlib
from html import escape

from client import trace_explanation
from components.evaluate_results import _confusion_chart
from components.history import history_rows
from components.i18n import load_strings

SECRET_ID = "AKIDReviewTest0000EXAMPLE"
SECRET_KEY = "ReviewTestKey-2b7c5e-NeverShowMe"
ZH = load_strings("zh")
EN = load_strings("en")


def _zh(at) -> None:
    """Switch the page to Chinese."""
    at.sidebar.segmented_control(key="lang").set_value("zh").run()


def test_no_keys_for_tencent_cloud_says_what_to_do_in_plain_chinese(new_app, read, face_jpeg):
    at = new_app({"backend": "tencent", "language": "zh"})
    assert any(ZH["sidebar.creds_none"] == w.value for w in at.sidebar.warning)
    read.choose_way_in(at, "upload")
    at.file_uploader(key="upload").upload("face.jpg", face_jpeg, "image/jpeg").run()
    at.button(key="check_send").click().run()  # the real service sends only on a click
    assert not at.exception
    assert read.error_codes_shown(at) == []  # not a technical error card
    assert ZH["errors.no_keys"] in [w.value for w in at.main.warning]
    page = read.all_protos_text(at)
    assert ZH["errors.no_keys"] in page  # the reader sees the page's own text
    assert "no Tencent Cloud credentials" not in page  # the client's English note stays out
    rows = history_rows(list(at.session_state["history"]), "zh")
    assert rows[0]["result"] == f"❗ {ZH['history.keys']}"


def test_a_text_file_is_explained_in_the_page_language_not_refused_in_english(new_app, read):
    at = new_app({"language": "zh"})
    read.choose_way_in(at, "upload")
    uploader = at.file_uploader(key="upload")
    assert list(uploader.proto.type) == []  # no filter: Streamlit's English refusal never shows
    uploader.upload("notes.txt", b"just some notes\n" * 4, "text/plain").run()
    assert not at.exception
    assert any("不是支持的照片或视频" in card for card in read.error_cards(at))
    row = history_rows(list(at.session_state["history"]), "zh")[0]
    assert row["thumbnail"] is None  # shown as the table's placeholder, not "None"
    assert "；" not in row["result"] and ";" not in row["result"]  # the reason, not the advice


def test_a_refused_key_gets_its_card_and_the_raw_view_shows_the_request_sent(
    new_app, read, own_sandbox, face_jpeg
):
    box = own_sandbox(secret_id=SECRET_ID, secret_key=SECRET_KEY)
    bogus = "AKIDNotTheRightOne0000EXAMPLE"
    at = new_app(
        {
            "backend": "tencent",
            "endpoint": box.url,
            "language": "en",
            "TENCENTCLOUD_SECRET_ID": bogus,
            "TENCENTCLOUD_SECRET_KEY": "NotTheRightKey-0000",
        }
    )
    read.choose_way_in(at, "upload")
    at.file_uploader(key="upload").upload("face.jpg", face_jpeg, "image/jpeg").run()
    at.button(key="check_send").click().run()  # the real service sends only on a click
    codes = read.error_codes_shown(at)
    assert len(codes) == 1 and codes[0].startswith("AuthFailure")
    captions = [c.value for c in at.caption]
    assert EN["raw.request_refused"] in captions  # the request itself is shown
    assert EN["raw.no_request"] not in captions  # it was sent: the service answered
    request = next(c.value for c in at.code if c.language == "json")
    assert "Signature=<redacted>" in request and bogus not in request  # SecretId masked
    assert "NotTheRightKey-0000" not in read.all_protos_text(at)


def test_each_trace_is_read_out_in_chinese_beside_its_chip(new_app, read):
    at = new_app({"language": "zh"})
    read.choose_way_in(at, "sample")
    at.button(key="sample_printed-photo").click().run()
    assert read.verdicts(at) == [("Mid", "amber")]
    card = next(m.value for m in at.markdown if "adf-verdict" in m.value)
    assert f"{ZH['verdict.advice']}</b>：" in card  # a Chinese colon in a Chinese sentence
    traces = next(m.value for m in at.markdown if "adf-chip" in m.value)
    for trace in ("SuspectedSpoofingAttack", "SuspectedWatermark"):
        meaning = trace_explanation(trace, "zh")
        assert meaning and escape(meaning) in traces
        assert traces.index(trace) < traces.index(escape(meaning))  # chip, then its meaning


def test_evaluate_confusion_labels_are_in_the_page_language() -> None:
    counts = {"Low": 1, "Mid": 0, "High": 2, "none": 1}
    metrics = {
        "confusion": {"bona_fide": counts, "attack": counts},
        "confusion_by_type": {"face_swap": counts},
    }
    data = _confusion_chart(metrics, "zh").to_dict()["datasets"]
    values = next(iter(data.values()))
    labels = {row["label"] for row in values}
    outcomes = {row["outcome"] for row in values}
    assert labels == {
        ZH["evaluate.class_bona_fide"],
        ZH["evaluate.class_attack"],
        "攻击 · face_swap",
    }
    assert outcomes == {"Low", "Mid", "High", ZH["evaluate.outcome_none"]}


def test_every_refusal_before_sending_has_a_history_text_in_both_languages() -> None:
    for kind in ("keys", "cap", "unexpected"):
        assert EN.get(f"history.{kind}") and ZH.get(f"history.{kind}"), kind


def test_preview_pictures_are_made_once_per_content(monkeypatch, face_jpeg: bytes) -> None:
    """Reruns (any widget touched) reuse the preview instead of decoding the media again."""
    import components.preview as preview
    from media import first_frame

    decoded: list[int] = []

    def counting_first_frame(data: bytes, **options: int):
        decoded.append(len(data))
        return first_frame(data, **options)

    monkeypatch.setattr(preview, "first_frame", counting_first_frame)
    preview.preview_jpeg.clear()
    sha = hashlib.sha256(face_jpeg).hexdigest()
    plain = preview.preview_jpeg(sha, face_jpeg)
    boxed = preview.preview_jpeg(sha, face_jpeg, ((10, 10, 80, 80),))
    assert plain is not None and boxed is not None and plain != boxed  # the box is drawn
    assert preview.preview_jpeg(sha, face_jpeg) == plain
    assert preview.preview_jpeg(sha, face_jpeg, ((10, 10, 80, 80),)) == boxed
    assert len(decoded) == 2  # once per (content, boxes), not once per rerun
    assert preview.preview_jpeg("other", b"not a picture") is None


def test_evaluate_run_names_use_the_pages_backend_names() -> None:
    from components.evaluate_results import _run_label
    from evaluation import RunInfo, RunSettings

    settings = RunSettings("sandbox", "local-sandbox:x", None, 1.0, 2, {})
    run = RunInfo(3, "/tmp/x/set.zip", settings, "finished", "2026-12-01T10:00:00+00:00", "", 1, 1)
    assert (
        _run_label(run, "zh")
        == f"#3 · set.zip · 2026-12-01 10:00 · {ZH['sidebar.backend_sandbox']}"
    )
