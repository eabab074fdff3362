"""The demo kit: sample media, their catalogue and the sandbox scenario that judges them.

`python -m samples.build` regenerates the media from public-domain sources shipped with
scikit-image; `samples.catalog.load_catalog()` reads `catalog.toml` for the app's gallery.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["CATALOG_PATH", "SAMPLES_DIR", "SCENARIO_PATH"]

SAMPLES_DIR = Path(__file__).resolve().parent
CATALOG_PATH = SAMPLES_DIR / "catalog.toml"
SCENARIO_PATH = SAMPLES_DIR / "scenario.toml"
