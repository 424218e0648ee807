"""Migrate every file of the manifest in process; keep what the checker needs of each result."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from migrate_session.engine import FileResult, decode, migrate_bytes
from migrate_session.findings import Finding
from migrate_session.lines import split_lines
from migrate_session.notebook import SUFFIX, code_cells, is_python
from migrate_session.notebook_json import load
from tools.realcode.collect import Item, collect
from tools.realcode.lines import input_lines, output_to_input

WARNING = "warning"
# Findings that say a name does not exist in (some envs of) the target: MS102 for Keras names,
# MS107 for TensorFlow names. Each is checked in the envs it names.
ABSENCE_RULES = ("MS102", "MS107")
Tool = Callable[[bytes, str, str], FileResult]  # the codemod: migrate_bytes(data, path, target)


@dataclass(frozen=True)
class Found:
    """An item of the output, placed in the file: output line, cell, and the input lines it maps to."""

    item: Item
    line: int  # output line (within the cell for notebooks)
    cell: int | None
    inputs: frozenset[int]


class Unreadable(Exception):
    """The checker cannot read a file's text as the tool would (a cell that does not parse, ...)."""


@dataclass
class Migrated:
    file: str  # as named in the manifest
    target: str
    error: str | None = None  # the tool's own error for this file (nothing was checked)
    unread: str | None = None  # the tool migrated it, the checker cannot read its output (nothing checked)
    found: list[Found] = field(default_factory=list)
    warned: set[tuple[int | None, int]] = field(default_factory=set)  # (cell, input line)
    absences: list[Finding] = field(default_factory=list)  # the tool's findings that a name does not exist
    mappings: dict[int | None, list[tuple[int, ...]]] = field(default_factory=dict)  # per cell


def manifest_files(corpus: Path) -> list[str]:
    entries = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))["files"]
    return [entry["file"] for entry in entries]


def migrate(corpus: Path, file: str, target: str, tool: Tool = migrate_bytes) -> Migrated:
    data = (corpus / "files" / file).read_bytes()
    result = tool(data, file, target)
    out = Migrated(file, target)
    if result.error:
        out.error = result.error
        return out
    new = result.new_bytes if result.changed and result.new_bytes is not None else data
    out.warned = {(f.cell, f.line) for f in result.findings if f.severity == WARNING}
    out.absences = [f for f in result.findings if f.rule_id in ABSENCE_RULES]
    try:
        before = dict(_cells(file, data))
        cells = _cells(file, new)
        items = _items(cells)
    except Unreadable as error:
        out.unread = str(error)
        return out
    for cell, text in cells:
        out.mappings[cell] = output_to_input(_bare(before.get(cell, "")), _bare(text))
    for cell, line, item in items:
        inputs = input_lines(out.mappings[cell], line, line + item.last - item.first)
        out.found.append(Found(item, line, cell, frozenset(inputs)))
    return out


def original_items(corpus: Path, file: str) -> dict[tuple[int | None, int], list[Item]] | None:
    """The input's own items by (cell, line): what the file asked of TF/Keras before the move;
    None for an input the checker cannot read (one the tool fails on too, as a rule)."""
    placed: dict[tuple[int | None, int], list[Item]] = {}
    try:
        items = _items(_cells(file, (corpus / "files" / file).read_bytes()))
    except Unreadable:
        return None
    for cell, line, item in items:
        placed.setdefault((cell, line), []).append(item)
    return placed


def _cells(file: str, data: bytes) -> list[tuple[int | None, str]]:
    """A script is one cell (None); a notebook, its Python code cells with IPython masked as the
    tool masks it (each ends with a line end, so that they join into one module)."""
    try:
        return _read_cells(file, data)
    except (ValueError, SyntaxError, LookupError, RecursionError) as error:  # a NotebookError too
        raise Unreadable(f"cannot read: {type(error).__name__}: {_first_line(error)}") from None


def _read_cells(file: str, data: bytes) -> list[tuple[int | None, str]]:
    if not file.endswith(SUFFIX):
        return [(None, decode(data).text)]
    notebook = load(data.decode("utf-8"))
    if not is_python(notebook):
        return []  # an R or Julia notebook: the tool leaves it, nothing here is Python
    cells = [c for c in code_cells(notebook) if c.python]
    return [(c.number, c.masked if c.masked.endswith(("\n", "\r")) else c.masked + "\n") for c in cells]


def _items(cells: list[tuple[int | None, str]]) -> list[tuple[int | None, int, Item]]:
    """Items of the cells joined into one module (a name imported in one cell is used in
    another), each placed back in its cell: (cell, line within the cell, item)."""
    try:
        items = collect("".join(text for _, text in cells))
    except (cst.ParserSyntaxError, RecursionError) as error:
        where = _cell_of(cells, getattr(error, "raw_line", 0))
        why = getattr(error, "message", None) or _first_line(error)
        raise Unreadable(f"does not parse{where}: {why}") from None
    placed, start = [], 0
    for cell, text in cells:
        end = start + len(split_lines(text))
        placed += [(cell, item.first - start, item) for item in items if start < item.first <= end]
        start = end
    return placed


def _bare(text: str) -> list[str]:
    """Lines without their endings (a cell's last line may have none)."""
    return [line.rstrip("\r\n") for line in split_lines(text)]


def _cell_of(cells: list[tuple[int | None, str]], line: int) -> str:
    """" (cell N, line L)" for a line of the joined module ("" for a script or no line)."""
    start = 0
    for cell, text in cells:
        end = start + len(split_lines(text))
        if cell is not None and start < line <= end:
            return f" (cell {cell}, line {line - start})"
        start = end
    return f" (line {line})" if line else ""


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else ""
