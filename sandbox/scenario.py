"""Scenarios: a TOML file that decides what the sandbox answers for which input.

    [default]                       # optional: the verdict for unmatched input
    level = "Low"
    face_check = true               # optional: the sandbox's own face checks

    [[rule]]
    name = "deepfake still"         # optional, for display
    match = "media/fake.jpg"        # perceptual: same picture after resize/re-encode
    level = "High"
    types = ["SuspectedSynthesisImage"]

    [[rule]]
    sha256 = "9f86d0…"              # exact bytes of the decoded FaceInput
    error = "FailedOperation.CoveredFace"

`match` paths are relative to the scenario file; the reference is decoded and hashed
with `media.perceptual_hash` (first frame for a video) and input within Hamming
distance 10 matches. Every problem is reported at load time as a `ScenarioError`
naming the file and the rule.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.service import RISK_LEVELS
from media import hamming_distance, perceptual_hash
from sandbox.faults import is_error_code

__all__ = [
    "LEVELS",
    "MATCH_DISTANCE",
    "Match",
    "Answer",
    "Outcome",
    "Rule",
    "Scenario",
    "ScenarioError",
    "load_scenario",
]

LEVELS = RISK_LEVELS
MATCH_DISTANCE = 10
_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
_RULE_KEYS = {"name", "match", "sha256", "level", "types", "extra", "error"}
_DEFAULT_KEYS = {"level", "types", "extra", "face_check"}


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message names the file and the rule."""


@dataclass(frozen=True)
class Answer:
    """What to answer: a verdict (`level`, `types`, `extra`) or an error code."""

    level: str | None = "Low"
    types: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=lambda: {"RetrievalLivenessExtraInfo": []})
    error: str | None = None


# The old name (`evaluation.Outcome` is another thing): use Answer. To be removed.
Outcome = Answer


@dataclass(frozen=True)
class Rule:
    """One `[[rule]]`: how input is recognised and what it gets."""

    number: int
    name: str | None
    outcome: Answer
    sha256: str | None = None
    phash: int | None = None
    reference: str | None = None

    @property
    def label(self) -> str:
        """`rule 3 ("deepfake still")` for messages and logs."""
        return f"rule {self.number}" + (f' ("{self.name}")' if self.name else "")


@dataclass(frozen=True)
class Match:
    """The rule that recognised an input; `distance` is None for an exact sha256 match."""

    rule: Rule
    distance: int | None


@dataclass(frozen=True)
class Scenario:
    """The rules in file order, the default outcome and whether face checks run."""

    rules: tuple[Rule, ...] = ()
    default: Answer = Answer()
    face_check: bool = True
    path: Path | None = None

    @property
    def needs_phash(self) -> bool:
        """Whether any rule matches perceptually (so input must be hashed)."""
        return any(rule.phash is not None for rule in self.rules)

    def match(self, sha256: str, phash: Callable[[], int | None]) -> Match | None:
        """The deciding rule: the first exact sha256 rule, else the perceptually closest
        rule within `MATCH_DISTANCE` (file order breaks ties). `phash` is called only
        when needed and may return None when the input cannot be hashed."""
        for rule in self.rules:
            if rule.sha256 is not None and rule.sha256 == sha256.lower():
                return Match(rule, None)
        if not self.needs_phash:
            return None
        value = phash()
        if value is None:
            return None
        best: Match | None = None
        for rule in self.rules:
            if rule.phash is None:
                continue
            distance = hamming_distance(rule.phash, value)
            if distance <= MATCH_DISTANCE and (best is None or distance < (best.distance or 0)):
                best = Match(rule, distance)
        return best


def _fail(path: Path, where: str, problem: str) -> ScenarioError:
    """A ScenarioError naming the file, the place in it and the problem."""
    return ScenarioError(f"{path}: {where}: {problem}")


