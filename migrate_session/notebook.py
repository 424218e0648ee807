"""Jupyter notebooks: every code cell migrated together as one module, written back in place.

The code cells are joined into one module, with a separator statement between cells, so a
name imported in one cell resolves in another. The migrated module is split again at the
separators; only the ``source`` values of the cells that changed are replaced in the JSON
text, so everything else (outputs, metadata, ids, key order, indent, escapes) stays
byte for byte. IPython syntax (magics, shell lines, ``obj?``) is masked by placeholder
statements for the migration and put back exactly. The JSON side is ``notebook_json``;
see docs/notebooks.md.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import libcst as cst

from migrate_session import notebook_json
from migrate_session.findings import Finding
from migrate_session.lines import split_lines
from migrate_session.notebook_json import NotebookError, load

SUFFIX = ".ipynb"
RESERVED = "__migrate_session_"
CELL = RESERVED + "cell_{}__"
MAGIC = RESERVED + "magic_{}_{}__"
KEEP = RESERVED + "keep_{}_{}__"
# Cell magics whose body is Python run by the kernel; any other %%magic cell is left alone.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun"})
# Line magics whose argument is a statement: the verification script runs the statement.
STATEMENT_MAGICS = re.compile(r"%(?:time|timeit|prun)[ \t]+(?=[^\s-])")

_NEWLINES_AT_END = re.compile(r"(?:\r\n|\r|\n)*\Z")
_CELL_MAGIC = re.compile(r"%%([\w.-]*)")
_COMPOUND = (ast.If, ast.For, ast.While, ast.With, ast.Try, ast.FunctionDef, ast.ClassDef,
             ast.AsyncFor, ast.AsyncWith, ast.AsyncFunctionDef)
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
_TIMED = re.compile(r"%%?(?:time|timeit|prun)\b")
_INTERPOLATED = re.compile(r"\{([^{}]*)\}|\$([A-Za-z_]\w*)")  # !echo {x} $y
_HELP = re.compile(r"[A-Za-z_][\w.]*\?\??")
_ASSIGNED_MAGIC = re.compile(r"[A-Za-z_][\w., \t]*=[ \t]*[!%]")
_MAGIC_LINE = re.compile(RESERVED + r"magic_(\d+)_(\d+)__")
_KEEP_SUFFIX = re.compile(r";[ \t]*" + RESERVED + r"keep_\d+_\d+__")
_KEEP_LINE = re.compile(r"[ \t]*" + RESERVED + r"keep_\d+_\d+__[ \t]*(?:#[^\r\n]*)?(?:\r\n|\r|\n)?\Z")


@dataclass
class CellChange:
    number: int  # 1-based position among all cells
    before: str
    after: str


@dataclass
class NotebookMigration:
    text: str  # the notebook's JSON text (== the input when nothing changed)
    changed: bool
    findings: list[Finding] = field(default_factory=list)
    cells: list[CellChange] = field(default_factory=list)


@dataclass
class Cell:
    """One code cell: its source, and the same text with IPython syntax masked."""

    number: int
    source: str
    masked: str = ""
    python: bool = True  # False for %%bash, %%html, ... cells: left exactly as they are
    magics: dict[int, str] = field(default_factory=dict)  # masked line index -> original
    groups: dict[int, list[int]] = field(default_factory=dict)  # a magic's lines (``\\``)
    uses: dict[int, list[str]] = field(default_factory=dict)  # imported names a magic uses
    shown: dict[int, str] = field(default_factory=dict)  # what follows its placeholder
    shifts: dict[int, int] = field(default_factory=dict)  # %time STMT: columns STMT moved by


class MigratedCode(Protocol):
    """What a module's migration returns (``engine.CodeResult``)."""

    @property
    def code(self) -> str: ...

    @property
    def findings(self) -> list[Finding]: ...


class Migrate(Protocol):
    """A module's migration (``engine.migrate_code``)."""

    def __call__(self, source: str, *, target: str, path: str) -> MigratedCode: ...


