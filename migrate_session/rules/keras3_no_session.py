"""MS101 (warning, tf2): Keras 2 API spelled through ``tf.compat.v1`` does not exist in Keras 3.

TF 2.15 still has ``tf.compat.v1.keras.backend.get_session``/``set_session``/``learning_phase``;
TF >= 2.16 ships Keras 3, where ``tf.compat.v1.keras`` is gone and these lines raise
AttributeError. Every such line gets this warning where it is spelled (MS003), so the code can
target TF 2.15 (or tf-keras) today and be reworked for Keras 3 knowingly.
"""

from __future__ import annotations

from migrate_session.findings import WARNING
from migrate_session.rules.base import Example, Rule

EXAMPLES = (
    Example(
        title="a learning-phase feed",
        before="""
            from keras import backend as K
            feed = {K.learning_phase(): 0}
        """,
        tf1="""
            from tensorflow.keras import backend as K
            feed = {K.learning_phase(): 0}
        """,
        tf2="""
            import tensorflow as tf

            feed = {tf.compat.v1.keras.backend.learning_phase(): 0}
        """,
        warnings={"tf2": ["MS101"]},
    ),
)


class Keras3NoSession(Rule):
    id = "MS101"
    name = "keras3-no-session"
    severity = WARNING
    summary = "Keras 2 session API spelled `tf.compat.v1` does not exist under Keras 3 (TF >= 2.16)"
    examples = EXAMPLES


RULE = Keras3NoSession()
