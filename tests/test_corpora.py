"""The corpus as before/after tests: golden files equal the tool's output, per target.

`nox -s verify` runs the same cases under real TensorFlow; these tests only need the codemod.
Regenerate reviewed goldens with `nox -s verify -- --update-golden`.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest

from migrate_session.engine import migrate_code
from migrate_session.targets import TARGETS

CORPORA = Path(__file__).resolve().parent.parent / "corpora"
CASES = sorted(path.parent for path in CORPORA.glob("*/case.json"))
PATTERNS = [f"A{n}" for n in range(1, 11)] + [f"B{n}" for n in range(11, 37)] + [f"C{n}" for n in range(1, 13)]


def _meta(case: Path) -> dict:
    return json.loads((case / "case.json").read_text())


def _migrated(case: Path, target: str) -> str:
    before = case / "before.py"
    return migrate_code(before.read_text(encoding="utf-8"), target, str(before)).code


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_is_current(case, target):
    golden = case / f"after_{target}.py"
    assert golden.is_file(), f"{golden} missing: run `nox -s verify -- --update-golden`"
    expected, actual = golden.read_text(encoding="utf-8"), _migrated(case, target)
    diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), str(golden), "tool output"))
    assert actual == expected, f"golden drifted (review, then `nox -s verify -- --update-golden`):\n{diff}"


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_is_a_fixed_point(case, target):
    golden = (case / f"after_{target}.py").read_text(encoding="utf-8")
    assert migrate_code(golden, target, "golden.py").code == golden


def test_corpus_is_large_enough():
    assert len(CASES) >= 30


def test_every_pattern_and_trap_has_a_case():
    covered = {p for case in CASES for p in _meta(case).get("patterns", [])}
    assert not set(PATTERNS) - covered, f"no case for {sorted(set(PATTERNS) - covered)}"
