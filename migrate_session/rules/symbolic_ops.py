"""MS114 (warning): a backend or TensorFlow function applied to a layer's output, which Keras 3 refuses.

Keras 2.2.4 built models in graph mode, so code applies ``K.*`` (and ``tf.*``) functions to the
outputs of layers outside any layer: a VAE's ``K.sum(1 + z_log_var - K.square(z_mean) -
K.exp(z_log_var))``, the ``K.mean(model.output)`` whose gradients a visualization takes. TF 1.12
and TF 2.15 still take such a symbolic tensor (TF 2.15 wraps the call as a layer); Keras 3
(TF >= 2.16) raises "A KerasTensor cannot be used as input to a TensorFlow function". What
each function does was measured by calling it on ``Input((2,))`` in every environment
(``nox -s api``), so only the functions probed there are checked.

A tensor counts as a layer's output when the module shows it: ``Input(...)``, a Keras layer
applied (``Dense(1)(x)``), ``x.output``/``x.input`` (and ``outputs[i]``/``inputs[i]``),
arithmetic on one, a checked function of one, or a name every assignment of which is one.
Inside a ``Lambda`` or a layer's ``call`` the arguments are parameters, real tensors when it
runs, and nothing is said. Nothing is rewritten: the computation belongs inside a layer.
"""

from __future__ import annotations

import libcst as cst

from migrate_session import api_tables
from migrate_session.rule import WARNING, Context, Example, Rule
from migrate_session.targets import aliases

INPUTS = frozenset({"keras.layers.Input", "keras.Input", "keras.engine.input_layer.Input"})
LAYER_TENSORS = frozenset({"output", "input"})
LAYER_TENSOR_LISTS = frozenset({"outputs", "inputs"})

EXAMPLES = (
    Example(
        title="a VAE's loss built from layer outputs",
        before="""
            from keras import backend as K
            from keras.layers import Dense, Input
            x = Input((8,))
            z_mean = Dense(2)(x)
            z_log_var = Dense(2)(x)
            kl = -0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)
        """,
        after="""
            from tensorflow.keras import backend as K
            from tensorflow.keras.layers import Dense, Input
            x = Input((8,))
            z_mean = Dense(2)(x)
            z_log_var = Dense(2)(x)
            kl = -0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)
        """,
        findings_tf1="1:MS001 2:MS001",
        findings_tf2="1:MS001 2:MS001 6:MS114",
    ),
    Example(
        title="a model's output, reassigned names, and what is left alone",
        before="""
            import tensorflow as tf
            from keras import backend as K
            from keras.layers import Dense, Input, Lambda
            h = Input((4,))
            h = Dense(4)(h)
            pooled = Lambda(lambda t: K.mean(t, axis=1))(h)
            joined = tf.concat([h, h], axis=-1)
            score = K.mean(model.output)
            shape = K.int_shape(h)

            def loss(y_true, y_pred):
                return K.mean(K.square(y_pred - y_true))
        """,
        after="""
            import tensorflow as tf
            from tensorflow.keras import backend as K
            from tensorflow.keras.layers import Dense, Input, Lambda
            h = Input((4,))
            h = Dense(4)(h)
            pooled = Lambda(lambda t: K.mean(t, axis=1))(h)
            joined = tf.concat([h, h], axis=-1)
            score = K.mean(model.output)
            shape = K.int_shape(h)

            def loss(y_true, y_pred):
                return K.mean(K.square(y_pred - y_true))
        """,
        findings_tf1="2:MS001 3:MS001",
        findings_tf2="2:MS001 3:MS001 7:MS114 8:MS114",
    ),
)


