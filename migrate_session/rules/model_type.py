"""MS117 (warning): an exact type test against ``Model``, which a functional model fails in TF 2.

In Keras 2.2.4 and TF 1.12's tf.keras a functional model's class is ``Model`` itself, so code
finds nested models with ``type(layer) == Model``, ``Model in [type(l) for l in layers]`` or
``layer.__class__.__name__ == 'Model'``. In TF 2 (Keras 2.15 and Keras 3) it is ``Functional``,
a subclass (measured: the ``type(... functional model).__name__`` probes): the test is False
and the code quietly takes the other branch (NVIDIA's TAO inferencer skipped unwrapping its
nested model, then ``get_layer`` raised). Not rewritten: ``isinstance(x, Model)`` is also True
for a ``Sequential``, which the exact test was false for.
"""

from __future__ import annotations

import libcst as cst

from migrate_session import api_tables
from migrate_session.rule import WARNING, Example, Rule
from migrate_session.targets import aliases

MODEL = frozenset({"keras.models.Model", "keras.Model", "keras.engine.training.Model"})
PROBE = "type(tf.keras functional model).__name__"
SOURCE_PROBE = "type(keras functional model).__name__"
EQUALITY = (cst.Equal, cst.NotEqual, cst.Is, cst.IsNot)
MEMBERSHIP = (cst.In, cst.NotIn)

EXAMPLES = (
    Example(
        title="nested models found by their exact class",
        before="""
            import keras
            from keras.models import Model
            nested = [l for l in model.layers if type(l) == Model]
            if keras.engine.training.Model in [type(l) for l in model.layers]:
                only_inputs = {type(l) for l in model.layers} == {keras.layers.InputLayer, Model}
            names = [l.name for l in model.layers if l.__class__.__name__ == 'Model']
            models = [l for l in model.layers if isinstance(l, Model)]
        """,
        after="""
            from tensorflow import keras
            from tensorflow.keras.models import Model
            nested = [l for l in model.layers if type(l) == Model]
            if keras.Model in [type(l) for l in model.layers]:
                only_inputs = {type(l) for l in model.layers} == {keras.layers.InputLayer, Model}
            names = [l.name for l in model.layers if l.__class__.__name__ == 'Model']
            models = [l for l in model.layers if isinstance(l, Model)]
        """,
        findings_tf1="1:MS001 2:MS001 4:MS003",
        findings_tf2="1:MS001 2:MS001 3:MS117 4:MS003 4:MS117 5:MS117 6:MS117",
    ),
)


class ModelType(Rule):
    id = "MS117"
    name = "model-type"
    severity = WARNING
    summary = "`type(x) == Model` and kin: a functional model's class is `Functional` in TF 2 (tf2)"
    examples = EXAMPLES
    ATTRIBUTES = frozenset({"__class__", "__name__"})  # `x.__class__.__name__ == 'Model'` names no Keras

    def visit_Comparison(self, node: cst.Comparison) -> None:
        left = node.left
        for target in node.comparisons:
            right, operator = target.comparator, target.operator
            if isinstance(operator, EQUALITY) and (
                (self._is_model(left) and _is_type_of(right)) or (self._is_model(right) and _is_type_of(left))
                or (_names_model(left) and _is_class_name(right)) or (_names_model(right) and _is_class_name(left))
                or self._holds_model(left) or self._holds_model(right)
            ) or isinstance(operator, MEMBERSHIP) and self._is_model(left):
                self._report(node)
                return
            left = right

    def _is_model(self, node: cst.BaseExpression) -> bool:
        if not isinstance(node, (cst.Name, cst.Attribute)):
            return False
        canonical = self.context.canonical(node)
        return canonical is not None and bool(MODEL & set(aliases(canonical)))

    def _holds_model(self, node: cst.BaseExpression) -> bool:
        """``{InputLayer, Model}``, ``set([InputLayer, Model])``: a set of types compared whole."""
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value in ("set", "frozenset"):
            return len(node.args) == 1 and self._holds_model(node.args[0].value)
        return isinstance(node, (cst.Set, cst.List, cst.Tuple)) and any(
            self._is_model(element.value) for element in node.elements)

    def _report(self, node: cst.Comparison) -> None:
        target = self.context.target
        before = api_tables.probe(api_tables.SOURCE_ENV, SOURCE_PROBE).value
        differs = [(env, api_tables.probe(env, PROBE).value) for env in target.envs]
        differs = [(env, value) for env, value in differs if value != before]
        if not differs:
            return
        env, value = differs[0]
        self.report(node, (
            f"an exact test against `Model`: a functional model's class is `{value}` in {target.describe((env,))} "
            f"(`{before}` in Keras 2.2.4), so it is False there for what it was True for; "
            "test `isinstance(x, Model)` (and `not isinstance(x, Sequential)` where a Sequential must not pass)"
        ))


def _is_type_of(node: cst.BaseExpression) -> bool:
    """``type(x)`` or ``x.__class__``."""
    if isinstance(node, cst.Call):
        return isinstance(node.func, cst.Name) and node.func.value == "type" and len(node.args) == 1
    return isinstance(node, cst.Attribute) and node.attr.value == "__class__"


def _is_class_name(node: cst.BaseExpression) -> bool:
    """``type(x).__name__`` or ``x.__class__.__name__``."""
    return isinstance(node, cst.Attribute) and node.attr.value == "__name__" and _is_type_of(node.value)


def _names_model(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.SimpleString) and node.evaluated_value == "Model"
