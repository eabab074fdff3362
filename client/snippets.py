"""The same DetectAIFakeFaces call as curl, Python, Node.js, Go, Java and tccli snippets.

Pure text builders (no Streamlit): the page's Raw view shows them, tests run them. Each
snippet reads the input from a file (`input_file_name`), targets the endpoint it is given
and carries the keys it is given: the sandbox's public demo pair makes it runnable
against the page's sandbox as shown; without keys it has placeholders to replace (real
Tencent Cloud). Only scheme, host and port of the endpoint are ever written out (never
user info, path or query). Comments come from the caller in the page language.

    snippets = build_snippets(SnippetTarget(endpoint, None, "en-US", 1, 80_000), comments)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

__all__ = [
    "COMMENT_KEYS",
    "PLACEHOLDER_ID",
    "PLACEHOLDER_KEY",
    "SNIPPET_KINDS",
    "SNIPPET_SYNTAX",
    "TCCLI_FILE_THRESHOLD",
    "SnippetTarget",
    "build_snippets",
    "endpoint_parts",
    "input_file_name",
]

PLACEHOLDER_ID = "AKIDEXAMPLE"
PLACEHOLDER_KEY = "YOUR_SECRET_KEY"
# Base64 longer than this goes to tccli as a file: one Linux argument holds 128 KiB at most.
TCCLI_FILE_THRESHOLD = 100 * 1024
SNIPPET_KINDS = ("curl", "python", "node", "go", "java", "tccli")
SNIPPET_SYNTAX = {
    "curl": "bash",
    "python": "python",
    "node": "javascript",
    "go": "go",
    "java": "java",
    "tccli": "bash",
}
# The comment texts a caller passes (`raw.snippet.*` in the locale files).
COMMENT_KEYS = (
    "keys_sandbox",
    "keys_placeholder",
    "input_file",
    "install",
    "run",
    "curl_sign",
    "curl_body",
    "tccli_file",
)


@dataclass(frozen=True)
class SnippetTarget:
    """Where and what the snippets send. `secret_id`/`secret_key` only for the sandbox
    (its public demo pair); None gives placeholders."""

    endpoint: str
    region: str | None
    language: str  # X-TC-Language: "zh-CN" or "en-US"
    input_type: int
    base64_chars: int = 0  # length of FaceInput, decides tccli's file form
    mime: str = ""
    secret_id: str | None = None
    secret_key: str | None = field(default=None, repr=False)

    @property
    def keys(self) -> tuple[str, str]:
        """The keys written into the snippets."""
        if self.secret_id and self.secret_key:
            return self.secret_id, self.secret_key
        return PLACEHOLDER_ID, PLACEHOLDER_KEY

    @property
    def real_keys(self) -> bool:
        """Whether the snippets carry usable (sandbox demo) keys rather than placeholders."""
        return bool(self.secret_id and self.secret_key)


_HOST_CHARS = re.compile(r"^[A-Za-z0-9.:\-]+$")


def endpoint_parts(endpoint: str) -> tuple[str, str]:
    """(scheme, host[:port]) of a host name or a URL; user info, path and query dropped,
    and `<endpoint>` for a host that does not parse (it may hold anything typed)."""
    parts = urlsplit(endpoint if "://" in endpoint else f"https://{endpoint}")
    host = parts.hostname or ""
    if not _HOST_CHARS.match(host):
        host = "<endpoint>"
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    return (parts.scheme or "https").lower(), f"{host}:{port}" if port else host


def input_file_name(input_type: int, mime: str = "") -> str:
    """The file the snippets read: the input as sent, as the Raw view offers it."""
    if input_type == 2:
        return "clip.mp4"
    return "face.png" if mime == "image/png" else "face.jpg"


def _comment(prefix: str, text: str) -> str:
    return "\n".join(f"{prefix} {line}" for line in text.splitlines())


class _Texts:
    """The caller's comment texts, formatted and prefixed for one language."""

    def __init__(self, comments: Mapping[str, str], prefix: str) -> None:
        self._comments = comments
        self._prefix = prefix

    def __call__(self, key: str, **values: str) -> str:
        text = self._comments.get(key, key)
        return _comment(self._prefix, text.format(**values) if values else text)


def _keys_comment(target: SnippetTarget, say: _Texts) -> str:
    return say("keys_sandbox" if target.real_keys else "keys_placeholder")


