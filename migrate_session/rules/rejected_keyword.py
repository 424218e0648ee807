"""MS108 (warning): a keyword the target's Keras refuses, or takes and ignores, or a parameter it requires.

After MS008's renames, every keyword of a call to a Keras or TensorFlow callable is checked
against what each environment of the target was measured to do with it: refuse it
(``ModelCheckpoint(period=)`` and ``TensorBoard(batch_size=)`` raise TypeError in Keras 3), or
take it with a warning that it is deprecated or ignored (``Adam(decay=0.1)`` in Keras 3: the
decay silently stops). A parameter Keras 2.2.4 gave a default that an environment's signature
requires, and that the migrated call leaves unbound, raises TypeError there
(``multi_gpu_model(model)`` in TF 1.12, whose ``gpus`` Keras 2.2.4 counted; ``AveragePooling2D()``
in Keras 3, whose ``pool_size`` was ``(2, 2)``): found by comparing Keras 2.2.4's measured
signature with each environment's (and, for a call written on tf.keras, TF 1.12's: what that
required failed before the move too). Nothing is rewritten: there is no faithful rewrite, so the
line says where it breaks and what to do instead.
"""

from __future__ import annotations

from functools import cache

import libcst as cst

from migrate_session import api_tables, call_args
from migrate_session.rule import WARNING, Example, Ref, Rule
from migrate_session.rules import optimizer_decay
from migrate_session.rules.keras1_arguments import keras2_keywords
from migrate_session.rules.keyword_changes import OPTIMIZERS, plan_of
from migrate_session.targets import Target, aliases, is_standalone

ADVICE = {
    ("keras.callbacks.ModelCheckpoint", "period"): "use `save_freq=` (counted in batches: period x steps per epoch)",
    ("keras.callbacks.TensorBoard", "batch_size"): "drop it: TF 2's TensorBoard callback does not use it",
    ("keras.callbacks.TensorBoard", "write_grads"): "drop it: TF 2's TensorBoard callback cannot write gradients",
    **{(optimizer, "decay"): ("Keras 2.2.4 decayed the rate as lr / (1 + decay * iterations): MS012 writes that as "
                              "an InverseTimeDecay schedule, but not where the rate is also changed while training "
                              "(ReduceLROnPlateau, LearningRateScheduler, set_value): decay it in that code instead")
       for optimizer in OPTIMIZERS},
}
# A keyword Keras 3 takes with a deprecation warning, and the probe that shows it honoured: the
# same value in every environment as in Keras 2.2.4 (`keras.<probe>` there, `tf.keras.<probe>`).
HONOURED = {("keras.layers.LeakyReLU", "alpha"): "layers.LeakyReLU(alpha=0.2)(-1.0)"}
# What Keras 2.2.4's Layer took through **kwargs, whatever the layer (measured refusals:
# Keras 3 refuses all four, TF 1.12 and 2.15 refuse `input_dtype`).
LAYER_ADVICE = {
    "batch_input_shape": "start the model with `Input(shape=<all but the first>, batch_size=<the first>)`",
    "batch_size": "start the model with `Input(shape=..., batch_size=...)`",
    "input_dtype": "use `dtype=`",
    "weights": "build the layer (or the model), then call `layer.set_weights(weights)`",
}
# What to pass for a parameter a target requires whose Keras 2.2.4 default was not a value to
# write out (None meant "work it out"); otherwise the advice is to pass Keras 2.2.4's default.
REQUIRED_ADVICE = {
    ("keras.utils.multi_gpu_model", "gpus"): "pass `gpus=<the number of GPUs>` (Keras 2.2.4 counted them)",
}

