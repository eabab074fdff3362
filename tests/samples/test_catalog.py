"""The catalogue the gallery reads agrees with the files and with the sandbox scenario."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import media
from samples import CATALOG_PATH, SAMPLES_DIR, SCENARIO_PATH
from samples.build import SPECS
from samples.catalog import CatalogError, Sample, load_catalog
from sandbox import load_scenario

REQUIRED_KINDS = {"image", "video"}


def test_every_built_file_is_listed_once_and_every_listed_file_exists(
    catalog: tuple[Sample, ...],
) -> None:
    assert sorted(s.file for s in catalog) == sorted(spec.file for spec in SPECS)
    assert all(sample.path.is_file() for sample in catalog)
    assert {s.kind for s in catalog} == REQUIRED_KINDS


def test_kind_matches_what_the_file_really_is(catalog: tuple[Sample, ...]) -> None:
    for sample in catalog:
        info = media.identify(sample.read_bytes())
        assert info.kind == sample.kind, sample.id
        assert info.format == ("jpeg" if sample.kind == "image" else "mp4"), sample.id


def test_captions_and_descriptions_exist_in_both_languages(catalog: tuple[Sample, ...]) -> None:
    for sample in catalog:
        for lang in ("en", "zh"):
            assert sample.caption(lang).strip() and sample.description(lang).strip()
        assert sample.caption("zh") != sample.caption("en")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in sample.description("zh")), sample.id


def test_the_gallery_shows_every_demo_outcome(catalog: tuple[Sample, ...]) -> None:
    outcomes = {sample.expected for sample in catalog}
    assert {"Low", "Mid", "High"} <= outcomes
    assert any(sample.expects_error for sample in catalog)


def test_scenario_gives_each_sample_its_expected_outcome(catalog: tuple[Sample, ...]) -> None:
    scenario = load_scenario(SCENARIO_PATH)
    by_reference = {rule.reference: rule for rule in scenario.rules}
    assert set(by_reference) == {sample.file for sample in catalog}
    for sample in catalog:
        outcome = by_reference[sample.file].outcome
        assert (outcome.error if sample.expects_error else outcome.level) == sample.expected
    assert scenario.default.level == "Low"


def test_scenario_traces_are_the_documented_ones_for_each_attack(
    catalog: tuple[Sample, ...],
) -> None:
    rules = {rule.reference: rule.outcome for rule in load_scenario(SCENARIO_PATH).rules}
    assert "SuspectedSynthesisImage" in rules["composite_photo.jpg"].types
    assert "SuspectedSynthesisVideo" in rules["composite_video.mp4"].types
    assert "SuspectedSpoofingAttack" in rules["screen_recapture.jpg"].types
    assert {"SuspectedSpoofingAttack", "SuspectedWatermark"} <= set(
        rules["printed_photo.jpg"].types
    )
    hits = [o.extra["RetrievalLivenessExtraInfo"] for o in rules.values() if o.error is None]
    template_hits = [hit for hit_list in hits for hit in hit_list]
    assert template_hits, "one sample should demonstrate ExtraInfo"
    for hit in template_hits:
        assert hit["HitGroup"] in {"Common", "Auto", "Owner"}
        assert 0 <= hit["SimilarityScore"] <= 2 and hit["HitTemplate"]


def _write_catalog(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "catalog.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _entry(**changes: str) -> str:
    fields = tomllib.loads(CATALOG_PATH.read_text(encoding="utf-8"))["sample"][0] | changes
    return "[[sample]]\n" + "".join(f'{key} = "{value}"\n' for key, value in fields.items())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no [[sample]] entries"),
        ("[[sample", "cannot read catalogue"),
        (_entry(caption_zh=""), "caption_zh"),
        (_entry(kind="audio"), "kind must be image or video"),
        (_entry(file="../secret.jpg"), "must be a name inside"),
        (_entry() + _entry(), "duplicate id(s) real-photo"),
        (_entry() + 'colour = "red"\n', "unknown field(s) colour"),
    ],
)
def test_a_broken_catalogue_is_refused_with_a_clear_message(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(CatalogError) as caught:
        load_catalog(_write_catalog(tmp_path, text))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_missing_catalogue_says_so(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="catalogue not found"):
        load_catalog(tmp_path / "nowhere.toml")


def test_sample_paths_point_into_the_samples_folder(catalog: tuple[Sample, ...]) -> None:
    assert all(sample.path.parent == SAMPLES_DIR for sample in catalog)
