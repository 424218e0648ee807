"""What the other modules of a run import from each module: a name they take from it is in
use there even when the module itself no longer uses it (MS020 then keeps a session or graph
it would drop, instead of breaking ``from .apps import graph`` in the module next to it).

Read from the text, not parsed: ``from <module> import <names>`` statements, the module
resolved against the run's files (relative imports by folder, absolute ones by the end of
the file's dotted path, so ``from mlfu.apps import graph`` and ``from apps import graph``
both name ``.../mlfu/apps.py``; two files that end the same way both count, which only keeps
more). ``import apps`` then ``apps.graph`` is not followed, nor are notebooks (nothing imports
them), nor modules outside the run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

# `from <dots><dotted> import <names>`, the names maybe in parentheses over several lines.
# No `^`: a pattern that starts with a literal is searched for fast; the start of line is checked after.
_FROM_IMPORT = re.compile(
    rb"from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]*(?:\\\n[^\n#;]*)*)"
)
_NAME = re.compile(rb"(\w+)(?:\s+as\s+\w+)?")


def imported_names(paths: Iterable[Path], read: Callable[[Path], bytes]) -> dict[Path, frozenset[str]]:
    """``path -> the names`` other ``.py`` files of the run import from it (only the files that
    may involve Keras and that something imports from). Paths are taken as given (as
    ``engine.discover`` gives them: each file once), not resolved: that costs more than the scan."""
    files = sorted({path for path in paths if path.suffix == ".py"})
    keras: list[Path] = []
    imports: list[tuple[Path, list[tuple[bytes, bytes, bytes]]]] = []  # each file's from-imports
    for path in files:  # each file read once
        try:
            data = read(path)
        except OSError:
            continue  # its migration says why
        if b"keras" in data:
            keras.append(path)
        if b"import" in data:
            imports.append((path, _from_imports(data)))
    if len(files) < 2 or not keras:
        return {}
    # Only names taken from a module the migration may change matter.
    stems = {(path.parent.name if path.stem == "__init__" else path.stem).encode() for path in keras}
    by_suffix: dict[tuple[str, ...], list[Path]] = {}
    for path in keras:
        parts = _module_parts(path)
        for start in range(len(parts)):
            by_suffix.setdefault(parts[start:], []).append(path)
    found: dict[Path, set[str]] = {}
    for path, statements in imports:
        for dots, dotted, names in statements:
            if not dots and dotted.rpartition(b".")[2] not in stems:
                continue  # names no module that may involve Keras
            parts = tuple(part for part in dotted.decode().split(".") if part)
            if dots:
                base = path.parent
                for _ in range(len(dots) - 1):
                    base = base.parent
                module = base.joinpath(*parts)
                candidates = (module.with_suffix(".py"), module / "__init__.py")
                sources = [p for p in candidates if p in by_suffix.get(_module_parts(p), ())]
            else:
                sources = by_suffix.get(parts, []) if parts else []
            taken = {name.decode() for name in _NAME.findall(names.strip(b"()").replace(b"\\\n", b" "))}
            for source in sources:
                if source != path:
                    found.setdefault(source, set()).update(taken)
    return {path: frozenset(names) for path, names in found.items()}


def _from_imports(data: bytes) -> list[tuple[bytes, bytes, bytes]]:
    """``(dots, module, names)`` of each ``from ... import`` at the start of a line, but star imports."""
    found = []
    for match in _FROM_IMPORT.finditer(data):
        line = data.rfind(b"\n", 0, match.start()) + 1
        if not data[line:match.start()].strip() and b"*" not in match.group(3):
            found.append((match.group(1), match.group(2), match.group(3)))
    return found


def _module_parts(path: Path) -> tuple[str, ...]:
    parts = path.with_suffix("").parts[1 if path.anchor else 0:]
    return parts[:-1] if parts and parts[-1] == "__init__" else parts
