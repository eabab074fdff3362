"""Project-wide rules that every package must keep."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import pytest

from components.i18n import LANGUAGES, load_strings

ROOT = Path(__file__).resolve().parent.parent
LIBRARIES = ("client", "media", "sandbox", "evaluation", "handover")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", LIBRARIES)
def test_libraries_do_not_import_streamlit(package: str) -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / package).rglob("*.py")
        if "streamlit" in _imports(p)
    ]
    assert offenders == [], f"libraries must not import Streamlit: {offenders}"


def test_client_imports_only_httpx_and_the_standard_library() -> None:
    # httpcore is httpx's own transport layer: client/deadline.py bounds its reads.
    allowed = {"httpx", "httpcore", "client", "media", "__future__"}
    for path in (ROOT / "client").rglob("*.py"):
        third_party = {
            name for name in _imports(path) if name not in allowed and not _is_stdlib(name)
        }
        assert third_party == set(), f"{path.name} imports {third_party}"


def _is_stdlib(name: str) -> bool:
    import sys

    return name in sys.stdlib_module_names


def test_every_string_exists_in_both_languages() -> None:
    keys = {lang: set(load_strings(lang)) for lang in LANGUAGES}
    assert keys["zh"], "no strings loaded"
    assert keys["zh"] - keys["en"] == set(), "keys only in Chinese"
    assert keys["en"] - keys["zh"] == set(), "keys only in English"


def test_no_real_looking_secret_in_tracked_files() -> None:
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    pattern = re.compile(r"AKID[A-Za-z0-9]{32}")
    hits = []
    for name in files:
        path = ROOT / name
        if path.suffix in {".py", ".toml", ".txt", ".md", ".json", ".example"} and path.is_file():
            for match in pattern.finditer(path.read_text(encoding="utf-8", errors="ignore")):
                if "EXAMPLE" not in match.group(0):
                    hits.append(f"{name}: {match.group(0)[:8]}…")
    assert hits == []
