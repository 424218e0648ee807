"""MS005 (tf2): the session handed to ``set_session`` becomes ``tf.config`` state, or nothing.

Under TF 2 eager, Keras runs nothing in a session: ``set_session(tf.Session())`` has no
effect left, and a session's ``ConfigProto`` matters only through what ``tf.config`` sets for
the whole process (``migrate_session/config_forms.py`` has each setting's form and what was
measured). The config may be built inline, with keywords and a nested ``GPUOptions``, or on
the lines just before (``config.gpu_options.allow_growth = True``), through ``tf``, ``K.tf``
or ``KTF``; those lines and the session go with the call. Calls that raise once TensorFlow
has run (thread pools, devices) are written guarded unless they provably run first; MS120
says so. Whatever has no exact eager form (a memory fraction below 1, a value that is not a
literal where the form depends on it, a session used for more than being installed) keeps
its ``tf.compat.v1`` spelling, and MS120 says why. ``eager_plan`` makes the decisions.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import Scope

from migrate_session import config_forms, eager_plan
from migrate_session.rule import Example, Rule

EXAMPLES = (
    Example(
        title="the three-line allow_growth idiom",
        before="""
            import tensorflow as tf
            from keras import backend as K
            config = tf.ConfigProto()
            config.gpu_options.allow_growth = True
            K.set_session(tf.Session(config=config))
        """,
        tf1="""
            import tensorflow as tf
            from tensorflow.keras import backend as K
            config = tf.ConfigProto()
            config.gpu_options.allow_growth = True
            K.set_session(tf.Session(config=config))
        """,
        tf2="""
            import tensorflow as tf
            for gpu in tf.config.list_physical_devices("GPU"):
                try:
                    tf.config.experimental.set_memory_growth(gpu, True)
                except RuntimeError:  # GPU already initialized: growth can no longer change
                    pass
        """,
        findings_tf1="2:MS001",
        findings_tf2="5:MS005",
    ),
    Example(
        title="a plain session after a clear: nothing left to install under eager",
        before="""
            import tensorflow as tf
            from keras.backend.tensorflow_backend import clear_session, set_session
            clear_session()
            set_session(tf.Session())
        """,
        tf1="""
            import tensorflow as tf
            from tensorflow.keras.backend import clear_session, set_session
            clear_session()
            set_session(tf.Session())
        """,
        tf2="""
            from tensorflow.keras.backend import clear_session
            clear_session()
        """,
        findings="2:MS001 3:MS002",
        findings_tf2="2:MS001 3:MS002 4:MS005",
    ),
    Example(
        title="keywords, nested GPU options; a memory fraction of 1 is the whole GPU",
        before="""
            import tensorflow as tf
            import keras.backend as K
            K.set_session(tf.Session(config=tf.ConfigProto(
                allow_soft_placement=True,
                gpu_options=tf.GPUOptions(per_process_gpu_memory_fraction=1.0, allow_growth=True))))
        """,
        tf1="""
            import tensorflow as tf
            from tensorflow.keras import backend as K
            K.set_session(tf.Session(config=tf.ConfigProto(
                allow_soft_placement=True,
                gpu_options=tf.GPUOptions(per_process_gpu_memory_fraction=1.0, allow_growth=True))))
        """,
        tf2="""
            import tensorflow as tf
            tf.config.set_soft_device_placement(True)
            for gpu in tf.config.list_physical_devices("GPU"):
                try:
                    tf.config.experimental.set_memory_growth(gpu, True)
                except RuntimeError:  # GPU already initialized: growth can no longer change
                    pass
        """,
        findings_tf1="2:MS001",
        findings_tf2="3:MS005",
    ),
    Example(
        title="threads, devices and placement log, at module level before any TF work: bare calls",
        before="""
            import tensorflow as tf
            from keras import backend as K
            config = tf.ConfigProto(intra_op_parallelism_threads=4, inter_op_parallelism_threads=2,
                                    device_count={'GPU': 0, 'CPU': 2}, log_device_placement=True)
            session = tf.Session(config=config)
            K.set_session(session)
        """,
        tf1="""
            import tensorflow as tf
            from tensorflow.keras import backend as K
            config = tf.ConfigProto(intra_op_parallelism_threads=4, inter_op_parallelism_threads=2,
                                    device_count={'GPU': 0, 'CPU': 2}, log_device_placement=True)
            session = tf.Session(config=config)
            K.set_session(session)
        """,
        tf2="""
            import tensorflow as tf
            tf.config.threading.set_intra_op_parallelism_threads(4)
            tf.config.threading.set_inter_op_parallelism_threads(2)
            tf.config.set_visible_devices([], "GPU")
            tf.config.set_logical_device_configuration(
                tf.config.list_physical_devices("CPU")[0],
                [tf.config.LogicalDeviceConfiguration()] * 2)
            tf.debugging.set_log_device_placement(True)
        """,
        findings_tf1="2:MS001",
        findings_tf2="6:MS005",
    ),
    Example(
        title="GPU options in a variable, in a helper: re-run after a clear, so guarded",
        before="""
            import os
            import tensorflow as tf
            from keras import backend as K

            def gpu_session(rank):
                gpu_options = tf.GPUOptions(allow_growth=True, visible_device_list=str(rank))
                K.set_session(tf.Session(config=tf.ConfigProto(gpu_options=gpu_options)))
        """,
        tf1="""
            import os
            import tensorflow as tf
            from tensorflow.keras import backend as K

            def gpu_session(rank):
                gpu_options = tf.GPUOptions(allow_growth=True, visible_device_list=str(rank))
                K.set_session(tf.Session(config=tf.ConfigProto(gpu_options=gpu_options)))
        """,
        tf2="""
            import os
            import tensorflow as tf

            def gpu_session(rank):
                for gpu in tf.config.list_physical_devices("GPU"):
                    try:
                        tf.config.experimental.set_memory_growth(gpu, True)
                    except RuntimeError:  # GPU already initialized: growth can no longer change
                        pass
                try:
                    gpus = tf.config.list_physical_devices("GPU")
                    if gpus:
                        tf.config.set_visible_devices(gpus[rank], "GPU")
                except RuntimeError:  # TF already initialized: visible devices can no longer change
                    pass
        """,
        findings_tf1="3:MS001",
        findings_tf2="7:MS005 7:MS120",
    ),
    Example(
        title="through `K.tf` and `keras.backend.tensorflow_backend`; one CPU device is the default",
        before="""
            import keras.backend as K
            import keras.backend.tensorflow_backend as KTF
            config = K.tf.ConfigProto(device_count={'CPU': 1}, allow_soft_placement=False)
            KTF.set_session(K.tf.Session(config=config))
            K.clear_session()
        """,
        tf1="""
            from tensorflow.keras import backend as K
            from tensorflow.keras import backend as KTF
            import tensorflow as tf

            config = tf.ConfigProto(device_count={'CPU': 1}, allow_soft_placement=False)
            KTF.set_session(tf.Session(config=config))
            K.clear_session()
        """,
        tf2="""
            from tensorflow.keras import backend as K
            import tensorflow as tf

            tf.config.set_soft_device_placement(False)
            K.clear_session()
        """,
        findings_tf1="1:MS001 2:MS001 3:MS004 4:MS004 5:MS002 5:MS103",
        findings_tf2="1:MS001 4:MS005 5:MS002",
    ),
    Example(
        title="a memory fraction below 1 has no exact eager form: spelled through tf.compat.v1",
        before="""
            import tensorflow as tf
            from keras import backend as K
            config = tf.ConfigProto()
            config.gpu_options.per_process_gpu_memory_fraction = 0.5
            K.set_session(tf.Session(config=config))
        """,
        tf1="""
            import tensorflow as tf
            from tensorflow.keras import backend as K
            config = tf.ConfigProto()
            config.gpu_options.per_process_gpu_memory_fraction = 0.5
            K.set_session(tf.Session(config=config))
        """,
        tf2="""
            import tensorflow as tf
            config = tf.compat.v1.ConfigProto()
            config.gpu_options.per_process_gpu_memory_fraction = 0.5
            tf.compat.v1.keras.backend.set_session(tf.compat.v1.Session(config=config))
        """,
        findings_tf1="2:MS001",
        findings_tf2="3:MS004 5:MS003 5:MS004 5:MS101 5:MS104 5:MS120",
    ),
)


class SessionConfig(Rule):
    id = "MS005"
    name = "session-config"
    summary = "the session handed to `set_session` becomes `tf.config` state, or nothing (tf2)"
    examples = EXAMPLES

    def visit_Module(self, node: cst.Module) -> None:
        if not (self.context.target.eager and eager_plan.concerns(self.context)):
            return
        plan = eager_plan.plan(self.context, node)
        for line in plan.config_lines:
            self.edit(line, [])
        for line, why in plan.sessions.items():
            self.edit(line, [])
            self.report(line, why)
        for line, install in plan.installs.items():
            if not install.forms:
                self.edit(line, [])
                self.report(line, "session dropped: under eager, Keras runs nothing in the session installed here")
                continue
            statement = line.body[0]
            assert isinstance(statement, cst.Expr) and isinstance(statement.value, cst.Call)  # the install
            ref = self.context.resolve(statement.value.func)
            tf = self.context.imports.tensorflow(line, near=ref.base if ref else None)
            scope = self.context.scope(line)
            code = config_forms.fill(
                config_forms.write(install.forms, install.guarded), tf, _fresh(scope, "gpu"), _fresh(scope, "gpus")
            )
            self.edit(line, self.context.statements(code))
            done = ", ".join(dict.fromkeys(form.what for form in install.forms))
            self.report(line, f"session config written as tf.config state: {done}")


def _fresh(scope: Scope | None, name: str) -> str:
    while scope is not None and name in scope:
        name += "_"
    return name
