"""MS013: Keras 1 arguments written as Keras 2.2.4 converted them at run time.

Keras 2.2.4 still took Keras 1 spellings (``Dense(output_dim=, init=)``, ``Dropout(p=)``,
``Conv2D(nb_filter=, border_mode=, subsample=, dim_ordering='tf')``, ``Convolution2D(32, 3, 3)``,
``BatchNormalization(mode=0)``, ``fit_generator(nb_epoch=)``) and converted them on every call.
No tf.keras does: TF 1.12, 2.15 and 2.21 raise TypeError (or ValueError), and read
``Conv2D(4, 3, 3)``'s third number as strides (measured: the probes of these calls). The
conversions are Keras 2.2.4's own, read from its wrappers (``migrate_session/keras1_args.py``);
they apply to calls of standalone Keras classes that move, and to the wrapped ``Model`` methods
found by name (left where the module defines one). ``fit(nb_epoch=)`` was converted by
Keras 2.2.4's ``fit`` itself: it becomes ``epochs=`` where an environment of the target was
measured refusing ``nb_epoch`` or warning that it is renamed. What cannot be converted is left
as written, and MS113 reports it.
"""

from __future__ import annotations

import libcst as cst

from migrate_session import api_tables, keras1_args
from migrate_session.rule import Context, Example, Ref, Rule
from migrate_session.targets import Target, aliases

MODEL = "keras.models.Model"
# Methods whose Keras 1 keywords Keras 2.2.4 converted: the wrapped ones
# (api_tables.legacy_methods(); a test keeps them equal) and `fit`, which did it itself.
METHODS = frozenset({"fit", "fit_generator", "evaluate_generator", "predict_generator"})
FIT_PROBES = ("tf.keras model.fit(x, y, nb_epoch=2): epochs run", "tf.keras model.fit(x, y, epochs=2): epochs run")

EXAMPLES = (
    Example(
        title="Keras 1 layer arguments, converted as Keras 2.2.4 did",
        before="""
            from keras.layers import Convolution2D, Dense, Dropout
            conv = Convolution2D(32, 3, 3, border_mode='same', dim_ordering='tf')
            dense = Dense(output_dim=10, init='zero', W_regularizer=reg)
            drop = Dropout(p=0.5)
        """,
        after="""
            from tensorflow.keras.layers import Convolution2D, Dense, Dropout
            conv = Convolution2D(32, (3, 3), padding='same', data_format='channels_last')
            dense = Dense(units=10, kernel_initializer='zero', kernel_regularizer=reg)
            drop = Dropout(rate=0.5)
        """,
        findings="1:MS001 2:MS013 3:MS013 4:MS013",
    ),
    Example(
        title="kernel sizes by name: Keras 2.2.4 raised TypeError unless they were ints",
        before="""
            import keras
            layer = keras.layers.Conv2D(filters, rows, cols, subsample=(2, 2))
            cube = keras.layers.Conv3D(8, nb_row, kernel_dim2=3, kernel_dim3=3)
        """,
        after="""
            from tensorflow import keras
            layer = keras.layers.Conv2D(filters, (rows, cols), strides=(2, 2))
            cube = keras.layers.Conv3D(8, (nb_row, 3, 3))
        """,
        findings="1:MS001 2:MS013 3:MS013",
    ),
    Example(
        title="recurrent layers, batch normalization, embeddings",
        before="""
            from keras.layers import BatchNormalization, Embedding, SimpleRNN
            rnn = SimpleRNN(output_dim=64, input_dim=8, input_length=20, consume_less='gpu')
            norm = BatchNormalization(mode=0, axis=1)
            embed = Embedding(1000, 64, dropout=0.2)
        """,
        after="""
            from tensorflow.keras.layers import BatchNormalization, Embedding, SimpleRNN
            rnn = SimpleRNN(units=64, input_shape=(20, 8), implementation=2)
            norm = BatchNormalization(axis=1)
            embed = Embedding(1000, 64)
        """,
        findings="1:MS001 2:MS013 3:MS013 4:MS013",
    ),
    Example(
        title="`fit(nb_epoch=)` and the generator methods' Keras 1 keywords",
        before="""
            from keras.models import Sequential
            model = Sequential()
            model.fit(x, y, nb_epoch=10, batch_size=32)
            model.evaluate_generator(batches, val_samples=100)
        """,
        tf1="""
            from tensorflow.keras.models import Sequential
            model = Sequential()
            model.fit(x, y, epochs=10, batch_size=32)
            model.evaluate_generator(batches, steps=100)
        """,
        tf2="""
            from tensorflow.keras.models import Sequential
            model = Sequential()
            model.fit(x, y, epochs=10, batch_size=32)
            model.evaluate(batches, steps=100, verbose=0)
        """,
        findings="1:MS001 3:MS013 4:MS013",
        findings_tf2="1:MS001 3:MS013 4:MS009 4:MS013",
    ),
    Example(
        title="Keras 2 arguments, a `fit` of the module's own, and tf.keras code are left alone",
        before="""
            import tensorflow as tf
            from keras.layers import Conv2D

            class Trainer:
                def fit(self, nb_epoch):
                    return nb_epoch

            layer = Conv2D(32, (3, 3), strides=2)
            Trainer().fit(nb_epoch=3)
            other = tf.keras.layers.Conv2D(4, 3, 3)
        """,
        after="""
            import tensorflow as tf
            from tensorflow.keras.layers import Conv2D

            class Trainer:
                def fit(self, nb_epoch):
                    return nb_epoch

            layer = Conv2D(32, (3, 3), strides=2)
            Trainer().fit(nb_epoch=3)
            other = tf.keras.layers.Conv2D(4, 3, 3)
        """,
        findings="2:MS001 10:MS106",
    ),
)


