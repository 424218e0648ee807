"""python -m migrate_session.verify [PATH...] --env tf112=PYTHON --env tf215=... --env tf2=...

Without PATH: every corpus case, the golden files and the self-check.
With PATH (files or folders of your own scripts): the same runs and table, nothing else.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from migrate_session.api_tables import ENVS
from migrate_session.verify import report as reporting
from migrate_session.verify.cases import CaseError, cases_from_paths, load_corpus
from migrate_session.verify.pipeline import default_pythons, selfcheck_case, verify
from migrate_session.verify.runner import REPO_ROOT, MigrationCache, load_migrate


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m migrate_session.verify", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="your own scripts (files or folders) instead of the corpus")
    parser.add_argument("--env", action="append", default=[], metavar="ID=PYTHON",
                        help="the Python of an env (default: $MIGRATE_SESSION_PYTHON_<ID>)")
    parser.add_argument("--corpus", type=Path, default=REPO_ROOT / "corpora")
    parser.add_argument("--case", action="append", default=[], metavar="NAME",
                        help="only these corpus cases")
    parser.add_argument("--out", type=Path, default=None,
                        help="report and run folder (default build/verify, build/verify/paths)")
    parser.add_argument("--update-golden", action="store_true",
                        help="write after_<target>.py from the tool's output instead of checking")
    parser.add_argument("--no-selfcheck", action="store_true",
                        help="skip the wrong-migration self-check")
    parser.add_argument("--no-server", action="store_true",
                        help="a fresh process per run instead of the probe's fork server")
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="seconds per run (fresh-process mode)")
    parser.add_argument("--identity", action="store_true",
                        help="migrate nothing (tests the harness without the codemod)")
    parser.add_argument("--no-cache", action="store_true",
                        help="migrate every case again even when the codemod did not change")
    parser.add_argument("-v", "--verbose", action="store_true", help="one line per run")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    pythons = default_pythons(os.environ)
    for item in args.env:
        env, sep, python = item.partition("=")
        if not sep or env not in ENVS:
            print(f"--env {item!r}: expected ID=PYTHON with ID one of {', '.join(ENVS)}",
                  file=sys.stderr)
            return 2
        pythons[env] = python
    # absolute (the probe runs from elsewhere), but not resolved: a venv's python is a symlink
    pythons = {env: os.path.abspath(pythons[env]) for env in ENVS if env in pythons}
    if not pythons:
        print("no env given: pass --env tf112=PYTHON ... or set MIGRATE_SESSION_PYTHON_TF112 "
              "(`nox -s verify` does this for you)", file=sys.stderr)
        return 2

    try:
        if args.paths:
            mode, cases = "paths", cases_from_paths(args.paths)
        else:
            mode, cases = "corpus", load_corpus(args.corpus, args.case)
            if not args.no_selfcheck and not args.case:
                cases.append(selfcheck_case())
    except CaseError as exc:
        print(f"verify: {exc}", file=sys.stderr)
        return 2
    out = args.out or (REPO_ROOT / "build" / "verify" / ("paths" if args.paths else ""))
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
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