def _outcome(table: Mapping[str, Any], path: Path, where: str, default: bool) -> Answer:
    """The verdict or error a rule (or the default table) asks for."""
    level, error = table.get("level"), table.get("error")
    if default and error is not None:
        raise _fail(path, where, "the default cannot be an error")
    if (level is None) == (error is None):
        raise _fail(path, where, 'give either level = "Low"|"Mid"|"High" or error = "Some.Code"')
    if error is not None:
        if "types" in table or "extra" in table:
            raise _fail(path, where, "types and extra go with level, not with error")
        if not isinstance(error, str) or not is_error_code(error):
            raise _fail(
                path, where, f"error must be a code such as FailedOperation.UnKnown, got {error!r}"
            )
        return Answer(level=None, types=(), extra={}, error=error)
    if level not in LEVELS:
        raise _fail(path, where, f"level must be one of Low, Mid, High, got {level!r}")
    types = table.get("types", [])
    if not isinstance(types, list) or not all(isinstance(t, str) and t.strip() for t in types):
        raise _fail(path, where, "types must be a list of non-empty strings")
    if types and level == "Low":
        raise _fail(path, where, "types (attack traces) are only reported for Mid and High")
    extra = table.get("extra", {"RetrievalLivenessExtraInfo": []})
    if not isinstance(extra, dict):
        raise _fail(path, where, "extra must be a table (the ExtraInfo object)")
    retrieval = extra.get("RetrievalLivenessExtraInfo", [])
    if not isinstance(retrieval, list) or not all(isinstance(i, dict) for i in retrieval):
        raise _fail(path, where, "extra.RetrievalLivenessExtraInfo must be a list of tables")
    return Answer(level=level, types=tuple(types), extra=extra, error=None)


def _reference_hash(path: Path, reference: str, where: str) -> int:
    """The perceptual hash of a rule's reference file."""
    file = (path.parent / reference).resolve()
    if not file.is_file():
        raise _fail(path, where, f"match file {reference!r} not found (looked for {file})")
    try:
        return int(perceptual_hash(file.read_bytes()))
    except Exception as exc:  # media raises MediaError; anything else is as fatal here
        raise _fail(path, where, f"cannot decode match file {reference!r}: {exc}") from None


def _rule(number: int, table: Any, path: Path) -> Rule:
    """One validated `[[rule]]` table."""
    where = f"rule {number}"
    if not isinstance(table, dict):
        raise _fail(path, where, "each [[rule]] must be a table")
    name = table.get("name")
    if name is not None and not isinstance(name, str):
        raise _fail(path, where, "name must be a string")
    if name:
        where = f'rule {number} ("{name}")'
    unknown = sorted(set(table) - _RULE_KEYS)
    if unknown:
        raise _fail(
            path,
            where,
            f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_RULE_KEYS))}",
        )
    reference, digest = table.get("match"), table.get("sha256")
    if (reference is None) == (digest is None):
        raise _fail(path, where, 'give exactly one of match = "file" or sha256 = "hex"')
    outcome = _outcome(table, path, where, default=False)
    if digest is not None:
        if not isinstance(digest, str) or not _SHA256.match(digest):
            raise _fail(path, where, "sha256 must be 64 hexadecimal characters")
        return Rule(number, name, outcome, sha256=digest.lower())
    if not isinstance(reference, str) or not reference.strip():
        raise _fail(path, where, "match must be a file path relative to the scenario file")
    return Rule(
        number, name, outcome, phash=_reference_hash(path, reference, where), reference=reference
    )


def load_scenario(path: str | Path) -> Scenario:
    """Read, validate and hash a scenario file; `ScenarioError` says what is wrong."""
    path = Path(path)
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(f"{path}: scenario file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot read scenario file: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML: {exc}") from None
    unknown = sorted(set(document) - {"default", "rule"})
    if unknown:
        raise _fail(
            path, "top level", f"unknown key(s) {', '.join(unknown)}; use [default] and [[rule]]"
        )
    default_table = document.get("default", {"level": "Low"})
    if not isinstance(default_table, dict):
        raise _fail(path, "[default]", "must be a table")
    unknown = sorted(set(default_table) - _DEFAULT_KEYS)
    if unknown:
        raise _fail(path, "[default]", f"unknown key(s) {', '.join(unknown)}")
    face_check = default_table.get("face_check", True)
    if not isinstance(face_check, bool):
        raise _fail(path, "[default]", "face_check must be true or false")
    default = _outcome({"level": "Low", **default_table}, path, "[default]", default=True)
    rules_raw = document.get("rule", [])
    if not isinstance(rules_raw, list):
        raise _fail(path, "top level", "rules are written [[rule]] (an array of tables)")
    rules = tuple(_rule(i, table, path) for i, table in enumerate(rules_raw, start=1))
    return Scenario(rules=rules, default=default, face_check=face_check, path=path)
