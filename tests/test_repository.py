"""Project-wide rules that every package must keep."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import pytest

from components.i18n import LANGUAGES, load_strings

ROOT = Path(__file__).resolve().parent.parent
LIBRARIES = ("core", "client", "media", "sandbox", "evaluation", "handover")


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
    allowed = {"httpx", "httpcore", "core", "client", "media", "__future__"}
    for path in (ROOT / "client").rglob("*.py"):
        third_party = {
            name for name in _imports(path) if name not in allowed and not _is_stdlib(name)
        }
        assert third_party == set(), f"{path.name} imports {third_party}"


def _is_stdlib(name: str) -> bool:
    import sys

    return name in sys.stdlib_module_names


def test_core_uses_only_the_standard_library() -> None:
    for path in (ROOT / "core").rglob("*.py"):
        outside = {
            n for n in _imports(path) if n not in {"core", "__future__"} and not _is_stdlib(n)
        }
        assert outside == set(), f"{path.name} imports {outside}"


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


# Code that runs when the page or a command line runs (not tests, benchmarks or build tools).
RUNTIME_CODE = ("app.py", "client", "media", "sandbox", "evaluation", "components", "samples")
DEV_ONLY_FILES = {"samples/build.py", "samples/effects.py"}


def _requirement_names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.add(re.split(r"[<>=!~ ;\[]", line, maxsplit=1)[0].lower().replace("_", "-"))
    return names


def test_every_runtime_import_is_declared_in_requirements() -> None:
    import importlib.metadata
    import sys

    distributions = importlib.metadata.packages_distributions()
    declared = _requirement_names(ROOT / "requirements.txt")
    ours = set(LIBRARIES) | {"components", "samples", "harness"}
    missing = {}
    for place in RUNTIME_CODE:
        paths = [ROOT / place] if place.endswith(".py") else (ROOT / place).rglob("*.py")
        for path in paths:
            if str(path.relative_to(ROOT)) in DEV_ONLY_FILES:
                continue
            for name in _imports(path) - ours - set(sys.stdlib_module_names) - {"__future__"}:
                dists = {d.lower().replace("_", "-") for d in distributions.get(name, [name])}
                if not dists & declared:
                    missing[name] = str(path.relative_to(ROOT))
    assert missing == {}, f"imported at run time but not in requirements.txt: {missing}"


def test_packages_import_from_anywhere_once_installed(tmp_path: Path) -> None:
    """`pip install -e .` (scripts/test.sh) makes the packages importable without path tricks."""
    import sys

    code = "import core, client, components.i18n, evaluation, handover, harness.browser, media"
    code += ", samples, sandbox"
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, f"run `pip install -e .` (scripts/test.sh does): {run.stderr}"


def _public_functions_without_docstring(path: Path) -> list[str]:
    found: list[str] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                if not child.name.startswith("_") and ast.get_docstring(child) is None:
                    found.append(f"{path.relative_to(ROOT)}:{child.lineno} {prefix}{child.name}")
            elif isinstance(child, ast.ClassDef) and not child.name.startswith("_"):
                visit(child, f"{prefix}{child.name}.")

    visit(ast.parse(path.read_text(encoding="utf-8")), "")
    return found


@pytest.mark.parametrize("package", LIBRARIES)
def test_every_public_library_function_has_a_docstring(package: str) -> None:
    """`help()` on a library function says what it does (comments above a def do not)."""
    missing = [
        name
        for path in (ROOT / package).rglob("*.py")
        for name in _public_functions_without_docstring(path)
    ]
    assert missing == []


def test_an_unknown_string_key_raises_in_tests_and_shows_the_key_otherwise(monkeypatch) -> None:
    from components.i18n import STRICT_ENV, t

    assert t("app.title", "en")
    with pytest.raises(KeyError, match="check.no_such_key"):
        t("check.no_such_key", "zh")
    monkeypatch.setenv(STRICT_ENV, "0")
    assert t("check.no_such_key", "zh") == "check.no_such_key"


PAGE_MODULES = ("app.py", "components")
SESSION_OWNER = Path("components/state.py")


def _session_state_uses(source: str) -> list[int]:
    """Lines that touch Streamlit's session state (`x.session_state`, or importing it)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        named = (
            (isinstance(node, ast.Attribute) and node.attr == "session_state")
            or (isinstance(node, ast.Name) and node.id == "session_state")
            or (
                isinstance(node, ast.ImportFrom)
                and any(alias.name == "session_state" for alias in node.names)
            )
        )
        if named:
            lines.append(node.lineno)
    return lines


def _page_files() -> list[Path]:
    files: list[Path] = []
    for name in PAGE_MODULES:
        path = ROOT / name
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return files


def test_only_the_state_module_touches_session_state() -> None:
    """Every session key is named, typed and explained once, in `components/state.py`."""
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _page_files()
        if path.relative_to(ROOT) != SESSION_OWNER
        for line in _session_state_uses(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_session_state_scan_finds_every_way_in() -> None:
    assert _session_state_uses("import streamlit as st\nst.session_state['a'] = 1\n") == [2]
    assert _session_state_uses("from streamlit import session_state\n") == [1]
    assert _session_state_uses("import streamlit\nx = streamlit.session_state.get('a')\n") == [2]
    assert _session_state_uses((ROOT / SESSION_OWNER).read_text(encoding="utf-8"))


def test_every_session_key_is_listed_once() -> None:
    import components.state as state
    from components.state import SESSION_KEYS, Slot, SlotFamily, Widget, WidgetFamily

    kinds = Slot | SlotFamily | Widget | WidgetFamily
    defined = [v for v in vars(state).values() if isinstance(v, kinds)]
    assert [v for v in defined if v not in SESSION_KEYS] == []
    names = [
        key.name if isinstance(key, Slot) else key.key
        for key in SESSION_KEYS
        if isinstance(key, Slot | Widget)
    ]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    assert all(key.purpose for key in SESSION_KEYS)


def _literal_widget_keys(source: str) -> list[str]:
    """`key=` given as a literal or f-string to a Streamlit call (`st.button(...)`,
    `column.toggle(...)`: always an attribute call, unlike the page's own functions)."""
    return [
        f"{node.lineno}: {ast.unparse(keyword.value)}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        for keyword in node.keywords
        if keyword.arg == "key" and isinstance(keyword.value, ast.Constant | ast.JoinedStr)
    ]


def test_widget_keys_are_named_in_the_state_module() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{found}"
        for path in _page_files()
        for found in _literal_widget_keys(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    assert _literal_widget_keys('st.button("Go", key="go")\nc.toggle("x", key=f"t_{i}")\n') == [
        "1: 'go'",
        "2: f't_{i}'",
    ]


APPTEST_PRIVATE = {"_tree", "_run", "_from_function", "_script_path"}


def test_tests_use_only_apptests_public_api() -> None:
    """`AppTest`'s private members change between Streamlit releases without notice."""
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for folder in ("tests", "bench")
        for path in (ROOT / folder).rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if (isinstance(node, ast.Attribute) and node.attr in APPTEST_PRIVATE)
        or (isinstance(node, ast.ImportFrom) and (node.module or "").endswith("WidgetStates_pb2"))
    ]
    assert offenders == []
