"""From env results to verdicts: which items fail where, which failures carry a warning, which
claims that a name does not exist (MS102, MS107) are false."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypedDict

from migrate_session.envs import ENV_NAMES
from migrate_session.findings import Finding
from tools.realcode.collect import METHODS, Item
from tools.realcode.corpus import Found, Migrated
from tools.realcode.envs import Check, Result
from tools.realcode.lines import output_lines

BACKQUOTED = re.compile(r"`([^`]+)`")
Part = tuple[str, str]  # (which part of a call, or "" for the whole item; the error)


class FalseAbsence(TypedDict):
    """An MS102 or MS107 finding whose name resolves in an env it says it does not exist in."""

    where: str
    rule: str
    name: str
    resolves_in: list[str]
    message: str


def key(check: Check) -> str:
    return json.dumps(check, sort_keys=True)


def item_checks(item: Item) -> list[Check]:
    """The env checks of one item: one per alternative name."""
    if item.kind == "import":
        return [{"kind": "import", "module": item.names[0]}]
    if item.kind == "from":
        return [{"kind": "from", "module": item.names[0], "member": item.member}]
    if item.kind == "method":
        return [{"kind": "method", "member": item.member, "owners": list(item.names)}]
    if item.kind == "call":
        call = item.call
        assert call is not None  # a call item has its arguments
        return [{"kind": "call", "dotted": name, "positional": call.positional,
                 "keywords": list(call.keywords), "more_keywords": call.more_keywords,
                 "literals": dict(call.literals)} for name in item.names]
    return [{"kind": "name", "dotted": name} for name in item.names]


def absence_checks(migrated: Migrated, finding: Finding, env: str) -> list[Check]:
    """What must resolve in ``env`` for an MS102 or MS107 finding to be false.

    An MS102 claim is about tf.keras: a backquoted standalone name ``keras.X`` is looked up as
    ``tensorflow.keras.X`` (and, in a TF 2 env, whose ``keras`` package is the target's Keras,
    as ``keras.X`` too); a method name as a method; a finding without a name, by the imports
    on its output lines.
    """
    named = BACKQUOTED.search(finding.message)
    if named is None:
        mapping = migrated.mappings.get(finding.cell, [])
        lines = set(output_lines(mapping, finding.line))
        return [check for found in migrated.found
                if found.cell == finding.cell and found.line in lines and found.item.kind in ("import", "from")
                for check in item_checks(found.item)]
    name = named.group(1)
    if name in METHODS:
        return item_checks(Item("method", 0, 0, METHODS[name], member=name))
    if name.startswith("keras."):
        spellings = ["tensorflow." + name] + ([name] if env != "tf112" else [])
        return [{"kind": "name", "dotted": spelling} for spelling in spellings]
    return [{"kind": "name", "dotted": name}]


@dataclass(frozen=True)
class Problem:
    file: str
    cell: int | None
    line: int
    env: str
    item: str
    what: str  # which part of a call ("keyword `lr`"); "" for a whole name
    error: str
    warned: bool = False
    before: bool = False  # the same item on its input line fails in tf112 too (before the move)

    @property
    def where(self) -> str:
        cell = f" [cell {self.cell}]" if self.cell is not None else ""
        return f"{self.file}:{self.line}{cell}"

    @property
    def kind(self) -> str:
        """What the owner would fix once for all its occurrences."""
        return f"{self.item.split('(')[0]}: {self.what}" if self.what else self.item


@dataclass
class EnvVerdict:
    env: str
    names: int = 0
    distinct: set[str] = field(default_factory=set)
    keywords: int = 0
    methods: int = 0
    failures: list[Problem] = field(default_factory=list)
    unsure: list[Problem] = field(default_factory=list)
    after_failed_import: int = 0  # uses of a name whose own import fails: counted at the import

    @property
    def unwarned(self) -> list[Problem]:
        return [p for p in self.failures if not p.warned]


@dataclass(frozen=True)
class Before:
    """The input's own items by (cell, line) and their results in tf112, the original env."""

    items: dict[tuple[int | None, int], list[Item]]
    results: dict[str, Result]

    def fails(self, found: Found, what: str) -> bool:
        """Whether the same item on its input line(s) fails in tf112 too (the same part of a call)."""
        for item in self._same(found):
            failures, _ = outcome(item, [self.results[key(c)] for c in item_checks(item)])
            if any(part == what for part, _ in failures):
                return True
        return False

    def _same(self, found: Found) -> list[Item]:
        """The input items on the output item's input line(s) that it is: spelled the same once
        moved; else (the tool also changed the module path) the same kind, last names and
        arguments, as the input's ``keras.layers.normalization.BatchNormalization(mode=2)`` and
        the output's ``tensorflow.keras.layers.BatchNormalization(mode=2)``."""
        there = [item for line in sorted(found.inputs) for item in self.items.get((found.cell, line), [])]
        spelled = [item for item in there if _moved(item.describe()) == _moved(found.item.describe())]
        return spelled or [item for item in there if _shape(item) == _shape(found.item)]


def _moved(described: str) -> str:
    """An item with standalone Keras names spelled as after the move: the input's
    ``keras.layers.X(mode=2)`` is the output's ``tensorflow.keras.layers.X(mode=2)``."""
    return re.sub(r"(?<![\w.])keras\.", "tensorflow.keras.", described)


