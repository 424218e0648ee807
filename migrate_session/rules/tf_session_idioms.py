"""MS004: TensorFlow 1 session idioms spelled for the target.

``tf1`` keeps TF 1.12's spellings (it has no ``tf.compat.v1``; a ``tf.compat.v1`` spelling
already in the module is turned back). ``tf2`` spells the session idioms through
``tf.compat.v1``, which every TF 2 has. ``K.tf`` is the tensorflow module itself and is
spelled ``tf``. Other TF 1 names that TF 2 lacks are only reported: they are outside session
handling (``tf_upgrade_v2`` covers them).
"""

from __future__ import annotations

from migrate_session import targets
from migrate_session.findings import REWRITE, WARNING
from migrate_session.rules.base import Example, Rule
from migrate_session.targets import Spelling

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
            graph = tf.get_default_graph()
        """,
        tf1="""
            import tensorflow as tf
            from tensorflow.keras import backend as K
            K.clear_session()
            tf.reset_default_graph()
            graph = tf.get_default_graph()
        """,
        tf2="""
            import tensorflow as tf
            from tensorflow.keras import backend as K
            K.clear_session()
            tf.compat.v1.reset_default_graph()
            graph = tf.compat.v1.get_default_graph()
        """,
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
        warnings={"tf1": ["MS102"], "tf2": ["MS102"]},
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

    def owns(self, canonical: str) -> bool:
        return canonical == "tensorflow" or canonical.startswith("tensorflow.")

    def on_reference(self, m, ref, spelling, rebound_ok):
        if ref.standalone:  # K.tf...: the rebound spelling never exists
            if spelling is None:  # the same TensorFlow attribute, spelled through `tf`
                spelling = Spelling(ref.canonical, compat=False)
            m.report(ref.node, "MS102", f"`{ref.qualified}` is not tf.keras API: it is TensorFlow itself, spelled `{spelling.text('tf')}`", WARNING)
            return m.spelled(ref, spelling)
        if rebound_ok:
            return None
        if spelling is None or ref.canonical not in SESSION_IDIOMS:
            missing = targets.describe_envs(targets.missing_envs(m.target, ref.qualified))
            m.report(ref.node, "MS102", f"`{ref.qualified}` does not exist in {missing}; outside session handling, left as is (tf_upgrade_v2 covers TF 1 APIs)", WARNING)
            return None
        m.report(ref.node, self.id, f"spelled `{spelling.text('tf')}`", REWRITE)
        return m.spelled(ref, spelling)


RULE = TfSessionIdioms()
