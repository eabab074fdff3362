"""Read the demo kit's catalogue (`samples/catalog.toml`) for the gallery and the tests."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from samples import CATALOG_PATH

__all__ = ["KINDS", "LEVELS", "CatalogError", "Sample", "load_catalog"]

KINDS = ("image", "video")
LEVELS = ("Low", "Mid", "High")
_FIELDS = (
    "id", "file", "kind", "caption_en", "caption_zh", "description_en", "description_zh", "expected",
)  # fmt: skip


class CatalogError(ValueError):
    """A catalogue that cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class Sample:
    """One gallery entry: its file, what it shows (in both languages) and its demo outcome."""

    id: str
    file: str
    kind: str
    caption_en: str
    caption_zh: str
    description_en: str
    description_zh: str
    expected: str
    path: Path

    def caption(self, lang: str) -> str:
        """The caption in "zh" or "en"."""
        return self.caption_zh if lang == "zh" else self.caption_en

    def description(self, lang: str) -> str:
        """The one-sentence description in "zh" or "en"."""
        return self.description_zh if lang == "zh" else self.description_en

    @property
    def expects_error(self) -> bool:
        """Whether the demo outcome is an error code rather than a risk level."""
        return self.expected not in LEVELS

    def read_bytes(self) -> bytes:
        """The sample file's contents."""
        return self.path.read_bytes()


def _sample(index: int, entry: object, folder: Path, source: Path) -> Sample:
    """One validated `[[sample]]` table."""
    where = f"{source}: sample {index}"
    if not isinstance(entry, dict):
        raise CatalogError(f"{where}: each [[sample]] must be a table")
    missing = [name for name in _FIELDS if not isinstance(entry.get(name), str) or not entry[name]]
    if missing:
        raise CatalogError(f"{where}: missing or empty field(s) {', '.join(missing)}")
    unknown = sorted(set(entry) - set(_FIELDS))
    if unknown:
        raise CatalogError(f"{where}: unknown field(s) {', '.join(unknown)}")
    if entry["kind"] not in KINDS:
        raise CatalogError(f"{where}: kind must be image or video, got {entry['kind']!r}")
    path = (folder / entry["file"]).resolve()
    if path.parent != folder.resolve():
        raise CatalogError(f"{where}: file must be a name inside {folder}")
    return Sample(**{name: entry[name] for name in _FIELDS}, path=path)


def load_catalog(path: str | Path = CATALOG_PATH) -> tuple[Sample, ...]:
    """The samples listed in the catalogue, in display order; `CatalogError` when invalid."""
    source = Path(path)
    try:
        document = tomllib.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogError(f"{source}: catalogue not found") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise CatalogError(f"{source}: cannot read catalogue: {error}") from None
    entries = document.get("sample", [])
    if not isinstance(entries, list) or not entries:
        raise CatalogError(f"{source}: no [[sample]] entries")
    samples = tuple(_sample(i, entry, source.parent, source) for i, entry in enumerate(entries, 1))
    ids = [sample.id for sample in samples]
    duplicates = sorted({name for name in ids if ids.count(name) > 1})
    if duplicates:
        raise CatalogError(f"{source}: duplicate id(s) {', '.join(duplicates)}")
    return samples
