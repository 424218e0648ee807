"""MS111 (warning): the same call computes something else on the target.

No spelling brings these back, so they are reported where they are written:

* ``hard_sigmoid``: Keras 2.2.4 computes ``clip(0.2 x + 0.5, 0, 1)``, Keras 3 (TF >= 2.16)
  ``relu6(x + 3) / 6`` (measured: 0.7 and 0.6667 at 1.0); recurrent layers use it by default in
  Keras 2.2.4 (MS008 writes that default out: exact in TF 2.15, close in Keras 3).
* ``RMSprop`` and ``Adagrad`` divide by ``sqrt(v) + epsilon`` in Keras 2.2.4, by
  ``sqrt(v + epsilon)`` in TF 2: steps are smaller when gradients are small (10x at 1e-4).
* ``Nadam``: TF 2 uses another momentum schedule and takes no ``schedule_decay``.
* ``clipnorm`` under ``tf1``: Keras 2.2.4 clips the global norm of all gradients, tf.keras
  1.12 each gradient on its own, and has no global option (under ``tf2`` MS008 writes
  ``global_clipnorm``).

The optimizer facts are from training in the three environments (corpus
``k10_changed_optimizer_math``); the activation's from the tables' probes.
"""

from __future__ import annotations

import libcst as cst

from migrate_session import api_tables
from migrate_session.rule import WARNING, Example, Ref, Rule
from migrate_session.targets import aliases

OPTIMIZER_MATH = {
    "keras.optimizers.RMSprop": "TF 2 divides by sqrt(v + epsilon), Keras 2.2.4 by sqrt(v) + epsilon: "
                                "steps are smaller when gradients are small (10x at 1e-4)",
    "keras.optimizers.Adagrad": "TF 2 divides by sqrt(v + epsilon), Keras 2.2.4 by sqrt(v) + epsilon: "
                                "steps are smaller when gradients are small",
    "keras.optimizers.Nadam": "TF 2's Nadam follows another momentum schedule (and takes no schedule_decay=): "
                              "results differ from Keras 2.2.4's",
}
OPTIMIZER_STRINGS = {"rmsprop": "keras.optimizers.RMSprop", "adagrad": "keras.optimizers.Adagrad",
                     "nadam": "keras.optimizers.Nadam"}
RECURRENT = frozenset(f"keras.layers.{name}" for name in ("LSTM", "GRU", "ConvLSTM2D", "LSTMCell", "GRUCell"))
HARD_SIGMOID = "keras.activations.hard_sigmoid"
PROBE = "activations.hard_sigmoid(1.0)"

EXAMPLES = (
    Example(
        title="optimizers whose update TF 2 computes otherwise",
        before="""
            from keras.optimizers import RMSprop, Nadam
            model.compile(optimizer=RMSprop(lr=0.001), loss='mse')
            other.compile(optimizer='nadam', loss='mse')
        """,
        tf1="""
            from tensorflow.keras.optimizers import RMSprop, Nadam
            model.compile(optimizer=RMSprop(lr=0.001), loss='mse')
            other.compile(optimizer='nadam', loss='mse')
        """,
        tf2="""
            from tensorflow.keras.optimizers import RMSprop, Nadam
            import tensorflow as tf

            model.compile(optimizer=RMSprop(learning_rate=0.001), loss='mse')
            other.compile(optimizer=tf.keras.optimizers.Nadam(learning_rate=0.002), loss='mse')
        """,
        findings="1:MS001",
        findings_tf2="1:MS001 2:MS008 2:MS111 3:MS015 3:MS111",
    ),
    Example(
        title="hard_sigmoid, named or by a recurrent layer's default",
        before="""
            from keras.layers import LSTM, Dense
            memory = LSTM(8)
            gate = Dense(1, activation='hard_sigmoid')
        """,
        tf1="""
            from tensorflow.keras.layers import LSTM, Dense
            memory = LSTM(8)
            gate = Dense(1, activation='hard_sigmoid')
        """,
        tf2="""
            from tensorflow.keras.layers import LSTM, Dense
            memory = LSTM(8, recurrent_activation='hard_sigmoid')
            gate = Dense(1, activation='hard_sigmoid')
        """,
        findings="1:MS001",
        findings_tf2="1:MS001 2:MS008 2:MS111 3:MS111",
    ),
    Example(
        title="clipnorm under tf1",
        before="""
            from keras.optimizers import SGD
            sgd = SGD(lr=0.01, clipnorm=1.0)
        """,
        tf1="""
            from tensorflow.keras.optimizers import SGD
            sgd = SGD(lr=0.01, clipnorm=1.0)
        """,
        tf2="""
            from tensorflow.keras.optimizers import SGD
            sgd = SGD(learning_rate=0.01, global_clipnorm=1.0)
        """,
        findings="1:MS001",
        findings_tf1="1:MS001 2:MS111",
        findings_tf2="1:MS001 2:MS008",
    ),
)