def plan_for(context: Context, call: cst.Call) -> keras1_args.Plan | None:
    """What MS013 does to ``call`` (MS113 reports what it leaves); None: not a Keras 1 call.
    Read, not changed, by the rules that ask (MS008, MS009, MS108, MS113): made once per call."""
    return context.shared(("keras1-plan", call), lambda: _plan(context, call))


def _plan(context: Context, call: cst.Call) -> keras1_args.Plan | None:
    target = context.target
    ref = context.resolve(call.func)
    if ref is not None:
        if not (ref.standalone and target.has(target.rebind(ref.binding))):
            return None  # tf.keras code, or left on standalone Keras 2.2.4 (which converts)
        for name in aliases(ref.canonical):
            interface = api_tables.legacy_interface(name)
            if interface is not None and interface.kind in ("class", "function"):
                return keras1_args.plan(call, interface, skip=_renamed_by_ms008(ref))
        return None
    if not isinstance(call.func, cst.Attribute) or call.func.attr.value not in METHODS:
        return None
    method = call.func.attr.value
    if context.defines(method):
        return None
    if method == "fit":
        return _fit(target, call)
    interface = api_tables.legacy_interface(f"{MODEL}.{method}")
    return keras1_args.plan(call, interface) if interface is not None else None


def _renamed_by_ms008(ref: Ref) -> frozenset[str]:
    from migrate_session.rules.keyword_changes import CHANGES  # it reads our renames in turn

    names = set(aliases(ref.canonical))
    return frozenset(change.old for change in CHANGES if change.callables & names)


def _fit(target: Target, call: cst.Call) -> keras1_args.Plan | None:
    """Keras 2.2.4's ``fit`` read ``nb_epoch=`` as ``epochs=`` (it won over an ``epochs=``)."""
    arg = keras1_args.keyword(call.args, "nb_epoch")
    if arg is None:
        return None
    old, new = FIT_PROBES
    outcomes = [(env, api_tables.probe(env, old)) for env in target.envs]
    trouble = next(((env, o.error or o.warnings[0]) for env, o in outcomes if not o.ok or o.warnings), None)
    if trouble is None or not all(api_tables.probe(env, new).ok for env in target.envs):
        return None
    found = keras1_args.Plan()
    positional = [a for a in call.args if a.keyword is None]
    if keras1_args.keyword(call.args, "epochs") is not None or len(positional) >= 4 or any(a.star for a in call.args):
        found.unconverted.append("`nb_epoch=` next to `epochs` (Keras 2.2.4 took nb_epoch): keep one `epochs=`")
        return found
    env, said = trouble
    found.do(keras1_args.renamed("nb_epoch", "epochs"), f"`nb_epoch=` -> `epochs=` ({target.describe((env,))} says {said!r})")
    found.renames["nb_epoch"] = "epochs"
    return found


def keras2_keywords(context: Context, call: cst.Call) -> dict[str, str]:
    """The Keras 1 keywords of ``call`` that MS013 renames, and their Keras 2 names: for rules
    that read a call's keywords (``nb_worker=`` is ``workers=`` once MS013 has run)."""
    found = plan_for(context, call)
    return dict(found.renames) if found is not None else {}


class Keras1Arguments(Rule):
    id = "MS013"
    name = "keras1-arguments"
    summary = "Keras 1 arguments Keras 2.2.4 converted at run time (`border_mode=`, `Convolution2D(f, r, c)`, `nb_epoch=`)"
    examples = EXAMPLES
    ATTRIBUTES = METHODS

    def visit_Call(self, node: cst.Call) -> None:
        plan = plan_for(self.context, node)
        if plan is None or not plan.ops:
            return
        self.report(node, "Keras 1 arguments, converted as Keras 2.2.4 did at run time (tf.keras does not): "
                    + "; ".join(plan.notes))
        self.edit(node, plan.rewrite)
