"""MS003: Keras names (the session API above all) spelled for the target.

A name keeps its spelling when its moved import gives it a meaning in every environment of
the target (``K.get_session`` under ``tf1``) or when no other spelling works in more of them
(``K.function`` under ``tf2``: TF 2.15 has it, Keras 3 has neither spelling). Otherwise it is
spelled in full: under ``tf2`` the Keras 2 session API lives only in
``tf.compat.v1.keras.backend``, which TF 2.15 has and Keras 3 (TF >= 2.16) does not; MS101
says so on each such line. A name with no equivalent at all is left as it is (MS102).
"""

from __future__ import annotations

from migrate_session.rule import Example, Ref, Rule
from migrate_session.rules.clear_session import CLEAR
from migrate_session.targets import is_standalone

EXAMPLES = (
    Example(
        title="get_session and set_session, the session read (MS020 drops one that is not)",
        before="""
            import tensorflow as tf
            from keras import backend as K
            sess = K.get_session()
            K.set_session(sess)
            print(sess.list_devices())
        """,
        tf1="""
            import tensorflow as tf
            from tensorflow.keras import backend as K
            sess = K.get_session()
            K.set_session(sess)
            print(sess.list_devices())
        """,
        tf2="""
            import tensorflow as tf
            sess = tf.compat.v1.keras.backend.get_session()
            tf.compat.v1.keras.backend.set_session(sess)
            print(sess.list_devices())
        """,
        findings_tf1="2:MS001",
        findings_tf2="3:MS003 3:MS101 3:MS104 4:MS003 4:MS101 4:MS104",
    ),
    Example(
        title="a from-import of the session API, alias of tensorflow reused",
        before="""
            import tensorflow as tfx
            from keras.backend.tensorflow_backend import get_session, clear_session
            clear_session()
            print(get_session().list_devices(), tfx.Session)
        """,
        tf1="""
            import tensorflow as tfx
            from tensorflow.keras.backend import get_session, clear_session
            clear_session()
            print(get_session().list_devices(), tfx.Session)
        """,
        tf2="""
            import tensorflow as tfx
            from tensorflow.keras.backend import clear_session
            clear_session()
            print(tfx.compat.v1.keras.backend.get_session().list_devices(), tfx.compat.v1.Session)
        """,
        findings="2:MS001 3:MS002",
        findings_tf2="2:MS001 3:MS002 4:MS003 4:MS004 4:MS101 4:MS104",
    ),
)


class SessionApi(Rule):
    id = "MS003"
    name = "session-api"
    summary = "Keras session API (and any Keras name tf.keras moved) spelled for the target"
    examples = EXAMPLES

    def visit_Reference(self, ref: Ref) -> None:
        if not is_standalone(ref.canonical) or (ref.canonical == CLEAR and ref.standalone):
            return  # TensorFlow's names are MS004's; a standalone clear is MS002's
        spelling = ref.respelling(self.context.target)
        if spelling is not None:
            self.report(ref.node, f"spelled `{self.respell(ref, spelling)}`")