class SymbolicOps(Rule):
    id = "MS114"
    name = "symbolic-op"
    severity = WARNING
    summary = "a backend or TensorFlow function applied to a layer's output: Keras 3 (TF >= 2.16) refuses it"
    examples = EXAMPLES

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self._inside: set[cst.Call] = set()  # calls in the arguments of one reported already

    def visit_Call(self, node: cst.Call) -> None:
        if node in self._inside:
            return
        failing = self._failing_call(node)
        if failing is None:
            return
        nested = [call for call in _calls_in(node) if self._failing_call(call) is not None]
        self._inside.update(nested)
        names = ", ".join(dict.fromkeys(f"`{self._written(call)}`" for call in (node, *nested)))
        first = nested[0] if nested else node  # arguments run first: the error seen is the innermost's
        env, error = self._failing_call(first) or failing
        self.report(node, (
            f"{names} of a layer's output: {self.context.target.describe((env,))} says "
            f"{error.split('. ')[0]!r}; compute it inside a layer (`Lambda(lambda t: ...)(x)`, "
            "or a custom layer's `call`)"
        ))

    def _written(self, call: cst.Call) -> str:
        ref = self.context.resolve(call.func)
        return ref.written(self.context.target) if ref is not None else ""

    def _failing_call(self, node: cst.Call) -> tuple[str, str] | None:
        """The first environment that refuses this call for its layer output, and its error."""
        if self.context.resolve(node.func) is None:
            return None
        failing = self._failing(self._written(node))
        if not failing or not any(self._symbolic(arg.value, set()) for arg in node.args):
            return None
        return failing[0]

    def _failing(self, written: str) -> list[tuple[str, str]]:
        """The environments of the target where ``written`` exists and refused a symbolic tensor."""
        target = self.context.target
        failing = []
        for env in target.envs:
            outcome = api_tables.on_symbolic_tensor(env, written)
            if outcome is not None and not outcome.ok and env not in target.missing_in(written):
                failing.append((env, outcome.error or ""))
        return failing

    def _symbolic(self, node: cst.BaseExpression, seen: set[str]) -> bool:
        """Whether ``node`` is a layer's output as the module shows it."""
        if isinstance(node, (cst.List, cst.Tuple)):
            return any(self._symbolic(element.value, seen) for element in node.elements)
        if isinstance(node, cst.BinaryOperation):
            return self._symbolic(node.left, seen) or self._symbolic(node.right, seen)
        if isinstance(node, cst.UnaryOperation):
            return self._symbolic(node.expression, seen)
        if isinstance(node, cst.Attribute):
            return node.attr.value in LAYER_TENSORS
        if isinstance(node, cst.Subscript):
            return isinstance(node.value, cst.Attribute) and node.value.attr.value in LAYER_TENSOR_LISTS
        if isinstance(node, cst.Call):
            return self._symbolic_call(node, seen)
        if isinstance(node, cst.Name):
            if node.value in seen:  # `h = Dense(4)(h)`: decided by the other assignments
                return True
            values = self.context.assigned_values(node)
            return values is not None and all(self._symbolic(value, seen | {node.value}) for value in values)
        return False

    def _symbolic_call(self, node: cst.Call, seen: set[str]) -> bool:
        if isinstance(node.func, cst.Call):  # a layer applied: `Dense(1)(x)`
            made = self.context.canonical(node.func.func)
            return made is not None and made.startswith("keras.layers.")
        ref = self.context.resolve(node.func)
        if ref is None:
            return False
        if INPUTS & set(aliases(ref.canonical)):
            return True
        checked = api_tables.on_symbolic_tensor(api_tables.SOURCE_ENV, ref.written(self.context.target))
        return checked is not None and any(self._symbolic(arg.value, seen) for arg in node.args)


def _calls_in(node: cst.Call) -> list[cst.Call]:
    """The calls inside the arguments of ``node`` in the order they finish when it runs."""
    found: list[cst.Call] = []

    class Calls(cst.CSTVisitor):
        def leave_Call(self, original_node: cst.Call) -> None:
            found.append(original_node)

    for arg in node.args:
        arg.visit(Calls())
    return found
