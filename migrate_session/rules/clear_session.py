"""MS002: every binding of standalone Keras's ``clear_session`` clears tf.keras instead.

Most bindings need no edit of their own: once the module's imports have moved (MS001),
``K.clear_session``, a bare ``clear_session`` from ``from keras.backend import ...``, an alias
``K = keras.backend`` or a reference handed to ``atexit.register`` all mean
``tf.keras.backend.clear_session``. A path that no longer exists under tf.keras
(``keras.backend.tensorflow_backend.clear_session``) is spelled in full.
"""

from __future__ import annotations

from migrate_session.findings import REWRITE
from migrate_session.rules.base import Example, Rule

CLEAR = "keras.backend.clear_session"

EXAMPLES = (
    Example(
        title="a function reference handed to atexit",
        before="""
            import atexit
            from keras import backend as K
            atexit.register(K.clear_session)
        """,
        after="""
            import atexit
            from tensorflow.keras import backend as K
            atexit.register(K.clear_session)
        """,
        ),
    Example(
        title="a bare name, renamed on import",
        before="""
            from keras.backend import clear_session as reset
            reset()
        """,
        after="""
            from tensorflow.keras.backend import clear_session as reset
            reset()
        """,
        ),
    Example(
        title="the tensorflow_backend path is gone from tf.keras",
        before="""
            import keras
            keras.backend.tensorflow_backend.clear_session()
        """,
        after="""
            import tensorflow as tf

            tf.keras.backend.clear_session()
        """,
        ),
    Example(
        title="an alias assigned from the module",
        before="""
            import keras
            K = keras.backend
            K.clear_session()
        """,
        after="""
            from tensorflow import keras
            K = keras.backend
            K.clear_session()
        """,
        ),
    Example(
        title="the user's own clear_session and keyword arguments are not Keras",
        before="""
            from keras import backend as K
            def clear_session():
                return "mine"
            clear_session()
            run(clear_session=True)
            text = "K.clear_session()"  # K.clear_session() in a comment
        """,
        after="""
            from tensorflow.keras import backend as K
            def clear_session():
                return "mine"
            clear_session()
            run(clear_session=True)
            text = "K.clear_session()"  # K.clear_session() in a comment
        """,
        ),
)


class ClearSession(Rule):
    id = "MS002"
    name = "clear-session"
    summary = "`clear_session` from standalone Keras now clears tf.keras"
    examples = EXAMPLES

    def owns(self, canonical: str) -> bool:
        return canonical == CLEAR

    def on_reference(self, m, ref, spelling, rebound_ok):
        if not ref.standalone:
            return None
        if rebound_ok:
            m.report(ref.node, self.id, "now clears tf.keras state (its import moved)", REWRITE)
            return None
        m.report(ref.node, self.id, f"spelled `{spelling.text('tf')}`", REWRITE)
        return m.spelled(ref, spelling)


RULE = ClearSession()
