"""``migrate-session apply PATH... [--target tf1|tf2] [--dry-run] [--check] [--format text|json] [--jobs N]``

Exit status: 0 done; 1 ``--check`` found files that would change; 3 a file could not be read,
decoded, parsed or written (it was left untouched, the others were processed); 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

from migrate_session import __version__
from migrate_session.engine import FileResult, discover, migrate_file
from migrate_session.findings import WARNING
from migrate_session.targets import DEFAULT_TARGET, TARGETS

EXIT_OK, EXIT_PENDING, EXIT_USAGE, EXIT_FAILED = 0, 1, 2, 3
REPORT_SCHEMA = "migrate-session/report"
REPORT_VERSION = 1
SERIAL_BELOW = 8  # files; fewer than this are not worth starting worker processes for


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="migrate-session",
        description="Rewrite standalone-Keras session clearing to tf.keras for a TF target.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    apply = commands.add_parser(
        "apply",
        help="migrate files or directories (recursing into *.py)",
        description="Migrate files in place; --dry-run or --check to write nothing.",
    )
    apply.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    apply.add_argument("--target", choices=TARGETS, default=DEFAULT_TARGET,
                       help="tf1: TF 1.12 graph mode; tf2: TF 2 eager, Keras 2 and 3 (default)")
    apply.add_argument("--dry-run", action="store_true", help="print a unified diff, write nothing")
    apply.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file would change")
    apply.add_argument("--format", choices=("text", "json"), default="text",
                       help="text: findings on stderr; json: one report document on stdout")
    apply.add_argument("--jobs", type=_positive, default=os.cpu_count() or 1, metavar="N",
                       help="worker processes (default: number of cores)")
    apply.add_argument("--quiet", action="store_true", help="no summary line")
    return parser


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return apply(args)


def apply(args: argparse.Namespace) -> int:
    started = time.monotonic()
    write = not (args.dry_run or args.check)
    results = list(_run(args.paths, args.target, write, args.jobs))
    elapsed = time.monotonic() - started
    if args.format == "json":
        print(json.dumps(report(results, args, elapsed), indent=2))
    else:
        _print_text(results, args, elapsed)
    if any(r.error for r in results):
        return EXIT_FAILED
    if args.check and any(r.changed for r in results):
        return EXIT_PENDING
    return EXIT_OK


def _run(paths: list[Path], target: str, write: bool, jobs: int) -> Iterator[FileResult]:
    found = list(discover(paths))
    files = [path for path, problem in found if problem is None]
    problems = {path: problem for path, problem in found if problem is not None}
    work = partial(migrate_file, target=target, write=write)
    if jobs > 1 and len(files) >= SERIAL_BELOW:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            migrated = iter(pool.map(work, files, chunksize=max(1, len(files) // (jobs * 8))))
            yield from _in_order(found, problems, migrated)
    else:
        yield from _in_order(found, problems, map(work, files))


def _in_order(found, problems, migrated) -> Iterator[FileResult]:
    for path, _ in found:
        yield FileResult(str(path), error=problems[path]) if path in problems else next(migrated)


def report(results: list[FileResult], args: argparse.Namespace, elapsed: float) -> dict:
    """The JSON report; its schema is documented in docs/report-format.md."""
    return {
        "schema": REPORT_SCHEMA,
        "version": REPORT_VERSION,
        "tool_version": __version__,
        "target": args.target,
        "mode": "check" if args.check else "dry-run" if args.dry_run else "apply",
        "files": [
            {
                "path": r.path,
                "changed": r.changed,
                "error": r.error,
                "note": r.note,
                "findings": [f.to_json() for f in r.findings],
                **({"diff": r.diff} if args.dry_run else {}),
            }
            for r in results
            if r.changed or r.error or r.findings
        ],
        "summary": _summary(results, elapsed),
    }


def _summary(results: list[FileResult], elapsed: float) -> dict:
    findings = [f for r in results for f in r.findings]
    return {
        "files": len(results),
        "changed": sum(r.changed for r in results),
        "failed": sum(bool(r.error) for r in results),
        "rewrites": sum(f.severity != WARNING for f in findings),
        "warnings": sum(f.severity == WARNING for f in findings),
        "seconds": round(elapsed, 3),
    }


def _print_text(results: list[FileResult], args: argparse.Namespace, elapsed: float) -> None:
    err = sys.stderr
    for result in results:
        if args.dry_run and result.diff:
            sys.stdout.write(result.diff)
        if result.error:
            print(f"{result.path}: error: {result.error}", file=err)
        for finding in result.findings:
            print(finding.to_text(), file=err)
        if result.note and result.changed:
            print(f"{result.path}: note: {result.note}", file=err)
    if not args.quiet:
        s = _summary(results, elapsed)
        verb = "would change" if (args.dry_run or args.check) else "changed"
        print(
            f"{s['files']} files, {s['changed']} {verb}, {s['rewrites']} rewrites, "
            f"{s['warnings']} warnings, {s['failed']} failed ({s['seconds']:.2f} s, target {args.target})",
            file=err,
        )