def curl_snippet(target: SnippetTarget, comments: Mapping[str, str]) -> str:
    """bash + openssl + curl: a TC3-HMAC-SHA256 signed POST for the current time."""
    say = _Texts(comments, "#")
    scheme, host = endpoint_parts(target.endpoint)
    secret_id, secret_key = target.keys
    file = input_file_name(target.input_type, target.mime)
    region = f'  -H "X-TC-Region: {target.region}" \\\n' if target.region else ""
    hmac_hex = "openssl dgst -sha256 -mac HMAC -macopt"
    return (
        f"{_keys_comment(target, say)}\n"
        f"{say('input_file', file=file)}\n"
        f'secret_id="{secret_id}"\n'
        f'secret_key="{secret_key}"\n'
        f'host="{host}"\n'
        "timestamp=$(date +%s)\n"
        'date=$(date -u -d "@$timestamp" +%Y-%m-%d 2>/dev/null || date -u -r "$timestamp" +%Y-%m-%d)\n'
        f"{say('curl_body')}\n"
        f"{{ printf '{{\"FaceInput\":\"'; base64 < {file} | tr -d '\\n'; "
        f'printf \'","FaceInputType":{target.input_type}}}\'; }} > body.json\n'
        f"{say('curl_sign')}\n"
        "payload_hash=$(openssl dgst -sha256 -hex < body.json | awk '{print $NF}')\n"
        "canonical=$(printf 'POST\\n/\\n\\ncontent-type:application/json\\nhost:%s\\n\\n"
        'content-type;host\\n%s\' "$host" "$payload_hash")\n'
        "canonical_hash=$(printf '%s' \"$canonical\" | openssl dgst -sha256 -hex | awk '{print $NF}')\n"
        "to_sign=$(printf 'TC3-HMAC-SHA256\\n%s\\n%s/faceid/tc3_request\\n%s' "
        '"$timestamp" "$date" "$canonical_hash")\n'
        'k_date=$(printf \'%s\' "$date" | openssl dgst -sha256 -hmac "TC3$secret_key" '
        "| awk '{print $NF}')\n"
        f"k_service=$(printf faceid | {hmac_hex} hexkey:\"$k_date\" | awk '{{print $NF}}')\n"
        f'k_signing=$(printf tc3_request | {hmac_hex} hexkey:"$k_service" '
        "| awk '{print $NF}')\n"
        f'signature=$(printf \'%s\' "$to_sign" | {hmac_hex} hexkey:"$k_signing" '
        "| awk '{print $NF}')\n"
        f'curl -sS -X POST "{scheme}://$host/" \\\n'
        '  -H "Authorization: TC3-HMAC-SHA256 Credential=$secret_id/$date/faceid/tc3_request, '
        'SignedHeaders=content-type;host, Signature=$signature" \\\n'
        '  -H "Content-Type: application/json" \\\n'
        '  -H "X-TC-Action: DetectAIFakeFaces" \\\n'
        '  -H "X-TC-Version: 2018-03-01" \\\n'
        '  -H "X-TC-Timestamp: $timestamp" \\\n'
        f"{region}"
        f'  -H "X-TC-Language: {target.language}" \\\n'
        "  --data-binary @body.json\n"
    )


def python_snippet(target: SnippetTarget, comments: Mapping[str, str]) -> str:
    """Tencent's Python SDK (tencentcloud-sdk-python-faceid)."""
    say = _Texts(comments, "#")
    scheme, host = endpoint_parts(target.endpoint)
    secret_id, secret_key = target.keys
    file = input_file_name(target.input_type, target.mime)
    protocol = f', protocol="{scheme}"' if scheme != "https" else ""
    return (
        f"{say('install', command='pip install tencentcloud-sdk-python-faceid')}\n"
        f"{say('run', command='python3 detect.py')}\n"
        "import base64\n\n"
        "from tencentcloud.common import credential\n"
        "from tencentcloud.common.profile.client_profile import ClientProfile\n"
        "from tencentcloud.common.profile.http_profile import HttpProfile\n"
        "from tencentcloud.faceid.v20180301 import faceid_client, models\n\n"
        f"{_keys_comment(target, say)}\n"
        f"cred = credential.Credential({json.dumps(secret_id)}, {json.dumps(secret_key)})\n"
        f"http_profile = HttpProfile(endpoint={json.dumps(host)}{protocol})\n"
        f"profile = ClientProfile(httpProfile=http_profile, language={json.dumps(target.language)})\n"
        f"client = faceid_client.FaceidClient(cred, {json.dumps(target.region or '')}, profile)\n\n"
        f"{say('input_file', file=file)}\n"
        "request = models.DetectAIFakeFacesRequest()\n"
        f'with open({json.dumps(file)}, "rb") as fh:\n'
        '    request.FaceInput = base64.b64encode(fh.read()).decode("ascii")\n'
        f"request.FaceInputType = {target.input_type}\n"
        "response = client.DetectAIFakeFaces(request)\n"
        "print(response.to_json_string())\n"
    )


