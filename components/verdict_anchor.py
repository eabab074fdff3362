"""A marker above a fresh verdict: brings it into view on a phone, and tells Python once
the browser has painted it.

The Check tab is a fragment, so a new check reruns only that tab and its verdict reaches
the screen without the rest of the page being redrawn first. The rest (History, the call
count) still has to learn about the check: once the verdict is painted, this element's
trigger `painted` asks for that full redraw. On narrow screens (columns stacked, under
641 px) the verdict sits below the way in, often far below the fold: the element scrolls
its column into view, once per check.
"""

from __future__ import annotations

import streamlit as st

from components.state import VERDICT_ANCHOR

__all__ = ["NARROW_MAX_PX", "verdict_anchor_ui"]

# Streamlit stacks columns at this width and below.
NARROW_MAX_PX = 640

_JS = """
// The check last marked: the page has one anchor, and a language switch mounts it anew
// (the tabs' content is redrawn), which must not scroll or ask for a redraw again.
let shownKey = null;

// The element's host in the page, and the column holding it (scrolled to on phones).
function column(parentElement) {
  const host = parentElement.host || parentElement;
  return host.closest('[data-testid="stColumn"]') || host;
}

export default function verdictAnchor({ data, parentElement, setTriggerValue }) {
  const key = data && data.key;
  if (!key || shownKey === key) return;
  shownKey = key;
  if (window.matchMedia(`(max-width: ${data.narrow_max_px}px)`).matches) {
    column(parentElement).scrollIntoView({ behavior: "smooth", block: "start" });
  }
  if (data.refresh) {
    // After the frame that shows the verdict, not before it.
    requestAnimationFrame(() => setTimeout(() => setTriggerValue("painted", key), 0));
  }
}
"""

_mount_anchor = st.components.v2.component(
    "antideepfake_verdict_anchor", html='<span data-testid="verdict-anchor"></span>', js=_JS
)


def _ignore_event() -> None:
    """Callback that registers the trigger (values surface only with one)."""


def verdict_anchor_ui(check_id: str, *, refresh: bool) -> bool:
    """Mark the verdict of one check (`CheckOutcome.check_id`: "Check again" makes a new
    one); True in the run the browser reports it painted (only asked for when `refresh`:
    the rest of the page should now be redrawn)."""
    result = _mount_anchor(
        key=VERDICT_ANCHOR.key,
        data={"key": check_id, "refresh": refresh, "narrow_max_px": NARROW_MAX_PX},
        on_painted_change=_ignore_event,
    )
    return result.get("painted") == check_id
