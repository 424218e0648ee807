"""Keras 1 arguments (MS013, MS113): each known preprocessor, and the conversions held to the
real Keras 2.2.4 and to each target's tf.keras.

The tests at the end run in the real environments (set MIGRATE_SESSION_PYTHON_TF112, _TF215
and _TF2, as `nox -s tests` does): Keras 1 calls are built by standalone Keras 2.2.4, the tool's
rewrites of them by each target's tf.keras, and the layers' configurations must agree.
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from collections.abc import Sequence

import libcst as cst
import pytest

from migrate_session import api_tables, keras1_args
from migrate_session.engine import migrate_code
from migrate_session.envs import TARGET_ENVS
from migrate_session.rules.keras1_arguments import METHODS


def converted(code: str, callable_name: str) -> tuple[str, list[str], list[str]]:
    """(the call as MS013 writes it, its notes, what MS113 says) for one call."""
    call = cst.parse_expression(code)
    plan = keras1_args.plan(call, api_tables.legacy_interface(callable_name))
    return cst.Module([]).code_for_node(plan.rewrite(call)), plan.notes, plan.unconverted


# (callable, Keras 1 call, as MS013 writes it): one or more per preprocessor Keras 2.2.4 ran
CONVERSIONS = [
    ("keras.layers.Conv2D", "Conv2D(32, 3, 3)", "Conv2D(32, (3, 3))"),
    ("keras.layers.Conv2D", "Conv2D(32, 3, nb_col=5, border_mode='same')", "Conv2D(32, (3, 5), padding='same')"),
    ("keras.layers.Conv2D", "Conv2D(nb_filter=32, nb_row=3, nb_col=5)", "Conv2D(filters=32, kernel_size=(3, 5))"),
    ("keras.layers.Conv2D", 'Conv2D(8, r, c, dim_ordering="th")', 'Conv2D(8, (r, c), data_format="channels_first")'),
    ("keras.layers.Conv2D", "Conv2D(8, 3, 3, dim_ordering='default')", "Conv2D(8, (3, 3), data_format=None)"),
    ("keras.layers.Conv3D", "Conv3D(8, 3, 3, 3, subsample=(2, 2, 2))", "Conv3D(8, (3, 3, 3), strides=(2, 2, 2))"),
    ("keras.layers.Conv3D", "Conv3D(8, kernel_dim1=1, kernel_dim2=2, kernel_dim3=3)", "Conv3D(8, kernel_size=(1, 2, 3))"),
    ("keras.layers.Conv2DTranspose", "Deconvolution2D(8, 3, 3, (None, 14, 14, 8), subsample=(2, 2))",
     "Deconvolution2D(8, (3, 3), strides=(2, 2))"),
    ("keras.layers.Conv2DTranspose", "Deconvolution2D(8, 3, 3, output_shape=shape)", "Deconvolution2D(8, (3, 3))"),
    ("keras.layers.SeparableConv2D", "SeparableConv2D(8, 3, 3, init='zero')",
     "SeparableConv2D(8, (3, 3), depthwise_initializer='zero', pointwise_initializer='zero')"),
    ("keras.layers.ConvLSTM2D", "ConvLSTM2D(8, 3, 3, forget_bias_init='one', inner_init='zero')",
     "ConvLSTM2D(8, (3, 3), unit_forget_bias=True, recurrent_initializer='zero')"),
    ("keras.layers.LSTM", "LSTM(output_dim=4, input_dim=3, input_length=5, forget_bias_init='zero')",
     "LSTM(units=4, input_shape=(5, 3))"),
    ("keras.layers.GRU", "GRU(4, input_dim=3, consume_less='mem', dropout_W=0.1)",
     "GRU(4, input_shape=(None, 3), implementation=1, dropout=0.1)"),
    ("keras.layers.Conv1D", "Conv1D(4, 3, input_dim=7, subsample_length=2)", "Conv1D(4, 3, input_shape=(None, 7), strides=2)"),
    ("keras.layers.BatchNormalization", "BatchNormalization(mode=0, gamma_init='one')",
     "BatchNormalization(gamma_initializer='one')"),
    ("keras.layers.BatchNormalization", "BatchNormalization(axis=1, mode=mode)", "BatchNormalization(axis=1)"),
    ("keras.layers.Embedding", "Embedding(100, 8, dropout=0.5, init='zero')", "Embedding(100, 8, embeddings_initializer='zero')"),
    ("keras.layers.ZeroPadding2D", "ZeroPadding2D(padding={'top_pad': 1, 'right_pad': 2})",
     "ZeroPadding2D(padding=((1, 0), (0, 2)))"),
    ("keras.models.Model.fit_generator", "m.fit_generator(g, 10, nb_epoch=3, nb_worker=2, pickle_safe=True)",
     "m.fit_generator(g, 10, epochs=3, workers=2, use_multiprocessing=True)"),
    ("keras.layers.MaxPooling1D", "MaxPooling1D(pool_length=3, stride=1, border_mode='same')",
     "MaxPooling1D(pool_size=3, strides=1, padding='same')"),
]


@pytest.mark.parametrize(("name", "before", "after"), CONVERSIONS, ids=[c[1] for c in CONVERSIONS])
def test_conversion(name, before, after):
    code, notes, unconverted = converted(before, name)
    assert code == after
    assert notes and not unconverted


# (callable, call, what MS113 says about it): left as written
UNCONVERTED = [
    ("keras.layers.Conv2D", "Conv2D(32, 3, 3, padding='same')", "Keras 2.2.4 raised ValueError"),
    ("keras.layers.Conv2D", "Conv2D(32, (3, 3), 2)", "Keras 2.2.4 raised TypeError"),
    ("keras.layers.Conv2D", "Conv2D(32, (3, 3), dim_ordering=order)", "not a literal"),
    ("keras.layers.SeparableConv2D", "SeparableConv2D(8, (3, 3), init=RandomNormal(seed=1))", "one object"),
    ("keras.layers.LSTM", "LSTM(4, forget_bias_init=init)", "not a literal"),
    ("keras.models.Model.fit_generator", "m.fit_generator(g, samples_per_epoch=100)", "batch_size"),
    ("keras.layers.BatchNormalization", "BatchNormalization(mode=2, axis=1)", "Keras 2.2.4 raised TypeError here too"),
]


@pytest.mark.parametrize(("name", "call", "said"), UNCONVERTED, ids=[c[1] for c in UNCONVERTED])
def test_unconverted(name, call, said):
    code, _, unconverted = converted(call, name)
    assert code == call
    assert any(said in text for text in unconverted), unconverted


@pytest.mark.parametrize("call", [
    "Conv2D(32, (3, 3))", "Conv2D(32, 3)", "Conv2D(32, kernel_size=3, strides=2)", "Conv2D(*args)",
    "Conv2D(32, nb_row=3)", "BatchNormalization(mode=1)", "ZeroPadding2D(padding=pads)",
])
def test_keras2_calls_and_calls_keras_2_2_4_refused_are_left(call):
    name = "keras.layers." + call.partition("(")[0]
    code, notes, _ = converted(call, name)
    assert (code, notes) == (call, [])


def test_plan_lists_its_renames_for_other_rules():
    call = cst.parse_expression("m.fit_generator(g, nb_epoch=3, nb_worker=2, samples_per_epoch=9)")
    plan = keras1_args.plan(call, api_tables.legacy_interface("keras.models.Model.fit_generator"))
    assert plan.renames == {"nb_epoch": "epochs", "nb_worker": "workers"}


def test_every_wrapped_method_that_renames_is_found_by_name():
    assert set(api_tables.legacy_methods()) <= METHODS
    assert METHODS - set(api_tables.legacy_methods()) == {"fit"}  # Keras 2.2.4's fit converted by itself


def test_every_preprocessor_of_a_renaming_interface_is_known_or_listed():
    """A new preprocessor in the table must be handled here, or knowingly left (no rewrite)."""
    unhandled = {"add_weight_args_preprocessing", "get_updates_arg_preprocessing"}
    found = {
        record["preprocessor"]
        for record in api_tables.calls(api_tables.SOURCE_ENV)["legacy_interfaces"].values()
        if record.get("preprocessor")
    }
    assert found == set(keras1_args.PREPROCESSORS) | unhandled


def test_an_unknown_preprocessor_leaves_the_call_and_says_so():
    interface = api_tables.LegacyInterface("class", "new_preprocessor", {}, (("old", "new"),), None)
    call = cst.parse_expression("Layer(old=1)")
    plan = keras1_args.plan(call, interface)
    assert not plan.ops and "new_preprocessor" in plan.unconverted[0]


def test_a_keyword_another_rule_renames_is_skipped():
    interface = api_tables.legacy_interface("keras.models.Model")
    assert ("input", "inputs") in interface.conversions
    assert not keras1_args.plan(cst.parse_expression("Model(input=a, output=b)"), interface, skip=frozenset({"input", "output"})).ops


def test_layout_of_a_multi_line_call_is_kept():
    before = "Convolution2D(\n    filters,\n    size,\n    size,\n    border_mode=mode,\n    bias=False)"
    code, _, _ = converted(before, "keras.layers.Conv2D")
    assert code == "Convolution2D(\n    filters,\n    (size, size),\n    padding=mode,\n    use_bias=False)"


# ---- in the real environments ------------------------------------------------------------

PYTHONS = {env: os.environ.get(f"MIGRATE_SESSION_PYTHON_{env.upper()}") for env in ("tf112", "tf215", "tf2")}
needs_envs = pytest.mark.skipif(
    not all(PYTHONS.values()),
    reason="needs the real envs: set MIGRATE_SESSION_PYTHON_TF112, _TF215 and _TF2 (`nox -s tests` does)",
)

# Keras 1 layers built by Keras 2.2.4, and the configuration keys the rewrite must keep.
LAYERS = [
    ("keras.layers.Convolution2D(4, 3, 3, border_mode='same', subsample=(2, 2), bias=False)",
     ("filters", "kernel_size", "strides", "padding", "use_bias")),
    ("keras.layers.Conv2D(nb_filter=4, nb_row=3, nb_col=2, dim_ordering='tf', init='zero')",
     ("filters", "kernel_size", "data_format", "kernel_initializer")),
    ("keras.layers.Conv2D(4, 3, nb_col=2)", ("kernel_size",)),
    ("keras.layers.Convolution3D(4, 3, 2, 1, border_mode='same')", ("kernel_size", "padding")),
    ("keras.layers.Deconvolution2D(4, 3, 3, (None, 10, 10, 4), subsample=(2, 2))", ("kernel_size", "strides")),
    ("keras.layers.SeparableConv2D(4, 3, 3, init='zero')", ("kernel_size", "depthwise_initializer", "pointwise_initializer")),
    ("keras.layers.Dense(output_dim=3, init='zero', W_regularizer=keras.regularizers.l2(0.5), bias=False)",
     ("units", "kernel_initializer", "kernel_regularizer", "use_bias")),
    ("keras.layers.Dropout(p=0.3)", ("rate",)),
    ("keras.layers.LSTM(output_dim=3, forget_bias_init='one', inner_init='zero', dropout_U=0.2)",
     ("units", "unit_forget_bias", "recurrent_initializer", "recurrent_dropout")),
    ("keras.layers.GRU(3, consume_less='mem')", ("implementation",)),
    ("keras.layers.BatchNormalization(mode=0, beta_init='one')", ("beta_initializer",)),
    ("keras.layers.Embedding(10, 3, init='zero', dropout=0.2)", ("embeddings_initializer",)),
    ("keras.layers.MaxPooling2D((2, 2), border_mode='same', dim_ordering='th')", ("pool_size", "padding", "data_format")),
    ("keras.layers.MaxPooling1D(pool_length=3, stride=2)", ("pool_size", "strides")),
    ("keras.layers.ZeroPadding2D(padding={'top_pad': 1, 'left_pad': 2})", ("padding",)),
    ("keras.layers.GaussianNoise(sigma=0.2)", ("stddev",)),
    ("keras.layers.UpSampling1D(length=3)", ("size",)),
    ("keras.layers.GlobalAveragePooling2D(dim_ordering='th')", ("data_format",)),
    ("keras.layers.PReLU(init='zero')", ("alpha_initializer",)),
    ("keras.layers.ConvLSTM2D(4, 3, 3, border_mode='same', forget_bias_init='one')", ("kernel_size", "padding", "unit_forget_bias")),
    ("keras.layers.SimpleRNN(4, input_dim=3, input_length=5)", ("model input shape",)),
    ("keras.layers.Conv1D(4, 3, input_dim=7)", ("model input shape",)),
]

# Keras 3 takes GRU(implementation=) (the layer is built) but leaves it out of get_config().
NOT_REPORTED = {("tf2", "implementation")}

HARNESS = textwrap.dedent("""
    import json, sys, warnings
    warnings.simplefilter("ignore")
    cases = json.loads(sys.argv[1])
    found = []
    for code, keys in cases:
        space = {}
        try:
            exec(code, space)
            config = space["layer"].get_config()
        except Exception as exc:
            found.append({"error": "%s: %s" % (type(exc).__name__, exc)})
            continue
        view = {}
        for key in keys:
            if key == "model input shape":  # what a Sequential model of the layer takes
                shape = space["keras"].models.Sequential([space["layer"]]).inputs[0].shape
                view[key] = list(shape.as_list() if hasattr(shape, "as_list") else shape)
                continue
            value = config.get(key, "<missing>")
            if isinstance(value, dict):  # an initializer: its class and numbers; a regularizer: its numbers
                inner = value.get("config") or {}
                numbers = sorted((k, v) for k, v in inner.items() if isinstance(v, (int, float)) and v and k != "seed")
                value = numbers if key.endswith("_regularizer") else [value.get("class_name"), numbers]
            view[key] = value
        found.append(json.loads(json.dumps(view)))  # tuples as lists
    print(json.dumps(found))
