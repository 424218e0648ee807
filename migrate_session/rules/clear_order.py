"""MS103 (warning): a clear after ``set_session`` throws the configured session away.

``clear_session`` drops the session Keras holds, so a configuration set just before it (GPU
options, a session shared with other code) is lost: the next model runs in a fresh default
session. That was so before the migration too; the warning keeps the bug visible instead of
silently reordering code. Under tf2 a config that MS005 turned into ``tf.config`` state
outlives the clear (measured), so only a ``set_session`` that stays is reported.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from migrate_session.rule import WARNING, Example, Rule
from migrate_session.rules.clear_session import CLEAR

SET_SESSION = "keras.backend.set_session"

EXAMPLES = (
    Example(
        title="configured, then cleared: under tf2 the config is tf.config state, which a clear keeps",
        before="""
            import tensorflow as tf
            from keras import backend as K
            K.set_session(tf.Session(config=tf.ConfigProto(allow_soft_placement=True)))
            K.clear_session()
        """,
        tf1="""
            import tensorflow as tf
            from tensorflow.keras import backend as K
            K.set_session(tf.Session(config=tf.ConfigProto(allow_soft_placement=True)))
            K.clear_session()
        """,
        tf2="""
            import tensorflow as tf
            from tensorflow.keras import backend as K
            tf.config.set_soft_device_placement(True)
            K.clear_session()
        """,
        findings_tf1="2:MS001 4:MS002 4:MS103",
        findings_tf2="2:MS001 3:MS005 4:MS002",
    ),
    Example(
        title="a session kept for lack of an eager form still loses its config at the clear",
        before="""
            import tensorflow as tf
            from keras import backend as K
            config = tf.ConfigProto()
            config.gpu_options.per_process_gpu_memory_fraction = 0.4
            K.set_session(tf.Session(config=config))
            K.clear_session()
        """,
        tf1="""
            import tensorflow as tf
            from tensorflow.keras import backend as K
            config = tf.ConfigProto()
            config.gpu_options.per_process_gpu_memory_fraction = 0.4
            K.set_session(tf.Session(config=config))
            K.clear_session()
        """,
        tf2="""
            import tensorflow as tf
            from tensorflow.keras import backend as K
            config = tf.compat.v1.ConfigProto()
            config.gpu_options.per_process_gpu_memory_fraction = 0.4
            tf.compat.v1.keras.backend.set_session(tf.compat.v1.Session(config=config))
            K.clear_session()
        """,
        findings_tf1="2:MS001 6:MS002 6:MS103",
        findings_tf2="2:MS001 3:MS004 5:MS003 5:MS004 5:MS101 5:MS104 5:MS120 6:MS002 6:MS103",
    ),
)

class ClearOrder(Rule):
    id = "MS103"
    name = "clear-order"
    severity = WARNING
    summary = "clearing right after `set_session` throws the configured session away"
    examples = EXAMPLES

    def visit_Module(self, node: cst.Module) -> None:
        self._block(node.body)

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._block(node.body)

    def _block(self, body: Sequence[cst.BaseStatement]) -> None:
        configured = False
        for line in body:
            if self.context.is_edited(line):
                continue
            called = self._called(line)
            if called == SET_SESSION:
                configured = True
            elif called == CLEAR and configured:
                self.report(line, "clears the session configured by `set_session` above it: the configuration is lost (as it was before migration)")
                configured = False

    def _called(self, line: cst.BaseStatement) -> str | None:
        if isinstance(line, cst.SimpleStatementLine):
            for small in line.body:
                if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                    return self.context.canonical(small.value.func)
        return None
