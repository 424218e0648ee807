"""MS107 (warning): a TensorFlow name, as the code already spells it, that the target lacks.

Session idioms are spelled for the target (MS004). Any other TensorFlow name that an
environment of the target measured absent (``tf.placeholder``, ``tf.train.Saver``,
``tf.summary.FileWriter`` under ``tf2``; ``tf.keras.utils.load_img`` under ``tf1``) is
reported at its line, naming where it breaks and what to do instead; it is left as written.
Moving graph-mode TensorFlow 1 code to eager is outside what this tool can prove equal
(``tf_upgrade_v2`` and the TF 2 migration guide cover it).
"""

from __future__ import annotations

import libcst as cst

from migrate_session.rule import WARNING, Example, Rule
from migrate_session.rules.tf_session_idioms import SESSION_IDIOMS
from migrate_session.syntax import module_name
from migrate_session.targets import canonical, is_private_tf_keras, is_tensorflow

EXAMPLES = (
    Example(
        title="TF 1 graph-mode API in a migrated module",
        before="""
            import tensorflow as tf
            from keras import backend as K
            x = tf.placeholder(tf.float32)
            K.clear_session()
        """,
        after="""
            import tensorflow as tf
            from tensorflow.keras import backend as K
            x = tf.placeholder(tf.float32)
            K.clear_session()
        """,
        findings_tf1="2:MS001 4:MS002",
        findings_tf2="2:MS001 3:MS107 4:MS002",
    ),
    Example(
        title="names whose existence was not measured are not claimed missing",
        before="""
            import tensorflow as tf
            from tensorflow.python.client import device_lib
            from keras import backend as K
            print(tf.__version__, device_lib.list_local_devices())
            K.clear_session()
        """,
        after="""
            import tensorflow as tf
            from tensorflow.python.client import device_lib
            from tensorflow.keras import backend as K
            print(tf.__version__, device_lib.list_local_devices())
            K.clear_session()
        """,
        findings="3:MS001 5:MS002",
    ),
    Example(
        title="tf.keras code written for TF 2 is reported under tf1, not moved",
        before="""
            import tensorflow as tf
            from keras import backend as K
            img = tf.keras.utils.load_img("a.png")
            K.clear_session()
        """,
        after="""
            import tensorflow as tf
            from tensorflow.keras import backend as K
            img = tf.keras.utils.load_img("a.png")
            K.clear_session()
        """,
        findings_tf1="2:MS001 3:MS106 3:MS107 4:MS002",
        findings_tf2="2:MS001 3:MS106 4:MS002",
    ),
    Example(
        title="an import TF 2 lacks is reported at the import, not again at its uses",
        before="""
            from tensorflow.contrib.data import Dataset
            from keras import backend as K
            data = Dataset.from_tensor_slices([1, 2])
            K.clear_session()
        """,
        after="""
            from tensorflow.contrib.data import Dataset
            from tensorflow.keras import backend as K
            data = Dataset.from_tensor_slices([1, 2])
            K.clear_session()
        """,
        findings_tf1="2:MS001 4:MS002",
        findings_tf2="1:MS107 2:MS001 4:MS002",
    ),
)


class Tf1Api(Rule):
    id = "MS107"
    name = "tf1-api"
    severity = WARNING
    summary = "a TensorFlow 1 name the target's TensorFlow does not have: reported, left as is"
    examples = EXAMPLES

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            path = module_name(alias.name)
            if is_tensorflow(path) and not is_private_tf_keras(path):
                self._report_import(alias, path)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = module_name(node.module) if node.module is not None and not node.relative else ""
        if not is_tensorflow(module) or is_private_tf_keras(module) or module.startswith("tensorflow.keras"):
            return  # tf.keras imports are MS001's to move
        names = [] if isinstance(node.names, cst.ImportStar) else [a.evaluated_name for a in node.names]
        if self.context.target.missing_in(module):
            self._report_import(node, module)
            return
        for name in names:
            self._report_import(node, f"{module}.{name}")

    def _report_import(self, node: cst.CSTNode, dotted: str) -> None:
        target = self.context.target
        missing = target.missing_in(dotted)
        if canonical(dotted) in SESSION_IDIOMS and target.spell(canonical(dotted)) is not None:
            return  # MS004 spells its uses for the target, and the import goes
        if missing:
            self.report(node, (
                f"`{dotted}` does not exist in {target.describe(missing)}: this import fails there; "
                f"{_advice(target.spell(canonical(dotted)))}"
            ))

    def visit_Reference(self, ref) -> None:
        target = self.context.target
        if is_tensorflow(ref.binding) and ref.binding != "tensorflow" and target.missing_in(ref.binding) and not (
            canonical(ref.binding) in SESSION_IDIOMS
        ):
            return  # its import is reported: the program stops there
        if ref.standalone:  # moved by this tool: MS101-MS104 speak of it, but of `K.tf` names
            if not is_tensorflow(ref.canonical) or ref.canonical in SESSION_IDIOMS:
                return
            written = ref.canonical
        else:
            written = ref.rebound
        missing = target.missing_in(written)
        if not missing:
            return
        spelling = target.spell(ref.canonical)
        if is_tensorflow(ref.canonical):
            if not ref.standalone and ref.canonical in SESSION_IDIOMS and ref.respelling(target) is not None:
                return  # spelled for the target by MS004
        elif spelling is not None:
            return  # Keras spelled through TensorFlow: respelled by MS003, or MS101's
        self.report(ref.node, (
            f"`{written}` does not exist in {target.describe(missing)}: this line raises "
            f"AttributeError there; {_advice(spelling)}"
        ))


def _advice(spelling) -> str:
    if spelling is not None and spelling.compat and not spelling.missing_in:
        return (
            f"`{spelling.text('tf')}` exists but needs graph mode "
            "(`tf.compat.v1.disable_eager_execution()`); port it to TF 2 by hand (tf_upgrade_v2 helps)"
        )
    return "port it to TF 2 by hand (tf_upgrade_v2 and the TF 2 migration guide cover TF 1 APIs)"
