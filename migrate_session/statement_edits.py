"""Removing and replacing statements without losing what surrounds them.

A statement that goes takes nothing with it but its code: its comments (the lines above it,
the one at its end, any inside it) and the blank lines that separate it from the statement
before it move onto the statement after it, or into the block's footer when it was the last.
A block that loses its first statement does not start with a blank line it did not have.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import libcst as cst

from migrate_session.resolve import fields_of
from migrate_session.syntax import Statement, block_statements


def comments_in(nodes: Sequence[cst.CSTNode]) -> list[str]:
    """The text of every comment in ``nodes``, in order (by their fields: a visitor would rebuild them)."""
    found: list[str] = []
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        if type(node) is cst.Comment:
            found.append(node.value)
            continue
        children: list[cst.CSTNode] = []
        for name in fields_of(type(node)):
            value = getattr(node, name)
            if isinstance(value, (list, tuple)):
                children.extend(v for v in value if isinstance(v, cst.CSTNode))
            elif isinstance(value, cst.CSTNode):
                children.append(value)
        stack.extend(reversed(children))
    return found


def lost_comments(original: cst.CSTNode, kept: Sequence[cst.CSTNode]) -> list[str]:
    """Comments of ``original`` that ``kept`` no longer has (as many times as they are lost)."""
    before = comments_in([original])
    missing = Counter(before) - Counter(comments_in(kept))
    lost = []
    for text in before:
        if missing[text]:
            missing[text] -= 1
            lost.append(text)
    return lost


def comment_lines(texts: Sequence[str]) -> list[cst.EmptyLine]:
    return [cst.EmptyLine(comment=cst.Comment(text)) for text in texts]


def replace_statement(
    original: Statement, new: Sequence[Statement]
) -> Statement | cst.FlattenSentinel[Statement]:
    """``new`` in place of ``original``, led by its leading lines and its comments ``new`` lacks.

    With no ``new`` statement, a placeholder holding those lines (see :func:`is_placeholder`),
    which :func:`without_placeholders` folds into the next statement of the block.
    """
    own_lines = list(original.leading_lines)
    lost = lost_comments(original, [*new, *own_lines])
    lead = [*own_lines, *comment_lines(lost)]
    if not new:
        return placeholder(lead)
    first = new[0].with_changes(leading_lines=[*lead, *new[0].leading_lines])
    return cst.FlattenSentinel([first, *new[1:]]) if len(new) > 1 else first


class _Placeholder(cst.SimpleStatementLine):
    """A removed statement's lines, waiting to be folded into the statement after it."""


def placeholder(lines: Sequence[cst.EmptyLine]) -> cst.SimpleStatementLine:
    return _Placeholder(body=[cst.Pass()], leading_lines=list(lines))


def is_placeholder(node: cst.CSTNode) -> bool:
    return type(node) is _Placeholder


def removed_line(line: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
    """What stands for a line that lost all its statements: its leading lines and end comment."""
    comment = line.trailing_whitespace.comment
    return placeholder([*line.leading_lines, *comment_lines([comment.value] if comment else [])])


def fold_placeholders(block: cst.Module | cst.IndentedBlock) -> cst.Module | cst.IndentedBlock:
    """The block without placeholders, their lines moved onto the statements after them."""
    if not any(type(statement) is _Placeholder for statement in block.body):
        return block
    body, footer = _without_placeholders(block_statements(block), block.footer)
    if isinstance(block, cst.IndentedBlock) and not body:
        body = [cst.SimpleStatementLine(body=[cst.Pass()], leading_lines=footer)]
        footer = []
    return block.with_changes(body=body, footer=footer)


def _without_placeholders(
    body: Sequence[Statement], footer: Sequence[cst.EmptyLine]
) -> tuple[list[Statement], list[cst.EmptyLine]]:
    kept: list[Statement] = []
    pending: list[cst.EmptyLine] = []
    removed = False
    for statement in body:
        if type(statement) is _Placeholder:
            pending += statement.leading_lines
            removed = True
            continue
        if removed:
            lines = [*pending, *statement.leading_lines]
            if not kept:  # the block's first statement went: so do the blank lines after it
                lines = _without_leading_blanks(lines)
            statement = statement.with_changes(leading_lines=lines)
            pending, removed = [], False
        kept.append(statement)
    comments = [line for line in pending if line.comment is not None]
    return kept, [*comments, *footer]


def _without_leading_blanks(lines: list[cst.EmptyLine]) -> list[cst.EmptyLine]:
    start = 0
    while start < len(lines) and lines[start].comment is None:
        start += 1
    return lines[start:]


def split_line(line: cst.SimpleStatementLine) -> list[cst.SimpleStatementLine]:
    """One line per statement (``from a import b; from c import d`` -> two lines): the first keeps
    the leading lines, the last the end of line (its comment)."""
    parts = []
    for index, small in enumerate(line.body):
        small = small.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
        parts.append(cst.SimpleStatementLine(
            body=[small],
            leading_lines=line.leading_lines if index == 0 else (),
            trailing_whitespace=line.trailing_whitespace if index == len(line.body) - 1 else cst.TrailingWhitespace(),
        ))
    return parts