EXAMPLES = (
    Example(
        title="callback keywords Keras 3 refuses",
        before="""
            from keras.callbacks import ModelCheckpoint, TensorBoard
            save = ModelCheckpoint('w.h5', period=3)
            board = TensorBoard(log_dir='logs', batch_size=32, write_grads=True)
        """,
        after="""
            from tensorflow.keras.callbacks import ModelCheckpoint, TensorBoard
            save = ModelCheckpoint('w.h5', period=3)
            board = TensorBoard(log_dir='logs', batch_size=32, write_grads=True)
        """,
        findings_tf1="1:MS001",
        findings_tf2="1:MS001 2:MS108 3:MS108 3:MS108",
    ),
    Example(
        title="layer keywords Keras 2.2.4 took through **kwargs",
        before="""
            from keras.layers import Conv2D, Dense
            first = Dense(4, batch_input_shape=(32, 10))
            conv = Conv2D(8, (3, 3), weights=None)
            dense = Dense(1, input_dtype='float32')
        """,
        after="""
            from tensorflow.keras.layers import Conv2D, Dense
            first = Dense(4, batch_input_shape=(32, 10))
            conv = Conv2D(8, (3, 3), weights=None)
            dense = Dense(1, input_dtype='float32')
        """,
        findings_tf1="1:MS001 4:MS108",
        findings_tf2="1:MS001 2:MS108 3:MS108 4:MS108",
    ),
    Example(
        title="a keyword Keras 3 deprecates but honours (measured), and a Keras 1 keyword on a backend function",
        before="""
            from keras import backend as K
            from keras.layers import LeakyReLU
            act = LeakyReLU(alpha=0.2)
            out = K.conv2d(x, kernel, border_mode='same')
        """,
        after="""
            from tensorflow.keras import backend as K
            from tensorflow.keras.layers import LeakyReLU
            act = LeakyReLU(alpha=0.2)
            out = K.conv2d(x, kernel, border_mode='same')
        """,
        findings="1:MS001 2:MS001 4:MS108",
    ),
    Example(
        title="a parameter Keras 2.2.4 defaulted that TF 1.12 requires",
        before="""
            from keras.utils import multi_gpu_model
            parallel = multi_gpu_model(model)
            given = multi_gpu_model(model, 2), multi_gpu_model(model, gpus=4), multi_gpu_model(*args)
        """,
        tf1="""
            from tensorflow.keras.utils import multi_gpu_model
            parallel = multi_gpu_model(model)
            given = multi_gpu_model(model, 2), multi_gpu_model(model, gpus=4), multi_gpu_model(*args)
        """,
        findings_tf1="1:MS001 2:MS108",
        findings_tf2="1:MS102",
    ),
    Example(
        title="a parameter Keras 2.2.4 defaulted that Keras 3 requires",
        before="""
            from keras import layers
            pool = layers.AveragePooling2D(input_shape=(4, 4, 1))
            cube = layers.AvgPool3D(strides=1)
            given = layers.AveragePooling1D(2), layers.AveragePooling2D(pool_size=(3, 3))
            unread = layers.AveragePooling2D(**config)
        """,
        after="""
            from tensorflow.keras import layers
            pool = layers.AveragePooling2D(input_shape=(4, 4, 1))
            cube = layers.AvgPool3D(strides=1)
            given = layers.AveragePooling1D(2), layers.AveragePooling2D(pool_size=(3, 3))
            unread = layers.AveragePooling2D(**config)
        """,
        findings_tf1="1:MS001",
        findings_tf2="1:MS001 2:MS108 3:MS108",
    ),
    Example(
        title="beside Keras 2.2.4, tf.keras code: what TF 1.12's tf.keras required failed before the move too",
        before="""
            import keras
            import tensorflow as tf
            parallel = tf.keras.utils.multi_gpu_model(model)
            pool = tf.keras.layers.AveragePooling2D()
            more = keras.utils.multi_gpu_model(model)
        """,
        tf1="""
            from tensorflow import keras
            import tensorflow as tf
            parallel = tf.keras.utils.multi_gpu_model(model)
            pool = tf.keras.layers.AveragePooling2D()
            more = keras.utils.multi_gpu_model(model)
        """,
        tf2="""
            from tensorflow import keras
            import tensorflow as tf
            parallel = tf.keras.utils.multi_gpu_model(model)
            pool = tf.keras.layers.AveragePooling2D()
            more = keras.utils.multi_gpu_model(model)
        """,
        findings_tf1="1:MS001 3:MS106 5:MS108",
        findings_tf2="1:MS001 3:MS102 3:MS106 4:MS108 5:MS102",
    ),
)


