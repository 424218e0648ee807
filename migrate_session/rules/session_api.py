"""MS003: Keras names (the session API above all) spelled for the target.

A name keeps its spelling when its moved import gives it the same meaning in every
environment of the target (``K.get_session`` under ``tf1``). Otherwise it is spelled in full:
under ``tf2`` the Keras 2 session API lives only in ``tf.compat.v1.keras.backend`` — which
TF 2.15 has and Keras 3 (TF >= 2.16) does not, so each such line is also reported (MS101).
A name with no equivalent at all (``K.tensorflow_backend._SESSION``) is reported (MS102)
and left as it is: a guess would be worse than a visible error.
"""

from __future__ import annotations

import libcst as cst

from migrate_session import targets
from migrate_session.findings import REWRITE, WARNING
from migrate_session.rules.base import Example, Rule
from migrate_session.rules.clear_session import CLEAR

EXAMPLES = (
    Example(
        title="get_session and set_session",
        before="""
            import tensorflow as tf
            from keras import backend as K
            sess = K.get_session()
            K.set_session(sess)
        """,
        tf1="""
            import tensorflow as tf
            from tensorflow.keras import backend as K
            sess = K.get_session()
            K.set_session(sess)
        """,
        tf2="""
            import tensorflow as tf
            sess = tf.compat.v1.keras.backend.get_session()
            tf.compat.v1.keras.backend.set_session(sess)
        """,
        warnings={"tf2": ["MS101"]},
    ),
    Example(
        title="a from-import of the session API, alias of tensorflow reused",
        before="""
            import tensorflow as tfx
            from keras.backend.tensorflow_backend import set_session, clear_session
            set_session(tfx.Session())
            clear_session()
        """,
        tf1="""
            import tensorflow as tfx
            from tensorflow.keras.backend import set_session, clear_session
            set_session(tfx.Session())
            clear_session()
        """,
        tf2="""
            import tensorflow as tfx
            from tensorflow.keras.backend import clear_session
            tfx.compat.v1.keras.backend.set_session(tfx.compat.v1.Session())
            clear_session()
        """,
        warnings={"tf2": ["MS101"]},
    ),
    Example(
        title="private session state has no equivalent: reported, left",
        before="""
            from keras import backend as K
            if K.tensorflow_backend._SESSION:
                K.tensorflow_backend._SESSION = None
        """,
        after="""
            from tensorflow.keras import backend as K
            if K.tensorflow_backend._SESSION:
                K.tensorflow_backend._SESSION = None
        """,
        warnings={"tf1": ["MS102"], "tf2": ["MS102"]},
    ),
)


class SessionApi(Rule):
    id = "MS003"
    name = "session-api"
    summary = "Keras session API (and any Keras name tf.keras moved) spelled for the target"
    examples = EXAMPLES

    def owns(self, canonical: str) -> bool:
        return targets.is_standalone(canonical) and canonical != CLEAR

    def on_reference(self, m, ref, spelling, rebound_ok):
        if rebound_ok:
            return None
        module = ref.canonical.rpartition(".")[0]
        if not targets.exists_in(m.target, "tensorflow." + module):
            return None  # its import stayed on standalone Keras and was reported there
        if spelling is None:
            if isinstance(ref.node, cst.Name):
                return None  # a from-imported name: its import stayed and was reported there
            missing = targets.describe_envs(targets.missing_envs(m.target, "tensorflow." + ref.canonical))
            m.report(ref.node, "MS102", f"`{ref.canonical}` has no tf.keras equivalent in {missing}; left as is", WARNING)
            return None
        m.report(ref.node, self.id, f"spelled `{spelling.text('tf')}`", REWRITE)
        if spelling.missing_in:
            m.report(ref.node, "MS101", keras3_message(spelling), WARNING)
        return m.spelled(ref, spelling)


def keras3_message(spelling) -> str:
    return (
        f"`{spelling.text('tf')}` is Keras 2 API: it does not exist in "
        f"{targets.describe_envs(spelling.missing_in)}, where this line raises AttributeError "
        "(stay on TF <= 2.15 or tf-keras, or drop the session)"
    )


RULE = SessionApi()
