"""MS102 (warning): a standalone-Keras name with no tf.keras equivalent is left as it is.

``keras.engine.topology.Node``, ``K.tensorflow_backend._SESSION`` and other private state,
``K.image_dim_ordering``, and imports made at run time from strings
(``importlib.import_module("keras.backend")``) are reported with their position and never
guessed. An import that fails on Keras 2.2.4 itself (Keras 1's ``keras.initializations`` and
``keras.layers.Merge``) is said to fail before the migration too. A name is said to have no
equivalent only where the tables measured it absent in an environment of the target, and
nothing like it only when no replacement is known: where the target has one
(``K.image_dim_ordering()`` -> ``image_data_format()``, ``K.logsumexp`` ->
``tf.math.reduce_logsumexp``, ``KERAS_ADVICE``), the finding names it, with what probes measured
of its answers. An import the tool cannot move is reported only when a use of it is
left (uses that tf.keras has elsewhere are spelled in full, and the import goes). Under ``tf1``,
what stays on standalone Keras 2.2.4 splits the module's state; under ``tf2`` the ``keras``
package *is* tf.keras, so only a name it lacks is reported. Also reported (tf2): calls of the
private ``model._make_predict_function()`` family, which TF 1.12's tf.keras still has and TF 2's
Keras does not (measured on ``tf.keras.Model``); they are found by method name on an object no
binding reaches, so they are only reported (MS020 drops a ``_make_predict_function()`` call
standing on a line of its own: predict needs nothing built ahead).
"""

from __future__ import annotations

import difflib
from fnmatch import fnmatchcase

import libcst as cst

from migrate_session import api_tables, targets
from migrate_session.envs import ENVS
from migrate_session.rule import WARNING, Context, Example, Ref, Rule
from migrate_session.rules.keras_imports import moved_module, moved_name
from migrate_session.syntax import is_dynamic_keras_import, module_name
from migrate_session.targets import TARGETS, Spelling, canonical, exists, is_standalone

EXAMPLES = (
    Example(
        title="a dynamic import cannot be followed",
        before="""
            import importlib
            backend = importlib.import_module("keras.backend")
            backend.clear_session()
        """,
        findings="2:MS102",
    ),
    Example(
        title="a private model method TF 2's Keras lacks (tf1 still has it)",
        before="""
            from keras.models import load_model
            model = load_model("m.h5")
            model._make_train_function()
        """,
        after="""
            from tensorflow.keras.models import load_model
            model = load_model("m.h5")
            model._make_train_function()
        """,
        findings_tf1="1:MS001",
        findings_tf2="1:MS001 3:MS102",
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
        findings="1:MS001 2:MS102 3:MS102",
    ),
    Example(
        title="a per-file module tf.keras lacks: its names go where tf.keras has them, the rest stays",
        before="""
            import keras.engine.topology as topology
            from keras import backend as K
            layer = topology.Layer()
            node = topology.Node
            K.clear_session()
        """,
        tf1="""
            import keras.engine.topology as topology
            from tensorflow.keras import backend as K
            import tensorflow as tf

            layer = tf.keras.layers.Layer()
            node = topology.Node
            K.clear_session()
        """,
        tf2="""
            import keras.engine.topology as topology
            from tensorflow.keras import backend as K
            import tensorflow as tf

            layer = tf.keras.layers.Layer()
            node = topology.Node
            K.clear_session()
        """,
        findings="1:MS102 2:MS001 3:MS003 5:MS002",
    ),
    Example(
        title="tf.keras code written for TF 2: reported under tf1 as the target runs it",
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
        findings_tf1="2:MS001 3:MS102 3:MS106 4:MS002",
        findings_tf2="2:MS001 3:MS106 4:MS002",
    ),
    Example(
        title="a name the target lacks but has a replacement for: reported with it (`tile` only in TF 1.12)",
        before="""
            from keras import backend as K
            if K.image_dim_ordering() == 'th':
                axis = 1
            shape = K.get_variable_shape(w)
            t = K.tile(x, [2, 1])
            s = K.logsumexp(x, axis=1)
        """,
        after="""
            from tensorflow.keras import backend as K
            if K.image_dim_ordering() == 'th':
                axis = 1
            shape = K.get_variable_shape(w)
            t = K.tile(x, [2, 1])
            s = K.logsumexp(x, axis=1)
        """,
        findings_tf1="1:MS001 2:MS102 4:MS102 5:MS102 6:MS102",
        findings_tf2="1:MS001 2:MS102 4:MS102 6:MS102",
    ),
    Example(
        title="an import that fails on Keras 2.2.4 too (Keras 1's module and layer): said so",
        before="""
            from keras.initializations import normal
            from keras.layers import Merge, Dense
        """,
        after="""
            from keras.initializations import normal
            from tensorflow.keras.layers import Dense
            from keras.layers import Merge
        """,
        findings="1:MS102 2:MS001 2:MS102",
    ),
)

