"""MS115 (warning): a layer or model name with ``/``, which Keras 3 refuses.

Keras 2 scoped a layer's weights by its name, and ported models kept the ``/`` of the names
they came from (keras-vggface: ``Activation('relu', name='fc6/relu')``,
``name=conv_name + "/bn"``). TF 1.12 and TF 2.15 take such a name; Keras 3 (TF >= 2.16)
raises "Argument `name` must be a string and cannot contain character `/`" (measured: the
``name='fc6/relu'`` probes on a layer, an ``Input`` and a ``Sequential``). Nothing is
rewritten: a new name changes what ``get_layer`` finds and which weights
``load_weights(..., by_name=True)`` loads. Reported where the module shows the ``/``: a
string, an f-string or ``.format`` template, a ``+`` or ``%`` with one, or a name every
assignment of which is one.
"""

from __future__ import annotations

import libcst as cst

from migrate_session import api_tables
from migrate_session.rule import WARNING, Example, Rule
from migrate_session.targets import aliases

INPUTS = frozenset({"keras.layers.Input", "keras.Input", "keras.engine.input_layer.Input"})
MODELS = frozenset({"keras.models.Model", "keras.models.Sequential", "keras.Model", "keras.Sequential"})
LAYER_PROBE = "tf.keras.layers.Dense(1, name='fc6/relu')"
INPUT_PROBE = "tf.keras.layers.Input((2,), name='in/put')"
MODEL_PROBE = "tf.keras.models.Sequential(name='s/q')"

EXAMPLES = (
    Example(
        title="names of a ported model",
        before="""
            from keras.layers import Activation, BatchNormalization, Dense
            x = Dense(4096, name='fc6')(x)
            x = Activation('relu', name='fc6/relu')(x)
            x = BatchNormalization(name=conv_name + "/bn")(x)
            x = BatchNormalization(name=f"{conv_name}/bn")(x)
            x = Dense(2, name='fc8_out')(x)
        """,
        after="""
            from tensorflow.keras.layers import Activation, BatchNormalization, Dense
            x = Dense(4096, name='fc6')(x)
            x = Activation('relu', name='fc6/relu')(x)
            x = BatchNormalization(name=conv_name + "/bn")(x)
            x = BatchNormalization(name=f"{conv_name}/bn")(x)
            x = Dense(2, name='fc8_out')(x)
        """,
        findings_tf1="1:MS001",
        findings_tf2="1:MS001 3:MS115 4:MS115 5:MS115",
    ),
)


class LayerNames(Rule):
    id = "MS115"
    name = "layer-name"
    severity = WARNING
    summary = "a layer or model name with `/`: Keras 3 (TF >= 2.16) refuses it"
    examples = EXAMPLES

    def visit_Call(self, node: cst.Call) -> None:
        name = next((arg.value for arg in node.args if arg.keyword and arg.keyword.value == "name"), None)
        if name is None:
            return
        probe = self._probe(node)
        if probe is None or not self._has_slash(name, set()):
            return
        failing = [(env, api_tables.probe(env, probe)) for env in self.context.target.envs]
        failing = [(env, outcome) for env, outcome in failing if not outcome.ok]
        if not failing:
            return
        env, outcome = failing[0]
        self.report(node, (
            f"a name with `/`: {self.context.target.describe((env,))} says {(outcome.error or '').split('. ')[0]!r}; "
            "use another separator (`_`), and rename the same in what reads the names "
            "(`get_layer`, weights loaded with `by_name=True`)"
        ))

    def _probe(self, node: cst.Call) -> str | None:
        made = self.context.canonical(node.func)
        if made is None:
            return None
        names = set(aliases(made))
        if names & INPUTS:
            return INPUT_PROBE
        if names & MODELS:
            return MODEL_PROBE
        return LAYER_PROBE if made.startswith("keras.layers.") else None

    def _has_slash(self, node: cst.BaseExpression, seen: set[str]) -> bool:
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
            value = node.evaluated_value
            return isinstance(value, str) and "/" in value
        if isinstance(node, cst.FormattedString):
            return any(isinstance(part, cst.FormattedStringText) and "/" in part.value for part in node.parts)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.Add, cst.Modulo)):
            return self._has_slash(node.left, seen) or (
                isinstance(node.operator, cst.Add) and self._has_slash(node.right, seen))
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "format":
            return self._has_slash(node.func.value, seen)
        if isinstance(node, cst.Name) and node.value not in seen:
            values = self.context.assigned_values(node)
            return bool(values) and all(self._has_slash(v, seen | {node.value}) for v in values)  # type: ignore[union-attr]
        return False