def migrate_notebook(text: str, target: str, path: str, migrate: Migrate) -> NotebookMigration:
    """Migrate a notebook's JSON text with ``migrate(code, target=, path=)`` (a module's
    migration, e.g. ``engine.migrate_code``). Raises NotebookError; never returns a notebook
    that is not valid or whose cells do not parse."""
    data = load(text)
    if not is_python(data):
        return NotebookMigration(text, False)
    cells = [c for c in code_cells(data) if c.python and c.masked.strip()]
    if not cells:
        return NotebookMigration(text, False)
    for cell in cells:
        if RESERVED in cell.source:
            raise NotebookError(f"cell {cell.number}: uses the reserved name {RESERVED}*")
    trees = [_check_python(cell.masked, cell.number, "") for cell in cells]
    imported = set().union(*map(_imported_names, trees))
    for cell in cells:
        _show_code(cell, imported)
    # Cells with no Python in them (`!pip install ...`, comments) have nothing to migrate;
    # left out, they cannot receive the imports the migration adds to the first cell.
    coded = [(c, t) for c, t in zip(cells, trees) if c.shown or any(map(_is_code, t.body))]
    if not coded:
        return NotebookMigration(text, False)
    cells = [cell for cell, _ in coded]
    for cell, tree in coded:
        _keep_imports(cell, tree, first=cell is cells[0])
    module, starts = _join(cells)
    try:
        migrated = migrate(module, target=target, path=path)
    except cst.ParserSyntaxError as error:
        number, line = _locate(starts, error.raw_line)
        raise NotebookError(
            f"cell {number}: cannot parse as Python 3: {error.message} "
            f"(line {line}, column {error.raw_column + 1})"
        ) from None
    shifts = {(cell.number, i + 1): shift for cell in cells for i, shift in cell.shifts.items()}
    findings = [_relocate(f, starts, shifts) for f in migrated.findings]
    if migrated.code == module:
        return NotebookMigration(text, False, findings)
    changes = [
        CellChange(cell.number, cell.source, after)
        for cell, after in zip(cells, _split(migrated.code, cells))
        if after != cell.source
    ]
    if not changes:
        return NotebookMigration(text, False, findings)
    for change in changes:
        _check_python(change.after, change.number, "migrated ")
    _check_uses(cells, migrated.code)
    new_text = notebook_json.replace_sources(text, data, {c.number: c.after for c in changes})
    return NotebookMigration(new_text, True, findings, changes)


def is_python(data: dict[str, Any]) -> bool:
    """False for notebooks of other kernels (R keras, Julia, ...); no language: Python."""
    metadata = data.get("metadata") or {}
    languages = {
        str((metadata.get("kernelspec") or {}).get("language") or "python").lower(),
        str((metadata.get("language_info") or {}).get("name") or "python").lower(),
    }
    return languages <= {"python", "python3", "ipython", "ipython3"}


def code_cells(data: dict[str, Any]) -> list[Cell]:
    cells = []
    for number, raw in enumerate(data.get("cells", []), start=1):
        if raw.get("cell_type") == "code":
            source = raw.get("source", "")
            cell = Cell(number, source if isinstance(source, str) else "".join(source))
            _mask(cell)
            cells.append(cell)
    return cells


# --- IPython syntax ----------------------------------------------------------------------
def _mask(cell: Cell) -> None:
    """Replace magic and shell lines by ``import <placeholder>`` at the same indentation.

    A placeholder is an import so that a cell starting with ``%matplotlib inline`` still
    starts with imports (where added imports go). Lines inside strings or brackets are
    Python, whatever they start with: candidates that tokenize shows not to start a
    statement are put back, until nothing changes.
    """
    lines = split_lines(cell.source)
    head = next((i for i, line in enumerate(lines) if line.strip()), None)
    groups: dict[int, list[int]] = {}
    index = 0
    if head is not None and lines[head].startswith("%%"):
        magic = _CELL_MAGIC.match(lines[head])
        assert magic is not None  # its pattern matches any %%
        if magic.group(1) not in PYTHON_CELL_MAGICS:
            cell.python, cell.masked = False, cell.source
            return
        groups[head] = [head]
        index = head + 1
    while index < len(lines):
        if _is_magic(lines[index]):
            group = [index]
            while _code(lines[group[-1]]).endswith("\\") and group[-1] + 1 < len(lines):
                group.append(group[-1] + 1)
            groups[index] = group
            index = group[-1]
        index += 1
    while groups:
        masked = _masked_lines(cell.number, lines, groups)
        starts = _statement_starts("".join(masked))
        wrong = [first for first in groups if first != head and first + 1 not in starts]
        if not wrong:
            break
        del groups[min(wrong)]  # the lines after it may read differently once it is Python
    cell.masked = "".join(_masked_lines(cell.number, lines, groups))
    cell.magics = {i: lines[i] for group in groups.values() for i in group}
    cell.groups = groups


