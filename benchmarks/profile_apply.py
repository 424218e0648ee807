"""Where `apply` spends its time: `python benchmarks/profile_apply.py [--files N]`.

cProfile of `migrate_session.cli.main(["apply", "--dry-run", "--jobs", "1", "--quiet", TREE])`
in this process, over the first N (default 100) scripts of the benchmark's tree (b), with the
diff and findings it prints thrown away. Prints the top functions by cumulative and by own time.
(Named profile_apply, not profile: a `profile.py` here would shadow the stdlib module cProfile uses.)
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import pstats
import sys
import tempfile
from pathlib import Path

import trees

from migrate_session.cli import main as cli_main


def profile(tree: Path) -> pstats.Stats:
    profiler = cProfile.Profile()
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        profiler.enable()
        status = cli_main(["apply", "--dry-run", "--jobs", "1", "--quiet", str(tree)])
        profiler.disable()
    if status != 0:
        raise SystemExit(f"apply exited {status}:\n{sink.getvalue()[-2000:]}")
    return pstats.Stats(profiler)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100, help="scripts of tree (b) (default 100)")
    parser.add_argument("--top", type=int, default=25, help="rows per table (default 25)")
    parser.add_argument("--out", type=Path, help="also save the raw profile (for snakeviz etc.)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="migrate-session-profile-") as base:
        size = trees.build_keras_tree(Path(base), files=args.files)
        print(f"tree (b) slice: {size.files} files, {size.bytes / 1e6:.2f} MB")
        stats = profile(Path(base))
    if args.out:
        stats.dump_stats(args.out)
    for order in ("cumulative", "tottime"):
        print(f"\n=== top {args.top} by {order} ===")
        stats.sort_stats(order).print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
