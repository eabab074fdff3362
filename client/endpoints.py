"""Endpoint aliases: one place that turns what a user types into the endpoint to call.

`mainland` and `international` (also `intl`) name Tencent Cloud's two public hosts; any
other value is a host or a full URL and is kept as given (trimmed)."""

from __future__ import annotations

from client.api import ENDPOINT_INTL, ENDPOINT_MAINLAND

__all__ = ["ENDPOINT_ALIASES", "endpoint_alias", "is_tencent_endpoint", "resolve_endpoint"]

ENDPOINT_ALIASES = {
    "mainland": ENDPOINT_MAINLAND,
    "international": ENDPOINT_INTL,
    "intl": ENDPOINT_INTL,
}


def resolve_endpoint(value: str | None) -> str:
    """The host or URL for an alias, a host or a URL; the mainland host when empty."""
    text = (value or "").strip()
    if not text:
        return ENDPOINT_MAINLAND
    return ENDPOINT_ALIASES.get(text.lower(), text)


def endpoint_alias(value: str | None) -> str | None:
    """`mainland` / `international` when a value names one of the public hosts, else None."""
    resolved = resolve_endpoint(value).lower().rstrip("/")
    for scheme in ("https://", "http://"):
        resolved = resolved.removeprefix(scheme)
    if resolved == ENDPOINT_MAINLAND:
        return "mainland"
    if resolved == ENDPOINT_INTL:
        return "international"
    return None


def is_tencent_endpoint(value: str | None) -> bool:
    """Whether an endpoint is one of Tencent Cloud's own hosts (not a custom URL)."""
    host = resolve_endpoint(value).lower().rstrip("/")
    for scheme in ("https://", "http://"):
        host = host.removeprefix(scheme)
    host = host.split("/", 1)[0].split(":", 1)[0]
    return host == "tencentcloudapi.com" or host.endswith(".tencentcloudapi.com")
