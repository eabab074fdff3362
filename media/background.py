"""One small shared thread pool for work that can run beside decoding (GIL-free C code)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

__all__ = ["background"]

_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def background() -> ThreadPoolExecutor:
    """The shared pool (two workers: face searches and hashing), created on first use."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="media")
        return _POOL
