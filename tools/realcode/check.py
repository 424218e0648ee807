"""The checker's run: migrate, collect, resolve in the envs, judge. ``run()`` returns the report."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from migrate_session.engine import migrate_bytes
from tools.realcode import envs as env_runs
from tools.realcode.corpus import Migrated, Tool, manifest_files, migrate, original_items
from tools.realcode.envs import Check, Result
from tools.realcode.judge import (
    Before,
    EnvVerdict,
    FalseAbsence,
    absence_checks,
    false_absences,
    item_checks,
    judge,
    key,
)

ORIGINAL_ENV = "tf112"  # where the inputs ran before the migration


@dataclass
class TargetReport:
    target: str
    files: int
    not_migrated: list[tuple[str, str]] = field(default_factory=list)  # (file, the tool's error)
    not_read: list[tuple[str, str]] = field(default_factory=list)  # (file, why the checker cannot read its output)
    envs: dict[str, EnvVerdict] = field(default_factory=dict)
    false_absences: list[FalseAbsence] = field(default_factory=list)  # MS102, MS107 whose name resolves

    @property
    def failed(self) -> bool:
        unwarned = any(verdict.unwarned for verdict in self.envs.values())
        return unwarned or bool(self.false_absences) or bool(self.not_migrated) or bool(self.not_read)


@dataclass
class Report:
    targets: dict[str, TargetReport]
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


def run(corpus: Path, pythons: dict[str, str], targets: tuple[str, ...], workdir: Path,
        timeout: float = 600, per_check: int = 120, tool: Tool | None = None) -> Report:
    """``tool(data, path, target) -> FileResult`` is the codemod (tests give a fake one)."""
    started = time.perf_counter()
    tool = tool or migrate_bytes
    files = manifest_files(corpus)
    migrated = {target: [migrate(corpus, file, target, tool) for file in files] for target in targets}
    originals = {}
    if ORIGINAL_ENV in pythons:  # an input the checker cannot read gets no "the input fails too" tags
        read = {file: original_items(corpus, file) for file in files}
        originals = {file: items for file, items in read.items() if items is not None}
    collected = time.perf_counter()

    checks: dict[str, dict[str, Check]] = {}
    for target in targets:
        for env in env_runs.TARGET_ENVS[target]:
            if env not in pythons:
                raise env_runs.CheckerError(f"no Python for env {env} (target {target}): pass --env {env}=PYTHON")
            wanted = checks.setdefault(env, {})
            for result in migrated[target]:
                for found in result.found:
                    wanted.update((key(c), c) for c in item_checks(found.item))
                for finding in result.absences:
                    wanted.update((key(c), c) for c in absence_checks(result, finding, env))
    for items in originals.values():
        wanted = checks.setdefault(ORIGINAL_ENV, {})
        wanted.update((key(c), c) for placed in items.values() for item in placed for c in item_checks(item))
    to_run = {env: [dict(check, key=k) for k, check in sorted(wanted.items())] for env, wanted in checks.items()}
    results = env_runs.run_all(pythons, to_run, workdir, timeout, per_check)
    resolved = time.perf_counter()

    before = {file: Before(items, results[ORIGINAL_ENV]) for file, items in originals.items()}
    report = Report({target: _target_report(target, migrated[target], results, before) for target in targets})
    report.seconds = time.perf_counter() - started
    report.timings = {"migrate and collect": collected - started, "envs": resolved - collected}
    return report


def _target_report(
    target: str, migrated: list[Migrated], results: dict[str, dict[str, Result]], before: dict[str, Before]
) -> TargetReport:
    envs = env_runs.TARGET_ENVS[target]
    report = TargetReport(target, len(migrated))
    report.not_migrated = [(m.file, m.error) for m in migrated if m.error]
    report.not_read = [(m.file, m.unread) for m in migrated if m.unread]
    for env in envs:
        verdict = report.envs[env] = EnvVerdict(env)
        for result in migrated:
            judge(result, env, results[env], verdict, before.get(result.file))
    for result in migrated:
        report.false_absences.extend(false_absences(result, envs, results))
    return report
