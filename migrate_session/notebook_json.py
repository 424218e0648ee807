"""A notebook file as JSON text: read and checked, and written back changing only cell sources.

``replace_sources`` edits the ``source`` values of the given cells in the original text and
leaves every other byte as it was (key order, indent, escapes, a source kept as a string or
as a list of lines), then checks that only those sources changed and nbformat still
validates the result. nbformat is imported only when a notebook is read.
"""

from __future__ import annotations

import copy
import difflib
import json
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from json import decoder
from typing import Any

# json's own scanner, which typeshed leaves out: a JSON string's value and where it ends, from
# the index after its opening quote.
scanstring: Callable[[str, int], tuple[str, int]] = decoder.scanstring  # type: ignore[attr-defined]


class NotebookError(ValueError):
    """A notebook that cannot be migrated; the message says why (and which cell)."""


def load(text: str) -> dict[str, Any]:
    """The notebook as plain JSON data, after checking it with nbformat's schema."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise NotebookError(f"not valid JSON: {error}") from None
    if not isinstance(data, dict) or "nbformat" not in data:
        raise NotebookError("not a notebook: no 'nbformat' field")
    if data["nbformat"] != 4:
        raise NotebookError(
            f"nbformat {data['nbformat']!r} is not supported (only nbformat 4; "
            "open and save the notebook in Jupyter to convert an older one)"
        )
    import nbformat  # here, not at the top: 0.16 s of imports that a run without notebooks skips

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. MissingIDFieldWarning for nbformat < 4.5 files
        try:
            nbformat.validate(nbformat.from_dict(copy.deepcopy(data)))
        except nbformat.ValidationError as error:
            reason = str(getattr(error, "message", error)).splitlines()[0]
            raise NotebookError(f"not a valid notebook: {reason}{_where(error)}") from None
    return data


def _where(error: Exception) -> str:
    path = list(getattr(error, "absolute_path", ()) or ())
    if len(path) > 1 and path[0] == "cells" and isinstance(path[1], int):
        return f" (cell {path[1] + 1}" + "".join(f"/{p}" for p in path[2:]) + ")"
    return f" (at {'/'.join(map(str, path))})" if path else ""


_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")


@dataclass(frozen=True)
class _Member:
    key: str | int  # the index in an array
    key_start: int  # == start in an array
    start: int
    end: int


def replace_sources(text: str, data: dict[str, Any], sources: dict[int, str]) -> str:
    """``text`` with only the given cells' ``source`` values replaced, then checked."""
    ascii_only = text.isascii()
    edits = []
    cells = _member(text, _skip(text, 0), "cells")
    for index, cell in enumerate(_members(text, cells.start)):
        if index + 1 in sources:
            members = list(_members(text, cell.start))
            source = [m for m in members if m.key == "source"][-1]  # the last one, as json does
            separator = text[members[0].end: members[1].key_start] if len(members) > 1 else ", "
            old = data["cells"][index]["source"]
            new = _source_json(text, source, old, sources[index + 1], ascii_only, separator)
            edits.append((source.start, source.end, new))
    out, last = [], 0
    for start, end, new in edits:
        out += [text[last:start], new]
        last = end
    result = "".join(out) + text[last:]
    _check_written(result, data, sources)
    return result


def _source_json(text: str, source: _Member, old: str | list[str], new: str, ascii_only: bool,
                 separator: str) -> str:
    """The new value in the layout of the old one: a string, or a list of lines whose
    unchanged lines keep their exact text and whose new lines are spaced like the others."""
    dump = partial(json.dumps, ensure_ascii=ascii_only)
    if isinstance(old, str):
        return dump(new)
    items = list(_members(text, source.start))
    raw = [text[item.start: item.end] for item in items]
    lead = text[source.start + 1: items[0].start] if items else ""
    trail = text[items[-1].end: source.end - 1] if items else ""
    if len(items) > 1:
        between = text[items[0].end: items[1].start]
    elif "\n" in lead:  # one item per line: the comma spaced like the cell's members
        between = separator[: separator.find(",") + 1] + lead
    else:
        between = separator if "\n" not in separator else ", "
    new_items = new.splitlines(True)  # how nbformat splits a source into lines
    out = []
    matcher = difflib.SequenceMatcher(a=old, b=new_items, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        out += raw[a0:a1] if op == "equal" else [dump(item) for item in new_items[b0:b1]]
    return "[" + lead + between.join(out) + trail + "]" if out else "[]"


def _check_written(result: str, data: dict[str, Any], sources: dict[int, str]) -> None:
    """Only the intended sources changed, and the notebook is still valid."""
    try:
        written = json.loads(result)
    except ValueError as error:
        raise NotebookError(f"the migrated notebook is not valid JSON ({error}); "
                            "notebook left untouched") from None
    expected = copy.deepcopy(data)
    for number, source in sources.items():
        expected["cells"][number - 1]["source"] = source
    for notebook in (written, expected):
        for cell in notebook.get("cells", []):
            if isinstance(cell.get("source"), list):
                cell["source"] = "".join(cell["source"])
    if written != expected:
        raise NotebookError("writing the migrated cells back changed more than their sources "
                            "(a bug of migrate-session, please report it); notebook left untouched")
    try:
        load(result)
    except NotebookError as error:
        raise NotebookError(f"the migrated notebook is invalid ({error}); notebook left untouched") from None


def _skip(text: str, at: int) -> int:
    space = _SPACE.match(text, at)
    assert space is not None  # zero or more spaces: it always matches
    return space.end()


def _members(text: str, at: int) -> Iterator[_Member]:
    """The members of the JSON object (or the items of the array) that starts at ``at``."""
    is_object = text[at] == "{"
    close = "}" if is_object else "]"
    i, index = _skip(text, at + 1), 0
    while text[i] != close:
        key: str | int = index
        key_start = i
        if is_object:
            key, i = scanstring(text, i + 1)
            i = _skip(text, _skip(text, i) + 1)  # past ':'
        end = _DECODER.raw_decode(text, i)[1]
        yield _Member(key, key_start, i, end)
        index += 1
        i = _skip(text, end)
        if text[i] == ",":
            i = _skip(text, i + 1)


def _member(text: str, at: int, key: str) -> _Member:
    return [m for m in _members(text, at) if m.key == key][-1]