def _is_magic(line: str) -> bool:
    code = _code(line).lstrip(" \t")
    return (
        code[:1] in ("%", "!", "?")
        or bool(_HELP.fullmatch(code))
        or bool(_ASSIGNED_MAGIC.match(code))
    )


def _code(line: str) -> str:
    return line.rstrip("\r\n")


def _masked_lines(number: int, lines: list[str], groups: dict[int, list[int]],
                  shown: dict[int, str] | None = None) -> list[str]:
    masked = list(lines)
    for first, group in groups.items():
        indent = lines[first][: len(lines[first]) - len(lines[first].lstrip(" \t"))]
        for i in group:
            end = lines[i][len(_code(lines[i])):]
            masked[i] = f"{indent}import {MAGIC.format(number, i)}{(shown or {}).get(i, '')}{end}"
    return masked


def _show_code(cell: Cell, imported: set[str]) -> None:
    """Let the migration see the code in a magic, without migrating it.

    ``%time STMT`` (a simple statement) becomes ``import <placeholder>; STMT``; a magic
    whose Python (``K?``, ``!echo {K.x}``, ``%timeit -n1 f(K)``) names an imported name,
    ``import <placeholder>; K``. The migration then keeps the imports they use, and if it
    would change that code, the notebook is refused (``_restore``) rather than written with
    a magic left behind.
    """
    lines = split_lines(cell.source)
    for first, group in cell.groups.items():
        statement = _statement(lines[first]) if len(group) == 1 else None
        words = [word for i in group for word in _python_names(lines[i])]
        cell.uses[first] = [name for name in dict.fromkeys(words) if name in imported]
        if statement is not None:
            cell.shown[first] = f"; {statement}"
            prefix = len(_code(lines[first]).lstrip(" \t")) - len(statement)
            cell.shifts[first] = len(f"import {MAGIC.format(cell.number, first)}; ") - prefix
        elif cell.uses[first]:
            cell.shown[first] = "".join(f"; {name}" for name in cell.uses[first])
    if cell.shown:
        cell.masked = "".join(_masked_lines(cell.number, lines, cell.groups, cell.shown))


def _statement(line: str) -> str | None:
    """STMT of ``%time STMT`` when it is one simple statement, else None."""
    code = _code(line).lstrip(" \t")
    found = STATEMENT_MAGICS.match(code)
    if found is None or code.endswith("\\"):
        return None
    statement = code[found.end():]
    try:
        body = ast.parse(statement).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    simple = len(body) == 1 and not isinstance(body[0], _COMPOUND)
    return statement if simple and ";" not in statement else None


def _python_names(line: str) -> list[str]:
    """The identifiers in the Python parts of a magic or shell line."""
    code = _code(line).strip()
    assigned = _ASSIGNED_MAGIC.match(code)  # x = %time f()
    if assigned:
        code = code[assigned.end() - 1:]
    if code.startswith("?") or _HELP.fullmatch(code):
        return _IDENTIFIER.findall(code)
    timed = _TIMED.match(code)
    if timed:
        return _IDENTIFIER.findall(code[timed.end():])
    return _IDENTIFIER.findall(" ".join(a or b for a, b in _INTERPOLATED.findall(code)))


def _is_code(statement: ast.stmt) -> bool:
    """Not a masked IPython line."""
    return not (isinstance(statement, ast.Import) and statement.names[0].name.startswith(RESERVED))


