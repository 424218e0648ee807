"""The floor: the least any tool must do to rewrite the Keras files of a tree with libcst.

`python benchmarks/floor.py TREE` walks TREE the way `migrate_session.engine.discover` does,
reads every `.py` file, keeps those containing the bytes `keras`, and parses and regenerates
only those with bare libcst (`libcst.parse_module(text).code`). It prints one JSON line:
files seen, Keras files parsed, seconds spent after the imports.

It imports libcst and nothing of migrate_session, so its start-up is libcst's alone.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import libcst as cst

SKIP_DIRS = {"__pycache__", "node_modules", "site-packages"}  # as in migrate_session.engine


def walk(root: Path) -> list[Path]:
    """Sorted `.py` files under root, each real file once (what `discover` yields)."""
    found = []
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = [
            d
            for d in dirnames
            if not d.startswith(".")
            and d not in SKIP_DIRS
            and not (Path(directory, d) / "pyvenv.cfg").exists()
        ]
        found += [Path(directory, name) for name in filenames if name.endswith(".py")]
    seen: set[Path] = set()
    unique = []
    for path in sorted(found):
        real = path.resolve(strict=True)
        if real not in seen:
            seen.add(real)
            unique.append(path)
    return unique


def floor(root: Path) -> dict:
    started = time.perf_counter()
    files = walk(root)
    keras = 0
    for path in files:
        data = path.read_bytes()
        if b"keras" in data:
            keras += 1
            text = data.decode("utf-8")
            if cst.parse_module(text).code != text:
                raise SystemExit(f"{path}: libcst did not round-trip the file")
    return {"files": len(files), "keras_files": keras, "seconds": time.perf_counter() - started}


if __name__ == "__main__":
    if len(sys.argv) != 2 or not Path(sys.argv[1]).is_dir():
        raise SystemExit("usage: python benchmarks/floor.py TREE  (TREE: an existing directory)")
    print(json.dumps(floor(Path(sys.argv[1]))))
