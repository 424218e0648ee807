"""The printed report and build/realcode/report.json."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from tools.realcode.check import Report, TargetReport
from tools.realcode.judge import Problem

TOP = 10


def text(report: Report) -> str:
    lines = []
    for target in report.targets.values():
        lines += _target(target)
    timings = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in report.timings.items())
    lines.append(f"realcode: {report.seconds:.1f} s ({timings})")
    return "\n".join(lines) + "\n"


def _target(target: TargetReport) -> list[str]:
    lines = [f"== target {target.target}: {target.files} files"]
    if target.not_migrated:
        lines.append(f"  not migrated by the tool (nothing checked): {len(target.not_migrated)}")
        lines += [f"    {file}: {error}" for file, error in target.not_migrated]
    if target.not_read:
        lines.append(f"  migrated, but the checker cannot read the output (nothing checked): {len(target.not_read)}")
        lines += [f"    {file}: {error}" for file, error in target.not_read]
    for verdict in target.envs.values():
        lines.append(f"-- {target.target} in env {verdict.env}")
        lines.append(f"  names checked: {verdict.names} ({len(verdict.distinct)} distinct); "
                     f"keywords checked: {verdict.keywords}; methods checked: {verdict.methods}")
        warned = len(verdict.failures) - len(verdict.unwarned)
        lines.append(f"  unwarned failures: {len(verdict.unwarned)} (and {warned} failures with a warning)")
        lines += [f"    {_problem(p)}" for p in verdict.unwarned]
        if verdict.after_failed_import:
            lines.append(f"  uses of a name whose import fails (counted at the import): "
                         f"{verdict.after_failed_import}")
        lines.append(f"  inconclusive checks: {len(verdict.unsure)}")
        lines += [f"    {_problem(p)}" for p in verdict.unsure]
    lines.append(f"-- {target.target}: false MS102/MS107 (the name resolves): {len(target.false_absences)}")
    lines += [f"    {f['where']} {f['rule']} `{f['name']}` resolves in {', '.join(f['resolves_in'])}"
              for f in target.false_absences]
    kinds = _kinds([p for v in target.envs.values() for p in v.unwarned])
    lines.append(f"-- {target.target}: most frequent kinds of unwarned failure")
    lines += [f"    {count:4d}  {kind}  [{', '.join(envs)}]" for kind, count, envs in kinds[:TOP]]
    return lines


def _problem(problem: Problem) -> str:
    what = f" {problem.what}:" if problem.what else ""
    before = "  [the input fails there in tf112 too]" if problem.before else ""
    return f"{problem.where}  {problem.env}  {problem.item}{what}  {problem.error}{before}"


def _kinds(problems: list[Problem]) -> list[tuple[str, int, list[str]]]:
    """Kinds by the number of places (file, cell, line) they occur at, with their envs."""
    places: Counter[str] = Counter()
    envs: dict[str, set[str]] = {}
    for problem in problems:
        envs.setdefault(problem.kind, set()).add(problem.env)
    for kind, _where in {(p.kind, (p.file, p.cell, p.line)) for p in problems}:
        places[kind] += 1
    ranked = sorted(places.items(), key=lambda pair: (-pair[1], pair[0]))
    return [(kind, count, sorted(envs[kind])) for kind, count in ranked]


def write_json(report: Report, path: Path) -> None:
    data = {
        "seconds": round(report.seconds, 1),
        "timings": {name: round(s, 1) for name, s in report.timings.items()},
        "targets": {
            name: {
                "files": target.files,
                "not_migrated": [{"file": f, "error": e} for f, e in target.not_migrated],
                "not_read": [{"file": f, "error": e} for f, e in target.not_read],
                "envs": {
                    env: {
                        "names_checked": v.names, "distinct_names": len(v.distinct),
                        "keywords_checked": v.keywords, "methods_checked": v.methods,
                        "uses_after_a_failed_import": v.after_failed_import,
                        "unwarned_failures": [asdict(p) for p in v.unwarned],
                        "warned_failures": [asdict(p) for p in v.failures if p.warned],
                        "inconclusive": [asdict(p) for p in v.unsure],
                    }
                    for env, v in target.envs.items()
                },
                "false_absences": target.false_absences,
                "unwarned_kinds": [{"kind": k, "places": n, "envs": e} for k, n, e in
                                   _kinds([p for v in target.envs.values() for p in v.unwarned])],
            }
            for name, target in report.targets.items()
        },
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