def _imported_names(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name != "*" and not alias.name.startswith(RESERVED):
                    names.add(alias.asname or alias.name.split(".")[0])
    return names


def _check_uses(cells: list[Cell], code: str) -> None:
    """A magic is not migrated: the names it uses must stay imported."""
    if not any(names for cell in cells for names in cell.uses.values()):
        return
    left = _imported_names(ast.parse(code))
    for cell in cells:
        for first, names in cell.uses.items():
            for name in names:
                if name not in left:
                    raise NotebookError(
                        f"cell {cell.number}, line {first + 1}: `{_code(cell.magics[first]).strip()}` "
                        f"uses {name}, whose import the migration removes, and the code in IPython "
                        "lines is not migrated: write that line as Python (or use %%time for the "
                        "whole cell) and run again; notebook left untouched"
                    )


def _statement_starts(code: str) -> set[int]:
    """1-based lines where a statement starts (not inside brackets, strings or after ``\\``)."""
    starts, at_start = set(), True
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type in (tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT):
                continue
            if at_start:
                starts.add(token.start[0])
            at_start = token.type == tokenize.NEWLINE
    except (tokenize.TokenError, SyntaxError):
        pass  # the tokens so far are right; the cell's parse reports the rest
    return starts


# --- one module for all cells --------------------------------------------------------------
def _keep_imports(cell: Cell, tree: ast.Module, first: bool) -> None:
    """In cells after the first, make each import line survive the migration.

    The codemod writes once two different import lines that become the same import
    (``import keras`` and ``import keras.backend``); in a notebook the second is in another
    cell and is wanted (cells are run on their own). An import followed by ``; <marker>`` is
    never merged; the marker is removed afterwards.
    """
    if first:
        return
    lines = split_lines(cell.masked)
    spans = [(s.lineno, _end_line(s)) for s in tree.body]
    for index, statement in enumerate(tree.body):
        if not isinstance(statement, (ast.Import, ast.ImportFrom)) or not _is_code(statement):
            continue
        last = _end_line(statement)
        alone = all(
            other == index or end < statement.lineno or start > last
            for other, (start, end) in enumerate(spans)
        )
        if alone:
            row = last - 1
            encoded = lines[row].encode("utf-8")
            cut = statement.end_col_offset
            marker = f"; {KEEP.format(cell.number, row)}".encode()
            lines[row] = (encoded[:cut] + marker + encoded[cut:]).decode("utf-8")
    cell.masked = "".join(lines)


def _end_line(statement: ast.stmt) -> int:
    assert statement.end_lineno is not None  # ast.parse sets it
    return statement.end_lineno


def _check_python(source: str, number: int, what: str) -> ast.Module:
    masked = source
    if "%" in source or "!" in source or "?" in source:
        probe = Cell(number, source)
        _mask(probe)
        masked = probe.masked
    try:
        return ast.parse(masked)
    except SyntaxError as error:
        raise NotebookError(
            f"{what}cell {number}: cannot parse as Python 3: {error.msg} "
            f"(line {error.lineno}, column {error.offset})"
        ) from None
    except (RecursionError, MemoryError):
        raise NotebookError(f"{what}cell {number}: cannot parse: nesting too deep") from None


def _join(cells: list[Cell]) -> tuple[str, list[tuple[int, int]]]:
    """The module text and, per cell, (first module line, cell number)."""
    parts: list[str] = []
    starts: list[tuple[int, int]] = []
    line = 1
    for cell in cells:
        if parts:
            parts.append(CELL.format(cell.number) + "\n")
            line += 1
        starts.append((line, cell.number))
        body = cell.masked if cell.masked.endswith(("\n", "\r")) else cell.masked + "\n"
        parts.append(body)
        line += len(split_lines(body))
    return "".join(parts), starts


def _locate(starts: list[tuple[int, int]], line: int) -> tuple[int, int]:
    """Module line -> (cell number, line within the cell)."""
    index = max(0, bisect_right([start for start, _ in starts], line) - 1)
    start, number = starts[index]
    return number, max(1, line - start + 1)


def _relocate(
    finding: Finding, starts: list[tuple[int, int]], shifts: dict[tuple[int, int], int]
) -> Finding:
    """A finding of the joined module, placed in its cell."""
    number, within = _locate(starts, finding.line)
    col = finding.col - shifts.get((number, within), 0)
    return replace(finding, line=within, col=col, cell=number)


def _split(code: str, cells: list[Cell]) -> list[str]:
    """The migrated module cut back into cell sources, IPython lines restored."""
    expected = [CELL.format(cell.number) for cell in cells[1:]]
    segments: list[list[str]] = []
    current: list[str] = []
    seen: list[str] = []
    for line in split_lines(code):
        if _code(line) in expected:
            seen.append(_code(line))
            segments.append(current)
            current = []
        else:
            current.append(line)
    segments.append(current)
    if seen != expected:
        raise NotebookError(
            "the cell boundaries did not survive the migration (a bug of migrate-session, "
            "please report it); notebook left untouched"
        )
    return [_restore(cell, lines) for cell, lines in zip(cells, segments)]


def _restore(cell: Cell, lines: list[str]) -> str:
    restored, found = [], []
    for line in lines:
        magic = _MAGIC_LINE.search(line)
        if magic and int(magic.group(1)) == cell.number:
            index = int(magic.group(2))
            found.append(index)
            if not _code(line).endswith(magic.group() + cell.shown.get(index, "")):
                raise NotebookError(
                    f"cell {cell.number}, line {index + 1}: `{_code(cell.magics[index]).strip()}` "
                    "would need migrating, and code in IPython lines is not migrated: write that "
                    "line as Python (or use %%time for the whole cell) and run again; notebook "
                    "left untouched"
                )
            restored.append(_code(cell.magics[index]) + line[len(_code(line)):])
            continue
        if _KEEP_LINE.match(line):
            continue  # the import it kept was removed by the migration
        restored.append(_KEEP_SUFFIX.sub("", line))
    if found != sorted(cell.magics):
        raise NotebookError(
            f"cell {cell.number}: its IPython lines did not survive the migration (a bug of "
            "migrate-session, please report it); notebook left untouched"
        )
    text = "".join(restored)
    if RESERVED in text:
        raise NotebookError(f"cell {cell.number}: a placeholder was left in the migrated cell "
                            "(a bug of migrate-session, please report it); notebook left untouched")
    if not cell.masked.endswith(("\n", "\r")) and text.endswith("\n"):
        text = text[:-2] if text.endswith("\r\n") else text[:-1]
    # Added imports are followed by a blank line; at the end of a cell it is noise.
    had = len(_newlines_at_end(cell.source).group())
    tail = _newlines_at_end(text)
    if len(tail.group()) > had:
        text = text[: tail.start()] + cell.source[len(cell.source) - had:]
    return text


def _newlines_at_end(text: str) -> re.Match[str]:
    found = _NEWLINES_AT_END.search(text)
    assert found is not None  # it matches the empty end of any text
    return found


# --- the notebook as a script (verification) ---------------------------------------------------
def script(text: str, name: str) -> str:
    """The code cells in order as one Python script, for running under the probe.

    Magic and shell lines become ``pass`` (``%time STMT`` runs STMT), cells of other
    languages (``%%bash``, ...) are left out, markdown and raw cells too.
    """
    data = load(text)
    out = [
        f"# {name} as a script (migrate-session verify): its code cells in order; IPython\n",
        "# magic and shell lines became `pass` (`%time STMT` runs STMT), %%bash-like cells are left out.\n",
    ]
    for cell in code_cells(data):
        lines = split_lines(cell.source)
        if not cell.python:
            head = next(line for line in lines if line.strip()).strip()
            out.append(f"\n# cell {cell.number}: {head} cell, left out\n")
            continue
        out.append(f"\n# cell {cell.number}\n")
        continued = {i for group in cell.groups.values() for i in group[1:]}
        for index, line in enumerate(lines):
            if index not in cell.magics:
                out.append(line)
                continue
            original = _code(line)
            code = original.lstrip(" \t")
            indent = original[: len(original) - len(code)]
            statement = STATEMENT_MAGICS.match(code)
            if index in continued:
                out.append(f"# {original}\n")
            elif statement and len(cell.groups[index]) == 1:
                out.append(f"{indent}{code[statement.end():]}\n")
            else:
                out.append(f"{indent}pass  # {code}\n")
        if out[-1] and not out[-1].endswith(("\n", "\r")):
            out.append("\n")
    return "".join(out)


def script_name(notebook: str) -> str:
    """``nb.ipynb`` -> ``nb.ipynb.py``: beside the notebook, never a real module's name."""
    return notebook + ".py"
