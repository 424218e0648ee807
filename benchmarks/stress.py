"""Both targets over large real trees and big generated modules: `python benchmarks/stress.py`.

Real trees (each skipped with a printed line when absent): Keras 2.2.4 and TF 1.12 as installed
in the tf112 env, TF 2.15 in the tf215 env (`--python ID=PATH`, else
`$MIGRATE_SESSION_PYTHON_<ID>`), libcst with its tests, this Python's standard library, the
corpus (`corpora/`), issue 12's hand-made inputs (`stress_inputs/`) and every rule's examples
(written out as files): the last three are where most files use standalone Keras. Every file
is migrated as `apply --dry-run` would (engine.migrate_file, in `--jobs` processes); every file
that changes is migrated again from its own output, which must change nothing, report no
rewrite and no warning the first run did not. Generated modules of `--sizes` MB are then run
through `python -m migrate_session apply --dry-run --jobs 1` in a fresh process each, for
time and peak memory per MB. Goals (issue 12): no internal error, no invariant violation,
no second-run change, rewrite or new warning, and cost per MB flat across sizes within 1.5x.
Exit status 1 when a goal is missed (0 with `--report-only`; with `--timing-report-only`, the
cost-per-MB goals are printed but do not fail: how `nox`, and so CI, runs it, since a shared
machine's timings are not a test).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

import libcst

from migrate_session.engine import discover, migrate_bytes, migrate_file, needs_work
from migrate_session.findings import REWRITE, WARNING
from migrate_session.rules import all_rules
from migrate_session.scheduler import run_ordered
from migrate_session.targets import TARGETS

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ENV_PACKAGES = {"tf112": ("keras", "tensorflow"), "tf215": ("tensorflow",)}
SIZES = (0.1, 0.4, 1.6, 3.4)  # MB
FLAT = 1.5  # largest / smallest cost per MB
SHOWN = 5  # files named per problem

# One run of argv with its output thrown away, in a wrapper process of its own: ru_maxrss of
# children is a maximum over every child ever waited for.
WRAPPER = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
peak_kb = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
print(json.dumps({"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime,
                  "returncode": code, "peak_mb": peak_kb / 1024}))
"""


# --- one file, twice ------------------------------------------------------------------------
@dataclass
class Outcome:
    path: str
    candidate: bool = False
    changed: bool = False
    error: str | None = None
    second_error: str | None = None
    second_changed: bool = False
    second_rewrites: list[str] = field(default_factory=list)
    new_warnings: list[str] = field(default_factory=list)


def twice(path: Path, target: str) -> Outcome:
    """Migrate a file, then its output; what the second run says that it should not."""
    first = migrate_file(path, target, write=False)
    outcome = Outcome(str(path), first.candidate, first.changed, first.error)
    if not first.changed or first.new_bytes is None:
        return outcome
    second = migrate_bytes(first.new_bytes, str(path), target)
    outcome.second_error = second.error
    outcome.second_changed = second.changed
    outcome.second_rewrites = [f.to_text() for f in second.findings if f.severity == REWRITE]
    known = Counter((f.rule_id, f.message) for f in first.findings if f.severity == WARNING)
    for finding in second.findings:
        if finding.severity != WARNING:
            continue
        if known[(finding.rule_id, finding.message)]:
            known[(finding.rule_id, finding.message)] -= 1
        else:
            outcome.new_warnings.append(finding.to_text())
    return outcome


def is_internal(error: str | None) -> bool:
    return bool(error) and (error.startswith("internal error") or "worker process died" in error)


# --- real trees -----------------------------------------------------------------------------
def env_pythons(given: list[str]) -> dict[str, str | None]:
    pythons = {env: os.environ.get(f"MIGRATE_SESSION_PYTHON_{env.upper()}") for env in ENV_PACKAGES}
    for item in given:
        env, _, python = item.partition("=")
        pythons[env] = python
    return pythons


