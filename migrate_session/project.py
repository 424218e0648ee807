"""What the other modules of a run import from each module: a name they take from it is in
use there even when the module itself no longer uses it (MS020 then keeps a session or graph
it would drop, instead of breaking ``from .apps import graph`` in the module next to it).

Read from the text, not parsed: ``from <module> import <names>`` and ``import <module>``
statements, the module resolved against the run's files (relative imports by folder, absolute
ones by the end of the file's dotted path, so ``from mlfu.apps import graph`` and ``from apps
import graph`` both name ``.../mlfu/apps.py``; two files that end the same way both count,
which only keeps more). A module imported whole (``import apps``, ``from pkg import apps``) or
star-imported may have any public name used (``apps.graph``): ``EVERY_NAME``. Notebooks
(nothing imports them) and modules outside the run are not seen.
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
# `import a.b [as c], d`: the module itself, so any of its names may be used (`settings.SESS`).
_IMPORT = re.compile(rb"import[ \t]+([\w.]+(?:[ \t]+as[ \t]+\w+)?(?:[ \t]*,[ \t]*[\w.]+(?:[ \t]+as[ \t]+\w+)?)*)")
_DOTTED = re.compile(rb"([\w.]+)(?:[ \t]+as[ \t]+\w+)?")
EVERY_NAME = "*"  # a module imported whole, or star-imported: any public name of it may be used


def in_use(name: str, exported: set[str] | frozenset[str]) -> bool:
    """A module-level ``name`` other code may use: among ``exported`` (``__all__``'s, and what
    other modules import), or public in a module another imports whole or star-imports."""
    return name in exported or (EVERY_NAME in exported and not name.startswith("_"))


def imported_names(paths: Iterable[Path], read: Callable[[Path], bytes]) -> dict[Path, frozenset[str]]:
    """``path -> the names`` other ``.py`` files of the run import from it (only the files that
    may involve Keras and that something imports from). Paths are taken as given (as
    ``engine.discover`` gives them: each file once), not resolved: that costs more than the scan."""
    files = sorted({path for path in paths if path.suffix == ".py"})
    keras: list[Path] = []
    imports: list[tuple[Path, list[tuple[bytes, bytes, bytes]]]] = []  # each file's imports
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
            listed = [] if names == b"*" else _NAME.findall(names.strip(b"()").replace(b"\\\n", b" "))
            if not dots and dotted.rpartition(b".")[2] not in stems and not stems.intersection(listed):
                continue  # names no module that may involve Keras
            parts = tuple(part for part in dotted.decode().split(".") if part)
            taken = {EVERY_NAME} if names == b"*" else {name.decode() for name in listed}
            whole = [(*parts, name.decode()) for name in listed]  # `from pkg import settings`: a module
            for source, what in [*((s, taken) for s in _modules(path, dots, parts, by_suffix)),
                                 *((s, {EVERY_NAME}) for module in whole for s in _modules(path, dots, module, by_suffix))]:
                if source != path:
                    found.setdefault(source, set()).update(what)
    return {path: frozenset(names) for path, names in found.items()}


def _from_imports(data: bytes) -> list[tuple[bytes, bytes, bytes]]:
    """``(dots, module, names)`` of each import at the start of a line: ``names`` is ``*`` for a
    star import and for each module of an ``import a.b, c`` (then ``module`` is ``a.b``)."""
    found = []
    for match in _FROM_IMPORT.finditer(data):
        if _at_line_start(data, match.start()):
            names = match.group(3)
            found.append((match.group(1), match.group(2), b"*" if names.strip() == b"*" else names))
    for match in _IMPORT.finditer(data):
        if _at_line_start(data, match.start()):
            found += [(b"", dotted, b"*") for dotted in _DOTTED.findall(match.group(1))]
    return found


def _at_line_start(data: bytes, at: int) -> bool:
    return not data[data.rfind(b"\n", 0, at) + 1:at].strip()


def _modules(
    importer: Path, dots: bytes, parts: tuple[str, ...], by_suffix: dict[tuple[str, ...], list[Path]],
) -> list[Path]:
    """The run's files (that may involve Keras) that ``from <dots><parts> import`` names."""
    if not dots:
        return by_suffix.get(parts, []) if parts else []
    base = importer.parent
    for _ in range(len(dots) - 1):
        base = base.parent
    module = base.joinpath(*parts)
    return [p for p in (module.with_suffix(".py"), module / "__init__.py") if p in by_suffix.get(_module_parts(p), ())]


def _module_parts(path: Path) -> tuple[str, ...]:
    parts = path.with_suffix("").parts[1 if path.anchor else 0:]
    return parts[:-1] if parts and parts[-1] == "__init__" else parts
