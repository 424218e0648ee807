"""MS107 (warning): a TensorFlow name, as the code already spells it, that the target lacks.

Session idioms are spelled for the target (MS004), ``tf.VERSION`` is rewritten (MS014). Any
other TensorFlow name that an environment of the target measured absent (``tf.placeholder``,
``tf.train.Saver``, ``tf.summary.FileWriter`` under ``tf2``; ``tf.keras.utils.load_img`` under
``tf1``) is reported at its line, naming where it breaks and what to do instead: for the common
TF 1 names, their TF 2 API (``TF2_ADVICE``); where the ``tf.compat.v1`` form was measured
failing in eager mode, what it raised. It is left as written: moving graph-mode TensorFlow 1
code to eager is outside what this tool can prove equal (``tf_upgrade_v2`` and the TF 2
migration guide cover it). A use the code guards is not reported where it cannot fail: under
``if hasattr(tf, "select"):`` (keras-rl's ``rl/util.py``, whose ``else`` has ``tf.where``) in
the environments that lack the tested name, and in a ``try`` whose handler names
``AttributeError`` (``ImportError`` for an import).
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from functools import cache

import libcst as cst

from migrate_session import api_tables
from migrate_session.guards import catches, names_proved_present
from migrate_session.rule import WARNING, Example, Ref, Rule
from migrate_session.rules.tf_session_idioms import SESSION_IDIOMS
from migrate_session.syntax import module_name
from migrate_session.targets import Spelling, Target, canonical, is_private_tf_keras, is_tensorflow

TF2_CHECKPOINTS = "`tf.train.Checkpoint` (or `model.save_weights`)"
TF2_SUMMARIES = "`tf.summary.create_file_writer` and `tf.summary.scalar`/`histogram`/`image` under `writer.as_default()`"
TF2_SAVE = "`tf.saved_model.save` (or `model.save`)"
TF2_DATA = "a `tf.data.Dataset` pipeline (`map`, `shuffle`, `batch`)"
# A TF 1 name TF 2 lacks (an fnmatch pattern, the first match wins) -> its TF 2 API, and the TF 2
# names that advice writes (tests/test_tf1_advice.py checks each exists in TF 2.15 and 2.21).
# From research/kerasdiff README section 10, and the names most reported on the real-code corpus.
TF2_ADVICE: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("tensorflow.train.Saver", TF2_CHECKPOINTS, ("tensorflow.train.Checkpoint",)),
    ("tensorflow.train.*Optimizer", "the optimizer of `tf.keras.optimizers` (`Adam`, `SGD`, `RMSprop`, ...)",
     ("tensorflow.keras.optimizers.Adam", "tensorflow.keras.optimizers.SGD", "tensorflow.keras.optimizers.RMSprop")),
    ("tensorflow.summary.FileWriter*", "`tf.summary.create_file_writer`", ("tensorflow.summary.create_file_writer",)),
    ("tensorflow.summary.merge*", TF2_SUMMARIES, ("tensorflow.summary.create_file_writer", "tensorflow.summary.scalar")),
    ("tensorflow.Summary*", TF2_SUMMARIES, ("tensorflow.summary.create_file_writer", "tensorflow.summary.scalar")),
    ("tensorflow.saved_model.builder.*", TF2_SAVE, ("tensorflow.saved_model.save",)),
    ("tensorflow.saved_model.simple_save", TF2_SAVE, ("tensorflow.saved_model.save",)),
    ("tensorflow.saved_model.loader.*", "`tf.saved_model.load` (or `tf.keras.models.load_model`)",
     ("tensorflow.saved_model.load", "tensorflow.keras.models.load_model")),
    ("tensorflow.saved_model.tag_constants.*", "`tf.saved_model.SERVING` (and its kin)", ("tensorflow.saved_model.SERVING",)),
    ("tensorflow.saved_model.signature_constants.*", "`tf.saved_model.DEFAULT_SERVING_SIGNATURE_DEF_KEY` (and its kin)",
     ("tensorflow.saved_model.DEFAULT_SERVING_SIGNATURE_DEF_KEY",)),
    ("tensorflow.saved_model.signature_def_utils.*", "the `signatures=` of `tf.saved_model.save` (a `tf.function`)",
     ("tensorflow.saved_model.save", "tensorflow.function")),
    ("tensorflow.train.start_queue_runners", TF2_DATA, ("tensorflow.data.Dataset",)),
    ("tensorflow.train.*batch*", TF2_DATA, ("tensorflow.data.Dataset",)),
    ("tensorflow.train.*input_producer", TF2_DATA, ("tensorflow.data.Dataset",)),
    ("tensorflow.*Queue", TF2_DATA, ("tensorflow.data.Dataset",)),
    ("tensorflow.placeholder*", "eager tensors, or the arguments of a `tf.function` (`input_signature=`)", ("tensorflow.function",)),
    ("tensorflow.logging.*", "Python's `logging` (TF 2 logs through `absl.logging`)", ()),
    ("tensorflow.app.*", "`absl.app` and `absl.flags`", ()),
    ("tensorflow.flags*", "`absl.flags`", ()),
    ("tensorflow.set_random_seed", "`tf.random.set_seed`", ("tensorflow.random.set_seed",)),
    ("tensorflow.random_normal", "`tf.random.normal`", ("tensorflow.random.normal",)),
    ("tensorflow.random_uniform", "`tf.random.uniform`", ("tensorflow.random.uniform",)),
    ("tensorflow.truncated_normal", "`tf.random.truncated_normal`", ("tensorflow.random.truncated_normal",)),
    ("tensorflow.random_crop", "`tf.image.random_crop`", ("tensorflow.image.random_crop",)),
    ("tensorflow.train.write_graph", "`tf.io.write_graph` (of a `tf.function`'s graph: eager code has no default graph)",
     ("tensorflow.io.write_graph",)),
    ("tensorflow.Print", "`tf.print`", ("tensorflow.print",)),
    ("tensorflow.to_*", "`tf.cast(x, <dtype>)`", ("tensorflow.cast",)),
    # Older than TF 1.12 (absent there too); measured: a rank-1 condition picks rows of x in TF
    # 1.12's tf.where, TF 2's broadcasts it over the last axis.
    ("tensorflow.select", "`tf.where(condition, x, y)` (a rank-1 condition is broadcast over the last axis in TF 2)",
     ("tensorflow.where",)),
    ("tensorflow.FixedLenFeature", "`tf.io.FixedLenFeature`", ("tensorflow.io.FixedLenFeature",)),
    ("tensorflow.VarLenFeature", "`tf.io.VarLenFeature`", ("tensorflow.io.VarLenFeature",)),
    ("tensorflow.parse_single_example", "`tf.io.parse_single_example`", ("tensorflow.io.parse_single_example",)),
    ("tensorflow.decode_raw", "`tf.io.decode_raw`", ("tensorflow.io.decode_raw",)),
    ("tensorflow.gfile.*", "`tf.io.gfile` (`GFile`, `exists`, ...)", ("tensorflow.io.gfile.GFile", "tensorflow.io.gfile.exists")),
    ("tensorflow.is_finite", "`tf.math.is_finite`", ("tensorflow.math.is_finite",)),
    ("tensorflow.log", "`tf.math.log`", ("tensorflow.math.log",)),
    ("tensorflow.extract_image_patches", "`tf.image.extract_patches`", ("tensorflow.image.extract_patches",)),
    ("tensorflow.space_to_depth", "`tf.nn.space_to_depth`", ("tensorflow.nn.space_to_depth",)),
    ("tensorflow.image.resize_image_with_crop_or_pad", "`tf.image.resize_with_crop_or_pad`",
     ("tensorflow.image.resize_with_crop_or_pad",)),
    ("tensorflow.assign*", "the variable's own `assign`/`assign_add`/`assign_sub`", ()),
    ("tensorflow.*variables_initializer", "nothing: TF 2 variables are initialized when they are made", ()),
    ("tensorflow.get_variable", "`tf.Variable`, or a Keras layer's `add_weight`", ("tensorflow.Variable",)),
    ("tensorflow.variable_scope", "Keras layers or `tf.Module` (they name and own their variables)", ("tensorflow.Module",)),
    ("tensorflow.contrib.*", "its successor outside `tf.contrib` (TF core, TensorFlow Addons), or none", ()),
    ("tensorflow.VERSION", "`tf.__version__`", ()),  # MS014 rewrites `tf.VERSION`; `from tensorflow import VERSION` stays
)

MOVED_OUT = frozenset({"compat", "contrib"})  # namespaces whose names moved elsewhere
NOT_A_HOME = frozenset({"compat", "contrib", "python", "experimental", "numpy"})
ATTRIBUTE_ERRORS = frozenset({"AttributeError"})
IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})

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
        title="each common TF 1 name with its TF 2 API",
        before="""
            import tensorflow as tf
            from keras import backend as K
            saver = tf.train.Saver()
            tf.logging.info('saved')
            K.clear_session()
        """,
        after="""
            import tensorflow as tf
            from tensorflow.keras import backend as K
            saver = tf.train.Saver()
            tf.logging.info('saved')
            K.clear_session()
        """,
        findings_tf1="2:MS001 5:MS002",
        findings_tf2="2:MS001 3:MS107 4:MS107 5:MS002",
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
        title="an import the target lacks is reported at the import, not again at its uses",
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
        findings="1:MS107 2:MS001 4:MS002",
    ),
    Example(
        title="a use the code guards (`hasattr`, `except AttributeError`) cannot fail: only the other one is reported",
        before="""
            import tensorflow as tf
            from keras import backend as K
            if hasattr(tf, 'select'):
                y = tf.select(c, a, b)
            else:
                y = tf.where(c, a, b)
            try:
                w = tf.select(c, a, b)
            except AttributeError:
                w = tf.where(c, a, b)
            z = K.abs(tf.select(c, a, b))
        """,
        after="""
            import tensorflow as tf
            from tensorflow.keras import backend as K
            if hasattr(tf, 'select'):
                y = tf.select(c, a, b)
            else:
                y = tf.where(c, a, b)
            try:
                w = tf.select(c, a, b)
            except AttributeError:
                w = tf.where(c, a, b)
            z = K.abs(tf.select(c, a, b))
        """,
        findings="2:MS001 11:MS107",
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
        if missing and not catches(self.context.ancestors, node, IMPORT_ERRORS):
            self.report(node, (
                f"`{dotted}` does not exist in {target.describe(missing)}: this import fails there; "
                f"{_advice(target, dotted, target.spell(canonical(dotted)))}"
            ))

    def visit_Reference(self, ref: Ref) -> None:
        if not is_tensorflow(ref.canonical):
            return  # Keras names, however spelled, are MS003's, MS101's and MS102's
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
        if self.context.is_edited(ref.node):
            return  # rewritten by another rule (MS014's tf.VERSION)
        missing = self._unguarded(ref.node, written, target.missing_in(written))
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
            f"AttributeError there; {_advice(target, written, spelling)}"
        ))


    def _unguarded(self, node: cst.Name | cst.Attribute, written: str, missing: tuple[str, ...]) -> tuple[str, ...]:
        """The environments of ``missing`` where this use can fail: none inside ``try: ...
        except AttributeError``, and not those where a ``hasattr`` test around it is false."""
        ancestors = self.context.ancestors
        if catches(ancestors, node, ATTRIBUTE_ERRORS):
            return ()
        text, parts = module_name(node), written.split(".")
        for tested in names_proved_present(ancestors, node):
            if text == tested or text.startswith(tested + "."):
                beyond = text.count(".") - tested.count(".")  # attributes used past the tested one
                skipped = self.context.target.missing_in(".".join(parts[:len(parts) - beyond]))
                missing = tuple(env for env in missing if env not in skipped)
        return missing


def tf2_advice(dotted: str) -> str | None:
    return next((advice for pattern, advice, _ in TF2_ADVICE if fnmatchcase(dotted, pattern)), None)


def _advice(target: Target, written: str, spelling: Spelling | None) -> str:
    # The tf.compat.v1 spelling, when that is what the target has everywhere.
    compat = spelling if spelling is not None and spelling.compat and not spelling.missing_in else None
    advice = tf2_advice(written) if target.eager else None
    if advice is None and compat is None:
        found = same_name_elsewhere(target.name, written)
        if found is not None:
            there = target.describe(target.envs)
            return f"{there} has `tf.{found[len('tensorflow.'):]}` (the same name: check it is the API meant)"
    if advice is None:
        if not target.eager:
            return "port it to TF 1.12's API by hand"
        if compat is not None:
            return (
                f"`{compat.text('tf')}` exists with TF 1's behaviour (its graph-mode parts need "
                "`tf.compat.v1.disable_eager_execution()`); port it to TF 2 by hand (tf_upgrade_v2 helps)"
            )
        return "port it to TF 2 by hand (tf_upgrade_v2 and the TF 2 migration guide cover TF 1 APIs)"
    if compat is None:
        return f"in TF 2, use {advice}"
    failed = _eager_failure(target, written)
    there = f"exists but fails in eager mode ({failed})" if failed else "exists (TF 1's API, not measured in eager mode)"
    return f"in TF 2, use {advice}; `{compat.text('tf')}` {there}"


@cache
def same_name_elsewhere(target: str, written: str) -> str | None:
    """Where a name of ``tf.contrib`` or ``tf.compat`` went: a public TensorFlow name with the
    same last part that every environment of the target has (``tensorflow.contrib.data.Dataset``
    -> ``tensorflow.data.Dataset`` in TF 1.12), the shallowest first; None when there is none.
    Other names sharing a last part are another API (``tf.select`` is not
    ``tf.experimental.numpy.select``), so nothing else is looked up, nor offered from there."""
    leaf = written.rpartition(".")[2]
    if leaf.startswith("_") or not MOVED_OUT & set(written.split(".")):
        return None
    measured_target = Target(target)
    homes = {
        path for env in measured_target.envs for path in api_tables.modules(env)
        if is_tensorflow(path) and not NOT_A_HOME & set(path.split("."))
    }
    for home in sorted(homes, key=lambda path: (path.count("."), path)):
        candidate = f"{home}.{leaf}"
        if candidate != written and measured_target.has(candidate):
            return candidate
    return None


def _eager_failure(target: Target, written: str) -> str | None:
    """What its ``tf.compat.v1`` form raised when called eagerly, where a probe measured it."""
    call = "tf.compat.v1." + written[len("tensorflow."):] + "("
    for name in api_tables.probe_names():
        if name.startswith(call):
            failed = [api_tables.probe(env, name) for env in target.envs]
            return next((outcome.error for outcome in failed if not outcome.ok), None)
    return None
