"""Where the deployment's keys may go: Tencent's own hosts, and endpoints the operator lists.

A visitor may type any endpoint, but the keys of the deployment (app secrets, environment,
profile files) only sign requests to `*.tencentcloudapi.com` over HTTPS, to the endpoint
the operator set, or to one in `allowed_endpoints`. Keys pasted in this browser session
may go anywhere the visitor asks.
"""

from __future__ import annotations

from client import ConfigError, Credentials, parse_endpoint
from components.app_secrets import AppSecrets

__all__ = ["ENDPOINT_REFUSED_CODE", "endpoint_refusal", "is_tencent_host", "safe_endpoint_text"]

ENDPOINT_REFUSED_CODE = "App.EndpointNeedsOwnKeys"
TENCENT_DOMAIN = ".tencentcloudapi.com"


def is_tencent_host(endpoint: str) -> bool:
    """Whether `endpoint` is one of Tencent Cloud's API hosts over HTTPS on the usual port."""
    try:
        url = parse_endpoint(endpoint)
    except ConfigError:
        return False
    host = url.host.lower()
    return url.scheme == "https" and url.port in (None, 443) and host.endswith(TENCENT_DOMAIN)


def _same_endpoint(a: str, b: str) -> bool:
    """Whether two endpoint texts name the same URL once parsed."""
    try:
        return str(parse_endpoint(a)) == str(parse_endpoint(b))
    except ConfigError:
        return False


def operator_listed(endpoint: str, secrets: AppSecrets) -> bool:
    """Whether the deployment's settings name this endpoint (`endpoint` or `allowed_endpoints`)."""
    listed = (*((secrets.endpoint,) if secrets.endpoint else ()), *secrets.allowed_endpoints)
    return any(_same_endpoint(endpoint, other) for other in listed)


def endpoint_refusal(
    endpoint: str, credentials: Credentials | None, secrets: AppSecrets
) -> ConfigError | None:
    """Why these keys may not be sent to `endpoint`, or None when they may."""
    if credentials is None or credentials.source == "pasted" or is_tencent_host(endpoint):
        return None
    if operator_listed(endpoint, secrets):
        return None
    return ConfigError(
        "this deployment's keys are only sent to Tencent Cloud's hosts; paste your own keys "
        "to use another endpoint",
        zh="本部署的密钥只发往腾讯云的接入地址；要使用其他地址，请粘贴你自己的密钥",
    )


def safe_endpoint_text(endpoint: str) -> str:
    """The endpoint as the page may show it: scheme, host and port only (`***` for the rest)."""
    from client.api import _shown_endpoint

    return _shown_endpoint(endpoint.strip())