SAME_ANSWERS = "the same answers for tensors, variables, sparse tensors, arrays and numbers"
# A Keras 2.2.4 name (an fnmatch pattern of its canonical name) that tf.keras lacks -> the
# targets it is advised for, what to write instead, and the names that advice writes
# (tests/test_keras_advice.py checks each exists in every environment of those targets, and
# what the advice says of their answers against the probes of data/dump_probes.py).
KERAS_ADVICE: tuple[tuple[str, tuple[str, ...], str, tuple[str, ...]], ...] = (
    ("keras.backend.image_dim_ordering", TARGETS,
     ("`tf.keras.backend.image_data_format()`: it answers 'channels_first' where this answered 'th', "
      "'channels_last' for 'tf'"),
     ("tensorflow.keras.backend.image_data_format",)),
    ("keras.backend.set_image_dim_ordering", TARGETS,
     "`tf.keras.backend.set_image_data_format()`, given 'channels_first' for 'th', 'channels_last' for 'tf'",
     ("tensorflow.keras.backend.set_image_data_format",)),
    ("keras.backend.get_variable_shape", TARGETS, "`tf.keras.backend.int_shape(x)` (the same tuple)",
     ("tensorflow.keras.backend.int_shape",)),
    ("keras.backend.tile", ("tf1",),
     "`tf.tile(x, n)`, `n` a list (Keras 2.2.4 took an int `n` as `[n]`; `tf.tile` raises on an int)",
     ("tensorflow.tile",)),
    ("keras.backend.logsumexp", TARGETS,
     ("`tf.math.reduce_logsumexp(x, axis, keepdims)`: Keras 2.2.4's `logsumexp` made that call (the same "
      "values and shapes); by keyword, `x=` is `input_tensor=`"),
     ("tensorflow.math.reduce_logsumexp",)),
    ("keras.backend.is_tensor", ("tf1",), f"`tf.contrib.framework.is_tensor(x)` ({SAME_ANSWERS})",
     ("tensorflow.contrib.framework.is_tensor",)),
    ("keras.backend.is_tensor", ("tf2",), f"`tf.is_tensor(x)` ({SAME_ANSWERS})", ("tensorflow.is_tensor",)),
    ("keras.applications.imagenet_utils*", ("tf1",),
     ("the `preprocess_input` and `decode_predictions` of the model's own module, "
      "`tf.keras.applications.resnet50` or `vgg16` (for `preprocess_input`'s default mode 'caffe'), "
      "`mobilenet` or `inception_v3` (mode 'tf'), `densenet` (mode 'torch')"),
     tuple(f"tensorflow.keras.applications.{app}.{function}"
           for app in ("resnet50", "vgg16", "mobilenet", "inception_v3", "densenet")
           for function in ("preprocess_input", "decode_predictions"))),
)


def keras_advice(target: str, name: str) -> str | None:
    """What to write instead of the Keras 2.2.4 name ``name`` under ``target``; None: nothing known."""
    return next((
        advice for pattern, targets, advice, _ in KERAS_ADVICE if target in targets and fnmatchcase(name, pattern)
    ), None)


def keras_2_2_4_lacks(qualified: str) -> str | None:
    """What Keras 2.2.4 itself was measured to lack of ``qualified``, a standalone name as the
    code wrote it, for a finding that it failed before the migration too: "no
    `keras.initializations` (it has `keras.initializers`)". Where the missing part is used as a
    module, Keras 2.2.4's module of the closest name is the hint. None: Keras 2.2.4 has it, or
    it was not measured. Never asked of a canonical name: ``keras.backend._SESSION`` is absent
    where ``keras.backend.tensorflow_backend._SESSION`` is not."""
    parts = qualified.split(".")
    for cut in range(2, len(parts) + 1):
        prefix = ".".join(parts[:cut])
        if exists(api_tables.SOURCE_ENV, prefix) is not False:
            continue
        parent, name = prefix.rpartition(".")[::2]
        held = api_tables.submodules(api_tables.SOURCE_ENV, parent) if cut < len(parts) else None
        close = difflib.get_close_matches(name, sorted(held or ()), n=1)
        return f"no `{prefix}`" + (f" (it has `{parent}.{close[0]}`)" if close else "")
    return None


