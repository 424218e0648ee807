"""MS102 (warning): a standalone-Keras name with no tf.keras equivalent is left as it is.

``keras.engine.*``, ``K.tensorflow_backend._SESSION`` and other private state, and imports
made at run time from strings (``importlib.import_module("keras.backend")``) are reported with
their position and never guessed. A name is said to have no equivalent only where the tables
measured it absent in an environment of the target. Also reported (tf2): calls of the private
``model._make_predict_function()`` family, which TF 1.12's tf.keras still has and TF 2's Keras
does not (measured on ``tf.keras.Model``); they are found by method name on an object no
binding reaches, so they are only reported.
"""

from __future__ import annotations

import libcst as cst

from migrate_session.rule import WARNING, Example, Rule
from migrate_session.rules.keras_imports import moved_module, moved_name, new_home
from migrate_session.syntax import is_dynamic_keras_import, module_name
from migrate_session.targets import is_standalone

EXAMPLES = (
    Example(
        title="a dynamic import cannot be followed",
        before="""
            import importlib
            backend = importlib.import_module("keras.backend")
            backend.clear_session()
        """,
        findings="2:MS102",
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
        findings_tf1="1:MS001",
        findings_tf2="1:MS001 3:MS102",
    ),
    Example(
        title="private session state has no equivalent: reported, left",
        before="""
            from keras import backend as K
            if K.tensorflow_backend._SESSION:
                K.tensorflow_backend._SESSION = None
        """,
        after="""
            from tensorflow.keras import backend as K
            if K.tensorflow_backend._SESSION:
                K.tensorflow_backend._SESSION = None
        """,
        findings="1:MS001 2:MS102 3:MS102",
    ),
    Example(
        title="a module tf.keras lacks stays on standalone Keras, reported once at its import",
        before="""
            import keras.engine.topology as topology
            from keras import backend as K
            layer = topology.Layer()
            K.clear_session()
        """,
        after="""
            import keras.engine.topology as topology
            from tensorflow.keras import backend as K
            layer = topology.Layer()
            K.clear_session()
        """,
        findings="1:MS102 2:MS001 4:MS002",
    ),
)

PRIVATE_MODEL_METHODS = frozenset({"_make_predict_function", "_make_train_function", "_make_test_function"})
SPLIT = (
    "left on standalone Keras: its objects do not mix with tf.keras ones (a standalone layer in "
    "a tf.keras model raises TypeError) and clearing tf.keras does not reset it"
)


class NoEquivalent(Rule):
    id = "MS102"
    name = "no-equivalent"
    severity = WARNING
    summary = "no tf.keras equivalent (`keras.engine`, `_SESSION`, dynamic imports): reported, left as is"
    examples = EXAMPLES
    ATTRIBUTES = PRIVATE_MODEL_METHODS

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            path = module_name(alias.name)
            if is_standalone(path) and not moved_module(self.context.target, path):
                self.report(alias, f"`{path}` {self._absent(new_home(path))}; {SPLIT}")

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None:
            return
        module = module_name(node.module)
        target = self.context.target
        if not is_standalone(module):
            return
        if isinstance(node.names, cst.ImportStar) or not moved_module(target, module):
            if not moved_module(target, module):
                self.report(node, f"`{module}` {self._absent(new_home(module))}; {SPLIT}")
            return
        for alias in node.names:
            if not moved_name(target, module, alias.evaluated_name):
                qualified = f"{module}.{alias.evaluated_name}"
                self.report(alias, f"`{qualified}` {self._absent(new_home(qualified))}; {SPLIT}")

    def visit_Reference(self, ref) -> None:
        target = self.context.target
        if not ref.standalone or isinstance(ref.node, cst.Name):
            return  # code already on tf.keras is MS107's; a from-imported name is reported at its import
        if not moved_module(target, ref.binding):
            return  # its import stayed on standalone Keras and was reported there
        if target.missing_in(ref.rebound) and target.spell(ref.canonical) is None:
            self.report(ref.node, f"`{ref.qualified}` {self._absent(ref.rebound)}; left as is")

    def visit_Call(self, node: cst.Call) -> None:
        if is_dynamic_keras_import(node):
            self.report(node, "imports standalone Keras from a string at run time: cannot be followed; migrate it by hand")
        elif (
            self.context.target.eager
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value in PRIVATE_MODEL_METHODS
        ):
            self.report(node, f"`{node.func.attr.value}` is private Keras 2.2 API that TF 2's Keras does not have (it builds its functions itself); left as is")

    def _absent(self, dotted: str) -> str:
        target = self.context.target
        missing = target.missing_in(dotted) or target.envs
        return f"has no tf.keras equivalent in {target.describe(missing)}"
