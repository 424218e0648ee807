"""How fast is `migrate-session apply` next to bare libcst? `python benchmarks/bench.py`.

Builds three trees (see trees.py and README.md), times each command as a fresh subprocess
(wall time, start-up included, median of --repeat runs) and prints one table of ratios
against the goals of issue 4, plus peak RSS. `--json OUT` also writes every number.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from dataclasses import asdict
from importlib.metadata import version
from pathlib import Path

import trees

from migrate_session import __version__

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FLOOR = HERE / "floor.py"

# Runs argv with stdout and stderr to /dev/null; prints its wall time, CPU time and peak RSS
# (ru_maxrss of children is a max over every child ever waited for, hence one wrapper per run).
WRAPPER = """
import json, subprocess, sys, time
started = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
seconds = time.perf_counter() - started
try:
    import resource
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_kb = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
    cpu = usage.ru_utime + usage.ru_stime
except ImportError:
    peak_kb = cpu = None
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "returncode": code,
                  "peak_rss_kb": peak_kb}))
"""


def measured(argv: list[str]) -> dict:
    """One run of argv in its own wrapper process: seconds, peak RSS (kB)."""
    out = subprocess.run([sys.executable, "-c", WRAPPER, *argv], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    result = json.loads(out)
    if result["returncode"] != 0:
        raise SystemExit(f"exit status {result['returncode']} from: {' '.join(argv)}\n"
                         "run it by hand to see why")
    return result


def apply_cmd(tree: Path, jobs: int) -> list[str]:
    return [sys.executable, "-m", "migrate_session", "apply", "--dry-run", "--jobs", str(jobs),
            "--quiet", str(tree)]


def commands(dirs: dict[str, Path]) -> dict[str, list[str]]:
    return {
        "startup_cli": [sys.executable, "-c", "import migrate_session.cli"],
        "startup_libcst": [sys.executable, "-c", "import libcst"],
        "floor_a": [sys.executable, str(FLOOR), str(dirs["a"])],
        "apply_a_jobs1": apply_cmd(dirs["a"], 1),
        "floor_b": [sys.executable, str(FLOOR), str(dirs["b"])],
        "apply_b_jobs1": apply_cmd(dirs["b"], 1),
        "apply_b_jobs2": apply_cmd(dirs["b"], 2),
        "apply_b250_jobs1": apply_cmd(dirs["b250"], 1),
    }


def build(base: Path) -> dict[str, dict]:
    dirs = tree_dirs(base)
    sizes = {
        "a": trees.build_mixed_tree(dirs["a"], stdlib_files=700, keras_files=100),
        "b": trees.build_keras_tree(dirs["b"], files=1000),
        "b250": trees.build_keras_tree(dirs["b250"], files=250),
    }
    return {name: asdict(size) for name, size in sizes.items()}


def tree_dirs(base: Path) -> dict[str, Path]:
    return {"a": base / "a_stdlib_and_keras", "b": base / "b_keras_1000",
            "b250": base / "b_keras_250"}


def run(base: Path, repeat: int) -> dict:
    sizes = build(base)
    for name, size in sizes.items():
        print(f"tree ({name}) {tree_dirs(base)[name]}: {size['files']} files "
              f"({size['keras_files']} with `keras`), {size['bytes'] / 1e6:.2f} MB", flush=True)
    cmds = commands(tree_dirs(base))
    measured(cmds["startup_cli"])  # warm-up: bytecode caches, page cache
    samples: dict[str, list[dict]] = {name: [] for name in cmds}
    load_before = _load()
    for round_ in range(1, repeat + 1):
        for name, argv in cmds.items():
            samples[name].append(measured(argv))
        print(f"round {round_}/{repeat} done", flush=True)
    seconds = {name: statistics.median(s["seconds"] for s in runs) for name, runs in samples.items()}
    fastest = {name: min(s["seconds"] for s in runs) for name, runs in samples.items()}
    cpu = {name: statistics.median(s["cpu_seconds"] or 0 for s in runs)
           for name, runs in samples.items()}
    peak_kb = {name: max(s["peak_rss_kb"] or 0 for s in runs) for name, runs in samples.items()}
    return {
        "python": platform.python_version(),
        "libcst": version("libcst"),
        "migrate_session": __version__,
        "cpu_count": os.cpu_count(),
        "load_before": load_before,
        "load_after": _load(),
        "repeat": repeat,
        "trees": sizes,
        "seconds": seconds,
        "fastest_seconds": fastest,
        "cpu_seconds": cpu,
        "samples": samples,
        "peak_rss_kb": peak_kb,
        "results": results(seconds, peak_kb, fastest),
    }


def _load() -> list[float] | None:
    return list(os.getloadavg()) if hasattr(os, "getloadavg") else None


def results(s: dict[str, float], peak_kb: dict[str, int], fastest: dict[str, float]) -> list[dict]:
    """The table: measure, value, goal, met (goals judged on the medians `s`)."""
    def net(name: str, startup: str) -> float:
        return s[name] - s[startup]

    rows = [
        ("(a) apply --jobs 1 / floor, stdlib + Keras tree", s["apply_a_jobs1"] / s["floor_a"],
         "<=", 2.0),
        ("(b) floor / apply --jobs 1, 1,000 changing scripts", s["floor_b"] / s["apply_b_jobs1"],
         ">=", 0.7),
        ("(c) --jobs 2 speed-up over --jobs 1 on (b)", s["apply_b_jobs1"] / s["apply_b_jobs2"],
         ">=", 1.7),
        ("(a) same, start-up subtracted from both (info)",
         net("apply_a_jobs1", "startup_cli") / net("floor_a", "startup_libcst"), None, None),
        ("(b) same, start-up subtracted from both (info)",
         net("floor_b", "startup_libcst") / net("apply_b_jobs1", "startup_cli"), None, None),
        ("(c) same, fastest run of each (info)",
         fastest["apply_b_jobs1"] / fastest["apply_b_jobs2"], None, None),
        ("(d) peak RSS MB, apply --jobs 1 on (b), 1,000 files",
         peak_kb["apply_b_jobs1"] / 1024, None, None),
        ("(d) peak RSS MB, apply --jobs 1, 250 files", peak_kb["apply_b250_jobs1"] / 1024,
         None, None),
        ("(d) peak RSS MB, import migrate_session.cli only", peak_kb["startup_cli"] / 1024,
         None, None),
    ]
    table = []
    for measure, value, sense, goal in rows:
        met = None if goal is None else (value <= goal if sense == "<=" else value >= goal)
        table.append({"measure": measure, "value": round(value, 2),
                      "goal": None if goal is None else f"{sense} {goal:.2f}", "met": met})
    return table


def print_report(data: dict) -> None:
    s = data["seconds"]
    print()
    print(f"Python {data['python']}, libcst {data['libcst']}, migrate-session "
          f"{data['migrate_session']}; os.cpu_count() = {data['cpu_count']}; load average "
          f"before {_fmt_load(data['load_before'])}, after {_fmt_load(data['load_after'])}")
    print(f"Every timing: wall time of a fresh `{Path(sys.executable).name}` subprocess, "
          f"start-up included, median of {data['repeat']} (and the fastest; CPU = user + system).")
    print("apply = `python -m migrate_session apply --dry-run --jobs N --quiet TREE`; "
          "floor = `python benchmarks/floor.py TREE`")
    print("(walk + read + `keras` prefilter + libcst parse and codegen of the Keras files only).")
    print()
    width = max(map(len, s)) + 2
    print(f"  {'':<{width}}{'median':>8}  {'fastest':>8}  {'CPU':>8}  {'peak RSS':>9}")
    for name, seconds in s.items():
        print(f"  {name:<{width}}{seconds:7.2f}s  {data['fastest_seconds'][name]:7.2f}s  "
              f"{data['cpu_seconds'][name]:7.2f}s  {data['peak_rss_kb'][name] / 1024:6.1f} MB")
    print()
    rows = data["results"]
    width = max(len(r["measure"]) for r in rows) + 2
    print(f"{'measure':<{width}}{'value':>8}  {'goal':<9}met?")
    for r in rows:
        met = "-" if r["met"] is None else "yes" if r["met"] else "NO"
        print(f"{r['measure']:<{width}}{r['value']:>8.2f}  {r['goal'] or '-':<9}{met}")


def _fmt_load(load: list[float] | None) -> str:
    return "n/a" if load is None else " ".join(f"{x:.2f}" for x in load)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (median; default 3)")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write every number here")
    parser.add_argument("--tree", type=Path, metavar="DIR",
                        help="build the trees in DIR (absent or empty) and keep them")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.tree is not None:
        if args.tree.exists() and (not args.tree.is_dir() or any(args.tree.iterdir())):
            parser.error(f"--tree {args.tree}: must be absent or an empty directory")
        args.tree.mkdir(parents=True, exist_ok=True)
        data = run(args.tree.resolve(), args.repeat)
    else:
        with tempfile.TemporaryDirectory(prefix="migrate-session-bench-") as base:
            data = run(Path(base), args.repeat)
    print_report(data)
    if args.json:
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
