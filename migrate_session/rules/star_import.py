"""MS105 (warning): a star import hides where names come from.

``from keras.backend import *`` brings ``clear_session`` and also ``tf`` (Keras 2.2.4's
backend imports TensorFlow); tf.keras's backend exports no ``tf``. The import moves to
``tensorflow.keras.backend``, free names are resolved against what Keras 2.2.4 exported, and
``tf`` gets an import of its own. Anything the star import re-exports to *other* modules
cannot be seen from here: that is what the warning is for.
"""

from __future__ import annotations

from migrate_session.findings import WARNING
from migrate_session.rules.base import Example, Rule

EXAMPLES = (
    Example(
        title="star import of the backend",
        before="""
            from keras.backend import *
            sess = tf.Session()
            clear_session()
        """,
        tf1="""
            from tensorflow.keras.backend import *
            import tensorflow as tf

            sess = tf.Session()
            clear_session()
        """,
        tf2="""
            from tensorflow.keras.backend import *
            import tensorflow as tf

            sess = tf.compat.v1.Session()
            clear_session()
        """,
        warnings={"tf1": ["MS105"], "tf2": ["MS105"]},
    ),
)


class StarImport(Rule):
    id = "MS105"
    name = "star-import"
    severity = WARNING
    summary = "star imports and re-exports hide where names come from"
    examples = EXAMPLES


RULE = StarImport()
