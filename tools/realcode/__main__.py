"""python -m tools.realcode [--env ID=PYTHON]... [--report-only]: see docs/real-code.md.

Exit status: 0 clean, 1 an unwarned failure, a false MS102 or MS107 (a name said not to exist
that resolves) or a file the tool could not migrate (0 with --report-only), 2 the checker's own
error.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from tools.realcode import report as printed
from tools.realcode.check import run
from tools.realcode.envs import TARGET_ENVS, CheckerError

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        pythons = _pythons(args.env)
        report = run(args.corpus, pythons, tuple(args.target or TARGET_ENVS), args.out / "envs",
                     timeout=args.timeout, per_check=args.per_check)
    except CheckerError as error:
        print(f"realcode: {error}", file=sys.stderr)
        return 2
    except Exception:  # noqa: BLE001 - a bug of the checker is exit 2, never a pass
        traceback.print_exc()
        return 2
    sys.stdout.write(printed.text(report))
    printed.write_json(report, args.out / "report.json")
    print(f"realcode: report written to {args.out / 'report.json'}")
    failed = any(target.failed for target in report.targets.values())
    return 1 if failed and not args.report_only else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tools.realcode", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--env", action="append", default=[], metavar="ID=PYTHON",
                        help="an env's Python (default: $MIGRATE_SESSION_PYTHON_<ID>, else .nox/env-<id>)")
    parser.add_argument("--target", action="append", choices=sorted(TARGET_ENVS),
                        help="only this target (repeatable; default: all)")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpora" / "real")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "realcode")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per env (all its checks)")
    parser.add_argument("--per-check", type=int, default=120, help="seconds per check inside an env")
    parser.add_argument("--report-only", action="store_true", help="print the report, exit 0 anyway")
    return parser


def _pythons(given: list[str]) -> dict[str, str]:
    pythons = {}
    for env in {env for envs in TARGET_ENVS.values() for env in envs}:
        python = os.environ.get(f"MIGRATE_SESSION_PYTHON_{env.upper()}")
        default = ROOT / ".nox" / f"env-{env}" / "bin" / "python"
        if python or default.exists():
            pythons[env] = python or str(default)
    for pair in given:
        env, sep, python = pair.partition("=")
        if not sep or not python:
            raise CheckerError(f"--env wants ID=PYTHON, got {pair!r}")
        pythons[env] = python
    return pythons


if __name__ == "__main__":
    sys.exit(main())
