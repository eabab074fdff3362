"""What every tab needs to know about the page's settings, as one plain value."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from client import DetectClient
    from media import PrepareOptions

__all__ = ["AppContext"]


@dataclass(frozen=True)
class AppContext:
    """The page's settings for this run, built by `app.py` and handed to each tab."""

    lang: Literal["zh", "en"]
    backend: Literal["sandbox", "tencent"]
    endpoint: str
    region: str | None
    prepare_options: PrepareOptions
    credentials_source: str
    make_client: Callable[[], DetectClient]
    # A digest of every setting a client depends on (keys included, as a hash): a client
    # made for one value can be kept and reused while the value stays the same.
    client_key: str = ""
