"""A call's arguments read against a measured signature, and rewritten keyword by keyword."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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
    another of the source's parameters (``wanted``: per source position, the names that
    parameter goes by); None when all land where they should. A parameter the target only
    renamed (``to_categorical(y)`` is ``to_categorical(x)``) is where it should be."""
    for index, arg in enumerate(call.args):
        if arg.keyword is not None or arg.star or index >= len(wanted):
            break
        for target in targets:
            there = positional_names(target)
            if index >= len(there):
                return None  # `*args`, or too many for the target: nothing to say by name
            elsewhere = any(there[index] in names for at, names in enumerate(wanted) if at != index)
            if there[index] not in wanted[index] and elsewhere:
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
