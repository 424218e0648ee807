"""Small facts about syntax that the engine and the rules both need."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Union, cast

import libcst as cst

from migrate_session.targets import is_standalone

# A statement of a block (what Module.body and IndentedBlock.body hold): both kinds have
# leading_lines, which libcst's BaseStatement does not declare.
Statement = Union[cst.SimpleStatementLine, cst.BaseCompoundStatement]
STATEMENTS = (cst.SimpleStatementLine, cst.BaseCompoundStatement)  # isinstance(node, STATEMENTS)


def last_name(node: cst.BaseExpression) -> str | None:
    """``b`` of ``a.b``, ``a`` of ``a``; None for any other expression (a call, a subscript)."""
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return node.value if isinstance(node, cst.Name) else None


def block_statements(block: cst.Module | cst.IndentedBlock) -> Sequence[Statement]:
    """``block.body``: IndentedBlock declares it as BaseStatements, which are Statements."""
    return cast(Sequence[Statement], block.body)


def dotted_chain(node: cst.BaseExpression) -> tuple[cst.Name, list[str]] | None:
    """``a.b.c`` -> (Name a, ["b", "c"]); None when the chain does not start at a name."""
    attrs: list[str] = []
    while isinstance(node, cst.Attribute):
        attrs.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    return node, attrs[::-1]


def module_name(node: cst.Attribute | cst.Name | None) -> str:
    if node is None:
        return ""
    chain = dotted_chain(node)
    return ".".join([chain[0].value, *chain[1]]) if chain else ""


def bound_name(alias: cst.ImportAlias) -> str:
    """The name an import alias binds: ``K`` for ``backend as K``, ``a`` for ``import a.b``."""
    return alias.evaluated_alias or alias.evaluated_name.split(".")[0]


def is_dynamic_keras_import(call: cst.Call) -> bool:
    func = module_name(call.func) if isinstance(call.func, (cst.Name, cst.Attribute)) else ""
    if func not in {"__import__", "importlib.import_module", "import_module"} or not call.args:
        return False
    first = call.args[0].value
    if not isinstance(first, cst.SimpleString):
        return False
    name = first.evaluated_value
    return isinstance(name, str) and is_standalone(name)  # a bytes name imports nothing