def _shape(item: Item) -> tuple[object, ...]:
    """An item without the modules it is reached through: its kind, the last part of each of
    its names (a ``from``: the imported name) and a call's arguments."""
    if item.kind in ("import", "method"):
        return (item.kind, _moved(item.describe()))  # nothing to leave out of a module or a method
    if item.kind == "from":
        return (item.kind, item.member)
    leaves = tuple(sorted({name.rsplit(".", 1)[-1] for name in item.names}))
    return (item.kind, leaves, item.call)


def judge(migrated: Migrated, env: str, results: dict[str, Result], verdict: EnvVerdict,
          before: Before | None = None) -> None:
    unbound = _failed_imports(migrated, results)
    for found in migrated.found:
        item = found.item
        outcomes = [results[key(check)] for check in item_checks(item)]
        if item.kind == "method":
            verdict.methods += 1
        elif item.kind != "call":
            verdict.names += 1
            verdict.distinct.update(item.names)
        elif any(o["status"] != "unresolved" for o in outcomes):
            assert item.call is not None  # a call item has its arguments
            verdict.keywords += len(item.call.keywords)
        failures, unsure = outcome(item, outcomes)
        if failures and item.kind == "name" and item.head and set(item.head) <= unbound:
            verdict.after_failed_import += 1  # the program stops at that import, never gets here
            continue
        warned = any((found.cell, line) in migrated.warned for line in found.inputs)
        for what, error in failures:
            failed_before = before is not None and before.fails(found, what)
            verdict.failures.append(_problem(migrated, found, env, what, error, warned, failed_before))
        for what, error in unsure:
            verdict.unsure.append(_problem(migrated, found, env, what, error, warned))


def outcome(item: Item, outcomes: list[Result]) -> tuple[list[Part], list[Part]]:
    """(failures, unsure parts) of an item from the results of its checks, each ``(what, error)``."""
    return _call_outcome(outcomes) if item.kind == "call" else _outcome(item, outcomes)


def _failed_imports(migrated: Migrated, results: dict[str, Result]) -> set[str]:
    """What the module's failing imports would have bound (``from m import x``: ``m.x``)."""
    imports = [found.item for found in migrated.found if found.item.kind in ("import", "from")]
    return {
        f"{item.names[0]}.{item.member}" if item.kind == "from" else item.names[0]
        for item in imports
        if any(results[key(check)]["status"] == "fail" for check in item_checks(item))
    }


def _outcome(item: Item, outcomes: list[Result]) -> tuple[list[Part], list[Part]]:
    if any(o["status"] == "ok" for o in outcomes):
        return [], []
    failed = [o for o in outcomes if o["status"] == "fail"]
    if failed and item.guarded:
        return [], [("", "inside try/except ImportError: " + failed[0]["error"])]
    if failed and item.tested:
        return [], [("", "under an `if hasattr(...)` that tests it, so never run where missing: "
                     + failed[0]["error"])]
    if failed:
        return [("", failed[0]["error"])], []
    return [], [("", outcomes[0].get("error", "inconclusive"))]


def _call_outcome(outcomes: list[Result]) -> tuple[list[Part], list[Part]]:
    resolved = [o for o in outcomes if o["status"] != "unresolved"]
    if not resolved:
        return [], []  # the name itself fails: its name item says so
    if any(o["status"] == "ok" for o in resolved):
        return [], []
    failed = [o for o in resolved if o["status"] == "fail"]
    chosen = failed[0] if failed else resolved[0]
    unsure = chosen.get("unsure") or ([] if failed else [["", chosen.get("error", "inconclusive")]])
    return _parts(chosen.get("failures", [])), _parts(unsure)


def _parts(pairs: Iterable[Sequence[str]]) -> list[Part]:
    """env_side.py's ``[what, error]`` lists as pairs."""
    return [(what, error) for what, error in pairs]


def _problem(migrated: Migrated, found: Found, env: str, what: str, error: str, warned: bool,
             before: bool = False) -> Problem:
    item = found.item.describe()
    return Problem(migrated.file, found.cell, found.line, env, item, what, error, warned, before)


def claimed_envs(finding: Finding, envs: tuple[str, ...]) -> tuple[str, ...]:
    """The envs a finding says the name does not exist in (by their names in its message); all
    of the target's when it names none."""
    named = tuple(env for env in envs if ENV_NAMES[env] in finding.message)
    return named or envs


def false_absences(
    migrated: Migrated, envs: tuple[str, ...], results: dict[str, dict[str, Result]]
) -> list[FalseAbsence]:
    """The MS102 and MS107 findings whose name resolves in an env they say it does not exist in."""
    false: list[FalseAbsence] = []
    for finding in migrated.absences:
        found_in = []
        for env in claimed_envs(finding, envs):
            checks = absence_checks(migrated, finding, env)
            if any(results[env][key(check)]["status"] == "ok" for check in checks):
                found_in.append(env)
        if found_in:
            named = BACKQUOTED.search(finding.message)
            cell = f" [cell {finding.cell}]" if finding.cell is not None else ""
            false.append({"where": f"{migrated.file}:{finding.line}{cell}", "rule": finding.rule_id,
                          "name": named.group(1) if named else "(the import at that line)",
                          "resolves_in": found_in, "message": finding.message})
    return false
