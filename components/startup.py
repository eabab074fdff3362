"""Once per server process: keep long-lived objects out of Streamlit's per-run collection.

Streamlit runs a full garbage collection after every script run (`runner.postScriptGC`).
With the page's libraries loaded (Streamlit, OpenCV, pandas, PIL: about 150,000 tracked
objects) that takes 40-100 ms and holds the GIL, so the server cannot send what the run
just drew (a fresh verdict) until it ends. `gc.freeze()` moves every object alive now to
a permanent generation that collections skip: the modules, classes and caches stay
collectable by reference counting, only cycles among them are never freed. It is done
again only when a run has imported new modules (a tab's lazy imports), so a process
freezes a handful of times at most.
"""

from __future__ import annotations

import gc
import sys
import threading

__all__ = ["freeze_long_lived"]

_LOCK = threading.Lock()
_frozen_modules = 0


def freeze_long_lived() -> bool:
    """Collect once and freeze what is alive, if modules were imported since the last
    freeze; True when it froze. Call at the end of a page run."""
    global _frozen_modules
    with _LOCK:
        modules = len(sys.modules)
        if modules <= _frozen_modules:
            return False
        gc.collect()
        gc.freeze()
        _frozen_modules = modules
        return True