""")


def _configs(python: str, modules: list[str], keys: Sequence[Sequence[str]] = ()) -> list[dict]:
    cases = list(zip(modules, keys or [()] * len(modules)))
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    done = subprocess.run([python, "-c", HARNESS, json.dumps(cases)], capture_output=True, text=True, env=env,
                          check=False, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


# Where a preprocessor converts only values of a type, every other value made Keras 2.2.4 raise,
# so a program that ran had that type there: MS013 converts whatever expression is written.
REFUSED_BY_KERAS_2_2_4 = [
    "keras.layers.Conv2D(4, (3, 3), 2)",
    "keras.layers.Conv2D(4, np.int64(3), 3)",
    "keras.layers.Conv2D(4, (3, 3), nb_col=2)",
    "keras.layers.Conv2D(4, 3, 3, padding='same')",  # two ints next to a Keras 2 keyword: ValueError
    "keras.layers.Conv3D(4, 3, 3, (3, 3))",
    "keras.layers.Conv3D(4, 3, (3, 3), kernel_dim3=3)",
    "keras.layers.Deconvolution2D(4, 3, 3, 5)",
    "keras.layers.BatchNormalization(mode=1)",
]


@needs_envs
def test_keras_2_2_4_raised_for_every_other_value():
    modules = [f"import keras\nimport numpy as np\nlayer = {call}\n" for call in REFUSED_BY_KERAS_2_2_4]
    for call, outcome in zip(REFUSED_BY_KERAS_2_2_4, _configs(PYTHONS["tf112"], modules)):
        assert outcome.get("error", "").startswith(("TypeError", "ValueError")), (call, outcome)


@needs_envs
@pytest.mark.parametrize("target", ["tf1", "tf2"])
def test_rewritten_layers_are_configured_as_keras_2_2_4_built_the_keras_1_ones(target):
    befores = [f"import keras\nlayer = {call}\n" for call, _ in LAYERS]
    afters = [migrate_code(code, target) for code in befores]
    for after, (call, _) in zip(afters, LAYERS):
        assert "MS013" in {f.rule_id for f in after.findings}, call
    checked = [keys for _, keys in LAYERS]
    expected = _configs(PYTHONS["tf112"], befores, checked)
    for env in TARGET_ENVS[target]:
        got = _configs(PYTHONS[env], [after.code for after in afters], checked)
        for (call, keys), want, have in zip(LAYERS, expected, got):
            assert "error" not in want, (call, want)
            assert "error" not in have, (env, call, have)
            for key in keys:
                if (env, key) in NOT_REPORTED:
                    continue
                assert have[key] == want[key], (env, call, key)
