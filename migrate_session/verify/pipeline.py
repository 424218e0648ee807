"""The whole verification: migrate, run, compare, in that order per case."""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from migrate_session.envs import SOURCE_ENV as BEFORE_ENV
from migrate_session.findings import Finding
from migrate_session.notebook import Migrate
from migrate_session.verify.cases import Case
from migrate_session.verify.compare import (
    CRASHED,
    DIFFERS,
    SKIPPED,
    Expectation,
    Outcome,
    judge,
)
from migrate_session.verify.runner import (
    EnvStats,
    Migration,
    Run,
    Scheduler,
    check_golden,
    copy_case,
    migrate_case,
    plan_runs,
    slug,
)

SELFCHECK_DIR = Path(__file__).resolve().with_name("selfcheck")  # shipped with the package
SELFCHECK_FIELDS = ("names_reset", "uid_tables_cleared", "session_replaced", "stdout")
GOLDEN_FAILS = frozenset({"drift", "missing"})
_IMPORTED = re.compile(r"^[ \t]*(?:from|import)[ \t]+([A-Za-z_][\w.]*)", re.MULTILINE)


@dataclass
class CaseResult:
    case: Case
    migrations: dict[str, Migration] = field(default_factory=dict)
    golden: dict[str, tuple[str, str]] = field(default_factory=dict)  # target -> (state, diff)
    before: Run | None = None
    runs: dict[tuple[str, str], Run] = field(default_factory=dict)  # (target, env) -> Run
    outcomes: dict[str, dict[str, Outcome]] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return any(state in GOLDEN_FAILS for state, _ in self.golden.values()) or any(
            o.unexpected for per_env in self.outcomes.values() for o in per_env.values()
        )


@dataclass
class Report:
    mode: str  # corpus | paths
    results: list[CaseResult]
    envs: dict[str, EnvStats]
    pythons: dict[str, str]
    versions: dict[str, dict[str, Any]] = field(default_factory=dict)  # env -> python, tensorflow
    migrate_seconds: float = 0.0
    total_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not any(r.failed for r in self.results)

    def outcomes(self) -> Iterator[OutcomeAt]:
        for result in self.results:
            for target, per_env in result.outcomes.items():
                for env, outcome in per_env.items():
                    yield result, target, env, outcome


OutcomeAt = tuple[CaseResult, str, str, Outcome]  # (result, target, env, outcome)


def selfcheck_case(folder: Path = SELFCHECK_DIR) -> Case:
    """A deliberately half-done migration the harness must report as ``differs``.

    ``before.py`` builds models with standalone keras and clears with ``keras``;
    ``after_tf1.py`` still builds them with standalone keras but clears via tf.keras, so
    the standalone name counters are never reset under TF 1.12.
    """
    return Case(
        name="selfcheck_wrong_migration",
        folder=folder,
        summary="a half migration (models on keras, clear via tf.keras) must not pass",
        expect={"tf1": {"tf112": Expectation(DIFFERS)}},
        kind="selfcheck",
        fixed_after=folder / "after_tf1.py",
    )


def check_selfcheck(outcome: Outcome) -> None:
    """The self-check must differ on the state a half migration breaks, not by accident."""
    if outcome.verdict == DIFFERS and not any(
        d.name in SELFCHECK_FIELDS for d in outcome.differences
    ):
        outcome.notes.append(
            "the harness saw a difference, but not in names_reset, uid_tables_cleared, session_replaced or stdout: "
            "it no longer detects a half migration"
        )


