"""MS012 (tf2): an optimizer's ``decay=d`` becomes the learning-rate schedule that computes it.

Keras 2.2.4 decays the rate as ``lr * 1 / (1 + decay * iterations)``, reading the step count
before it is incremented; TF 2's optimizers take no ``decay=`` (TF 2.15 raises ValueError,
Keras 3 ignores it with a warning), and
``tf.keras.optimizers.schedules.InverseTimeDecay(lr, decay_steps=1, decay_rate=decay)`` gives
the same rate at every step: training SGD, Adam and RMSprop for 9 steps gives the same weights
in TF 1.12 and in TF 2.15 and 2.21 (corpus ``k01_optimizer_lr_decay_training``). The rate is
``lr=`` (or Keras 2.2.4's default for the class). A module that changes the rate while training
(``ReduceLROnPlateau``, ``LearningRateScheduler``, ``K.set_value(opt.lr, ...)``) keeps its
``decay=`` and MS108 reports it: with a schedule TF 2.15 ignores such changes and Keras 3 raises.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from migrate_session import api_tables, call_args
from migrate_session.rule import Example, Ref, Rule
from migrate_session.rules.keyword_changes import OPTIMIZERS
from migrate_session.targets import Target, aliases

SCHEDULE = "keras.optimizers.schedules.InverseTimeDecay"
RATE_CHANGERS = ("ReduceLROnPlateau", "LearningRateScheduler", "set_value")

EXAMPLES = (
    Example(
        title="the decay becomes the schedule Keras 2.2.4 computed",
        before="""
            from keras.optimizers import SGD, Adam
            sgd = SGD(lr=0.1, momentum=0.9, decay=1e-6, nesterov=True)
            adam = Adam(decay=0.01)
            by_position = Adam(rate, 0.5, decay=d)
        """,
        tf1="""
            from tensorflow.keras.optimizers import SGD, Adam
            sgd = SGD(lr=0.1, momentum=0.9, decay=1e-6, nesterov=True)
            adam = Adam(decay=0.01)
            by_position = Adam(rate, 0.5, decay=d)
        """,
        tf2="""
            from tensorflow.keras.optimizers import SGD, Adam
            import tensorflow as tf

            sgd = SGD(learning_rate=tf.keras.optimizers.schedules.InverseTimeDecay(0.1, decay_steps=1, decay_rate=1e-6), momentum=0.9, nesterov=True)
            adam = Adam(learning_rate=tf.keras.optimizers.schedules.InverseTimeDecay(0.001, decay_steps=1, decay_rate=0.01))
            by_position = Adam(tf.keras.optimizers.schedules.InverseTimeDecay(rate, decay_steps=1, decay_rate=d), 0.5)
        """,
        findings="1:MS001",
        findings_tf2="1:MS001 2:MS008 2:MS012 3:MS012 4:MS012",
    ),
    Example(
        title="a rate changed while training: left, and reported",
        before="""
            from keras.callbacks import ReduceLROnPlateau
            from keras.optimizers import RMSprop
            opt = RMSprop(lr=0.01, decay=1e-4)
            callbacks = [ReduceLROnPlateau()]
        """,
        tf1="""
            from tensorflow.keras.callbacks import ReduceLROnPlateau
            from tensorflow.keras.optimizers import RMSprop
            opt = RMSprop(lr=0.01, decay=1e-4)
            callbacks = [ReduceLROnPlateau()]
        """,
        tf2="""
            from tensorflow.keras.callbacks import ReduceLROnPlateau
            from tensorflow.keras.optimizers import RMSprop
            opt = RMSprop(learning_rate=0.01, decay=1e-4)
            callbacks = [ReduceLROnPlateau()]
        """,
        findings="1:MS001 2:MS001",
        findings_tf2="1:MS001 2:MS001 3:MS008 3:MS108 3:MS111",
    ),
)


def handles(target: Target, ref: Ref, call: cst.Call, mentions: Callable[[str], bool]) -> bool:
    """Whether this rule turns the call's ``decay=`` into a schedule (MS108 asks)."""
    return _decay_and_rate(target, ref, call, mentions) is not None


def _decay_and_rate(
    target: Target, ref: Ref, call: cst.Call, mentions: Callable[[str], bool]
) -> tuple[cst.BaseExpression, cst.BaseExpression] | None:
    if not target.eager or not OPTIMIZERS & set(aliases(ref.canonical)):
        return None
    if any(mentions(name) for name in RATE_CHANGERS):
        return None
    source = api_tables.signature(api_tables.SOURCE_ENV, ref.qualified)
    bound = call_args.names(call, source) if source is not None else None
    if source is None or bound is None or "decay" not in bound:
        return None
    decay = call.args[bound.index("decay")].value
    if isinstance(decay, (cst.Integer, cst.Float)) and float(decay.value) == 0:
        return None  # MS008 drops it
    if "lr" in bound:
        return decay, call.args[bound.index("lr")].value
    default = source.parameter("lr")
    if default is None or default.default is None:
        return None
    return decay, cst.parse_expression(default.default)


class OptimizerDecay(Rule):
    id = "MS012"
    name = "optimizer-decay"
    summary = "`decay=` becomes `InverseTimeDecay`, the schedule Keras 2.2.4 computed (tf2)"
    examples = EXAMPLES

    def visit_Call(self, node: cst.Call) -> None:
        ref = self.context.resolve(node.func)
        if ref is None:
            return
        found = _decay_and_rate(self.context.target, ref, node, self.context.mentions)
        if found is None:
            return
        decay, rate = found
        spelling = self.context.target.spell(SCHEDULE)
        if spelling is None:
            return
        tf = self.context.imports.tensorflow(node, near=ref.base)
        schedule = cst.parse_expression(
            f"{spelling.text(tf)}({_code(rate)}, decay_steps=1, decay_rate={_code(decay)})"
        )
        self.report(node, "`decay=` -> `learning_rate=InverseTimeDecay(...)`: TF 2's optimizers take no decay (TF 2.15 raises ValueError, Keras 3 ignores it); this schedule is Keras 2.2.4's lr / (1 + decay * iterations)")
        self.edit(node, lambda updated: _with_schedule(updated, schedule))


def _with_schedule(call: cst.Call, schedule: cst.BaseExpression) -> cst.Call:
    """The call (as MS008 left it) with ``decay=`` removed and the rate replaced by ``schedule``."""
    args = [arg for arg in call.args if not (arg.keyword and arg.keyword.value == "decay")]
    for index, arg in enumerate(args):
        if index == 0 and arg.keyword is None:  # the rate, passed by position: it stays there
            args[index] = arg.with_changes(value=schedule)
            break
        if arg.keyword and arg.keyword.value in ("learning_rate", "lr"):
            args[index] = arg.with_changes(value=schedule, keyword=cst.Name("learning_rate"),
                                           equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))
            break
    else:
        first = cst.Arg(schedule, keyword=cst.Name("learning_rate"),
                        equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))
        args.insert(0, first.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))) if args else first)
    args[-1] = args[-1].with_changes(comma=call.args[-1].comma)
    return call.with_changes(args=args)


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)
