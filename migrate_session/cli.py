"""``migrate-session apply PATH... [--target tf1|tf2] [--dry-run] [--check] [--format FORMAT] [--jobs N]``
and ``migrate-session verify PATH...`` (:mod:`migrate_session.verify.command`).

Files are migrated ``--jobs`` at a time in worker processes (:mod:`migrate_session.scheduler`)
and reported one by one, in path order, as soon as each is next (:mod:`migrate_session.reporters`).
Exit status: 0 done; 1 ``--check`` found files that would change; 3 a file could not be read,
decoded, parsed or written (it was left untouched, the others were processed); 2 usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

from migrate_session import __version__, color, project
from migrate_session.engine import (
    FileResult,
    discover,
    migrate_bytes,
    migrate_file,
    needs_work,
    untouched,
    write_back,
)
from migrate_session.progress import Progress
from migrate_session.reporters import FORMATS, Reporter, Summary, interesting
from migrate_session.reporters.json_report import JsonReport
from migrate_session.reporters.sarif import SarifReport
from migrate_session.reporters.text import TextReport
from migrate_session.scheduler import run_ordered
from migrate_session.targets import DEFAULT_TARGET, TARGETS
from migrate_session.verify import command as verify_command

EXIT_OK, EXIT_PENDING, EXIT_USAGE, EXIT_FAILED = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports it
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: the reader of stdout went away (`| head`)
STDIN = "-"
STDIN_NAME = "<stdin>"
Work = Callable[..., FileResult]  # migrate_file's signature: (path, target=, write=)

FORMAT_HELP = """\
text (default): findings on stderr, `path:line:col rule-id message` lines grouped under a
heading per file that says what happened to it; concise: the same lines, no headings, no
indent (for grep and CI problem matchers); json: one report document on stdout
(docs/report-format.md); sarif: one SARIF 2.1.0 log on stdout (docs/sarif.md)"""

EPILOG = """\
PATH `-` reads one module on stdin (it cannot be mixed with other paths) and writes the migrated
module on stdout, byte for byte the input when nothing changes; findings go to stderr under
--stdin-filename (default `<stdin>`). With --check nothing is written on stdout; with --dry-run
only the diff; --format json or sarif needs one of the two, since stdout then carries the
report. Input that cannot be decoded or parsed is named on stderr with the reason and
the exit status is 3; plain `apply -` then echoes the input unchanged on stdout, so that an
editor filtering its buffer through the command keeps the buffer as it was.

Exit status: 0 done; 1 --check found files that would change; 2 usage error; 3 a file could
not be read, decoded, parsed or written (it is left untouched; the others are processed).

