"""Where a few nodes start, found in one code-generation pass over the module.

libcst's ``PositionProvider`` records a full range for every node of the module, which costs
several times the code generation it rides on. Findings need only the start of the nodes they
report, so this runs the same code generation and keeps the starts of those nodes only, by
``PositionProvider``'s rules: where the node's code records its syntactic position (hoisted
from ``start_node`` when it gives one), else where its code begins. ``tests/test_positions.py``
checks the two agree on every node of every corpus file.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst._position import CodePosition

_NOT_WANTED = contextlib.nullcontext()
_NEWLINE = re.compile(r"\r\n?|\n")


def starts(module: cst.Module, nodes: Iterable[cst.CSTNode]) -> dict[cst.CSTNode, CodePosition]:
    """1-based line and 0-based column where each node starts, as PositionProvider says."""
    requested = list(nodes)
    if not requested:
        return {}
    state = _StartRecorder(default_indent=module.default_indent, default_newline=module.default_newline)
    state.wanted = {id(node): node for node in requested}
    module._codegen(state)
    return {node: CodePosition(*state.found[id(node)]) for node in requested}


class _StartRecorder(CodegenState):
    __slots__ = ("column", "found", "line", "wanted")
    wanted: dict[int, cst.CSTNode]  # id -> node whose start is asked for

    def __init__(self, default_indent: str, default_newline: str) -> None:
        super().__init__(default_indent=default_indent, default_newline=default_newline)
        self.found: dict[int, tuple[int, int]] = {}
        self.line, self.column = 1, 0

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.add_token(token)

    def add_token(self, value: str) -> None:
        if "\n" not in value and "\r" not in value:
            self.column += len(value)
            return
        segments = _NEWLINE.split(value)
        self.line += len(segments) - 1
        self.column = len(segments[-1])

    def before_codegen(self, node: cst.CSTNode) -> None:
        if id(node) in self.wanted:
            self.found[id(node)] = (self.line, self.column)  # replaced by a syntactic start, if any

    def after_codegen(self, node: cst.CSTNode) -> None:
        pass

    # libcst declares what its @contextmanager makes; its callers only enter it. A node not
    # wanted (nearly all) gets a shared null context instead of a generator of its own.
    def record_syntactic_position(  # type: ignore[override]
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> AbstractContextManager[None]:
        if id(node) not in self.wanted:
            return _NOT_WANTED
        return self._record(node, start_node)

    @contextlib.contextmanager
    def _record(self, node: cst.CSTNode, start_node: cst.CSTNode | None) -> Iterator[None]:
        start = (self.line, self.column)
        if start_node is not None:
            self.wanted.setdefault(id(start_node), start_node)
        yield
        self.found[id(node)] = start if start_node is None else self.found[id(start_node)]
