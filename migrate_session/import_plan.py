"""The imports a migration asks for: a usable name of ``tensorflow`` (or of a stdlib module)
wherever a rule writes one.

An existing binding is reused when the scope at that point has one. Otherwise one import is
added per place: at the top of the module, or, for code that replaces a function-local Keras
import, beside that import (a lazy import stays lazy).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

import libcst as cst
from libcst.metadata import BaseAssignment, GlobalScope, ImportAssignment, Scope

from migrate_session.syntax import Statement


class ImportPlan:
    def __init__(
        self,
        scope_of: Callable[[cst.CSTNode], Scope | None],
        import_lines: dict[cst.CSTNode, cst.SimpleStatementLine],
        assignments: Callable[[cst.Name], Iterable[BaseAssignment] | None],
        tf_aliases: Iterable[str],
    ) -> None:
        self._scope_of = scope_of
        self._import_lines = import_lines
        self._assignments = assignments
        self._tf_aliases = tuple(tf_aliases)
        self._added: dict[object, str] = {}  # "module" or a local import line -> alias added there
        self.module_imports: list[str] = []  # statements for the top of the module
        self.after_line: dict[cst.SimpleStatementLine, list[Statement]] = {}
        self.written: set[str] = set()  # names the new code uses: their imports stay

    def tensorflow(self, at: cst.CSTNode, near: cst.Name | None = None) -> str:
        alias = self._tensorflow(at, near)
        self.written.add(alias)
        return alias

    def _tensorflow(self, at: cst.CSTNode, near: cst.Name | None) -> str:
        scope = self._scope_of(at)
        for alias in dict.fromkeys(("tf", *self._tf_aliases, *self._added.values())):
            if scope is not None and alias in scope and _binds_module(scope[alias], "tensorflow"):
                return alias
        local_line = self._local_import_line(near)
        key = local_line if local_line is not None else "module"
        if key in self._added:
            return self._added[key]
        alias = "tensorflow" if scope is not None and "tf" in scope else "tf"  # `tf` means something else
        text = "import tensorflow" if alias == "tensorflow" else f"import tensorflow as {alias}"
        if local_line is None:
            self.module_imports.append(text)
        else:
            self.after_line.setdefault(local_line, []).append(cst.parse_statement(text))
        self._added[key] = alias
        return alias

    def module(self, name: str, at: cst.CSTNode) -> str:
        scope = self._scope_of(at)
        if scope is not None and name in scope and _binds_module(scope[name], name):
            self.written.add(name)
            return name
        key = ("module", name)
        if key not in self._added:
            self.module_imports.append(f"import {name}")
            self._added[key] = name
        self.written.add(name)
        return name

    def _local_import_line(self, near: cst.Name | None) -> cst.SimpleStatementLine | None:
        if near is None:
            return None
        for assignment in self._assignments(near) or ():
            if isinstance(assignment, ImportAssignment) and not isinstance(assignment.scope, GlobalScope):
                return self._import_lines.get(assignment.node)
        return None


def _binds_module(assignments: Collection[BaseAssignment], module: str) -> bool:
    """Every assignment of the name is ``import <module>`` (with or without ``as``)."""
    for assignment in assignments:
        if not isinstance(assignment, ImportAssignment) or not isinstance(assignment.node, cst.Import):
            return False
        if not any(cst.Module([]).code_for_node(a.name) == module for a in assignment.node.names):
            return False
    return bool(assignments)
