"""MS120 (warning, tf2): a session config whose eager form may be skipped, or that has none.

TensorFlow 2 takes thread pools, visible and logical devices only before its runtime starts
(measured: ``RuntimeError ... cannot be modified after initialization`` once a model ran,
also after a clear). TF 1 applied them to every new session. Where MS005 cannot prove its
``tf.config`` calls run first, it writes them in ``try``: they then run, but after TF started
(a helper called after a clear, a loop, a function) the setting is silently kept as it was.
And a config with no exact eager form (a GPU memory fraction below 1, a value that is not a
literal, a session used for more than being installed) keeps its ``tf.compat.v1`` session,
which Keras 3 does not have. Both are said here, on the ``set_session`` line.
"""

from __future__ import annotations

import libcst as cst

from migrate_session import config_forms, eager_plan
from migrate_session.rule import WARNING, Example, Rule

EXAMPLES = (
    Example(
        title="thread pools set again after every clear",
        before="""
            import tensorflow as tf
            from keras import backend as K

            def reset(threads):
                K.clear_session()
                config = tf.ConfigProto(intra_op_parallelism_threads=threads)
                K.set_session(tf.Session(config=config))
        """,
        tf1="""
            import tensorflow as tf
            from tensorflow.keras import backend as K

            def reset(threads):
                K.clear_session()
                config = tf.ConfigProto(intra_op_parallelism_threads=threads)
                K.set_session(tf.Session(config=config))
        """,
        tf2="""
            import tensorflow as tf
            from tensorflow.keras import backend as K

            def reset(threads):
                K.clear_session()
                try:
                    tf.config.threading.set_intra_op_parallelism_threads(threads)
                except RuntimeError:  # TF already initialized: thread pools can no longer change
                    pass
        """,
        findings="2:MS001 5:MS002",
        findings_tf2="2:MS001 5:MS002 7:MS005 7:MS120",
    ),
    Example(
        title="a value the form depends on is not a literal; a session for its own graph",
        before="""
            import tensorflow as tf
            from keras import backend as K

            def configure(grow):
                config = tf.ConfigProto()
                config.gpu_options.allow_growth = grow
                K.set_session(tf.Session(config=config))

            def isolated(graph):
                K.set_session(tf.Session(graph=graph))
        """,
        tf1="""
            import tensorflow as tf
            from tensorflow.keras import backend as K

            def configure(grow):
                config = tf.ConfigProto()
                config.gpu_options.allow_growth = grow
                K.set_session(tf.Session(config=config))

            def isolated(graph):
                K.set_session(tf.Session(graph=graph))
        """,
        tf2="""
            import tensorflow as tf

            def configure(grow):
                config = tf.compat.v1.ConfigProto()
                config.gpu_options.allow_growth = grow
                tf.compat.v1.keras.backend.set_session(tf.compat.v1.Session(config=config))

            def isolated(graph):
                tf.compat.v1.keras.backend.set_session(tf.compat.v1.Session(graph=graph))
        """,
        findings_tf1="2:MS001",
        findings_tf2=(
            "5:MS004 7:MS003 7:MS004 7:MS101 7:MS104 7:MS120 "
            "10:MS003 10:MS004 10:MS101 10:MS104 10:MS120"
        ),
    ),
    Example(
        title="a config read back keeps the session",
        before="""
            import tensorflow as tf
            from keras import backend as K
            sess = tf.Session(config=tf.ConfigProto(allow_soft_placement=True))
            K.set_session(sess)
            print(sess._config)
        """,
        tf1="""
            import tensorflow as tf
            from tensorflow.keras import backend as K
            sess = tf.Session(config=tf.ConfigProto(allow_soft_placement=True))
            K.set_session(sess)
            print(sess._config)
        """,
        tf2="""
            import tensorflow as tf
            sess = tf.compat.v1.Session(config=tf.compat.v1.ConfigProto(allow_soft_placement=True))
            tf.compat.v1.keras.backend.set_session(sess)
            print(sess._config)
        """,
        findings_tf1="2:MS001",
        findings_tf2="3:MS004 3:MS004 4:MS003 4:MS101 4:MS104 4:MS120",
    ),
)


class EagerConfig(Rule):
    id = "MS120"
    name = "eager-config"
    severity = WARNING
    summary = "session settings written guarded (skipped once TF runs), or kept for lack of an eager form (tf2)"
    examples = EXAMPLES

    def visit_Module(self, node: cst.Module) -> None:
        if not (self.context.target.eager and eager_plan.concerns(self.context)):
            return
        plan = eager_plan.plan(self.context, node)
        for line, install in plan.installs.items():
            skipped = config_forms.may_be_skipped(install.forms) if install.guarded else []
            if skipped:
                self.report(line, (
                    f"{' and '.join(skipped)} can be set only before TensorFlow starts: written in `try`, "
                    "so where this runs later (after a model or a clear) the setting is skipped silently; "
                    "set it once at program start"
                ))
        for line, reason in plan.refusals.items():
            self.report(line, f"no eager form written: {reason}; the session stays (tf.compat.v1: Keras 2 only)")
        for line, name in plan.shared_graphs.items():
            self.report(line, (
                f"another module of the run imports `{name}` (or this whole module): the capture stays; where that module "
                f"enters it (`with {name}.as_default():`) around a model built eagerly, TF 2 runs the block in "
                "graph mode and the model's calls raise (as MS020 unwraps here): unwrap it there"
            ))
