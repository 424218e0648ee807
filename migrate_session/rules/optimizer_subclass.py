"""MS116 (warning): an optimizer written against Keras 2.2.4's ``Optimizer`` base class.

Keras 2.2.4 optimizers subclass ``keras.optimizers.Optimizer``, pass ``**kwargs`` to its
constructor and compute their steps in ``get_updates``. TF 1.12's tf.keras has the same base
class. TF 2's does not: such a class cannot even be made (measured: the "Keras 2.2.4-style
Optimizer subclass" probe raises ``TypeError`` in TF 2.15, which wants a ``name``, and in Keras
3, which wants a ``learning_rate``), and ``get_updates`` is never called (MS110). There is no
faithful rewrite: the step must be ported to the target's ``build``/``update_step`` interface.
Reported at the class.
"""

from __future__ import annotations

import libcst as cst

from migrate_session import api_tables
from migrate_session.rule import WARNING, Example, Rule
from migrate_session.targets import aliases

BASES = frozenset({"keras.optimizers.Optimizer"})
PROBE = "tf.keras: a Keras 2.2.4-style Optimizer subclass()"

EXAMPLES = (
    Example(
        title="an optimizer of its own",
        before="""
            from keras import optimizers

            class Eve(optimizers.Optimizer):
                def __init__(self, lr=0.001, **kwargs):
                    super(Eve, self).__init__(**kwargs)
                    self.lr = lr

                def get_updates(self, loss, params):
                    return []
        """,
        after="""
            from tensorflow.keras import optimizers

            class Eve(optimizers.Optimizer):
                def __init__(self, lr=0.001, **kwargs):
                    super(Eve, self).__init__(**kwargs)
                    self.lr = lr

                def get_updates(self, loss, params):
                    return []
        """,
        findings_tf1="1:MS001",
        findings_tf2="1:MS001 3:MS116",
    ),
)


class OptimizerSubclass(Rule):
    id = "MS116"
    name = "optimizer-subclass"
    severity = WARNING
    summary = "a subclass of Keras 2.2.4's `Optimizer`: TF 2's base class cannot make it (tf2)"
    examples = EXAMPLES

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if not any(BASES & set(aliases(self.context.canonical(base.value) or "")) for base in node.bases):
            return
        target = self.context.target
        failing = [(env, api_tables.probe(env, PROBE)) for env in target.envs]
        failing = [(env, outcome) for env, outcome in failing if not outcome.ok]
        if not failing:
            return
        said = "; ".join(f"{target.describe((env,))} says {outcome.error!r}" for env, outcome in failing)
        self.report(node, (
            f"`{node.name.value}` is written against Keras 2.2.4's Optimizer: {said}, and TF 2 never calls "
            "`get_updates`; port its step to the target's Optimizer (`build` and `update_step`), or use a built-in one"
        ))