def package_dir(python: str, package: str) -> Path | None:
    """Where ``package`` is installed for ``python``, found without importing it."""
    code = ("import importlib.util as u; s = u.find_spec(%r); "
            "print(s.submodule_search_locations[0] if s and s.submodule_search_locations else '')")
    try:
        out = subprocess.run([python, "-c", code % package], capture_output=True, text=True,
                             timeout=60, check=False).stdout.strip()
    except OSError:
        return None
    return Path(out) if out else None


def real_trees(pythons: dict[str, str | None]) -> list[tuple[str, Path]]:
    found = []
    for env, packages in ENV_PACKAGES.items():
        for package in packages:
            name = f"{package} ({env})"
            python = pythons.get(env)
            where = package_dir(python, package) if python else None
            if where is None:
                why = f"no {package} for {python}" if python else (
                    f"env {env} not given (--python {env}=PATH or $MIGRATE_SESSION_PYTHON_{env.upper()})")
                print(f"skipped: tree {name}: {why}", flush=True)
                continue
            found.append((name, where))
    found.append(("libcst (its tests folders too)", Path(libcst.__file__).parent))
    found.append((f"stdlib (Python {sys.version_info[0]}.{sys.version_info[1]})",
                  Path(sysconfig.get_paths()["stdlib"])))
    found.append(("corpora/ (before and after files)", ROOT / "corpora"))
    found.append(("issue 12 inputs", HERE / "stress_inputs"))
    return [(name, path) for name, path in found if _present(name, path)]


def write_rule_examples(directory: Path) -> Path:
    """Every rule's ``before`` examples as files of a tree."""
    directory.mkdir()
    for rule in all_rules():
        for index, example in enumerate(rule.examples):
            (directory / f"{rule.id}_{rule.name}_{index}.py").write_text(example.source(), encoding="utf-8")
    return directory


def _present(name: str, path: Path) -> bool:
    if path.is_dir():
        return True
    print(f"skipped: tree {name}: {path} does not exist", flush=True)
    return False


@dataclass
class TreeRun:
    tree: str
    target: str
    files: int
    candidates: int
    changed: int
    input_errors: list[str]
    internal_errors: list[str]
    second_runs: list[Outcome]
    seconds: float

    def invariant_violations(self) -> list[str]:
        return [e for e in self.internal_errors if "invariant" in e]

    def second_changes(self) -> list[Outcome]:
        return [o for o in self.second_runs if o.second_changed or is_internal(o.second_error)]

    def second_rewrites(self) -> list[Outcome]:
        return [o for o in self.second_runs if o.second_rewrites]

    def new_warnings(self) -> list[Outcome]:
        return [o for o in self.second_runs if o.new_warnings]


def run_tree(name: str, root: Path, target: str, jobs: int) -> TreeRun:
    started = time.perf_counter()
    found = list(discover([root]))
    files = [path for path, problem in found if problem is None and needs_work(path)]
    outcomes = [done.result if done.error is None else Outcome(str(done.item), True, error=done.error)
                for done in run_ordered(partial(twice, target=target), files, jobs)]
    problems = [f"{path}: {problem}" for path, problem in found if problem]
    errors = problems + [f"{o.path}: {o.error}" for o in outcomes if o.error]
    return TreeRun(
        tree=name, target=target, files=len(found),
        candidates=sum(o.candidate for o in outcomes), changed=sum(o.changed for o in outcomes),
        input_errors=[e for e in errors if not is_internal(e.split(": ", 1)[1])],
        internal_errors=[e for e in errors if is_internal(e.split(": ", 1)[1])],
        second_runs=[o for o in outcomes if o.changed],
        seconds=time.perf_counter() - started,
    )


# --- generated modules ----------------------------------------------------------------------
HEAD = "from keras import backend as K\nimport tensorflow as tf\n\n\n"
FUNCTION = "def trial_{i}():\n    K.clear_session()\n    return tf.Session()\n"


def big_module(megabytes: float) -> str:
    """Functions that each clear through standalone Keras and make a session (under tf2 each
    changes), as many as make ``megabytes`` MB."""
    parts, size, i = [HEAD], len(HEAD), 0
    while size < megabytes * 1e6 or i == 0:
        parts.append(FUNCTION.format(i=i))
        size, i = size + len(parts[-1]), i + 1
    return "".join(parts)


