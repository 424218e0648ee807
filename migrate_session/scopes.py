"""libcst's scope analysis, run without the batched traversals around it.

``MetadataWrapper.resolve(ScopeProvider)`` resolves ``ExpressionContextProvider`` and then
``ScopeProvider`` as two "batchable" providers. Each of them does all its work in
``visit_Module``, with a visitor of its own over the module, yet the wrapper still walks the
whole tree a second time around each (calling nothing) and inspects the providers' methods
each time: about 60% of the cost of the scope analysis on our corpus. Here only libcst's
``ScopeVisitor`` walks the module, which is what ``ScopeProvider.visit_Module`` does.

The expression contexts it asks for are not computed by a pass of their own
(``ExpressionContextVisitor`` rebuilds every node it passes, a third of the cost): the only one
``ScopeVisitor`` tells apart is STORE (an assignment, where LOAD, DEL and none are accesses), and
whether a name is stored to is read off its ancestors, as ``_is_stored`` says.
``tests/test_scopes.py`` checks the result against ``ScopeProvider`` on every node of every
corpus and source file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Generic, TypeVar, cast

import libcst as cst
from libcst.metadata import ExpressionContext, Scope, ScopeProvider
from libcst.metadata.scope_provider import ScopeVisitor

from migrate_session.resolve import walk


def scopes(
    module: cst.Module, parents: Mapping[int, cst.CSTNode] | None = None,
) -> Mapping[cst.CSTNode, Scope | None]:
    """What ``ScopeProvider`` gives for every node of ``module``.

    ``parents`` maps ``id(node)`` to the parent of every node but whitespace and punctuation
    (``resolve.walk`` fills one; ``ModuleFacts.parents`` is one); made here when not given.
    """
    if parents is None:
        parents = {}
        for _ in walk(module, parents):
            pass
    recorder: _Recorder[Scope | None] = _Recorder(_StoreContexts(parents))
    # The cast: the visitor calls only the recorder's two methods on what it takes for its provider.
    visitor = ScopeVisitor(cast(ScopeProvider, recorder))
    module.visit(visitor)
    visitor.infer_accesses()
    return recorder.values


Value = TypeVar("Value")


class _StoreContexts:
    """``ExpressionContextProvider``'s answer for a name, as far as ``ScopeVisitor`` reads it."""

    def __init__(self, parents: Mapping[int, cst.CSTNode]) -> None:
        self._parents = parents

    def get(self, node: cst.CSTNode, default: object = None) -> object:
        return ExpressionContext.STORE if _is_stored(node, self._parents) else default


class _Recorder(Generic[Value]):
    """The two methods the visitor calls on its provider."""

    def __init__(self, contexts: _StoreContexts) -> None:
        self.values: dict[cst.CSTNode, Value] = {}
        self._contexts = contexts

    def set_metadata(self, node: cst.CSTNode, value: Value) -> None:
        self.values[node] = value

    def get_metadata(self, _key: object, node: cst.CSTNode, default: object = None) -> object:
        return self._contexts.get(node, default)


# ExpressionContextVisitor visits these fields of these nodes with a STORE context.
_STORED_FIELD = {
    cst.AnnAssign: "target", cst.AugAssign: "target", cst.NamedExpr: "target", cst.CompFor: "target",
    cst.For: "target", cst.ClassDef: "name", cst.FunctionDef: "name", cst.Param: "name",
}
# ... every part of these (`Assign.targets` holds AssignTarget nodes; `AsName` has only its name).
_STORED_WHOLE = (cst.AssignTarget, cst.AsName)
# ... and these parts with a LOAD context (or none: `Attribute.attr`; `Del.target` is DEL).
_RESET = (cst.Attribute, cst.Subscript, cst.Del)
# Statements are never inside a target: past one, the context is the module's, LOAD.
_STATEMENT = (cst.BaseSmallStatement, cst.BaseCompoundStatement, cst.SimpleStatementLine, cst.BaseSuite)


def _is_stored(node: cst.CSTNode, parents: Mapping[int, cst.CSTNode]) -> bool:
    """Whether ``ExpressionContextVisitor`` gives ``node`` the STORE context.

    That visitor passes its context down unchanged except at the edges above, so the nearest
    of those edges among ``node``'s ancestors decides. A node not in ``parents`` (a string
    annotation, parsed anew by the scope analysis) is never visited by it: no context.
    """
    child = node
    parent = parents.get(id(child))
    while parent is not None:
        kind = type(parent)
        role = _ROLE.get(kind)
        if role is None:
            role = _ROLE[kind] = _role(kind)
        if role is _WHOLE:
            return True
        if role is not _PASS:
            field = _STORED_FIELD.get(kind)
            if field is not None and getattr(parent, field) is child:
                return True
            if role is _STOP:
                return False
        child, parent = parent, parents.get(id(parent))
    return False


_PASS, _WHOLE, _FIELD, _STOP = "pass", "whole", "field", "stop"
_ROLE: dict[type, str] = {}


def _role(kind: type) -> str:
    """Decided once per node type: ``isinstance`` against libcst's abstract classes is slow."""
    if issubclass(kind, _STORED_WHOLE):
        return _WHOLE
    if issubclass(kind, _RESET) or issubclass(kind, _STATEMENT):
        return _STOP  # after `_STORED_FIELD`, for the statements that have one (`For.target`)
    return _FIELD if kind in _STORED_FIELD else _PASS
