"""MS104 (warning, tf2): clearing inside a training callback means something else in eager mode.

In TF 1 graph mode a clear inside ``on_epoch_end`` invalidates the model being trained (the
next batch fails, or trains a dead graph). In TF 2 eager mode it mostly does not: training
goes on, and only name counters and the default graph are reset. The rewrite is the same,
the behaviour is not, so this is reported rather than "fixed".
"""

from __future__ import annotations

import libcst as cst

from migrate_session.findings import WARNING
from migrate_session.rules.base import Example, Rule
from migrate_session.rules.clear_session import CLEAR

CALLBACKS = ("keras.callbacks.Callback", "keras.callbacks.LambdaCallback")

EXAMPLES = (
    Example(
        title="a callback that clears at epoch end",
        before="""
            from keras import backend as K
            from keras.callbacks import Callback

            class Reset(Callback):
                def on_epoch_end(self, epoch, logs=None):
                    K.clear_session()
        """,
        tf1="""
            from tensorflow.keras import backend as K
            from tensorflow.keras.callbacks import Callback

            class Reset(Callback):
                def on_epoch_end(self, epoch, logs=None):
                    K.clear_session()
        """,
        tf2="""
            from tensorflow.keras import backend as K
            from tensorflow.keras.callbacks import Callback

            class Reset(Callback):
                def on_epoch_end(self, epoch, logs=None):
                    K.clear_session()
        """,
        warnings={"tf2": ["MS104"]},
    ),
)


class EagerSemantics(Rule):
    id = "MS104"
    name = "eager-semantics"
    severity = WARNING
    summary = "a clear inside a training callback does not stop training in eager mode"
    examples = EXAMPLES

    def owns(self, canonical: str) -> bool:
        return canonical == CLEAR

    def on_reference(self, m, ref, spelling, rebound_ok):
        if m.target == "tf2" and self._in_callback(m):
            m.report(ref.node, self.id, "clears inside a training callback: under TF 2 eager the model keeps training, under TF 1 its graph was invalidated", WARNING)
        return None

    @staticmethod
    def _in_callback(m) -> bool:
        for node in m.ancestors:
            if isinstance(node, cst.ClassDef):
                if any(m.canonical(base.value) in CALLBACKS for base in node.bases):
                    return True
            elif isinstance(node, cst.Call) and m.canonical(node.func) in CALLBACKS:
                return True
        return False


RULE = EagerSemantics()