PRIVATE_MODEL_METHODS = frozenset({"_make_predict_function", "_make_train_function", "_make_test_function"})
SPLIT = (
    "left on standalone Keras 2.2.4: its objects do not mix with tf.keras ones (a standalone layer "
    "in a tf.keras model raises TypeError) and clearing tf.keras does not reset it"
)


class NoEquivalent(Rule):
    id = "MS102"
    name = "no-equivalent"
    severity = WARNING
    summary = "no tf.keras equivalent (`keras.engine`, `_SESSION`, dynamic imports): reported, left as is"
    examples = EXAMPLES
    ATTRIBUTES = PRIVATE_MODEL_METHODS

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self._staying: dict[str, cst.CSTNode] = {}  # module an import leaves on standalone Keras -> its alias
        self._used: set[str] = set()  # ... of which a use stays too

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            path = module_name(alias.name)
            if is_standalone(path) and alias.asname is not None and not moved_module(self.context.target, path):
                self._staying[path] = alias

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None or not is_standalone(module_name(node.module)):
            return
        module, target = module_name(node.module), self.context.target
        if isinstance(node.names, cst.ImportStar):
            if not moved_module(target, module):
                self._report_left(node, module)
            return
        for alias in node.names:
            if not moved_name(target, module, alias.evaluated_name):
                self._report_left(alias, f"{module}.{alias.evaluated_name}")

    def visit_Reference(self, ref: Ref) -> None:
        target = self.context.target
        if not is_standalone(ref.canonical):
            return  # TensorFlow's own names are MS107's
        if ref.binding in self._staying:
            if isinstance(ref.node, cst.Name) or ref.respelling(target) is None:
                self._used.add(ref.binding)
            return
        if ref.standalone and not target.has(target.rebind(ref.binding)):
            return  # its import stays on standalone Keras: reported there
        spelling = ref.respelling(target) or target.spell(ref.canonical)
        missing = target.missing_in(ref.rebound) if spelling is None else spelling.missing_in
        if spelling is not None and (not missing or all(ENVS[env].keras3 for env in missing)):
            return  # written for the target (MS003), or missing only in Keras 3 (MS101)
        if missing:  # said of the name as the target runs it: the same over the tool's own output
            written = Spelling(ref.rebound if spelling is None else spelling.dotted, compat=False)
            advice = keras_advice(target.name, ref.canonical)
            absent = f"does not exist in {target.describe(missing)}{'' if advice else ', nor anything like it'}"
            self.report(ref.node, (
                f"`{written.text('tf')}` {absent}: this line raises AttributeError there; "
                f"{f'use {advice}' if advice else 'port it by hand'}"
            ))

    def visit_Call(self, node: cst.Call) -> None:
        if is_dynamic_keras_import(node):
            self.report(node, "imports standalone Keras from a string at run time: cannot be followed; migrate it by hand")
        elif (
            self.context.target.eager
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value in PRIVATE_MODEL_METHODS
        ):
            self.report(node, f"`{node.func.attr.value}` is private Keras 2.2 API that TF 2's Keras does not have (it builds its functions itself); left as is")

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        for path, alias in self._staying.items():
            if path in self._used:
                self._report_left(alias, path)
        return updated

    def _report_left(self, node: cst.CSTNode, qualified: str) -> None:
        target = self.context.target
        absent = tuple(env for env in target.envs if targets.exists(env, qualified) is False)
        lacks = keras_2_2_4_lacks(qualified)
        missing = absent if target.eager else target.missing_in(target.rebind(qualified))
        if lacks and missing:
            self.report(node, (
                f"`{qualified}` fails before the migration too: Keras 2.2.4 has {lacks}, nor does tf.keras in "
                f"{target.describe(missing)}; port it by hand"
            ))
            return
        advice = keras_advice(target.name, canonical(qualified))
        if not target.eager:
            there = target.describe(target.envs)
            self.report(node, (
                f"`{qualified}` is not in tf.keras in {there}: use {advice}; as written, it is {SPLIT}" if advice
                else f"`{qualified}` has no tf.keras equivalent in {there}; {SPLIT}"
            ))
            return
        if absent:  # under tf2 the `keras` package is tf.keras: only a name it lacks fails
            self.report(node, (
                f"`{qualified}` does not exist in {target.describe(absent)}, neither in tf.keras nor "
                f"in the keras package there: this import fails; {f'use {advice}' if advice else 'port it by hand'}"
            ))
