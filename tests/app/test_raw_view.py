"""The Raw view: the request is shown for refused calls too, and the snippets carry the
sandbox's demo keys and current address, or placeholders for Tencent Cloud."""

from __future__ import annotations

from sandbox import DEMO_SECRET_ID, DEMO_SECRET_KEY

SECRET_ID = "AKIDRawViewTest00EXAMPLE"
SECRET_KEY = "RawViewKey-5b1d77e0a9-NeverShowMe"


def _upload(at, data: bytes) -> None:
    at.segmented_control(key="way_in").set_value("upload").run()
    at.file_uploader(key="upload").upload("face.jpg", data, "image/jpeg").run()
    if any(b.key == "check_send" for b in at.button):  # the real service: sent on a click
        at.button(key="check_send").click().run()


SNIPPET_SYNTAX = {"bash", "python", "javascript", "go", "java"}


def _snippets(at) -> dict[str, str]:
    return {c.language: c.value for c in at.code if c.language in SNIPPET_SYNTAX}


def test_refused_call_shows_the_request_and_placeholder_snippets(
    new_app, read, own_sandbox, face_jpeg
):
    box = own_sandbox(secret_id=SECRET_ID, secret_key="another-key-than-the-page-has")
    at = new_app(
        {
            "backend": "tencent",
            "endpoint": box.url,
            "TENCENTCLOUD_SECRET_ID": SECRET_ID,
            "TENCENTCLOUD_SECRET_KEY": SECRET_KEY,
            "language": "en",
        }
    )
    _upload(at, face_jpeg)
    assert not at.exception
    assert read.error_codes_shown(at) == ["AuthFailure.SignatureFailure"]
    request, response = [c.value for c in at.code if c.language == "json"][:2]
    assert '"x-tc-action": "DetectAIFakeFaces"' in request
    assert "Signature=<redacted>" in request and '"FaceInput": "<base64' in request
    assert "AuthFailure.SignatureFailure" in response
    snippets = _snippets(at)
    assert set(snippets) == SNIPPET_SYNTAX
    assert "AKIDEXAMPLE" in snippets["python"] and "YOUR_SECRET_KEY" in snippets["python"]
    page = read.all_protos_text(at)
    assert SECRET_KEY not in page and SECRET_ID not in page


def test_sandbox_snippets_carry_the_demo_keys_and_current_address(new_app, face_jpeg):
    at = new_app()
    _upload(at, face_jpeg)
    assert not at.exception
    request = next(c.value for c in at.code if c.language == "json")
    port = request.split("http://127.0.0.1:", 1)[1].split("/", 1)[0]
    snippets = [c.value for c in at.code if c.language in SNIPPET_SYNTAX]
    assert len(snippets) == 6  # curl, Python, Node.js, Go, Java, tccli
    for text in snippets:
        assert DEMO_SECRET_ID in text and DEMO_SECRET_KEY in text
        assert f"127.0.0.1:{port}" in text
    assert any(f"--endpoint http://127.0.0.1:{port}" in text for text in snippets)
    # Comments in the page language (Chinese by default).
    assert any("演示密钥" in text for text in snippets)