def node_snippet(target: SnippetTarget, comments: Mapping[str, str]) -> str:
    """Tencent's Node.js SDK (tencentcloud-sdk-nodejs), the faceid service alone."""
    say = _Texts(comments, "//")
    scheme, host = endpoint_parts(target.endpoint)
    secret_id, secret_key = target.keys
    file = input_file_name(target.input_type, target.mime)
    return (
        f"{say('install', command='npm install tencentcloud-sdk-nodejs')}\n"
        f"{say('run', command='node detect.js')}\n"
        'const fs = require("fs");\n'
        'const { faceid } = require("tencentcloud-sdk-nodejs/tencentcloud/services/faceid");\n\n'
        f"{_keys_comment(target, say)}\n"
        "const client = new faceid.v20180301.Client({\n"
        f"  credential: {{ secretId: {json.dumps(secret_id)}, secretKey: {json.dumps(secret_key)} }},\n"
        f"  region: {json.dumps(target.region or '')},\n"
        "  profile: {\n"
        f"    httpProfile: {{ endpoint: {json.dumps(host)}, protocol: {json.dumps(scheme + '://')} }},\n"
        f"    language: {json.dumps(target.language)},\n"
        "  },\n"
        "});\n\n"
        f"{say('input_file', file=file)}\n"
        "client\n"
        "  .DetectAIFakeFaces({\n"
        f'    FaceInput: fs.readFileSync({json.dumps(file)}).toString("base64"),\n'
        f"    FaceInputType: {target.input_type},\n"
        "  })\n"
        "  .then(\n"
        "    (response) => console.log(JSON.stringify(response)),\n"
        "    (error) => {\n"
        "      console.error(error.code, error.message, error.requestId);\n"
        "      process.exitCode = 1;\n"
        "    },\n"
        "  );\n"
    )


def go_snippet(target: SnippetTarget, comments: Mapping[str, str]) -> str:
    """Tencent's Go SDK (github.com/tencentcloud/tencentcloud-sdk-go)."""
    say = _Texts(comments, "//")
    scheme, host = endpoint_parts(target.endpoint)
    secret_id, secret_key = target.keys
    file = input_file_name(target.input_type, target.mime)
    command = "go get github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/faceid"
    return (
        f"{say('install', command=command)}\n"
        f"{say('run', command='go run main.go')}\n"
        "package main\n\n"
        "import (\n"
        '\t"encoding/base64"\n'
        '\t"fmt"\n'
        '\t"os"\n\n'
        '\t"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"\n'
        '\t"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"\n'
        '\tfaceid "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/faceid/v20180301"\n'
        ")\n\n"
        "func main() {\n"
        f"{_keys_comment(target, _Texts(comments, chr(9) + '//'))}\n"
        f"\tcredential := common.NewCredential({json.dumps(secret_id)}, {json.dumps(secret_key)})\n"
        "\tcpf := profile.NewClientProfile()\n"
        f"\tcpf.HttpProfile.Endpoint = {json.dumps(host)}\n"
        f"\tcpf.HttpProfile.Scheme = {json.dumps(scheme.upper())}\n"
        f"\tcpf.Language = {json.dumps(target.language)}\n"
        f"\tclient, err := faceid.NewClient(credential, {json.dumps(target.region or '')}, cpf)\n"
        "\tif err != nil {\n\t\tpanic(err)\n\t}\n"
        f"{_Texts(comments, chr(9) + '//')('input_file', file=file)}\n"
        f"\tdata, err := os.ReadFile({json.dumps(file)})\n"
        "\tif err != nil {\n\t\tpanic(err)\n\t}\n"
        "\trequest := faceid.NewDetectAIFakeFacesRequest()\n"
        "\trequest.FaceInput = common.StringPtr(base64.StdEncoding.EncodeToString(data))\n"
        f"\trequest.FaceInputType = common.Int64Ptr({target.input_type})\n"
        "\tresponse, err := client.DetectAIFakeFaces(request)\n"
        "\tif err != nil {\n\t\tfmt.Println(err)\n\t\tos.Exit(1)\n\t}\n"
        "\tfmt.Println(response.ToJsonString())\n"
        "}\n"
    )


