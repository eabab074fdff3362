"""Signing: byte for byte the official SDK's Authorization, Tencent's published example,
the CONTRACT.md vector, and the httpx auth flow."""

from __future__ import annotations

import base64
import json

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from client import Credentials, FaceIdClient, signing

SECRET_KEY = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"

# Timestamps: anywhere 2001..2096, and within two minutes of a UTC midnight.
_any_time = st.integers(min_value=1_000_000_000, max_value=4_000_000_000)
_near_midnight = st.builds(
    lambda day, offset: day * 86400 + offset,
    st.integers(min_value=11_574, max_value=46_000),
    st.integers(min_value=-120, max_value=120),
)
timestamps = st.one_of(_any_time, _near_midnight)
_label = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12)
hosts = st.one_of(
    st.sampled_from(
        [
            "faceid.tencentcloudapi.com",
            "faceid.intl.tencentcloudapi.com",
            "faceid.ap-guangzhou.tencentcloudapi.com",
        ]
    ),
    st.builds(lambda a, b: f"{a}.{b}.example", _label, _label),
    # host:port; our client reaches these over http://, where httpx (RFC 9110) leaves the
    # default port 80 out of Host and we sign the Host we send, so 80 is not compared here.
    st.builds(
        lambda port: f"127.0.0.1:{port}",
        st.integers(min_value=1, max_value=65535).filter(lambda p: p != 80),
    ),
)
_ascii_secret = st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=40
)
tokens = st.one_of(st.none(), _ascii_secret)


def _send_with_our_client(
    credentials: Credentials,
    endpoint: str,
    timestamp: int,
    data: bytes,
    kind: int,
    region: str,
    language: str,
) -> httpx.Request:
    """Run our FaceIdClient against a MockTransport and return the request it sent."""
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"Response": {"AttackRiskLevel": "Low", "RequestId": "r"}})

    with FaceIdClient(
        credentials,
        endpoint=endpoint,
        region=region,
        language=language,
        clock=lambda: timestamp + 0.75,
        transport=httpx.MockTransport(handler),
    ) as api:
        api.detect(data, kind)
    return sent[0]


@settings(max_examples=150, deadline=None)
@given(
    timestamp=timestamps,
    host=hosts,
    secret_id=_ascii_secret,
    secret_key=_ascii_secret,
    token=tokens,
    data=st.binary(min_size=1, max_size=3000),
    kind=st.sampled_from([1, 2]),
    region=st.sampled_from(["", "ap-guangzhou", "ap-singapore"]),
    language=st.sampled_from(["zh-CN", "en-US"]),
)
def test_client_request_matches_official_sdk(
    sdk, timestamp, host, secret_id, secret_key, token, data, kind, region, language
):
    """The whole request our client sends (body, Authorization, X-TC-* headers) equals the SDK's."""
    face_input = base64.b64encode(data).decode()
    capture = sdk.detect_request(
        secret_id=secret_id,
        secret_key=secret_key,
        token=token,
        timestamp=timestamp,
        endpoint=host,
        face_input=face_input,
        face_input_type=kind,
        region=region,
        language=language,
    )
    endpoint = f"http://{host}" if ":" in host else host
    request = _send_with_our_client(
        Credentials(secret_id, secret_key, token), endpoint, timestamp, data, kind, region, language
    )
    ours = dict(request.headers)
    ours_named = {k: request.headers[k] for k in ("Content-Type", "Host", "X-TC-Timestamp")}
    problem = sdk.first_divergence(
        capture,
        secret_key=secret_key,
        body=request.content,
        headers=ours_named,
        authorization=ours["authorization"],
    )
    assert problem is None, problem
    for name in (
        "X-TC-Action",
        "X-TC-Version",
        "X-TC-Timestamp",
        "X-TC-Language",
        "Content-Type",
        "Host",
    ):
        assert request.headers.get(name) == capture.headers.get(name), name
    assert request.headers.get("X-TC-Region") == (capture.headers.get("X-TC-Region") or None)
    assert request.headers.get("X-TC-Token") == capture.headers.get("X-TC-Token")


