"""MS004: TensorFlow 1 session idioms spelled for the target.

``tf1`` keeps TF 1.12's spellings (it has no ``tf.compat.v1``; a ``tf.compat.v1`` spelling
already in the module is turned back). ``tf2`` spells the session idioms through
``tf.compat.v1``, which every TF 2 has. ``K.tf`` is the tensorflow module itself and is
spelled ``tf`` (tf.keras's backend has no ``tf``). Other TF 1 names that TF 2 lacks are
outside session handling: MS107 reports them.
"""

from __future__ import annotations

from migrate_session.rule import Example, Ref, Rule
from migrate_session.targets import Spelling, is_tensorflow

SESSION_IDIOMS = frozenset(
    "tensorflow." + name
    for name in (
        "Session",
        "InteractiveSession",
        "ConfigProto",
        "GPUOptions",
        "RunOptions",
        "reset_default_graph",
        "get_default_graph",
        "get_default_session",
        "global_variables",
        "global_variables_initializer",
        "local_variables_initializer",
    )
)

EXAMPLES = (
    Example(
        title="the reset pair",
        before="""
            import tensorflow as tf
            from keras import backend as K
            K.clear_session()
            tf.reset_default_graph()
            ops = tf.get_default_graph().get_operations()
        """,
        tf1="""
            import tensorflow as tf
            from tensorflow.keras import backend as K
            K.clear_session()
            tf.reset_default_graph()
            ops = tf.get_default_graph().get_operations()
        """,
        tf2="""
            import tensorflow as tf
            from tensorflow.keras import backend as K
            K.clear_session()
            tf.compat.v1.reset_default_graph()
            ops = tf.compat.v1.get_default_graph().get_operations()
        """,
        findings_tf1="2:MS001 3:MS002",
        findings_tf2="2:MS001 3:MS002 4:MS004 5:MS004 5:MS104",
    ),
    Example(
        title="a missing call stays missing (the bug stays visible)",
        before="""
            import tensorflow as tf
            import keras
            tf.reset_default_graph
        """,
        tf1="""
            import tensorflow as tf
            from tensorflow import keras
            tf.reset_default_graph
        """,
        tf2="""
            import tensorflow as tf
            from tensorflow import keras
            tf.compat.v1.reset_default_graph
        """,
        findings="2:MS001",
        findings_tf2="2:MS001 3:MS004",
    ),
    Example(
        title="`K.tf` is TensorFlow itself",
        before="""
            from keras import backend as K
            config = K.tf.ConfigProto()
        """,
        tf1="""
            import tensorflow as tf

            config = tf.ConfigProto()
        """,
        tf2="""
            import tensorflow as tf

            config = tf.compat.v1.ConfigProto()
        """,
        findings="2:MS004",
    ),
    Example(
        title="a module without standalone Keras is not touched",
        before="""
            import tensorflow as tf
            sess = tf.Session()
        """,
    ),
)


class TfSessionIdioms(Rule):
    id = "MS004"
    name = "tf1-session-idioms"
    summary = "`tf.Session`, `tf.ConfigProto`, `tf.reset_default_graph`, ... spelled for the target"
    examples = EXAMPLES

    def visit_Reference(self, ref: Ref) -> None:
        if not is_tensorflow(ref.canonical):
            return
        target = self.context.target
        if ref.standalone:  # K.tf...: tf.keras's backend has no `tf`
            spelling = ref.canonical in SESSION_IDIOMS and target.spell(ref.canonical)
            text = self.respell(ref, spelling or Spelling(ref.canonical, compat=False))
            self.report(ref.node, f"`{ref.qualified}` is TensorFlow itself: spelled `{text}`")
            return
        spelling = ref.respelling(target)
        if spelling is not None and ref.canonical in SESSION_IDIOMS:
            self.report(ref.node, f"spelled `{self.respell(ref, spelling)}`")