def verify(
    cases: list[Case],
    pythons: dict[str, str],
    out: Path,
    *,
    migrate: Migrate,
    mode: str = "corpus",
    update_golden: bool = False,
    use_server: bool = True,
    timeout: float = 300.0,
    log: Callable[[str], None] = print,
    verbose: bool = False,
    lanes: dict[str, int] | None = None,
) -> Report:
    started = time.perf_counter()
    out = Path(out)
    for sub in ("work", "runs"):
        shutil.rmtree(out / sub, ignore_errors=True)

    def progress(run: Run) -> None:
        if verbose or run.trace is None:
            state = "ok" if run.trace is not None else f"NO TRACE: {run.error}"
            log(f"  {run.env:<6} {run.role:<6} {run.case.name}  {run.seconds:.1f}s  {state}")

    scheduler = Scheduler(pythons, use_server=use_server, timeout=timeout, progress=progress,
                          lanes=lanes)
    results = [CaseResult(case) for case in cases]

    # Longest cases first (by the last report), so no lane is left alone with a long tail.
    last = previous_seconds(out / "report.json")
    order = sorted(results, key=lambda r: -last.get(r.case.name, 0.0))

    # The before runs need no migration: start TensorFlow on them right away.
    for result in order:
        for run in plan_runs(result.case, out, {}, pythons):
            copy_case(result.case, run.workdir)
            result.before = run
            scheduler.submit(run)

    migrate_started = time.perf_counter()
    # The scripts of one user folder share one tree: (folder, files, fixed after, target) ->
    shared: dict[tuple[Path, tuple[str, ...], Path | None, str], Migration] = {}
    for result in order:
        case = result.case
        for target in case.targets:
            key = (case.folder, tuple(case.files), case.fixed_after, target)
            if key not in shared:
                work = out / "work" / slug(case.name) / target
                shared[key] = migrate_case(case, target, work, migrate)
            migration = result.migrations[target] = shared[key]
            result.golden[target] = check_golden(case, migration, update_golden)
        for run in plan_runs(case, out, result.migrations, pythons):
            copy_case(case, run.workdir, source=result.migrations[run.role].workdir)
            result.runs[(run.role, run.env)] = run
            scheduler.submit(run)
    migrate_seconds = time.perf_counter() - migrate_started

    stats = scheduler.finish()
    versions: dict[str, dict[str, Any]] = {}
    for result in results:
        for done in [result.before, *result.runs.values()]:
            if done is not None and done.trace is not None and done.env not in versions:
                versions[done.env] = {
                    "python": done.trace.get("python"),
                    "tensorflow": done.trace.get("tensorflow"),
                }
        _judge_case(result, pythons)

    return Report(
        mode=mode,
        results=results,
        envs=stats,
        pythons=dict(pythons),
        versions=versions,
        migrate_seconds=migrate_seconds,
        total_seconds=time.perf_counter() - started,
    )


def _judge_case(result: CaseResult, pythons: dict[str, str]) -> None:
    case, before = result.case, result.before
    for target in case.targets:
        migration = result.migrations[target]
        result.outcomes[target] = {}
        for env in case.envs(target):
            expected = case.expectation(target, env, relevant_findings(case, migration))
            if migration.error:
                outcome = Outcome(CRASHED, expected, error=migration.error)
            elif env not in pythons or before is None:
                missing = env if env not in pythons else BEFORE_ENV
                outcome = Outcome(SKIPPED, expected, error=f"env {missing} not available")
            else:
                run = result.runs[(target, env)]
                outcome = judge(
                    before.trace, run.trace, expected, migration.findings,
                    before_error=before.error, after_error=run.error,
                )
            if case.kind == "selfcheck":
                check_selfcheck(outcome)
            result.outcomes[target][env] = outcome


def previous_seconds(report_json: Path) -> dict[str, float]:
    """Seconds each case's runs took in the last report (empty when there is none)."""
    try:
        data = json.loads(Path(report_json).read_text(encoding="utf-8"))
        seconds = {}
        for case in data["cases"]:
            runs = [case["before"]["run"]] + [
                env["run"] for target in case["targets"].values()
                for env in target["envs"].values()
            ]
            seconds[case["name"]] = sum((run or {}).get("seconds") or 0.0 for run in runs)
        return seconds
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def relevant_findings(case: Case, migration: Migration) -> list[Finding]:
    """Corpus: every finding of the case. User scripts: the script's own findings and those
    of the local modules it imports (a folder's other scripts do not make it n/a)."""
    if case.kind != "user":
        return migration.findings
    found = list(migration.findings_by_file.get(case.script, []))
    script_dir = Path(case.script).parent
    try:
        source = (case.folder / case.script).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return found
    for module in _IMPORTED.findall(source):
        rel = module.replace(".", "/")
        for base in {script_dir, Path()}:
            for candidate in (base / f"{rel}.py", base / rel / "__init__.py"):
                found += migration.findings_by_file.get(candidate.as_posix(), [])
    return found
