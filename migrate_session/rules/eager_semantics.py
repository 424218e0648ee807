"""MS104 (warning, tf2): code whose meaning changes in eager mode, reported rather than "fixed".

* A clear inside a training callback: in TF 1 graph mode it invalidates the model being
  trained; in TF 2 eager mode training goes on, only names and the default graph are reset.
* A clear behind a TF version check (``if not tf.__version__.startswith('2')``): under TF 2 it
  never runs, so nothing is reset any more.
* Explicit graphs (``tf.Graph()``, ``tf.get_default_graph()`` captured for ``as_default``) and
  learning-phase feeds: eager Keras models do not live in a graph nor take feeds.

The rewrite is the same either way; the behaviour is not, so a human has to look.
"""

from __future__ import annotations

import libcst as cst

from migrate_session.rule import WARNING, Example, Ref, Rule
from migrate_session.rules.clear_session import CLEAR

CALLBACKS = ("keras.callbacks.Callback", "keras.callbacks.LambdaCallback")
GRAPH_MODE_ONLY = {
    "tensorflow.Graph": "an explicit graph: eager Keras models are not built in it",
    "tensorflow.get_default_graph": "a captured default graph: eager Keras models do not live in it",
    "keras.backend.learning_phase": "a learning-phase feed: eager Keras takes `training=` instead of feeds",
    "keras.backend.get_session": "under TF 2 eager, Keras models do not run in the session returned here (and settings made through tf.config do not show in its config)",
    "keras.backend.set_session": "under TF 2 eager, Keras does not run models in the session set here",
    "keras.backend.set_learning_phase": "a global learning phase: eager Keras takes `training=` per call instead (TF 2.15 still applies this phase to `model(x)`, not to `predict`; Keras 3 has none)",
}

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
        after="""
            from tensorflow.keras import backend as K
            from tensorflow.keras.callbacks import Callback

            class Reset(Callback):
                def on_epoch_end(self, epoch, logs=None):
                    K.clear_session()
        """,
        findings_tf1="1:MS001 2:MS001 6:MS002",
        findings_tf2="1:MS001 2:MS001 6:MS002 6:MS104",
    ),
    Example(
        title="a version check that skips the clear under TF 2",
        before="""
            import tensorflow as tf
            import keras.backend as k
            if not tf.__version__.startswith('2'): k.clear_session()
        """,
        after="""
            import tensorflow as tf
            from tensorflow.keras import backend as k
            if not tf.__version__.startswith('2'): k.clear_session()
        """,
        findings_tf1="2:MS001 3:MS002",
        findings_tf2="2:MS001 3:MS002 3:MS104",
    ),
)


class EagerSemantics(Rule):
    id = "MS104"
    name = "eager-semantics"
    severity = WARNING
    summary = "a clear inside a training callback does not stop training in eager mode"
    examples = EXAMPLES

    def visit_Reference(self, ref: Ref) -> None:
        if not self.context.target.eager:
            return
        if ref.canonical in GRAPH_MODE_ONLY:
            self.report(ref.node, GRAPH_MODE_ONLY[ref.canonical])
        elif ref.canonical != CLEAR:
            return
        elif self._in_callback():
            self.report(ref.node, "clears inside a training callback: under TF 2 eager the model keeps training, under TF 1 its graph was invalidated")
        elif self._behind_version_check():
            self.report(ref.node, "behind a TensorFlow version check: under TF 2 this clear does not run, so nothing is reset")

    def _behind_version_check(self) -> bool:
        return any(
            isinstance(node, cst.If) and "__version__" in cst.Module([]).code_for_node(node.test)
            for node in self.context.ancestors
        )

    def _in_callback(self) -> bool:
        for node in self.context.ancestors:
            if isinstance(node, cst.ClassDef):
                if any(self.context.canonical(base.value) in CALLBACKS for base in node.bases):
                    return True
            elif isinstance(node, cst.Call) and self.context.canonical(node.func) in CALLBACKS:
                return True
        return False
