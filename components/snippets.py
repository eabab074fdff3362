"""The same call as curl, Python SDK and tccli snippets, with placeholder credentials.

Pure text builders (no Streamlit): the Raw expander shows them; tests read them.
"""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = [
    "PLACEHOLDER_ID",
    "PLACEHOLDER_KEY",
    "curl_snippet",
    "endpoint_parts",
    "python_sdk_snippet",
    "tccli_snippet",
]

PLACEHOLDER_ID = "AKIDEXAMPLE"
PLACEHOLDER_KEY = "YOUR_SECRET_KEY"


def endpoint_parts(endpoint: str) -> tuple[str, str]:
    """(scheme, host[:port]) of a host name or a full URL."""
    if "://" in endpoint:
        parts = urlsplit(endpoint)
        return parts.scheme or "https", parts.netloc
    return "https", endpoint


def _file_name(input_type: int) -> str:
    """A placeholder file name for the kind of input."""
    return "clip.mp4" if input_type == 2 else "face.jpg"


def curl_snippet(endpoint: str, region: str | None, language: str, input_type: int) -> str:
    """A curl call; the TC3 signature must be computed for the exact body (placeholder)."""
    scheme, host = endpoint_parts(endpoint)
    region_header = f'  -H "X-TC-Region: {region}" \\\n' if region else ""
    return (
        "# Authorization is a TC3-HMAC-SHA256 signature of this exact body and timestamp;\n"
        "# compute it with the SDK or tccli (see the other tabs) or Tencent's signature v3 guide.\n"
        f"curl -X POST {scheme}://{host}/ \\\n"
        '  -H "Content-Type: application/json" \\\n'
        '  -H "X-TC-Action: DetectAIFakeFaces" \\\n'
        '  -H "X-TC-Version: 2018-03-01" \\\n'
        '  -H "X-TC-Timestamp: $(date +%s)" \\\n'
        f"{region_header}"
        f'  -H "X-TC-Language: {language}" \\\n'
        f'  -H "Authorization: TC3-HMAC-SHA256 Credential={PLACEHOLDER_ID}/$(date -u +%Y-%m-%d)'
        '/faceid/tc3_request, SignedHeaders=content-type;host, Signature=<signature>" \\\n'
        f'  -d \'{{"FaceInput": "\'"$(base64 -w0 {_file_name(input_type)})"\'", '
        f'"FaceInputType": {input_type}}}\''
    )


def python_sdk_snippet(endpoint: str, region: str | None, language: str, input_type: int) -> str:
    """The call through Tencent's official Python SDK (tencentcloud-sdk-python-faceid)."""
    scheme, host = endpoint_parts(endpoint)
    protocol = f', protocol="{scheme}"' if scheme != "https" else ""
    return (
        "# pip install tencentcloud-sdk-python-faceid\n"
        "import base64\n\n"
        "from tencentcloud.common import credential\n"
        "from tencentcloud.common.profile.client_profile import ClientProfile\n"
        "from tencentcloud.common.profile.http_profile import HttpProfile\n"
        "from tencentcloud.faceid.v20180301 import faceid_client, models\n\n"
        f'cred = credential.Credential("{PLACEHOLDER_ID}", "{PLACEHOLDER_KEY}")\n'
        f'http_profile = HttpProfile(endpoint="{host}"{protocol})\n'
        f'profile = ClientProfile(httpProfile=http_profile, language="{language}")\n'
        f'client = faceid_client.FaceidClient(cred, "{region or ""}", profile)\n\n'
        "request = models.DetectAIFakeFacesRequest()\n"
        f'with open("{_file_name(input_type)}", "rb") as fh:\n'
        '    request.FaceInput = base64.b64encode(fh.read()).decode("ascii")\n'
        f"request.FaceInputType = {input_type}\n"
        "response = client.DetectAIFakeFaces(request)\n"
        "print(response.AttackRiskLevel, response.RequestId)\n"
    )


def tccli_snippet(endpoint: str, region: str | None, language: str, input_type: int) -> str:
    """The call through tccli (Tencent Cloud's command line)."""
    scheme, host = endpoint_parts(endpoint)
    region_flag = f" --region {region}" if region else ""
    endpoint_flag = f" --endpoint {host}" if host else ""
    return (
        "# pip install tccli ; once: "
        f"tccli configure set secretId {PLACEHOLDER_ID} secretKey {PLACEHOLDER_KEY}\n"
        f"tccli faceid DetectAIFakeFaces{region_flag}{endpoint_flag} \\\n"
        f'  --FaceInput "$(base64 -w0 {_file_name(input_type)})" --FaceInputType {input_type}'
        + (
            ""
            if scheme == "https"
            else "\n# tccli speaks HTTPS only; use the SDK for an http:// sandbox"
        )
    )