@settings(max_examples=150, deadline=None)
@given(
    timestamp=timestamps,
    host=hosts,
    secret_key=st.text(min_size=1, max_size=40).filter(lambda s: s.strip() == s and s.strip()),
    body=st.text(max_size=400),
    content_type=st.sampled_from(["application/json", "application/json; charset=utf-8"]),
)
def test_stages_match_sdk_on_non_ascii_bodies(sdk, timestamp, host, secret_key, body, content_type):
    """Over arbitrary Unicode bodies and keys, every stage equals the SDK's TC3 code."""
    capture = sdk.sign_body(
        secret_id="AKIDEXAMPLE",
        secret_key=secret_key,
        timestamp=timestamp,
        host=host,
        content_type=content_type,
        body=body,
    )
    headers = {"Content-Type": content_type, "Host": host, "X-TC-Timestamp": str(timestamp)}
    ours = signing.sign(
        secret_id="AKIDEXAMPLE",
        secret_key=secret_key,
        service="faceid",
        timestamp=timestamp,
        method="POST",
        headers={"content-type": content_type, "host": host},
        payload=body.encode("utf-8"),
    )
    problem = sdk.first_divergence(
        capture,
        secret_key=secret_key,
        body=body.encode("utf-8"),
        headers=headers,
        authorization=ours,
    )
    assert problem is None, problem


def test_divergence_names_the_stage(sdk):
    """The comparison itself can fail, and says where: a wrong date, a wrong host."""
    ts = 1551139199  # 2019-02-25 23:59:59 UTC
    capture = sdk.sign_body(
        secret_id="AKIDEXAMPLE",
        secret_key=SECRET_KEY,
        timestamp=ts,
        host="faceid.tencentcloudapi.com",
        content_type="application/json",
        body="{}",
    )
    good = {
        "Content-Type": "application/json",
        "Host": "faceid.tencentcloudapi.com",
        "X-TC-Timestamp": str(ts),
    }
    auth = capture.headers["Authorization"]
    assert (
        sdk.first_divergence(
            capture, secret_key=SECRET_KEY, body=b"{}", headers=good, authorization=auth
        )
        is None
    )
    wrong_host = dict(good, Host="faceid.intl.tencentcloudapi.com")
    problem = sdk.first_divergence(
        capture, secret_key=SECRET_KEY, body=b"{}", headers=wrong_host, authorization=auth
    )
    assert problem and problem.startswith("stage canonical_request diverged")
    next_day = dict(good, **{"X-TC-Timestamp": str(ts + 1)})
    problem = sdk.first_divergence(
        capture, secret_key=SECRET_KEY, body=b"{}", headers=next_day, authorization=auth
    )
    assert problem and "timestamp differs" in problem
    problem = sdk.first_divergence(
        capture, secret_key="other", body=b"{}", headers=good, authorization=auth
    )
    assert problem and problem.startswith("stage signing_key/signature diverged")


def test_scope_date_is_utc_not_local():
    """1551113065 is 2019-02-26 00:44 in UTC+8 but 2019-02-25 in UTC: the scope uses UTC."""
    assert signing.utc_date(1551113065) == "2019-02-25"
    assert signing.utc_date(1551139199) == "2019-02-25"
    assert signing.utc_date(1551139200) == "2019-02-26"


def test_tencent_published_describe_instances_example():
    """Tencent's signature v3 document (CVM DescribeInstances, ap-guangzhou, timestamp
    1551113065, SecretKey Gu5t9xGARNpq86cd98joQYCN3EXAMPLE) publishes each stage's value:
    payload hash 35e9c5b0…, canonical request hash 5ffe6a04…, signature 72e494ea…
    (cloud.tencent.com/document/api/213/30654, English edition of the same page)."""
    body = (
        b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
    )
    headers = {"content-type": "application/json; charset=utf-8", "host": "cvm.tencentcloudapi.com"}
    payload_hash = signing.sha256_hex(body)
    assert payload_hash == "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
    canonical = signing.canonical_request(
        "POST", "/", "", headers, ["content-type", "host"], payload_hash
    )
    assert canonical == (
        "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\n"
        "content-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
    )
    assert (
        signing.sha256_hex(canonical)
        == "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
    )
    scope = signing.credential_scope(1551113065, "cvm")
    assert scope == "2019-02-25/cvm/tc3_request"
    to_sign = signing.string_to_sign(1551113065, scope, canonical)
    assert to_sign == (
        "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
        "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
    )
    sig = signing.signature(signing.signing_key(SECRET_KEY, "2019-02-25", "cvm"), to_sign)
    assert sig == "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
    assert signing.sign(
        secret_id="AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        secret_key=SECRET_KEY,
        service="cvm",
        timestamp=1551113065,
        method="POST",
        headers=headers,
        payload=body,
    ) == (
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, "
        "SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
    )


