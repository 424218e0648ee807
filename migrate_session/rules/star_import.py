"""MS105 (warning): a star import hides where names come from.

``from keras.backend import *`` brings ``clear_session`` and also ``tf`` (Keras 2.2.4's
backend imports TensorFlow); tf.keras's backend exports no ``tf``. The import moves to
``tensorflow.keras.backend``, free names are resolved against what Keras 2.2.4 exported, and
``tf`` gets an import of its own. Anything the star import re-exports to *other* modules
cannot be seen from here: that is what the warning is for.
"""

from __future__ import annotations

import libcst as cst

from migrate_session.rule import WARNING, Example, Rule
from migrate_session.rules.keras_imports import moved_module
from migrate_session.syntax import module_name
from migrate_session.targets import is_standalone

EXAMPLES = (
    Example(
        title="star import of the backend",
        before="""
            from keras.backend import *
            config = tf.ConfigProto()
            clear_session()
        """,
        tf1="""
            from tensorflow.keras.backend import *
            import tensorflow as tf

            config = tf.ConfigProto()
            clear_session()
        """,
        tf2="""
            from tensorflow.keras.backend import *
            import tensorflow as tf

            config = tf.compat.v1.ConfigProto()
            clear_session()
        """,
        findings="1:MS001 1:MS105 2:MS004 3:MS002",
    ),
)


class StarImport(Rule):
    id = "MS105"
    name = "star-import"
    severity = WARNING
    summary = "star imports and re-exports hide where names come from"
    examples = EXAMPLES

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None or not isinstance(node.names, cst.ImportStar):
            return
        module = module_name(node.module)
        if is_standalone(module) and moved_module(self.context.target, module):
            self.report(node, (
                f"star import moved to `{self.context.target.rebind(module)}`; it hides where names come from: free names "
                f"were resolved against what Keras 2.2.4's `{module}` exported (import what you use instead)"
            ))
