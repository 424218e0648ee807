"""``migrate-session verify PATH...``: run scripts before and after migration in real TensorFlow.

Each script (or notebook) runs under the probe in the original environment (TF 1.12 + Keras
2.2.4) and, migrated for each target, in every environment the target claims; the cleared
state is compared. The environments are made once, by nox, in a per-user cache
(``environments.home()``), and reused. The repository's ``nox -s verify`` runs the same
command on its corpus (``--corpus``), with the envs it made in ``.nox`` given as ``--env``.

Exit status: 0 every outcome as expected; 1 an unexpected outcome or golden-file failure;
2 nothing ran (a usage error, a path or case that cannot be used, an env that cannot be had).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from migrate_session.envs import ENVS

EXIT_OK, EXIT_UNEXPECTED, EXIT_NOT_RUN = 0, 1, 2
DESCRIPTION = """\
Run scripts and notebooks before and after migration in real TensorFlow environments
and compare what each clear_session cleared."""
EPILOG = f"""\
The environments live in $MIGRATE_SESSION_HOME, else $XDG_CACHE_HOME/migrate-session, else
~/.cache/migrate-session; making them needs nox (pip install 'migrate-session[verify]') and
the Python of each ({', '.join(f'{e.id}: {e.python}' for e in ENVS.values())}).
MIGRATE_SESSION_PYTHON_<ID> (or --env ID=PYTHON) uses an env you already have instead.
Report: OUT/report.md (a table per target), OUT/report.json, OUT/matrix.svg.
Exit status: 0 every outcome as expected; 1 something unexpected; 2 nothing ran."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="scripts, notebooks or folders of them (a folder: every file "
                             "`apply` would take)")
    parser.add_argument("--env", action="append", default=[], metavar="ID=PYTHON",
                        help="the Python of an env you already have (also: "
                             "$MIGRATE_SESSION_PYTHON_<ID>)")
    parser.add_argument("--out", type=Path, default=None,
                        help="report and run folder (default: build/verify/paths here; "
                             "build/verify for --corpus)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per run")
    parser.add_argument("--no-cache", action="store_true",
                        help="migrate every script again even when the codemod did not change")
    parser.add_argument("-v", "--verbose", action="store_true", help="one line per run")
    dev = parser.add_argument_group("developing migrate-session (its repository's corpus)")
    dev.add_argument("--corpus", type=Path, default=None, metavar="DIR",
                     help="verify the corpus cases (DIR/<case>/case.json) instead of PATHs")
    dev.add_argument("--case", action="append", default=[], metavar="NAME",
                     help="only these corpus cases")
    dev.add_argument("--update-golden", action="store_true",
                     help="write after_<target>.py from the tool's output instead of checking")
    dev.add_argument("--no-selfcheck", action="store_true",
                     help="skip the wrong-migration self-check")
    dev.add_argument("--no-server", action="store_true",
                     help="a fresh process per run instead of the probe's fork server")
    dev.add_argument("--identity", action="store_true",
                     help="migrate nothing (tests the harness without the codemod)")


def run(args: argparse.Namespace) -> int:
    # Imported here: `migrate-session apply` imports this module for its parser.
    from migrate_session.verify import environments
    from migrate_session.verify import report as reporting
    from migrate_session.verify.cases import cases_from_paths, load_corpus
    from migrate_session.verify.pipeline import selfcheck_case, verify
    from migrate_session.verify.runner import MigrationCache, load_migrate

    if bool(args.paths) == bool(args.corpus):
        return _usage("give PATHs to verify (or --corpus DIR, not both)")
    try:
        given = _given_pythons(args.env)
        if args.paths:
            mode, cases = "paths", cases_from_paths(args.paths)
        else:
            mode, cases = "corpus", load_corpus(args.corpus, args.case)
            if not args.no_selfcheck and not args.case:
                cases.append(selfcheck_case())
    except ValueError as exc:  # CaseError too
        return _usage(str(exc))
    try:
        wanted = [env_id for env_id in ENVS if env_id not in given]
        made = environments.ensure(wanted, environments.home(),
                                   log=lambda line: print(line, flush=True))
        pythons = {**given, **made}
    except environments.EnvError as exc:
        return _usage(str(exc))
    # absolute (the probe runs from elsewhere), but not resolved: a venv's python is a symlink
    pythons = {env_id: os.path.abspath(pythons[env_id]) for env_id in ENVS}

    # absolute: every run has its own working directory
    out = Path(os.path.abspath(args.out or Path("build", "verify", "paths" if args.paths else "")))
    migrate = cache = load_migrate(identity=args.identity)
    if not args.identity and not args.no_cache:
        migrate = cache = MigrationCache(out / "migrations.json", migrate)

    print(f"verify ({mode}): {len(cases)} case(s) in {', '.join(pythons)}", flush=True)
    result = verify(
        cases, pythons, out, migrate=migrate, mode=mode, update_golden=args.update_golden,
        use_server=not args.no_server, timeout=args.timeout, verbose=args.verbose,
        log=lambda line: print(line, flush=True),
    )
    md, js = reporting.write(result, out)
    if isinstance(cache, MigrationCache):
        cache.save()
    print(reporting.summary(result))
    if isinstance(cache, MigrationCache) and cache.hits:
        print(f"  (codemod unchanged: {cache.hits} of {cache.hits + cache.misses} migrations "
              "reused from the last run; --no-cache to redo them)")
    print(f"report: {md} and {js.name}")
    return EXIT_OK if result.ok else EXIT_UNEXPECTED


def _given_pythons(items: list[str]) -> dict[str, str]:
    """``--env ID=PYTHON`` options as {id: python}."""
    pythons = {}
    for item in items:
        env_id, sep, python = item.partition("=")
        if not sep or env_id not in ENVS or not python:
            raise ValueError(f"--env {item!r}: expected ID=PYTHON with ID one of {', '.join(ENVS)}")
        pythons[env_id] = python
    return pythons


def _usage(message: str) -> int:
    print(f"migrate-session verify: {message}", file=sys.stderr)
    return EXIT_NOT_RUN


def build_parser(prog: str = "python -m migrate_session.verify") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    return run(build_parser().parse_args(argv))
