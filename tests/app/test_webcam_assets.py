"""How the two webcam elements' browser files are put together from what they share
(`components/webcam_common/`) and what is their own (no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest

from components.webcam_assets import COMMON, element_assets

ELEMENTS = [("webcam_snapshot", "snapshot", "snap"), ("webcam_recorder", "recorder", "recorder")]


@pytest.mark.parametrize(("folder", "stem", "name"), ELEMENTS)
def test_each_element_is_the_shared_parts_plus_its_own(folder: str, stem: str, name: str) -> None:
    assets = element_assets(folder, stem, name)
    # The shared markup once, its slots filled, its test ids named after the element.
    assert assets["html"].count('class="cam-stage"') == 1
    assert assets["html"].count('class="cam-buttons"') == 1
    assert "slot:" not in assets["html"] and "{name}" not in assets["html"]
    assert f'data-testid="{name}-root"' in assets["html"]
    # The shared sheet and scripts come first, once, then the element's own.
    shared_css = (COMMON / "element.css").read_text(encoding="utf-8")
    assert assets["css"].startswith(shared_css) and assets["css"].count("\n.cam-error {") == 1
    js = assets["js"]
    assert js.count("class CameraFeed") == 1 and js.count("class CameraElement") == 1
    assert (
        js.index("class CameraFeed")
        < js.index("class CameraElement")
        < js.index("extends CameraElement")
    )


def test_the_elements_own_files_hold_no_shared_rule(tmp_path: Path) -> None:
    for folder, stem, _ in ELEMENTS:
        own = (Path(COMMON.parent) / folder / f"{stem}.css").read_text(encoding="utf-8")
        for shared_rule in (
            "\n.cam-error {",
            "\n.cam-btn {",
            "\n.cam-stage {",
            "\n.cam-placeholder {",
        ):
            assert shared_rule not in own, (folder, shared_rule)


def test_a_slot_the_shared_markup_lacks_is_refused(tmp_path: Path) -> None:
    for ending in ("css", "js"):
        (tmp_path / f"x.{ending}").write_text("", encoding="utf-8")
    (tmp_path / "x.html").write_text("<!-- slot: nowhere -->\n<p></p>\n", encoding="utf-8")
    with pytest.raises(ValueError, match="nowhere"):
        element_assets(str(tmp_path), "x", "x")
