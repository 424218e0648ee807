"""libcst's scope analysis, run without the batched traversals around it.

``MetadataWrapper.resolve(ScopeProvider)`` resolves ``ExpressionContextProvider`` and then
``ScopeProvider`` as two "batchable" providers. Each of them does all its work in
``visit_Module``, with a visitor of its own over the module, yet the wrapper still walks the
whole tree a second time around each (calling nothing) and inspects the providers' methods
each time: about 60% of the cost of the scope analysis on our corpus. Here the same two
visitors (``ExpressionContextVisitor``, ``ScopeVisitor``) run directly, which is what the
providers' ``visit_Module`` do. ``tests/test_scopes.py`` checks the result against
``ScopeProvider`` on every node of every corpus and source file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Generic, TypeVar, cast

import libcst as cst
from libcst.metadata import ExpressionContext, ExpressionContextProvider, Scope, ScopeProvider
from libcst.metadata.expression_context_provider import ExpressionContextVisitor
from libcst.metadata.scope_provider import ScopeVisitor


def scopes(module: cst.Module) -> Mapping[cst.CSTNode, Scope | None]:
    """What ``ScopeProvider`` gives for every node of ``module``."""
    # The casts: a visitor calls only the recorder's two methods on what it takes for its provider.
    contexts: _Recorder[ExpressionContext] = _Recorder()
    load = ExpressionContext.LOAD
    module.visit(ExpressionContextVisitor(cast(ExpressionContextProvider, contexts), load))
    scopes: _Recorder[Scope | None] = _Recorder(dependency=contexts.values)
    visitor = ScopeVisitor(cast(ScopeProvider, scopes))
    module.visit(visitor)
    visitor.infer_accesses()
    return scopes.values


Value = TypeVar("Value")


class _Recorder(Generic[Value]):
    """The two methods the visitors call on their provider."""

    def __init__(self, dependency: Mapping[cst.CSTNode, object] | None = None) -> None:
        self.values: dict[cst.CSTNode, Value] = {}
        self._dependency = dependency or {}

    def set_metadata(self, node: cst.CSTNode, value: Value) -> None:
        self.values[node] = value

    def get_metadata(self, _key: object, node: cst.CSTNode, default: object = None) -> object:
        return self._dependency.get(node, default)
