"""The benchmark's trees, built the same way on every run from the stdlib and `corpora/`.

- `build_mixed_tree`: stdlib modules (the running interpreter's) with Keras scripts mixed in,
  the shape of a real repository where few files involve Keras.
- `build_keras_tree`: only Keras scripts, every one of which the default target changes.
"""

from __future__ import annotations

import sysconfig
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import libcst as cst

from migrate_session.engine import migrate_code

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
STDLIB_SKIP = ({"test"}, {"idlelib"}, {"lib2to3", "tests"}, {"site-packages"}, {"__pycache__"})
KERAS_DIR = "experiments"  # Keras scripts go in KERAS_DIR/run_<k>/ subfolders


@dataclass(frozen=True)
class TreeSize:
    files: int
    bytes: int
    keras_files: int


def stdlib_root() -> Path:
    return Path(sysconfig.get_paths()["stdlib"])


def stdlib_modules(root: Path | None = None) -> list[Path]:
    """Every stdlib `.py` file outside tests, idlelib and site-packages, sorted, relative."""
    root = root or stdlib_root()
    found = []
    for path in root.rglob("*.py"):
        relative = path.relative_to(root)
        folders = set(relative.parts[:-1])
        if any(skip <= folders for skip in STDLIB_SKIP) or not path.is_file():
            continue
        found.append(relative)
    return sorted(found)


def pick_stdlib(count: int, root: Path | None = None) -> list[Path]:
    """`count` stdlib modules spread evenly over the sorted list, each one libcst can parse.

    A module libcst cannot parse is replaced by the next parsable one after it.
    """
    root = root or stdlib_root()
    modules = stdlib_modules(root)
    if count > len(modules):
        raise ValueError(f"asked for {count} stdlib modules, {root} has {len(modules)}")
    picked: list[Path] = []
    taken: set[Path] = set()
    for i in range(count):
        start = i * len(modules) // count
        for module in modules[start:] + modules[:start]:
            if module not in taken and _parses(root / module):
                picked.append(module)
                taken.add(module)
                break
    return picked


def _parses(path: Path) -> bool:
    data = path.read_bytes()
    if b"keras" in data:  # would be a Keras file the count does not know about
        return False
    try:
        cst.parse_module(data)
    except (cst.ParserSyntaxError, RecursionError, UnicodeDecodeError, SyntaxError):
        return False
    return True


@cache
def changing_scripts(target: str = "tf2") -> tuple[Path, ...]:
    """The corpus `before.py` files that `target` changes, sorted by case name."""
    scripts = sorted(CORPORA.glob("*/before.py"))
    return tuple(s for s in scripts if migrate_code(s.read_text(encoding="utf-8"), target).changed)


def keras_scripts() -> list[Path]:
    """The corpus `before.py` files containing the bytes `keras`, sorted by case name."""
    return [s for s in sorted(CORPORA.glob("*/before.py")) if b"keras" in s.read_bytes()]


def place_keras(dest: Path, scripts: Sequence[Path], count: int, folders: int) -> None:
    """`count` scripts cycled from `scripts`, each with its own name, spread over `folders`."""
    if not scripts:
        raise ValueError(f"no Keras scripts found under {CORPORA}")
    for i in range(count):
        script = scripts[i % len(scripts)]
        folder = dest / KERAS_DIR / f"run_{i % folders}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"s{i:04d}_{script.parent.name}.py").write_bytes(script.read_bytes())


def build_mixed_tree(dest: Path, stdlib_files: int = 700, keras_files: int = 100) -> TreeSize:
    """Tree (a): stdlib modules at their stdlib paths plus Keras scripts in a few folders."""
    root = stdlib_root()
    for module in pick_stdlib(stdlib_files, root):
        target = dest / module
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((root / module).read_bytes())
    place_keras(dest, keras_scripts(), keras_files, folders=4)
    return measure(dest)


def build_keras_tree(dest: Path, files: int = 1000, target: str = "tf2") -> TreeSize:
    """Tree (b): `files` Keras scripts, all of which `target` changes."""
    place_keras(dest, changing_scripts(target), files, folders=10)
    return measure(dest)


def measure(tree: Path) -> TreeSize:
    files = sorted(tree.rglob("*.py"))
    datas = [path.read_bytes() for path in files]
    return TreeSize(len(files), sum(map(len, datas)), sum(b"keras" in d for d in datas))
