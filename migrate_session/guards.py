"""Code written to survive a missing name: a use under ``if hasattr(tf, "select"):``, or inside
a ``try`` whose handler catches what a missing name raises. Such a use cannot stop the program,
so a warning that it does would be false (keras-rl's ``rl/util.py`` tests ``hasattr(tf,
"select")`` and falls back to ``tf.where``).

Both take the enclosing nodes outermost first (``Context.ancestors``) and the node itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from migrate_session.syntax import module_name


def names_proved_present(ancestors: Sequence[cst.CSTNode], node: cst.CSTNode) -> list[str]:
    """The dotted names, as written (``tf.select``), that the branches around ``node`` have
    proved to exist: ``node`` is under ``if hasattr(tf, "select"):`` (or ``getattr(tf, "select",
    None)``, ``... is not None``), or under the ``else`` of ``if not hasattr(...)``; the same
    for conditional expressions."""
    path = [*ancestors, node]
    names: list[str] = []
    for parent, child in zip(path, path[1:]):
        if isinstance(parent, (cst.If, cst.IfExp)):
            if child is parent.body:
                names += _proved(parent.test, true=True)
            elif child is parent.orelse:
                names += _proved(parent.test, true=False)
    return names


def catches(ancestors: Sequence[cst.CSTNode], node: cst.CSTNode, errors: frozenset[str]) -> bool:
    """Whether ``node`` is in the body of a ``try`` with a handler naming one of ``errors``
    (a bare ``except:`` or ``except Exception`` catches them too, but does not expect them)."""
    path = [*ancestors, node]
    return any(
        isinstance(parent, cst.Try) and child is parent.body and any(_names(h.type) & errors for h in parent.handlers)
        for parent, child in zip(path, path[1:])
    )


def _proved(test: cst.BaseExpression, *, true: bool) -> list[str]:
    """The names whose existence ``test`` being ``true`` (or false) proves."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return _proved(test.expression, true=not true)
    if isinstance(test, cst.BooleanOperation):
        both = isinstance(test.operator, cst.And) if true else isinstance(test.operator, cst.Or)
        return _proved(test.left, true=true) + _proved(test.right, true=true) if both else []
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1 and _is_none(test.comparisons[0].comparator):
        operator = test.comparisons[0].operator
        if isinstance(operator, (cst.Is, cst.IsNot)):
            return _proved(test.left, true=true == isinstance(operator, cst.IsNot))
        return []
    probed = _probed(test)
    return [probed] if probed and true else []


def _probed(test: cst.BaseExpression) -> str | None:
    """``hasattr(x.y, "name")`` or ``getattr(x.y, "name", None)`` -> ``x.y.name``."""
    if not (isinstance(test, cst.Call) and isinstance(test.func, cst.Name)):
        return None
    arity = {"hasattr": 2, "getattr": 3}.get(test.func.value)
    if arity is None or len(test.args) != arity or any(arg.keyword or arg.star for arg in test.args):
        return None
    owner, name = test.args[0].value, test.args[1].value
    if arity == 3 and not _is_none(test.args[2].value):
        return None
    if not (isinstance(owner, (cst.Name, cst.Attribute)) and isinstance(name, cst.SimpleString)):
        return None
    written = module_name(owner)
    attribute = name.evaluated_value
    return f"{written}.{attribute}" if written and isinstance(attribute, str) else None


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _names(node: cst.BaseExpression | None) -> set[str]:
    if isinstance(node, cst.Tuple):
        return set().union(*(_names(element.value) for element in node.elements))
    if isinstance(node, (cst.Name, cst.Attribute)):
        return {node.attr.value if isinstance(node, cst.Attribute) else node.value}
    return set()
