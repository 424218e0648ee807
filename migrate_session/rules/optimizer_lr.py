"""MS017 (tf2): an optimizer's ``lr`` attribute becomes ``learning_rate``.

Keras 2.2.4's optimizers keep their rate in ``opt.lr``, which callbacks read and set while
training (``K.set_value(self.model.optimizer.lr, rate)``). TF 2.15 has both names for the same
variable; Keras 3 (TF >= 2.16) only ``learning_rate``, and its ``K.set_value`` refuses that
variable: ``learning_rate.assign(rate)`` sets it in both (measured: the ``tf.keras optimizer:``
probes; corpus ``k12_optimizer_lr_attribute``). TF 1.12's tf.keras has only ``lr``: nothing
changes for ``tf1``. Only an attribute the module shows to be an optimizer's is changed: that
of ``<x>.optimizer`` (``self.model.optimizer.lr``) or of a name every assignment of which makes
a Keras optimizer.
"""

from __future__ import annotations

from functools import cache

import libcst as cst

from migrate_session import api_tables
from migrate_session.rule import Example, Rule

PROBE = "tf.keras optimizer: "
GET_LR = PROBE + "round(float(K.get_value(opt.lr)), 4)"
GET_RATE = PROBE + "round(float(K.get_value(opt.learning_rate)), 4)"
SET_RATE = PROBE + "K.set_value(opt.learning_rate, 0.5)"
ASSIGN_RATE = PROBE + "opt.learning_rate.assign(0.5) is None or round(float(K.get_value(opt.learning_rate)), 4)"

EXAMPLES = (
    Example(
        title="a callback that reads and sets the rate",
        before="""
            from keras import backend as K
            from keras.callbacks import Callback
            from keras.optimizers import SGD

            class Halve(Callback):
                def on_epoch_end(self, epoch, logs=None):
                    rate = K.get_value(self.model.optimizer.lr)
                    K.set_value(self.model.optimizer.lr, rate / 2)

            opt = SGD(lr=0.1)
            print(K.eval(opt.lr))
        """,
        tf2="""
            from tensorflow.keras import backend as K
            from tensorflow.keras.callbacks import Callback
            from tensorflow.keras.optimizers import SGD

            class Halve(Callback):
                def on_epoch_end(self, epoch, logs=None):
                    rate = K.get_value(self.model.optimizer.learning_rate)
                    self.model.optimizer.learning_rate.assign(rate / 2)

            opt = SGD(learning_rate=0.1)
            print(K.eval(opt.learning_rate))
        """,
        tf1="""
            from tensorflow.keras import backend as K
            from tensorflow.keras.callbacks import Callback
            from tensorflow.keras.optimizers import SGD

            class Halve(Callback):
                def on_epoch_end(self, epoch, logs=None):
                    rate = K.get_value(self.model.optimizer.lr)
                    K.set_value(self.model.optimizer.lr, rate / 2)

            opt = SGD(lr=0.1)
            print(K.eval(opt.lr))
        """,
        findings_tf1="1:MS001 2:MS001 3:MS001",
        findings_tf2="1:MS001 2:MS001 3:MS001 7:MS017 8:MS017 10:MS008 11:MS017",
    ),
    Example(
        title="an `lr` that is not an optimizer's stays",
        before="""
            from keras import backend as K
            config = load()
            print(config.lr, K.epsilon())
        """,
        after="""
            from tensorflow.keras import backend as K
            config = load()
            print(config.lr, K.epsilon())
        """,
        findings="1:MS001",
    ),
)


class OptimizerLr(Rule):
    id = "MS017"
    name = "optimizer-lr"
    summary = "an optimizer's `lr` attribute becomes `learning_rate`, set with `assign` (tf2): Keras 3 has no `lr`"
    examples = EXAMPLES
    ATTRIBUTES = frozenset({"lr"})

    def visit_Call(self, node: cst.Call) -> None:
        if len(node.args) != 2 or node.args[0].keyword or node.args[1].keyword or not self._renames():
            return
        if self.context.canonical(node.func) != "keras.backend.set_value":
            return
        variable = node.args[0].value
        if not (self._is_optimizer_lr(variable) and self._assigns() and isinstance(self._parent(), cst.Expr)):
            return
        self.report(node, (
            "`K.set_value(<optimizer>.lr, v)` -> `<optimizer>.learning_rate.assign(v)`: Keras 3 has no `lr`, "
            "and its K.set_value refuses the `learning_rate` variable"
        ))

        def assign(updated: cst.Call) -> cst.Call:
            rate = updated.args[0].value
            return cst.Call(func=cst.Attribute(value=rate, attr=cst.Name("assign")),
                            args=[updated.args[1].with_changes(comma=cst.MaybeSentinel.DEFAULT)])

        self.edit(node, assign)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value == "lr" and self._renames() and self._is_optimizer_lr(node):
            if not self._inside_rewritten_set_value(node):
                self.report(node, "`lr` -> `learning_rate`: Keras 3's optimizers have no `lr` (TF 2.15 has both)")
            self.edit(node, lambda updated: updated.with_changes(attr=cst.Name("learning_rate")))

    def _renames(self) -> bool:
        return _renames(self.context.target.envs)

    def _assigns(self) -> bool:
        return _assigns(self.context.target.envs)

    def _is_optimizer_lr(self, node: cst.BaseExpression) -> bool:
        if not (isinstance(node, cst.Attribute) and node.attr.value == "lr"):
            return False
        owner = node.value
        if isinstance(owner, cst.Attribute):
            return owner.attr.value == "optimizer"
        if isinstance(owner, cst.Name):
            values = self.context.assigned_values(owner)
            return bool(values) and all(self._makes_optimizer(value) for value in values)  # type: ignore[union-attr]
        return False

    def _makes_optimizer(self, value: cst.BaseExpression) -> bool:
        made = self.context.canonical(value.func) if isinstance(value, cst.Call) else None
        return made is not None and made.startswith("keras.optimizers.")

    def _parent(self) -> cst.CSTNode | None:
        ancestors = self.context.ancestors
        return ancestors[-1] if ancestors else None

    def _inside_rewritten_set_value(self, node: cst.Attribute) -> bool:
        """The ``lr`` of a ``K.set_value`` this rule rewrites: that call's finding says it all."""
        return any(isinstance(a, cst.Call) and self.context.is_edited(a) and a.args and a.args[0].value is node
                   for a in self.context.ancestors)


@cache
def _renames(envs: tuple[str, ...]) -> bool:
    """Some env of the target has no ``optimizer.lr`` and every one has ``learning_rate``."""
    lacks_lr = any(not api_tables.probe(env, GET_LR).ok for env in envs)
    return lacks_lr and all(api_tables.probe(env, GET_RATE).ok for env in envs)


@cache
def _assigns(envs: tuple[str, ...]) -> bool:
    """``K.set_value`` refuses the rate somewhere, and ``.assign`` takes it everywhere."""
    return (any(not api_tables.probe(env, SET_RATE).ok for env in envs)
            and all(api_tables.probe(env, ASSIGN_RATE).ok for env in envs))
