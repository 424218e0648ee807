"""scopes.scopes must give what libcst's ScopeProvider gives, which it replaces for speed."""

from __future__ import annotations

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, ScopeProvider
from sources import SOURCES, all_nodes, source_id

from migrate_session.scopes import scopes

TRICKY = """
import keras as k, os.path
from keras import backend as K
class C:
    K = 1
    def m(self, K=K):
        global k
        return [K for K in range(3)], lambda K: K, k.backend
def f():
    K = None
    def g():
        nonlocal K
        del K
    return K
try:
    import keras.backend as KB
except ImportError:
    KB = None
x: "K.Session" = (y := K.get_session())
# every place a name is stored to (and places that look like it but load)
a, (b, *c), [d, e] = f = range(9)
g.h, i[j], k.backend().x = 1, 2, 3
l: int
m += 1
for n, (o, p) in q: pass
with open(r) as (s, t), open(u) as v: pass
[w for w, z in q if w if (aa := z)]
lambda bb, *cc, dd=d, **ee: bb
try: pass
except Exception as ff: del ff, g.h, i[j]
import os.path as gg
from os import sep as hh, path
def ii(jj: "K.Session", *, kk=lambda ll: ll) -> "Tensor": return jj
class mm(os.path.__class__, metaclass=type): pass
print(d.e, f[g], *h, **i)
global nn
"""


def _shape(scope, node):
    """A scope as the migration reads it: its kind, its bindings, and the node's names."""
    if scope is None:
        return None
    bindings = sorted((a.name, type(a).__name__, len(a.references)) for a in scope.assignments)
    names = sorted(q.name for q in scope.get_qualified_names_for(node))
    return type(scope).__name__, bindings, names


def _check(source: str) -> int:
    module = cst.parse_module(source)
    theirs = MetadataWrapper(module, unsafe_skip_copy=True).resolve(ScopeProvider)
    ours = scopes(module)
    # String annotations are parsed anew by each analysis: compare the module's own nodes.
    own = set(all_nodes(module))
    assert len(ours) == len(theirs)
    assert {n for n in ours if n in own} == {n for n in theirs if n in own}
    for node in own & set(theirs):
        assert _shape(ours[node], node) == _shape(theirs[node], node), type(node).__name__
    return len(own)


@pytest.mark.parametrize("path", SOURCES, ids=source_id)
def test_same_scopes_as_scope_provider(path):
    assert _check(path.read_text(encoding="utf-8")) >= 1


def test_same_scopes_on_tricky_bindings():
    assert _check(TRICKY) > 50
