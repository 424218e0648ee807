"""MS101 (warning, tf2): Keras 2 API that Keras 3 (TF >= 2.16) does not have.

TF 2.15 still has ``tf.compat.v1.keras.backend.get_session``/``set_session``, and
``tf.keras.backend.function``/``learning_phase``/``placeholder``; TF >= 2.16 ships Keras 3,
where neither spelling exists and the line raises AttributeError. The name is written the way
that works in the most environments (MS003) and reported here on its line, so the code can
target TF 2.15 (or tf-keras) today and be reworked for Keras 3 knowingly.
"""

from __future__ import annotations

from migrate_session.envs import ENVS
from migrate_session.rule import Example, Ref, Rule
from migrate_session.targets import Spelling, Target, is_standalone

SESSION_API = frozenset({"keras.backend.get_session", "keras.backend.set_session"})

EXAMPLES = (
    Example(
        title="a learning-phase feed: the same spelling works in TF 2.15 only",
        before="""
            from keras import backend as K
            feed = {K.learning_phase(): 0}
        """,
        after="""
            from tensorflow.keras import backend as K
            feed = {K.learning_phase(): 0}
        """,
        findings_tf1="1:MS001",
        findings_tf2="1:MS001 2:MS101 2:MS104",
    ),
    Example(
        title="the session API is spelled through tf.compat.v1 (TF 2.15), absent in Keras 3",
        before="""
            import keras.backend as K
            sess = K.get_session()
            graph_def = sess.graph.as_graph_def()
        """,
        tf1="""
            from tensorflow.keras import backend as K
            sess = K.get_session()
            graph_def = sess.graph.as_graph_def()
        """,
        tf2="""
            import tensorflow as tf

            sess = tf.compat.v1.keras.backend.get_session()
            graph_def = sess.graph.as_graph_def()
        """,
        findings_tf1="1:MS001",
        findings_tf2="2:MS003 2:MS101 2:MS104",
    ),
)


class Keras3NoSession(Rule):
    id = "MS101"
    name = "keras3-no-session"
    severity = "warning"
    summary = "Keras 2 API (the session API above all) that Keras 3 (TF >= 2.16) does not have"
    examples = EXAMPLES

    def visit_Reference(self, ref: Ref) -> None:
        target = self.context.target
        if not target.eager or not is_standalone(ref.canonical):
            return
        spelling = ref.respelling(target)
        if spelling is None:
            if not target.missing_in(ref.rebound) or target.spell(ref.canonical) is None:
                return  # works everywhere, or works nowhere (MS102)
            spelling = Spelling(ref.rebound, compat=False, missing_in=target.missing_in(ref.rebound))
        if spelling.missing_in and all(ENVS[env].keras3 for env in spelling.missing_in):
            self.report(ref.node, keras3_message(ref.canonical, spelling, target))


def keras3_message(canonical: str, spelling: Spelling, target: Target) -> str:
    advice = "stay on TF <= 2.15, or install tf-keras (Keras 2 for newer TF)"
    if canonical in SESSION_API:
        advice += ", or drop the session: under eager, Keras does not run in it"
    return (
        f"`{spelling.text('tf')}` is Keras 2 API: it does not exist in "
        f"{target.describe(spelling.missing_in)}, where this line raises AttributeError ({advice})"
    )