class RejectedKeyword(Rule):
    id = "MS108"
    name = "rejected-keyword"
    severity = WARNING
    summary = ("a keyword the target's Keras refuses, or takes and ignores, or a parameter Keras 2.2.4 defaulted "
               "that it requires: reported, left as is")
    examples = EXAMPLES

    def visit_Call(self, node: cst.Call) -> None:
        ref = self.context.resolve(node.func)
        if ref is None:
            return
        target = self.context.target
        written = ref.written(target)
        scheduled = optimizer_decay.handles(target, ref, node, self.context.mentions)
        keras1 = keras2_keywords(self.context, node)
        for keyword in plan_of(self.context, ref, node).final_keywords(node):
            keyword = keras1.get(keyword, keyword)  # MS013 renames it, MS108 speaks of what remains
            if keyword == "decay" and scheduled:
                continue  # MS012 writes it as a schedule
            if self._honoured(ref.canonical, keyword):
                continue
            trouble = target.keyword_trouble(written, keyword)
            if trouble is None:
                continue
            env, said = trouble
            advice = (_by_alias(ADVICE, ref.canonical, keyword) or LAYER_ADVICE.get(keyword)
                      or self._keras1_name(written, keyword) or "remove it or port it by hand")
            self.report(node, f"`{keyword}=`: {target.describe((env,))} says {said!r}; {advice}")
        self._required(ref, written, node)

    def _required(self, ref: Ref, written: str, node: cst.Call) -> None:
        """Report the parameters Keras 2.2.4 defaulted that an environment requires and the
        migrated call leaves unbound (``*args``/``**kwargs`` at the call: it cannot be told)."""
        # tf.keras code ran on TF 1.12's tf.keras before: what that required failed there too
        wanted = required(self.context.target, ref.canonical, written, None if ref.standalone else ref.qualified)
        if not wanted:
            return
        source = _source_signature(ref.canonical)
        bound = call_args.names(node, source) if source is not None else None
        if bound is None:
            return
        keras1 = keras2_keywords(self.context, node)
        given = {keras1.get(name, name) for name in bound}
        given.update(plan_of(self.context, ref, node).final_keywords(node))
        for name, envs, default, shown in wanted:
            if name in given:
                continue
            advice = (_by_alias(REQUIRED_ADVICE, ref.canonical, name)
                      or f"pass `{name}=` (Keras 2.2.4's default was {default})")
            self.report(node, f"`{name}` is required in {Target.describe(envs)} (`{shown}`): this call raises "
                              f"TypeError there; {advice}")

    def _honoured(self, canonical: str, keyword: str) -> bool:
        """Measured to do in every environment of the target what it did in Keras 2.2.4."""
        probe = _by_alias(HONOURED, canonical, keyword)
        if probe is None:
            return False
        before = api_tables.probe(api_tables.SOURCE_ENV, "keras." + probe)
        after = [api_tables.probe(env, "tf.keras." + probe) for env in self.context.target.envs]
        return before.ok and all(outcome.ok and outcome.value == before.value for outcome in after)

    def _keras1_name(self, written: str, keyword: str) -> str | None:
        """Advice for a Keras 1 keyword whose Keras 2 name the target's callable takes."""
        new = api_tables.keras1_renames().get(keyword)
        if new is None or not self.context.target.takes_keyword(written, new):
            return None
        return f"it is Keras 1's name for `{new}=`: write `{new}=`"


Required = tuple[str, tuple[str, ...], str, str]  # parameter, envs requiring it, Keras 2.2.4's default, a signature


@cache  # asked of every call of a Keras callable: nearly always ()
def required(target: Target, canonical: str, written: str, tf_keras: str | None) -> tuple[Required, ...]:
    """The parameters of ``written`` some environment of the target requires that Keras 2.2.4's
    ``canonical`` gave a default (and TF 1.12's ``tf_keras``, for a call written on tf.keras),
    with those environments, Keras 2.2.4's default and the first one's signature."""
    source = _source_signature(canonical)
    if source is None:
        return ()
    also = api_tables.signature(api_tables.SOURCE_ENV, tf_keras) if tf_keras is not None else None
    envs: dict[str, list[str]] = {}
    about: dict[str, tuple[str, str]] = {}
    for env in target.envs:
        there = api_tables.signature(env, written)
        if there is None:
            continue
        for parameter in there.parameters:
            if parameter.has_default or parameter.kind.startswith("var_"):
                continue
            before = source.parameter(parameter.name)
            earlier = also.parameter(parameter.name) if also is not None else before
            if before is None or not before.has_default or earlier is None or not earlier.has_default:
                continue
            envs.setdefault(parameter.name, []).append(env)
            about.setdefault(parameter.name, (before.default or "not a plain value",
                                              f"{written.rpartition('.')[2]}({there.text()})"))
    return tuple((name, tuple(where), *about[name]) for name, where in envs.items())


def _by_alias(table: dict[tuple[str, str], str], canonical: str, parameter: str) -> str | None:
    """``table``'s entry for the callable, under any of its public names, and ``parameter``."""
    return next((table[name, parameter] for name in aliases(canonical) if (name, parameter) in table), None)


@cache
def _source_signature(canonical: str) -> api_tables.Signature | None:
    """Keras 2.2.4's signature of a Keras callable (by any of its public names)."""
    if not is_standalone(canonical):
        return None
    for name in aliases(canonical):
        found = api_tables.signature(api_tables.SOURCE_ENV, name)
        if found is not None:
            return found
    return None
