"""MS015 (tf2): ``compile(optimizer='adagrad')`` written as the optimizer Keras 2.2.4 built.

A name given to ``compile`` builds the class with its defaults, and TF 2 changed some of
them: Adagrad (rate 0.01 -> 0.001, accumulators from 0 -> 0.1), Adadelta (1.0 -> 0.001), Adamax
and Nadam (0.002 -> 0.001). Where the measured signatures differ, the name becomes the class
with Keras 2.2.4's values, a new instance per ``compile`` as the name gave (corpus
``k02_optimizer_positional_and_defaults``). ``'sgd'``, ``'rmsprop'`` and ``'adam'`` keep their
defaults and their names. ``compile`` is found by method name, on any object.
"""

from __future__ import annotations

import libcst as cst

from migrate_session import api_tables, call_args
from migrate_session.rule import Example, Rule
from migrate_session.rules.keyword_changes import EXTRA, OPTIMIZERS

BY_NAME = {name.rpartition(".")[2].lower(): name for name in OPTIMIZERS}

EXAMPLES = (
    Example(
        title="names whose class TF 2 builds with other defaults",
        before="""
            from keras.models import Sequential
            model = Sequential()
            model.compile(optimizer='adagrad', loss='mse')
            model.compile('adam', 'mse')
        """,
        tf1="""
            from tensorflow.keras.models import Sequential
            model = Sequential()
            model.compile(optimizer='adagrad', loss='mse')
            model.compile('adam', 'mse')
        """,
        tf2="""
            from tensorflow.keras.models import Sequential
            import tensorflow as tf

            model = Sequential()
            model.compile(optimizer=tf.keras.optimizers.Adagrad(learning_rate=0.01, initial_accumulator_value=0.0), loss='mse')
            model.compile('adam', 'mse')
        """,
        findings="1:MS001",
        findings_tf2="1:MS001 3:MS015 3:MS111",
    ),
)


class OptimizerStrings(Rule):
    id = "MS015"
    name = "optimizer-strings"
    summary = "`compile(optimizer='adagrad')` spelled as the optimizer Keras 2.2.4 built (tf2)"
    examples = EXAMPLES
    ATTRIBUTES = frozenset({"compile"})

    def visit_Call(self, node: cst.Call) -> None:
        target = self.context.target
        if not (target.eager and isinstance(node.func, cst.Attribute) and node.func.attr.value == "compile"):
            return
        arg = next((a for a in node.args if a.keyword is None or a.keyword.value == "optimizer"), None)
        if arg is None or not isinstance(arg.value, cst.SimpleString) or (arg.keyword is None and node.args[0] is not arg):
            return
        given = arg.value.evaluated_value
        if not isinstance(given, str):  # b'adam' names no optimizer
            return
        source_name = BY_NAME.get(given.lower())
        if source_name is None:
            return
        written = "tensorflow.keras.optimizers." + source_name.rpartition(".")[2]
        source = api_tables.signature(api_tables.SOURCE_ENV, source_name)
        targets = target.signatures(written)
        spelling = target.spell("keras.optimizers." + source_name.rpartition(".")[2])
        if source is None or targets is None or spelling is None:
            return
        values = call_args.changed_defaults(source, targets, set(), {"lr": "learning_rate"})
        values += [(name, value) for callables, targets_, name, value, _ in EXTRA
                   if source_name in callables and target.name in targets_]
        if not values:
            return
        tf = self.context.imports.tensorflow(node)
        instance = f"{spelling.text(tf)}(" + ", ".join(f"{name}={value}" for name, value in values) + ")"
        self.report(arg, f"'{given}' built Keras 2.2.4's defaults; TF 2's differ: written `{instance}`")
        self.edit(arg.value, cst.parse_expression(instance))
