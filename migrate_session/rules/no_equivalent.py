"""MS102 (warning): a standalone-Keras name with no tf.keras equivalent is left as it is.

``keras.engine.*``, ``K.tensorflow_backend._SESSION`` and most private state, per-file layer
modules such as ``keras.layers.core``, and imports made at run time from strings
(``importlib.import_module("keras.backend")``) are reported with their position and never
guessed. The other rules emit this warning for names they meet; this module also catches the
dynamic imports, and (tf2) calls of the private ``model._make_predict_function()`` family, which
TF 1.12's tf.keras still has and TF 2's Keras does not (measured on ``tf.keras.Model``). Those
are found by method name on an object no binding reaches, so they are only reported.
"""

from __future__ import annotations

import libcst as cst

from migrate_session.findings import WARNING
from migrate_session.rules.base import Example, Rule

EXAMPLES = (
    Example(
        title="a dynamic import cannot be followed",
        before="""
            import importlib
            backend = importlib.import_module("keras.backend")
            backend.clear_session()
        """,
        warnings={"tf1": ["MS102"], "tf2": ["MS102"]},
    ),
    Example(
        title="a private model method TF 2's Keras lacks (tf1 still has it)",
        before="""
            from keras.models import load_model
            model = load_model("m.h5")
            model._make_predict_function()
        """,
        after="""
            from tensorflow.keras.models import load_model
            model = load_model("m.h5")
            model._make_predict_function()
        """,
        warnings={"tf2": ["MS102"]},
    ),
)


PRIVATE_MODEL_METHODS = frozenset({"_make_predict_function", "_make_train_function", "_make_test_function"})


class NoEquivalent(Rule):
    id = "MS102"
    name = "no-equivalent"
    severity = WARNING
    summary = "no tf.keras equivalent (`keras.engine`, `_SESSION`, dynamic imports): reported, left as is"
    examples = EXAMPLES
    attribute_names = PRIVATE_MODEL_METHODS

    def visit_Call(self, m, node) -> None:
        if node in m.facts.dynamic_imports:
            m.report(node, self.id, "imports standalone Keras from a string at run time: cannot be followed; migrate it by hand", WARNING)
        elif m.target == "tf2" and isinstance(node.func, cst.Attribute) and node.func.attr.value in PRIVATE_MODEL_METHODS:
            m.report(node, self.id, f"`{node.func.attr.value}` is private Keras 2.2 API that TF 2's Keras does not have (it builds its functions itself); left as is", WARNING)


RULE = NoEquivalent()
