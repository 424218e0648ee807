"""MS014: ``tf.VERSION`` becomes ``tf.__version__``.

TF 2 has no ``tf.VERSION`` (AttributeError in TF 2.15 and 2.21); ``tf.__version__`` is there in
every TensorFlow and, in TF 1.12, equal to ``tf.VERSION`` (measured: the ``tf.VERSION`` probes).
The rewrite is the same in both targets, so that the code also runs on the TensorFlow after
its target's.
"""

from __future__ import annotations

from functools import cache

import libcst as cst

from migrate_session import api_tables
from migrate_session.rule import Example, Ref, Rule
from migrate_session.targets import Target

SAME_VALUE = "tf.VERSION == tf.__version__"
DUNDER_EVERYWHERE = "isinstance(tf.__version__, str)"

EXAMPLES = (
    Example(
        title="`tf.VERSION` is gone in TF 2; `tf.__version__` is everywhere",
        before="""
            import tensorflow as tf
            from keras import backend as K
            if tf.VERSION.startswith('1.'):
                K.clear_session()
        """,
        after="""
            import tensorflow as tf
            from tensorflow.keras import backend as K
            if tf.__version__.startswith('1.'):
                K.clear_session()
        """,
        findings="2:MS001 3:MS014 4:MS002",
    ),
)


@cache
def _measured_same(target: Target) -> bool:
    """``tf.__version__`` is a string in every env of the target, and ``tf.VERSION`` where it exists."""
    for env in target.envs:
        if api_tables.probe(env, DUNDER_EVERYWHERE).value is not True:
            return False
        same = api_tables.probe(env, SAME_VALUE)
        if same.ok and same.value is not True:
            return False
    return True


class TfVersion(Rule):
    id = "MS014"
    name = "tf-version"
    summary = "`tf.VERSION` becomes `tf.__version__` (TF 2 has no `tf.VERSION`)"
    examples = EXAMPLES

    def visit_Reference(self, ref: Ref) -> None:
        """``ref`` is a whole chain (``tf.VERSION.startswith``): its innermost attribute is renamed."""
        if ref.binding != "tensorflow" or not (ref.qualified + ".").startswith("tensorflow.VERSION."):
            return  # `tf.VERSION...` through a name bound to TensorFlow itself, nothing else
        chain = ref.node
        inner = _innermost(chain)
        if not (isinstance(inner, cst.Attribute) and inner.attr.value == "VERSION") or not _measured_same(self.context.target):
            return
        assert isinstance(chain, cst.Attribute)  # as its innermost attribute is
        self.report(chain, "`tf.VERSION` -> `tf.__version__`: TF 2 has no `tf.VERSION`, every TensorFlow has `__version__`")
        self.edit(chain, _renamed)


def _innermost(node: cst.BaseExpression) -> cst.BaseExpression:
    while isinstance(node, cst.Attribute) and isinstance(node.value, cst.Attribute):
        node = node.value
    return node


def _renamed(chain: cst.Attribute) -> cst.Attribute:
    if isinstance(chain.value, cst.Attribute):
        return chain.with_changes(value=_renamed(chain.value))
    return chain.with_changes(attr=cst.Name("__version__"))
