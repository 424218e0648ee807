"""A call's arguments read against a measured signature, and rewritten keyword by keyword."""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from functools import cache

import libcst as cst

from migrate_session.api_tables import Signature

POSITIONAL = ("positional_only", "positional_or_keyword")


def names(call: cst.Call, signature: Signature) -> list[str] | None:
    """The parameter each argument fills, in order; None when that cannot be read
    (``*args``/``**kwargs`` at the call, or more positional arguments than parameters)."""
    positional = [p.name for p in signature.parameters if p.kind in POSITIONAL]
    found = []
    for arg in call.args:
        if arg.star:
            return None
        if arg.keyword is not None:
            found.append(arg.keyword.value)
        elif len(found) < len(positional):
            found.append(positional[len(found)])
        else:
            return None
    return found


def positional_names(signature: Signature) -> list[str]:
    return [p.name for p in signature.parameters if p.kind in POSITIONAL]


def first_misplaced(
    call: cst.Call, wanted: Sequence[frozenset[str]], targets: Sequence[Signature]
) -> int | None:
    """The index of the first positional argument that a target signature would give to
    another of the source's parameters, or whose source parameter the target has elsewhere
    (``wanted``: per source position, the names that parameter goes by; RMSprop's third is
    ``epsilon`` in Keras 2.2.4, ``momentum`` in TF 2); None when all land where they should. A
    parameter the target only renamed (``to_categorical(y)`` is ``to_categorical(x)``) is
    where it should be."""
    known = frozenset().union(*wanted) if wanted else frozenset()
    for index, arg in enumerate(call.args):
        if arg.keyword is not None or arg.star or index >= len(wanted):
            break
        for target in targets:
            there = positional_names(target)
            if index >= len(there):
                return None  # `*args`, or too many for the target: nothing to say by name
            if there[index] in wanted[index]:
                continue
            named = {p.name for p in target.parameters}
            if there[index] in known or wanted[index] & named:  # not a mere rename: a shift
                return index
    return None


def rewritten(call: cst.Call, keywords: Sequence[str | None], renames: Mapping[str, str | None]) -> cst.Call:
    """``call`` with every argument passed by the keyword given for it (None: kept as it is),
    then renamed (to None: dropped). The last argument keeps the call's closing layout."""
    args = []
    for arg, keyword in zip(call.args, keywords):
        name = keyword if keyword is not None else (arg.keyword.value if arg.keyword else None)
        if name is not None and name in renames:
            if renames[name] is None:
                continue
            name = renames[name]
        if name is not None and (arg.keyword is None or arg.keyword.value != name):
            arg = arg.with_changes(
                keyword=cst.Name(name),
                equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
            )
        args.append(arg)
    if args and len(args) < len(call.args):
        args[-1] = args[-1].with_changes(comma=call.args[-1].comma)
    return call.with_changes(args=args)


def with_added(call: cst.Call, added: Sequence[tuple[str, str]]) -> cst.Call:
    """``call`` with ``name=code`` arguments appended, laid out as its own arguments are: one
    per line in a call written one per line, and what stood before ``)`` (a newline, a
    trailing comma) still stands there."""
    if not added:
        return call
    equal = cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))
    extra = [cst.Arg(cst.parse_expression(code), keyword=cst.Name(name), equal=equal) for name, code in added]
    args = list(call.args)
    if not args:
        return call.with_changes(args=extra)
    last = args[-1]
    between = _separator(call)
    if isinstance(last.comma, cst.Comma):  # a trailing comma: the new last argument gets it
        closing = last.comma
        args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=between))
        extra[-1] = extra[-1].with_changes(comma=closing)
    else:
        args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=between),
                                     whitespace_after_arg=cst.SimpleWhitespace(""))
        extra[-1] = extra[-1].with_changes(whitespace_after_arg=last.whitespace_after_arg)
    extra[:-1] = [arg.with_changes(comma=cst.Comma(whitespace_after=between)) for arg in extra[:-1]]
    return call.with_changes(args=[*args, *extra])


def _separator(call: cst.Call) -> cst.BaseParenthesizableWhitespace:
    """What follows the commas between ``call``'s arguments: the whitespace after the comma
    before its last argument, or after ``(`` when it has one argument on its own line; else a
    space."""
    before_last = call.args[-2].comma if len(call.args) > 1 else None
    if isinstance(before_last, cst.Comma):
        return before_last.whitespace_after
    if isinstance(call.whitespace_before_args, cst.ParenthesizedWhitespace):
        return call.whitespace_before_args
    return cst.SimpleWhitespace(" ")


def changed_defaults(source: Signature, targets: Sequence[Signature], given: set[str],
                     renames: Mapping[str, str | None]) -> list[tuple[str, str]]:
    """The source's literal defaults, for parameters the call does not pass, that the target
    (under the name it gives them) defaults to another value in some environment: written out,
    the call keeps the source's meaning. A ``None`` on either side is left alone: it means "the
    backend's value" or "unset" (Keras 2.2.4's ``epsilon=None``, Keras 3's ``sparse=None``)."""
    found = []
    for parameter in source.parameters:
        default = parameter.default
        wanted = _value(default)
        name = renames.get(parameter.name, parameter.name)
        if parameter.name in given or name in given or wanted is None or default is None or name is None:
            continue
        there = [t.parameter(name) for t in targets]
        measured = [p for p in there if p is not None]
        if not there or len(measured) < len(there):
            continue
        values = [_value(p.default) for p in measured]
        if all(v is not None for v in values) and any(not _same(v, wanted) for v in values):
            found.append((name, default))
    return found


def _same(one: object, other: object) -> bool:
    """Equal, counting ``(1, 1)`` and ``1`` as the same value (Keras expands a number to a tuple)."""
    if isinstance(one, tuple) and not isinstance(other, tuple):
        one, other = other, one
    if isinstance(other, tuple) and not isinstance(one, tuple):
        return all(item == one for item in other)
    return one == other


@cache
def _value(text: str | None) -> object:
    """A default's value (None when there is none, it is None, or it is not a plain literal)."""
    if text is None:
        return None
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return None


def dedented(call: cst.Call, columns: int) -> cst.Call:
    """``call`` with its continuation lines ``columns`` further left (its name got shorter and they
    were aligned after it); lines that are not indented that far are left as they are."""
    if columns <= 0:
        return call

    def shift(whitespace: cst.BaseParenthesizableWhitespace) -> cst.BaseParenthesizableWhitespace:
        if isinstance(whitespace, cst.ParenthesizedWhitespace):
            indent = whitespace.last_line.value
            if len(indent) >= columns and indent[-columns:] == " " * columns:
                return whitespace.with_changes(last_line=cst.SimpleWhitespace(indent[:-columns]))
        return whitespace

    args = [arg.with_changes(comma=arg.comma.with_changes(whitespace_after=shift(arg.comma.whitespace_after)))
            if isinstance(arg.comma, cst.Comma) else arg for arg in call.args]
    return call.with_changes(args=args, whitespace_before_args=shift(call.whitespace_before_args))