def test_contract_vector_through_the_client():
    """CONTRACT.md's vector, produced by FaceIdClient itself (body serialised like the SDK)."""
    request = _send_with_our_client(
        Credentials("AKIDEXAMPLE", SECRET_KEY),
        "faceid.tencentcloudapi.com",
        1700000000,
        base64.b64decode("/9j/4AAQSkZJRgABAQ=="),
        1,
        "",
        "zh-CN",
    )
    assert request.content == b'{"FaceInput": "/9j/4AAQSkZJRgABAQ==", "FaceInputType": 1}'
    canonical = signing.canonical_request(
        "POST",
        "/",
        "",
        {"content-type": "application/json", "host": "faceid.tencentcloudapi.com"},
        ["content-type", "host"],
        signing.sha256_hex(request.content),
    )
    assert (
        signing.sha256_hex(canonical)
        == "a288297445592635b9edcafcb6096b586839a462ef397fc65aeba7be22177123"
    )
    assert request.headers["Authorization"].endswith(
        "Signature=7c6073bc2b1773b708bfa29efd7eebcba884a39553355286293a5f3ea6d852e9"
    )
    assert request.headers["X-TC-Timestamp"] == "1700000000"


def test_unsigned_payload_variant_hashes_the_literal():
    """With X-TC-Content-SHA256: UNSIGNED-PAYLOAD the literal is hashed, not the body."""
    common = dict(
        secret_id="AKIDEXAMPLE",
        secret_key=SECRET_KEY,
        service="faceid",
        timestamp=1700000000,
        method="POST",
    )
    unsigned = {
        "content-type": "application/json",
        "host": "h",
        "X-TC-Content-SHA256": "UNSIGNED-PAYLOAD",
    }
    assert signing.sign(headers=unsigned, payload=b"a", **common) == signing.sign(
        headers=unsigned, payload=b"b", **common
    )
    signed = {"content-type": "application/json", "host": "h"}
    assert signing.sign(headers=signed, payload=b"a", **common) != signing.sign(
        headers=signed, payload=b"b", **common
    )


def test_auth_flow_signs_exact_body_and_sets_token():
    """Driving TC3Auth's flow by hand: one yield, timestamp from the clock, token header."""
    auth = signing.TC3Auth(
        "AKIDEXAMPLE", SECRET_KEY, service="faceid", token="tok", clock=lambda: 1700000000.9
    )
    body = json.dumps({"FaceInput": "/9j/4AAQSkZJRgABAQ==", "FaceInputType": 1}).encode()
    request = httpx.Request(
        "POST",
        "https://faceid.tencentcloudapi.com/",
        content=body,
        headers={"Content-Type": "application/json"},
    )
    flow = auth.auth_flow(request)
    signed = next(flow)
    with pytest.raises(StopIteration):
        flow.send(httpx.Response(200))
    assert signed.headers["X-TC-Timestamp"] == "1700000000"
    assert signed.headers["X-TC-Token"] == "tok"
    assert signed.headers["Authorization"].endswith(
        "Signature=7c6073bc2b1773b708bfa29efd7eebcba884a39553355286293a5f3ea6d852e9"
    )
    assert SECRET_KEY not in repr(auth)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "Basic abc",
        "TC3-HMAC-SHA256 Credential=a/b/c, SignedHeaders=x, Signature=s",
        "TC3-HMAC-SHA256 Credential=a/2019-01-01/faceid/tc3_request, Signature=s",
    ],
)
def test_parse_authorization_rejects_malformed(value):
    """A verifier gets ValueError for headers that are not complete TC3 authorizations."""
    with pytest.raises(ValueError):
        signing.parse_authorization(value)


def test_parse_authorization_round_trip():
    """Parsing the header we produce gives back its parts."""
    value = signing.authorization_header(
        "AKIDEXAMPLE", "2019-02-25/faceid/tc3_request", ["host", "content-type"], "ab12"
    )
    parsed = signing.parse_authorization(value)
    assert (
        parsed.secret_id,
        parsed.date,
        parsed.service,
        parsed.signed_headers,
        parsed.signature,
    ) == ("AKIDEXAMPLE", "2019-02-25", "faceid", ("content-type", "host"), "ab12")


def test_default_port_in_endpoint_signs_the_host_actually_sent():
    """`http://127.0.0.1:80` goes out with `Host: 127.0.0.1`; the signature covers that Host."""
    request = _send_with_our_client(
        Credentials("AKIDEXAMPLE", SECRET_KEY),
        "http://127.0.0.1:80",
        1700000000,
        b"x",
        1,
        "",
        "zh-CN",
    )
    assert request.headers["Host"] == "127.0.0.1"
    assert request.headers["Authorization"] == signing.sign(
        secret_id="AKIDEXAMPLE",
        secret_key=SECRET_KEY,
        service="faceid",
        timestamp=1700000000,
        method="POST",
        headers={"content-type": "application/json", "host": "127.0.0.1"},
        payload=request.content,
    )