def measured(argv: list[str]) -> dict:
    out = subprocess.run([sys.executable, "-c", WRAPPER, *argv], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


@dataclass
class SizeRun:
    target: str
    megabytes: float
    lines: int
    returncode: int
    seconds: float
    cpu: float
    peak_mb: float
    cpu_per_mb: float  # start-up subtracted
    peak_per_mb: float  # the imports' peak subtracted


def run_sizes(sizes: list[float], directory: Path) -> tuple[dict, list[SizeRun]]:
    tiny = directory / "tiny.py"  # the fixed cost of a run: start-up, imports, rules, tables
    tiny.write_text(HEAD + FUNCTION.format(i=0), encoding="utf-8")
    startup = measured([sys.executable, "-m", "migrate_session", "apply", "--dry-run", "--quiet", str(tiny)])
    runs = []
    for megabytes in sizes:
        text = big_module(megabytes)
        module = directory / f"generated_{megabytes}MB.py"
        module.write_text(text, encoding="utf-8")
        size = len(text.encode()) / 1e6
        for target in TARGETS:
            argv = [sys.executable, "-m", "migrate_session", "apply", "--dry-run", "--jobs", "1",
                    "--quiet", "--target", target, str(module)]
            m = measured(argv)
            runs.append(SizeRun(
                target, size, text.count("\n"), m["returncode"], m["seconds"], m["cpu"], m["peak_mb"],
                (m["cpu"] - startup["cpu"]) / size, (m["peak_mb"] - startup["peak_mb"]) / size,
            ))
            print(f"generated {size:.2f} MB --target {target}: {m['seconds']:.1f} s, "
                  f"peak {m['peak_mb']:.0f} MB", flush=True)
    return startup, runs


# --- report ---------------------------------------------------------------------------------
def spread(values: list[float]) -> float:
    return max(values) / min(values) if values and min(values) > 0 else float("inf")


def report(tree_runs: list[TreeRun], startup: dict | None, size_runs: list[SizeRun],
           timing_fails: bool = True) -> list[str]:
    """Print the tables; return the goals missed (the cost-per-MB ones only with `timing_fails`)."""
    print()
    print(f"{'tree':32} {'target':6} {'files':>6} {'cand.':>6} {'changed':>7} {'input err':>9} "
          f"{'internal':>8} {'invariant':>9} {'2nd chg':>7} {'2nd rw':>6} {'2nd warn':>8} {'s':>6}")
    for r in tree_runs:
        print(f"{r.tree[:32]:32} {r.target:6} {r.files:6} {r.candidates:6} {r.changed:7} "
              f"{len(r.input_errors):9} {len(r.internal_errors):8} {len(r.invariant_violations()):9} "
              f"{len(r.second_changes()):7} {len(r.second_rewrites()):6} {len(r.new_warnings()):8} "
              f"{r.seconds:6.1f}")
    for r in tree_runs:
        _details(r)
    missed = []
    totals = {
        "internal errors": sum(len(r.internal_errors) for r in tree_runs),
        "invariant violations": sum(len(r.invariant_violations()) for r in tree_runs),
        "second runs that change code": sum(len(r.second_changes()) for r in tree_runs),
        "second runs that report a rewrite": sum(len(r.second_rewrites()) for r in tree_runs),
        "second runs with a new warning": sum(len(r.new_warnings()) for r in tree_runs),
    }
    if size_runs:
        print(f"\ngenerated modules (`apply --dry-run --jobs 1`, a fresh process each; a run on a "
              f"one-function module, {startup['cpu']:.2f} s CPU and {startup['peak_mb']:.0f} MB peak, "
              f"is subtracted per MB)")
        print(f"{'target':6} {'MB':>5} {'lines':>8} {'wall s':>7} {'CPU s':>7} {'CPU s/MB':>8} "
              f"{'peak MB':>8} {'peak MB/MB':>10} {'exit':>4}")
        for s in size_runs:
            print(f"{s.target:6} {s.megabytes:5.2f} {s.lines:8} {s.seconds:7.1f} {s.cpu:7.1f} "
                  f"{s.cpu_per_mb:8.2f} {s.peak_mb:8.0f} {s.peak_per_mb:10.0f} {s.returncode:4}")
    print()
    for what, count in totals.items():
        met = count == 0
        print(f"{what}: {count} (goal 0) {'met' if met else 'NOT MET'}")
        if not met:
            missed.append(what)
    for target in TARGETS:
        runs = [s for s in size_runs if s.target == target]
        if not runs:
            continue
        for what, values in (("CPU time per MB", [s.cpu_per_mb for s in runs]),
                             ("peak memory per MB", [s.peak_per_mb for s in runs])):
            ratio = spread(values)
            met = ratio <= FLAT
            print(f"{what}, --target {target}: largest / smallest {ratio:.2f} "
                  f"(goal <= {FLAT}) {'met' if met else 'NOT MET'}{'' if timing_fails else ' (report only)'}")
            if not met and timing_fails:
                missed.append(f"{what} ({target})")
        failed = [s for s in runs if s.returncode != 0]
        if failed:
            missed.append(f"generated modules exit status ({target})")
            print(f"generated modules, --target {target}: exit status "
                  f"{', '.join(str(s.returncode) for s in failed)} (goal 0) NOT MET")
    return missed


def _details(r: TreeRun) -> None:
    sections = [
        ("internal errors", r.internal_errors),
        ("second run changes code", [f"{o.path} {o.second_error or ''}".strip() for o in r.second_changes()]),
        ("second run reports a rewrite", [o.second_rewrites[0] for o in r.second_rewrites()]),
        ("second run, new warning", [o.new_warnings[0] for o in r.new_warnings()]),
        ("input errors (not ours)", r.input_errors),
    ]
    for title, lines in sections:
        if lines:
            print(f"\n{r.tree}, --target {r.target}: {title} ({len(lines)}):")
            for line in lines[:SHOWN]:
                print(f"  {line}")
            if len(lines) > SHOWN:
                print(f"  ... and {len(lines) - SHOWN} more")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", action="append", default=[], metavar="ID=PATH",
                        help="the Python of env tf112 or tf215, whose installed packages are trees")
    parser.add_argument("--tree", action="append", default=[], metavar="NAME=PATH",
                        help="add a tree of your own")
    parser.add_argument("--no-real-trees", action="store_true", help="only --tree trees")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)),
                        help="generated module sizes in MB (default %(default)s; '' for none)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write every number")
    parser.add_argument("--report-only", action="store_true", help="exit 0 even when a goal is missed")
    parser.add_argument("--timing-report-only", action="store_true",
                        help="print the cost-per-MB goals without failing on them")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="migrate-session-stress-") as directory:
        trees = [] if args.no_real_trees else [
            *real_trees(env_pythons(args.python)),
            ("rule examples", write_rule_examples(Path(directory, "rule_examples"))),
        ]
        trees += [(item.partition("=")[0], Path(item.partition("=")[2])) for item in args.tree]
        tree_runs = []
        for name, root in trees:
            for target in TARGETS:
                run = run_tree(name, root, target, args.jobs)
                print(f"tree {name} --target {target}: {run.files} files, {run.changed} changed, "
                      f"{run.seconds:.1f} s", flush=True)
                tree_runs.append(run)
        sizes = [float(s) for s in args.sizes.split(",") if s.strip()]
        startup, size_runs = run_sizes(sizes, Path(directory)) if sizes else (None, [])
    missed = report(tree_runs, startup, size_runs, timing_fails=not args.timing_report_only)
    print(f"\nstress: {time.perf_counter() - started:.0f} s in all, {args.jobs} jobs")
    if args.json:
        args.json.write_text(json.dumps({
            "trees": [{**asdict(r), "second_runs": [asdict(o) for o in r.second_runs if
                                                    o.second_changed or o.second_rewrites or o.new_warnings]}
                      for r in tree_runs],
            "startup": startup, "sizes": [asdict(s) for s in size_runs], "missed": missed,
        }, indent=1))
    if missed:
        print("goals missed: " + "; ".join(missed) + (" (--report-only: exit 0)" if args.report_only else ""))
        return 0 if args.report_only else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
