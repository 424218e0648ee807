"""Render a verification ``Report``: Markdown and JSON files, and a terminal summary."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from migrate_session.envs import SOURCE_ENV, TARGET_ENVS
from migrate_session.verify.compare import (
    NORMALIZATIONS,
    NOT_APPLICABLE,
    VERDICTS,
    Outcome,
    normalized_stdout,
    stdout_diff,
)
from migrate_session.verify.matrix import to_svg
from migrate_session.verify.pipeline import GOLDEN_FAILS, CaseResult, OutcomeAt, Report
from migrate_session.verify.runner import Run

LABELS = {NOT_APPLICABLE: "n/a"}


def counts(report: Report) -> Counter[str]:
    return Counter(outcome.verdict for _, _, _, outcome in report.outcomes())


def unexpected(report: Report) -> list[OutcomeAt]:
    return [item for item in report.outcomes() if item[3].unexpected]


def golden_failures(report: Report) -> list[tuple[CaseResult, str, str, str]]:
    """(result, target, state, diff) for each golden file that drifted or is missing."""
    return [
        (result, target, state, diff)
        for result in report.results
        for target, (state, diff) in result.golden.items()
        if state in GOLDEN_FAILS
    ]


def _golden_text(report: Report) -> str:
    if report.mode != "corpus":
        return ""
    return f"; {len(golden_failures(report))} golden file(s) out of date"


def _rss(run: Run | None) -> str:
    if run is None or run.trace is None:
        return "-"
    for event in reversed(run.trace.get("events") or []):
        rss = (event.get("snapshot") or {}).get("rss_kb")
        if rss is not None:
            return f"{rss / 1024:.0f}"
    return "-"


def _cell(outcome: Outcome) -> str:
    text = outcome.cell()
    if outcome.unexpected:
        return f"**{text}** (expected {outcome.expected.to_text()})"
    return text


def _env_line(report: Report, env: str) -> str:
    version = report.versions.get(env, {})
    stats = report.envs.get(env)
    parts = [f"`{env}`"]
    if version.get("tensorflow"):
        parts.append(f"TF {version['tensorflow']}, Python {version.get('python')}")
    if stats:
        mode = "fork server" if stats.server else "fresh processes"
        parts.append(f"{stats.runs} runs, {stats.wall_seconds:.1f} s wall ({mode})")
    return " — ".join(parts)


def to_markdown(report: Report) -> str:
    c = counts(report)
    lines = [
        "# Verification report",
        "",
        f"Mode: {report.mode}. "
        + ", ".join(f"{c[v]} {LABELS.get(v, v)}" for v in VERDICTS if c[v])
        + f"; {len(unexpected(report))} unexpected"
        + _golden_text(report)
        + f". Total {report.total_seconds:.1f} s.",
        "",
    ]
    lines += [f"- {_env_line(report, env)}" for env in report.pythons] + [""]
    for target, envs in TARGET_ENVS.items():
        rows = [r for r in report.results if target in r.outcomes]
        if not rows:
            continue
        lines += [f"## Target `{target}`", "", "| case | " + " | ".join(envs) + " |",
                  "|---|" + "---|" * len(envs)]
        for result in rows:
            cells = [
                _cell(result.outcomes[target][env]) if env in result.outcomes[target] else ""
                for env in envs
            ]
            lines.append(f"| {result.case.name} | " + " | ".join(cells) + " |")
        lines.append("")

    lines += ["## RSS at exit (MB; shown, not compared)", "",
              f"| case | before ({SOURCE_ENV}) | " + " | ".join(
                  f"{t} on {e}" for t, envs in TARGET_ENVS.items() for e in envs) + " |",
              "|---|---|" + "---|" * sum(len(e) for e in TARGET_ENVS.values())]
    for result in report.results:
        cells = [_rss(result.runs.get((t, e))) for t, envs in TARGET_ENVS.items() for e in envs]
        lines.append(f"| {result.case.name} | {_rss(result.before)} | " + " | ".join(cells) + " |")
    lines.append("")

    details = list(_details(report))
    if details:
        lines += ["## Details", ""] + details
    lines += ["## Normalizations", ""]
    lines += [f"- `{name}`: {text}" for name, text in NORMALIZATIONS.items()]
    return "\n".join(lines) + "\n"


def _details(report: Report) -> Iterator[str]:
    for result, target, env, outcome in report.outcomes():
        if outcome.verdict == "equal" and not outcome.unexpected:
            continue
        yield f"### {result.case.name} — `{target}` on `{env}`: {outcome.cell()}"
        yield ""
        if result.case.kind == "selfcheck":
            yield f"Self-check ({result.case.summary}): expected {outcome.expected.to_text()}."
            yield ""
        if outcome.unexpected:
            yield f"Expected {outcome.expected.to_text()}."
        for note in outcome.notes + outcome.info:
            yield f"- {note}"
        if outcome.warning:
            yield f"- {outcome.warning[0]}: {outcome.warning[1]} (running it: {outcome.compared})"
        if outcome.error:
            yield "\n```\n" + outcome.error.strip() + "\n```"
        for difference in outcome.differences:
            if difference.name == "stdout":
                yield "- stdout:\n\n```diff\n" + stdout_diff(
                    difference.before, difference.after) + "\n```"
            else:
                yield f"- {difference.to_text()}"
        yield ""
    for result, target, state, diff in golden_failures(report):
        yield f"### {result.case.name} — golden `after_{target}.py`: {state}"
        yield ""
        yield "```diff\n" + diff.rstrip() + "\n```"
        yield ""


def to_json(report: Report) -> dict[str, Any]:
    cases = []
    for result in report.results:
        targets = {}
        for target, per_env in result.outcomes.items():
            migration = result.migrations[target]
            state, diff = result.golden.get(target, ("none", ""))
            targets[target] = {
                "findings": [f.to_json() for f in migration.findings],
                "migration_error": migration.error,
                "golden": state,
                "golden_diff": diff or None,
                "envs": {
                    env: dict(
                        outcome.to_json(),
                        **_run_json(result.runs.get((target, env))),
                    )
                    for env, outcome in per_env.items()
                },
            }
        cases.append({
            "name": result.case.name,
            "kind": result.case.kind,
            "summary": result.case.summary,
            "before": _run_json(result.before),
            "targets": targets,
        })
    return {
        "mode": report.mode,
        "ok": report.ok,
        "counts": dict(counts(report)),
        "unexpected": len(unexpected(report)),
        "golden_failures": len(golden_failures(report)),
        "normalizations": NORMALIZATIONS,
        "envs": {
            env: {
                "python": report.pythons.get(env),
                **report.versions.get(env, {}),
                **({
                    "runs": stats.runs,
                    "wall_seconds": round(stats.wall_seconds, 2),
                    "run_seconds": round(stats.run_seconds, 2),
                    "fork_server": stats.server,
                    "note": stats.note,
                } if (stats := report.envs.get(env)) else {}),
            }
            for env in report.pythons
        },
        "migrate_seconds": round(report.migrate_seconds, 2),
        "total_seconds": round(report.total_seconds, 2),
        "cases": cases,
    }


def _run_json(run: Run | None) -> dict[str, Any]:
    if run is None:
        return {"run": None}
    trace = run.trace or {}
    return {"run": {
        "env": run.env,
        "trace": str(run.trace_path),
        "status": trace.get("status"),
        "exit_code": run.exit_code,
        "seconds": round(run.seconds or 0.0, 3),
        "rss_mb": None if _rss(run) == "-" else float(_rss(run)),
        "error": run.error,
        "stdout": normalized_stdout(trace) if trace else None,
    }}




def write(report: Report, out: Path) -> tuple[Path, Path]:
    """report.md, report.json and matrix.svg (the table as a picture) in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    md, js = out / "report.md", out / "report.json"
    text = json.dumps(to_json(report), indent=1, default=str) + "\n"
    md.write_text(to_markdown(report), encoding="utf-8")
    js.write_text(text, encoding="utf-8")
    (out / "matrix.svg").write_text(to_svg(json.loads(text)), encoding="utf-8")
    return md, js


