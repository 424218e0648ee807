"""MS103 (warning): a clear after ``set_session`` throws the configured session away.

``clear_session`` drops the session Keras holds, so a configuration set just before it (GPU
options, a session shared with other code) is lost: the next model runs in a fresh default
session. That was so before the migration too; the warning keeps the bug visible instead of
silently reordering code.
"""

from __future__ import annotations

import libcst as cst

from migrate_session.findings import WARNING
from migrate_session.rules.base import Example, Rule
from migrate_session.rules.clear_session import CLEAR

SET_SESSION = "keras.backend.set_session"

EXAMPLES = (
    Example(
        title="configured, then cleared",
        before="""
            import tensorflow as tf
            from keras import backend as K
            K.set_session(tf.Session())
            K.clear_session()
        """,
        tf1="""
            import tensorflow as tf
            from tensorflow.keras import backend as K
            K.set_session(tf.Session())
            K.clear_session()
        """,
        tf2="""
            import tensorflow as tf
            from tensorflow.keras import backend as K
            tf.compat.v1.keras.backend.set_session(tf.compat.v1.Session())
            K.clear_session()
        """,
        warnings={"tf1": ["MS103"], "tf2": ["MS103", "MS101"]},
    ),
)


def _called(m, line) -> str | None:
    if isinstance(line, cst.SimpleStatementLine):
        for small in line.body:
            if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                return m.canonical(small.value.func)
    return None


class ClearOrder(Rule):
    id = "MS103"
    name = "clear-order"
    severity = WARNING
    summary = "clearing right after `set_session` throws the configured session away"
    examples = EXAMPLES

    def visit_block(self, m, body) -> None:
        configured = False
        for line in body:
            if m.is_replaced(line):
                continue
            called = _called(m, line)
            if called == SET_SESSION:
                configured = True
            elif called == CLEAR and configured:
                m.report(line, self.id, "clears the session configured by `set_session` above it: the configuration is lost (as it was before migration)", WARNING)
                configured = False


RULE = ClearOrder()
