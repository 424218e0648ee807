"""MS002: every binding of standalone Keras's ``clear_session`` clears tf.keras instead.

Most bindings need no edit of their own: once the module's imports have moved (MS001),
``K.clear_session``, a bare ``clear_session`` from ``from keras.backend import ...``, an alias
``K = keras.backend`` or a reference handed to ``atexit.register`` all mean
``tf.keras.backend.clear_session``. A path that no longer exists under tf.keras
(``keras.backend.tensorflow_backend.clear_session``) is spelled in full.
"""

from __future__ import annotations

from migrate_session.rule import Example, Ref, Rule

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
        findings="2:MS001 3:MS002",
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
        findings="1:MS001 2:MS002",
    ),
    Example(
        title="the tensorflow_backend path is gone from tf.keras",
        before="""
            import keras
            keras.backend.tensorflow_backend.clear_session()
        """,
        after="""
            from tensorflow import keras
            keras.backend.clear_session()
        """,
        findings="1:MS001 2:MS002",
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
        findings="1:MS001 3:MS002",
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
        findings="1:MS001",
    ),
)


class ClearSession(Rule):
    id = "MS002"
    name = "clear-session"
    summary = "`clear_session` from standalone Keras now clears tf.keras"
    examples = EXAMPLES

    def visit_Reference(self, ref: Ref) -> None:
        if ref.canonical != CLEAR or not ref.standalone:
            return
        spelling = ref.respelling(self.context.target)
        if spelling is None:
            self.report(ref.node, "now clears tf.keras state (its import moved)")
            return
        self.report(ref.node, f"spelled `{self.respell(ref, spelling)}`")
