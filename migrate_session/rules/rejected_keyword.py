"""MS108 (warning): a keyword the target's Keras refuses, or takes and ignores.

After MS008's renames, every keyword of a call to a Keras or TensorFlow callable is checked
against what each environment of the target was measured to do with it: refuse it
(``ModelCheckpoint(period=)`` and ``TensorBoard(batch_size=)`` raise TypeError in Keras 3), or
take it with a warning that it is deprecated or ignored (``Adam(decay=0.1)`` in Keras 3: the
decay silently stops). Nothing is rewritten: there is no faithful rewrite, so the line says
where it breaks and what to do instead.
"""

from __future__ import annotations

import libcst as cst

from migrate_session.rule import WARNING, Example, Rule
from migrate_session.rules import optimizer_decay
from migrate_session.rules.keras1_arguments import keras2_keywords
from migrate_session.rules.keyword_changes import OPTIMIZERS, plan
from migrate_session.targets import aliases

ADVICE = {
    ("keras.callbacks.ModelCheckpoint", "period"): "use `save_freq=` (counted in batches: period x steps per epoch)",
    ("keras.callbacks.TensorBoard", "batch_size"): "drop it: TF 2's TensorBoard callback does not use it",
    ("keras.callbacks.TensorBoard", "write_grads"): "drop it: TF 2's TensorBoard callback cannot write gradients",
    **{(optimizer, "decay"): ("Keras 2.2.4 decayed the rate as lr / (1 + decay * iterations): MS012 writes that as "
                              "an InverseTimeDecay schedule, but not where the rate is also changed while training "
                              "(ReduceLROnPlateau, LearningRateScheduler, set_value): decay it in that code instead")
       for optimizer in OPTIMIZERS},
}
# What Keras 2.2.4's Layer took through **kwargs, whatever the layer (measured refusals:
# Keras 3 refuses all four, TF 1.12 and 2.15 refuse `input_dtype`).
LAYER_ADVICE = {
    "batch_input_shape": "start the model with `Input(shape=<all but the first>, batch_size=<the first>)`",
    "batch_size": "start the model with `Input(shape=..., batch_size=...)`",
    "input_dtype": "use `dtype=`",
    "weights": "build the layer (or the model), then call `layer.set_weights(weights)`",
}

EXAMPLES = (
    Example(
        title="callback keywords Keras 3 refuses",
        before="""
            from keras.callbacks import ModelCheckpoint, TensorBoard
            save = ModelCheckpoint('w.h5', period=3)
            board = TensorBoard(log_dir='logs', batch_size=32, write_grads=True)
        """,
        after="""
            from tensorflow.keras.callbacks import ModelCheckpoint, TensorBoard
            save = ModelCheckpoint('w.h5', period=3)
            board = TensorBoard(log_dir='logs', batch_size=32, write_grads=True)
        """,
        findings_tf1="1:MS001",
        findings_tf2="1:MS001 2:MS108 3:MS108 3:MS108",
    ),
    Example(
        title="layer keywords Keras 2.2.4 took through **kwargs",
        before="""
            from keras.layers import Conv2D, Dense
            first = Dense(4, batch_input_shape=(32, 10))
            conv = Conv2D(8, (3, 3), weights=None)
            dense = Dense(1, input_dtype='float32')
        """,
        after="""
            from tensorflow.keras.layers import Conv2D, Dense
            first = Dense(4, batch_input_shape=(32, 10))
            conv = Conv2D(8, (3, 3), weights=None)
            dense = Dense(1, input_dtype='float32')
        """,
        findings_tf1="1:MS001 4:MS108",
        findings_tf2="1:MS001 2:MS108 3:MS108 4:MS108",
    ),
)


class RejectedKeyword(Rule):
    id = "MS108"
    name = "rejected-keyword"
    severity = WARNING
    summary = "a keyword the target's Keras refuses, or takes and ignores: reported, left as is"
    examples = EXAMPLES

    def visit_Call(self, node: cst.Call) -> None:
        ref = self.context.resolve(node.func)
        if ref is None:
            return
        target = self.context.target
        written = ref.written(target)
        scheduled = optimizer_decay.handles(target, ref, node, self.context.mentions)
        keras1 = keras2_keywords(self.context, node)
        for keyword in plan(target, ref, node, tuple(keras1.items())).final_keywords(node):
            keyword = keras1.get(keyword, keyword)  # MS013 renames it, MS108 speaks of what remains
            if keyword == "decay" and scheduled:
                continue  # MS012 writes it as a schedule
            trouble = target.keyword_trouble(written, keyword)
            if trouble is None:
                continue
            env, said = trouble
            advice = next(
                (ADVICE[name, keyword] for name in aliases(ref.canonical) if (name, keyword) in ADVICE),
                LAYER_ADVICE.get(keyword, "remove it or port it by hand"),
            )
            self.report(node, f"`{keyword}=`: {target.describe((env,))} says {said!r}; {advice}")