class ChangedMath(Rule):
    id = "MS111"
    name = "changed-math"
    severity = WARNING
    summary = "the target computes the same call otherwise (hard_sigmoid, RMSprop/Adagrad/Nadam steps, tf1 clipnorm)"
    examples = EXAMPLES
    ATTRIBUTES = frozenset({"compile"})

    def visit_Call(self, node: cst.Call) -> None:
        target = self.context.target
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "compile":
            self._compile(node)
            return
        ref = self.context.resolve(node.func)
        if ref is None:
            return
        names = set(aliases(ref.canonical))
        if target.eager:
            for name in names & OPTIMIZER_MATH.keys():
                self.report(node, f"{OPTIMIZER_MATH[name]} ({target.describe(target.envs)})")
            given = {arg.keyword.value for arg in node.args if arg.keyword}
            strings = [arg.value.evaluated_value for arg in node.args if isinstance(arg.value, cst.SimpleString)]
            if "hard_sigmoid" in strings or (names & RECURRENT and "recurrent_activation" not in given):
                self._hard_sigmoid(node)
        elif any(arg.keyword and arg.keyword.value == "clipnorm" for arg in node.args) and names & {
            f"keras.optimizers.{n}" for n in ("SGD", "RMSprop", "Adagrad", "Adadelta", "Adam", "Adamax", "Nadam")
        }:
            self.report(node, "tf.keras 1.12 clips each gradient to clipnorm on its own; Keras 2.2.4 clipped their "
                              "global norm, and tf.keras 1.12 has no global option: training changes when the model "
                              "has more than one weight")

    def visit_Reference(self, ref: Ref) -> None:
        if self.context.target.eager and HARD_SIGMOID in aliases(ref.canonical):
            self._hard_sigmoid(ref.node)

    def _compile(self, node: cst.Call) -> None:
        if not self.context.target.eager:
            return
        for arg in node.args:
            if (arg.keyword is None or arg.keyword.value == "optimizer") and isinstance(arg.value, cst.SimpleString):
                name = OPTIMIZER_STRINGS.get(str(arg.value.evaluated_value).lower())
                if name is not None:
                    self.report(arg, f"{OPTIMIZER_MATH[name]} ({self.context.target.describe(self.context.target.envs)})")
                return

    def _hard_sigmoid(self, node: cst.CSTNode) -> None:
        target = self.context.target
        before = api_tables.probe(api_tables.SOURCE_ENV, "keras." + PROBE).value
        differs = tuple(env for env in target.envs if api_tables.probe(env, "tf.keras." + PROBE).value != before)
        if differs:
            self.report(node, (
                f"hard_sigmoid is not Keras 2.2.4's in {target.describe(differs)}: relu6(x + 3) / 6 there, "
                "clip(0.2 x + 0.5, 0, 1) before (0.6667 and 0.7 at 1.0): outputs differ; write the old one "
                "as a function if they must not"
            ))
