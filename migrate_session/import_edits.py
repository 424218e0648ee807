"""The import edits a migration ends with: drop what it left unused, add what it needs.

libcst's ``RemoveImportsVisitor`` and ``AddImportsVisitor`` would do this as two more passes,
the first resolving scopes and qualified names again over the whole migrated module (about as
costly as the migration itself) and both paying for the matcher machinery. The migration
already knows, from its own scope analysis, every access of each import binding and which of
those it rewrote or dropped, so it decides, and these functions only edit statements. The
edits are those of the two visitors: the last kept alias loses its trailing comma, comments
after a removed alias move to the one before it, an import with no alias left is removed, and
a new module import goes at the end of the first import block, after a docstring.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import libcst as cst
from libcst.metadata import ImportAssignment

from migrate_session import project, statement_edits
from migrate_session.rule import Replacement
from migrate_session.syntax import bound_name

_STATEMENT_LEVEL = (
    cst.Module,
    cst.BaseSuite,
    cst.BaseCompoundStatement,
    cst.SimpleStatementLine,
    cst.Else,
    cst.ExceptHandler,
    cst.ExceptStarHandler,
    cst.Finally,
    cst.MatchCase,
)


def unused(assignment: ImportAssignment, gone: set[cst.Name], exported: set[str]) -> bool:
    """No access of this import's binding is left in the migrated module."""
    if project.in_use(assignment.name, exported):
        return False
    return all(access.node in gone for access in assignment.references)


def remove(module: cst.Module, aliases: Mapping[cst.CSTNode, set[str]]) -> cst.Module:
    """Remove from each given import node (of ``module``) the aliases binding the given names."""
    if not aliases:
        return module
    return module.visit(_Remover(aliases))


class _Remover(cst.CSTTransformer):
    def __init__(self, aliases: Mapping[cst.CSTNode, set[str]]) -> None:
        super().__init__()
        self.aliases = aliases

    def on_visit(self, node: cst.CSTNode) -> bool:
        return isinstance(node, _STATEMENT_LEVEL)

    # Replaces an import by RemoveFromParent, a statement by a placeholder: libcst declares
    # that a node is replaced by one of its kind.
    def on_leave(self, original: cst.CSTNode, updated: cst.CSTNode) -> Replacement:  # type: ignore[override]
        if isinstance(original, (cst.Import, cst.ImportFrom)) and original in self.aliases:
            return _without(original, self.aliases[original])
        if isinstance(updated, cst.SimpleStatementLine) and not updated.body:
            return statement_edits.removed_line(updated)
        if isinstance(updated, (cst.Module, cst.IndentedBlock)):
            return statement_edits.fold_placeholders(updated)
        return updated


def _without(
    node: cst.Import | cst.ImportFrom, names: set[str]
) -> cst.Import | cst.ImportFrom | cst.RemovalSentinel:
    if isinstance(node.names, cst.ImportStar):
        return node
    kept: list[cst.ImportAlias] = []
    lpar = getattr(node, "lpar", None)
    for alias in node.names:
        if bound_name(alias) not in names:
            kept.append(alias)
            continue
        if not isinstance(alias.comma, cst.Comma):
            continue
        if kept:  # keep the comments that followed the removed alias
            previous = kept[-1]
            if isinstance(previous.comma, cst.Comma):
                previous = previous.with_deep_changes(
                    previous.comma,
                    whitespace_after=_merge_whitespace_after(
                        previous.comma.whitespace_after, alias.comma.whitespace_after
                    ),
                )
            else:
                previous = previous.with_changes(comma=alias.comma)
            kept[-1] = previous
        elif isinstance(lpar, cst.LeftParen):
            lpar = lpar.with_changes(
                whitespace_after=_merge_whitespace_after(
                    lpar.whitespace_after, alias.comma.whitespace_after
                )
            )
    if len(kept) == len(node.names):
        return node
    if not kept:
        return cst.RemoveFromParent()
    if kept[-1] is not node.names[-1]:
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    if isinstance(node, cst.ImportFrom) and lpar is not None:
        return node.with_changes(names=kept, lpar=lpar)
    return node.with_changes(names=kept)


def _merge_whitespace_after(
    left: cst.BaseParenthesizableWhitespace, right: cst.BaseParenthesizableWhitespace
) -> cst.BaseParenthesizableWhitespace:
    """libcst's own (private) helper, copied: the comment lines of ``right`` follow ``left``."""
    if not isinstance(right, cst.ParenthesizedWhitespace):
        return left
    if not isinstance(left, cst.ParenthesizedWhitespace):
        return right
    return left.with_changes(
        empty_lines=tuple(line for line in right.empty_lines if line.comment is not None),
    )


def add_module_import(module: cst.Module, statement: str) -> cst.Module:
    """Insert ``statement`` after the imports that open the module, as AddImportsVisitor does."""
    body = list(module.body)
    start = 1 if _opens_with_docstring(body) else 0
    end = start
    while end < len(body) and _is_import_line(body[end]):
        end += 1
    rest = body[end:]
    if rest and not (rest[0].leading_lines and rest[0].leading_lines[0].comment is None):
        rest[0] = rest[0].with_changes(leading_lines=(cst.EmptyLine(), *rest[0].leading_lines))
    new = cst.parse_statement(statement, config=module.config_for_parsing)
    return module.with_changes(body=(*body[:end], new, *rest))


def _is_import_line(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], (cst.Import, cst.ImportFrom))
    )


def _opens_with_docstring(body: Sequence[cst.BaseStatement]) -> bool:
    """A docstring or a ``__strict__`` flag first: AddImportsVisitor never inserts above them."""
    if not body or not isinstance(body[0], cst.SimpleStatementLine) or len(body[0].body) != 1:
        return False
    first = body[0].body[0]
    if isinstance(first, cst.Expr):
        return isinstance(first.value, cst.SimpleString)
    return (
        isinstance(first, cst.Assign)
        and len(first.targets) == 1
        and isinstance(first.targets[0].target, cst.Name)
        and first.targets[0].target.value == "__strict__"
    )
