"""The floor of `bench/page.py`: a bare Streamlit fragment, nothing else on the page.

A press on the components-v2 button sends a trigger value as large as the snapshot's
(`?size=` characters of base64), which reruns the fragment; the fragment answers with a
card of the verdict's class. Timed like a snapshot, this is what any fragment round trip
with that payload costs (browser message, Streamlit's fragment run, the card's way back
and drawing) before the page does any work of its own. Started by `bench/page.py`.
"""

from __future__ import annotations

import streamlit as st

_JS = """
export default function floor({ data, parentElement, setTriggerValue }) {
  const take = parentElement.querySelector("button");
  take.onclick = () =>
    setTriggerValue("photo", { id: String(performance.now()), data: "A".repeat(data.size) });
  take.dataset.ready = "1";  // the bench presses it only once this has run
}
"""
_mount = st.components.v2.component(
    "bench_fragment_floor", html='<button data-testid="floor-take">Take</button>', js=_JS
)


def _ignore_event() -> None:
    """Callback that registers the trigger (values surface only with one)."""


@st.fragment
def _floor() -> None:
    size = int(st.query_params.get("size", "80000"))
    result = _mount(key="floor", data={"size": size}, on_photo_change=_ignore_event)
    photo = result.get("photo")
    if isinstance(photo, dict):
        received = len(str(photo.get("data", "")))
        st.markdown(f'<div class="adf-verdict">{received}</div>', unsafe_allow_html=True)
    st.button("Clear", key="floor_clear")


_floor()