Colors (--color auto): when the stream is a terminal and NO_COLOR is unset; FORCE_COLOR
colors pipes too; NO_COLOR wins over FORCE_COLOR, --color always/never over both."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="migrate-session",
        description="Rewrite standalone-Keras session clearing to tf.keras for a TF target.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    apply = commands.add_parser(
        "apply",
        help="migrate files or directories (recursing into *.py), or stdin (`-`)",
        description="Migrate files in place; --dry-run or --check to write nothing.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    apply.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                       help="files or directories; `-` for one module on stdin")
    apply.add_argument("--target", choices=TARGETS, default=DEFAULT_TARGET,
                       help="tf1: TF 1.12 graph mode; tf2: TF 2 eager, Keras 2 and 3 (default)")
    apply.add_argument("--dry-run", action="store_true", help="print a unified diff, write nothing")
    apply.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file would change")
    apply.add_argument("--format", choices=FORMATS, default="text", help=FORMAT_HELP)
    apply.add_argument("--color", choices=color.CHOICES, default="auto",
                       help="color diffs (stdout) and headings (stderr); auto: on a terminal")
    apply.add_argument("--jobs", type=_positive, default=_cores(), metavar="N",
                       help="worker processes (default: number of cores); output stays in path order")
    apply.add_argument("--stdin-filename", metavar="NAME",
                       help="the name shown for stdin in findings and diffs (with PATH `-`)")
    apply.add_argument("--quiet", action="store_true",
                       help="no progress bar, no summary line")
    verify = commands.add_parser(
        "verify",
        help="run scripts before and after migration in real TensorFlow and compare",
        description=verify_command.DESCRIPTION,
        epilog=verify_command.EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verify_command.add_arguments(verify)
    return parser


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def main(argv: list[str] | None = None, work: Work = migrate_file) -> int:
    """The command line; ``work`` migrates one file (a parameter so tests can make it fail)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "verify":
        return verify_command.run(args)
    stdin = [str(path) == STDIN for path in args.paths]
    if any(stdin) and len(args.paths) > 1:
        parser.error("`-` (stdin) cannot be mixed with other paths")
    if args.stdin_filename and not any(stdin):
        parser.error("--stdin-filename is only for PATH `-`")
    if any(stdin) and args.format in ("json", "sarif") and not (args.check or args.dry_run):
        parser.error(f"`-` writes the module on stdout: use --format {args.format} with --check or --dry-run")
    try:
        return apply_stdin(args) if any(stdin) else apply(args, work)
    except KeyboardInterrupt:
        print("migrate-session: interrupted; files already written are complete", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # Python would complain again when flushing stdout at exit; point it at /dev/null.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


def apply(args: argparse.Namespace, work: Work = migrate_file) -> int:
    started = time.monotonic()
    write = not (args.dry_run or args.check)
    found = list(discover(args.paths))
    imported = project.imported_names((path for path, problem in found if problem is None), Path.read_bytes)
    reporter = _reporter(args)
    summary = Summary()
    reporter.start()
    # Passed only when there is something to pass: a `work` of a test need not know of it.
    bound = partial(work, target=args.target, write=False, **({"imported": imported} if imported else {}))
    with contextlib.closing(Progress(len(found), sys.stderr, _verb(args), quiet=args.quiet)) as progress:
        for result in run(found, bound, args.jobs):
            if write:  # here, not in the worker: a worker that dies has written nothing
                write_back(Path(result.path), result)
            result.new_bytes = None
            summary.add(result)
            progress.advance(summary.changed, summary.failed)
            if not interesting(result):  # nothing to print: no need to clear the bar
                reporter.file(result)
                continue
            with progress.writing(sys.stdout, sys.stderr):
                reporter.file(result)
    return _finish(args, reporter, summary, started)


def run(found: list[tuple[Path, str | None]], work: Callable[[Path], FileResult], jobs: int) -> Iterator[FileResult]:
    """Each discovered file's result, in discovery order, migrated by ``jobs`` processes.

    With worker processes, files without the bytes ``keras`` are ruled out here first, so that
    workers only get files to parse: on a big tree, handing every file to a worker would cost
    more than reading it. In one process ``work`` applies the same prefilter itself.
    """
    files = [path for path, problem in found if problem is None and (jobs <= 1 or needs_work(path))]
    pending = set(files)
    migrated = run_ordered(work, files, jobs)
    for path, problem in found:
        if problem is not None:
            yield FileResult(str(path), error=problem)
        elif path not in pending:
            yield untouched(path)
        else:
            done = next(migrated)
            yield done.result if done.error is None else FileResult(str(done.item), error=done.error, candidate=True)


def apply_stdin(args: argparse.Namespace) -> int:
    started = time.monotonic()
    data = sys.stdin.buffer.read()
    result = migrate_bytes(data, args.stdin_filename or STDIN_NAME, args.target)
    reporter = _reporter(args)
    summary = Summary()
    summary.add(result)
    reporter.start()
    reporter.file(result)
    if not (args.check or args.dry_run):
        sys.stdout.flush()
        sys.stdout.buffer.write(result.new_bytes if result.changed and result.new_bytes is not None else data)
        sys.stdout.buffer.flush()
    return _finish(args, reporter, summary, started)


def _finish(args: argparse.Namespace, reporter: Reporter, summary: Summary, started: float) -> int:
    summary.seconds = time.monotonic() - started
    if summary.failed:
        code = EXIT_FAILED
    elif args.check and summary.changed:
        code = EXIT_PENDING
    else:
        code = EXIT_OK
    reporter.finish(summary, code)
    sys.stdout.flush()
    if not args.quiet:
        print(summary.line(_verb(args), args.target), file=sys.stderr)
    return code


def _verb(args: argparse.Namespace) -> str:
    return "would rewrite" if (args.dry_run or args.check) else "rewritten"


def _mode(args: argparse.Namespace) -> str:
    return "check" if args.check else "dry-run" if args.dry_run else "apply"


def _reporter(args: argparse.Namespace) -> Reporter:
    if args.format == "json":
        return JsonReport(sys.stdout, target=args.target, mode=_mode(args), diffs=args.dry_run)
    if args.format == "sarif":
        return SarifReport(sys.stdout)
    return TextReport(
        sys.stdout, sys.stderr, verb=_verb(args), diffs=args.dry_run,
        grouped=args.format == "text",
        color_out=color.enabled(args.color, sys.stdout),
        color_err=color.enabled(args.color, sys.stderr),
    )
