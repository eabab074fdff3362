"""Shared fixtures for the demo kit's tests: the catalogue and the files it lists."""

from __future__ import annotations

import pytest

from samples.catalog import Sample, load_catalog


@pytest.fixture(scope="session")
def catalog() -> tuple[Sample, ...]:
    """The shipped catalogue, in display order."""
    return load_catalog()


@pytest.fixture(scope="session")
def sample_bytes(catalog: tuple[Sample, ...]) -> dict[str, bytes]:
    """Each sample's file contents by sample id."""
    return {sample.id: sample.read_bytes() for sample in catalog}