def java_snippet(target: SnippetTarget, comments: Mapping[str, str]) -> str:
    """Tencent's Java SDK (com.tencentcloudapi:tencentcloud-sdk-java-faceid)."""
    say = _Texts(comments, "//")
    inner = _Texts(comments, "        //")
    scheme, host = endpoint_parts(target.endpoint)
    secret_id, secret_key = target.keys
    file = input_file_name(target.input_type, target.mime)
    language = "Language.EN_US" if target.language == "en-US" else "Language.ZH_CN"
    return (
        f"{say('install', command='Maven: com.tencentcloudapi:tencentcloud-sdk-java-faceid')}\n"
        f"{say('run', command='java DetectAIFakeFaces.java')}\n"
        "import com.tencentcloudapi.common.AbstractModel;\n"
        "import com.tencentcloudapi.common.Credential;\n"
        "import com.tencentcloudapi.common.profile.ClientProfile;\n"
        "import com.tencentcloudapi.common.profile.HttpProfile;\n"
        "import com.tencentcloudapi.common.profile.Language;\n"
        "import com.tencentcloudapi.faceid.v20180301.FaceidClient;\n"
        "import com.tencentcloudapi.faceid.v20180301.models.DetectAIFakeFacesRequest;\n"
        "import com.tencentcloudapi.faceid.v20180301.models.DetectAIFakeFacesResponse;\n"
        "import java.nio.file.Files;\n"
        "import java.nio.file.Paths;\n"
        "import java.util.Base64;\n\n"
        "public class DetectAIFakeFaces {\n"
        "    public static void main(String[] args) throws Exception {\n"
        f"{inner('keys_sandbox' if target.real_keys else 'keys_placeholder')}\n"
        f"        Credential cred = new Credential({json.dumps(secret_id)}, {json.dumps(secret_key)});\n"
        "        HttpProfile httpProfile = new HttpProfile();\n"
        f"        httpProfile.setEndpoint({json.dumps(host)});\n"
        f"        httpProfile.setProtocol({json.dumps(scheme + '://')});\n"
        "        ClientProfile clientProfile = new ClientProfile();\n"
        "        clientProfile.setHttpProfile(httpProfile);\n"
        f"        clientProfile.setLanguage({language});\n"
        f"        FaceidClient client = new FaceidClient(cred, {json.dumps(target.region or '')}, "
        "clientProfile);\n"
        f"{inner('input_file', file=file)}\n"
        "        DetectAIFakeFacesRequest request = new DetectAIFakeFacesRequest();\n"
        "        request.setFaceInput(Base64.getEncoder().encodeToString("
        f"Files.readAllBytes(Paths.get({json.dumps(file)}))));\n"
        f"        request.setFaceInputType({target.input_type}L);\n"
        "        DetectAIFakeFacesResponse response = client.DetectAIFakeFaces(request);\n"
        "        System.out.println(AbstractModel.toJsonString(response));\n"
        "    }\n"
        "}\n"
    )


def tccli_snippet(target: SnippetTarget, comments: Mapping[str, str]) -> str:
    """tccli with the endpoint as a URL (`--endpoint http://…` for the sandbox: without a
    scheme tccli speaks HTTPS); the input from a JSON file when its base64 is large.

    Sandbox keys go on the command line (a configured profile's real keys stay as they
    are); placeholders go into `tccli configure`, never on a command line."""
    say = _Texts(comments, "#")
    scheme, host = endpoint_parts(target.endpoint)
    secret_id, secret_key = target.keys
    file = input_file_name(target.input_type, target.mime)
    region = target.region or "ap-guangzhou"
    lines = [say("install", command="pip install tccli"), _keys_comment(target, say)]
    call = f"tccli faceid DetectAIFakeFaces --endpoint {scheme}://{host} --region {region}"
    if target.real_keys:
        call += f" --output json \\\n  --secretId {secret_id} --secretKey {secret_key}"
    else:
        lines.append(
            f"tccli configure set secretId {secret_id} secretKey {secret_key} "
            f"region {region} output json"
        )
    lines.append(say("input_file", file=file))
    if target.base64_chars > TCCLI_FILE_THRESHOLD:
        lines += [
            say("tccli_file"),
            f"{{ printf '{{\"FaceInput\":\"'; base64 < {file} | tr -d '\\n'; "
            f'printf \'","FaceInputType":{target.input_type}}}\'; }} > request.json',
            f"{call} \\\n  --cli-input-json file://request.json",
        ]
    else:
        lines.append(
            f"{call} \\\n  --FaceInput \"$(base64 < {file} | tr -d '\\n')\" "
            f"--FaceInputType {target.input_type}"
        )
    return "\n".join(lines) + "\n"


_BUILDERS: dict[str, Callable[[SnippetTarget, Mapping[str, str]], str]] = {
    "curl": curl_snippet,
    "python": python_snippet,
    "node": node_snippet,
    "go": go_snippet,
    "java": java_snippet,
    "tccli": tccli_snippet,
}


def build_snippets(target: SnippetTarget, comments: Mapping[str, str]) -> dict[str, str]:
    """Every snippet for `target`, keyed by `SNIPPET_KINDS` (in that order).

    `comments` maps each of `COMMENT_KEYS` to its text in the page language (`{file}`
    and `{command}` are filled in)."""
    return {kind: _BUILDERS[kind](target, comments) for kind in SNIPPET_KINDS}