def summary(report: Report) -> str:
    c = counts(report)
    n_cases = len(report.results)
    lines = [
        f"verify ({report.mode}): {n_cases} case(s): "
        + ", ".join(f"{c[v]} {LABELS.get(v, v)}" for v in VERDICTS if c[v])
        + f"; {len(unexpected(report))} unexpected"
        + _golden_text(report)
    ]
    for env in report.pythons:
        stats = report.envs.get(env)
        if stats is None:
            continue
        mode = "fork server" if stats.server else "fresh processes"
        line = (f"  {env:<6} {stats.runs:>3} runs  wall {stats.wall_seconds:6.1f} s  "
                f"(sum of runs {stats.run_seconds:6.1f} s, {mode})")
        if stats.note:
            line += f"  [{stats.note}]"
        lines.append(line)
    lines.append(f"  migrating (in-process) {report.migrate_seconds:.1f} s; "
                 f"total {report.total_seconds:.1f} s")
    for result, target, env, outcome in unexpected(report):
        text = f"  UNEXPECTED {result.case.name} {target} on {env}: {outcome.cell()}"
        text += f" (expected {outcome.expected.to_text()})"
        if outcome.error:
            text += ": " + outcome.error.strip().splitlines()[0][:200]
        for note in outcome.notes:
            text += f" [{note}]"
        for difference in outcome.differences[:3]:
            if difference.name != "stdout":
                text += f"\n      {difference.to_text()}"
        lines.append(text)
    golden = golden_failures(report)
    missing = [f"{r.case.name}/after_{t}.py" for r, t, state, _ in golden if state == "missing"]
    if missing:
        lines.append(f"  GOLDEN missing: {len(missing)} file(s): {', '.join(missing[:4])}"
                     + (", ..." if len(missing) > 4 else "")
                     + " (`nox -s verify -- --update-golden` writes them)")
    for result, target, state, diff in golden:
        if state == "drift":
            lines.append(f"  GOLDEN drift: {result.case.name} after_{target}.py")
            lines += ["      " + line for line in diff.rstrip().splitlines()[:40]]
    skipped = [(r, t, e) for r, t, e, o in report.outcomes() if o.verdict == "skipped"]
    if skipped:
        envs = sorted({e for _, _, e in skipped} - set(report.pythons)) or [SOURCE_ENV]
        lines.append(f"  skipped {len(skipped)}: env(s) not available: {', '.join(envs)}")
    lines.append("verify: " + ("OK" if report.ok else "FAILED"))
    return "\n".join(lines)
