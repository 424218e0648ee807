import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from migrate_session import api_tables as api

DATA = Path(api.__file__).parent / "data"
DUMP_API = DATA / "dump_api.py"
GENERATORS = sorted(DATA.glob("dump_*.py"))
KINDS = ("api", "calls")


@pytest.fixture(scope="module")
def dump_api():
    sys.path.insert(0, str(DATA))  # dump_api imports its siblings, as when run as a script
    try:
        spec = importlib.util.spec_from_file_location("dump_api", DUMP_API)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.path.remove(str(DATA))


def tables(env):
    return {"api": api.table(env), "calls": api.calls(env)}


# ---- the tables as files -------------------------------------------------------------------


@pytest.mark.parametrize("env", api.ENVS)
def test_tables_are_fresh(env, dump_api):
    for kind, table in tables(env).items():
        assert table["generator_sha256"] == dump_api.generator_sha256(), f"{kind}: run `nox -s api`"


@pytest.mark.parametrize("env", api.ENVS)
def test_table_headers(env):
    for table in tables(env).values():
        assert table["generated_by"] == "nox -s api"
        assert table["env"] == env
        assert table["python"] and table["tensorflow"]


@pytest.mark.parametrize("env", api.ENVS)
@pytest.mark.parametrize("kind", KINDS)
def test_table_bytes_are_what_the_generator_renders(env, kind, dump_api):
    text = (DATA / f"{kind}_{env}.json").read_text(encoding="utf-8")
    assert dump_api.render(tables(env)[kind]) == text, "hand-edited? run `nox -s api`"


@pytest.mark.parametrize("env", api.ENVS)
@pytest.mark.parametrize("kind", KINDS)
def test_tables_carry_no_machine_paths_or_addresses(env, kind):
    text = (DATA / f"{kind}_{env}.json").read_text(encoding="utf-8")
    for leak in ("site-packages", "/tmp/", "/work/", "/home/"):
        assert leak not in text
    assert not re.search(r"0x[0-9a-fA-F]", text)


@pytest.mark.parametrize("env", api.ENVS)
def test_every_listed_module_is_tabled(env, dump_api):
    listed = dump_api.listed_paths(api.table(api.SOURCE_ENV)["source_keras_modules"])
    assert listed <= set(api.modules(env))


def test_keras_2_2_4_modules_were_walked():
    walked = api.table(api.SOURCE_ENV)["source_keras_modules"]
    assert {"keras.layers.convolutional", "keras.objectives", "keras.utils.data_utils"} <= set(walked)
    assert len(walked) > 50


@pytest.mark.parametrize("env", api.ENVS)
def test_module_records_hold_names_or_point_to_a_record_that_does(env):
    for path, record in api.modules(env).items():
        if "same_as" in record:
            target = api.module(env, record["same_as"])
            assert target is not None and "names" in target, path
        else:
            assert isinstance(record["names"], list), path


def test_targets_claim_the_tabled_envs():
    from migrate_session.envs import TARGET_ENVS

    assert TARGET_ENVS == {"tf1": ("tf112",), "tf2": ("tf215", "tf2")}
    assert {env for envs in TARGET_ENVS.values() for env in envs} == set(api.ENVS)


@pytest.mark.parametrize(
    ("env", "tensorflow", "keras", "tf_keras"),
    [
        pytest.param("tf112", "1.12.", "2.2.4", "2.1.6-tf", id="tf112"),
        pytest.param("tf215", "2.15.", "2.15.", "2.15.", id="tf215"),
        pytest.param("tf2", "2.", "3.", "3.", id="tf2-keras3"),
    ],
)
def test_versions(env, tensorflow, keras, tf_keras):
    table = api.table(env)
    assert table["tensorflow"].startswith(tensorflow)
    assert table["kerases"]["keras"].startswith(keras)
    assert table["kerases"]["tf.keras"].startswith(tf_keras)


def test_unknown_env():
    with pytest.raises(KeyError):
        api.table("tf3")
    with pytest.raises(KeyError):
        api.calls("tf3")


# ---- modules and names ---------------------------------------------------------------------

ENV_ORDER = ("tf112", "tf215", "tf2")
# (module, name or None for the module itself, exists in tf112, tf215, tf2)
FACTS = [
    ("tensorflow.keras.backend", "clear_session", (True, True, True)),
    ("tensorflow.keras.backend", "get_session", (True, False, False)),
    ("tensorflow.keras.backend", "set_session", (True, False, False)),
    ("tensorflow.keras.backend", "learning_phase", (True, True, False)),
    ("tensorflow.compat.v1", None, (False, True, True)),
    ("tensorflow.compat.v1.keras.backend", "get_session", (False, True, False)),
    ("tensorflow.compat.v1", "Session", (False, True, True)),
    ("tensorflow", "Session", (True, False, False)),
    ("tensorflow", "ConfigProto", (True, False, False)),
    ("tensorflow.config.experimental", "set_memory_growth", (False, True, True)),
    ("tensorflow.keras.engine", None, (False, False, False)),
    ("keras.backend.tensorflow_backend", "_SESSION", (True, False, False)),
    ("keras.engine.topology", None, (True, False, False)),
    # issue 10, class 5: TF 1 names under namespaces TF 2 still has
    ("tensorflow.train", "Saver", (True, False, False)),
    ("tensorflow.train", "AdamOptimizer", (True, False, False)),
    ("tensorflow.summary", "FileWriter", (True, False, False)),
    ("tensorflow.summary", "merge_all", (True, False, False)),
    ("tensorflow.saved_model", "simple_save", (True, False, False)),
    ("tensorflow.saved_model.builder", None, (True, False, False)),
    ("tensorflow.saved_model.loader", None, (True, False, False)),
    ("tensorflow.train", "write_graph", (True, False, False)),
    ("tensorflow.train", "start_queue_runners", (True, False, False)),
    ("tensorflow.compat.v1.train", "Saver", (False, True, True)),
    ("tensorflow.compat.v1.summary", "FileWriter", (False, True, True)),
    ("tensorflow.gfile", None, (True, False, False)),
    ("tensorflow.contrib", None, (True, False, False)),
    # issue 10, class 7: private modules real code imports
    ("tensorflow.python.client.device_lib", "list_local_devices", (True, True, True)),
    ("tensorflow.python.keras.backend", "clear_session", (True, True, True)),
]


@pytest.mark.parametrize(
    ("module", "name", "env", "exists"),
    [
        pytest.param(module, name, env, exists, id=f"{module}.{name or ''}-{env}")
        for module, name, by_env in FACTS
        for env, exists in zip(ENV_ORDER, by_env)
    ],
)
def test_fact(module, name, env, exists):
    found = api.has_name(env, module, name) if name else api.reachable(env, module)
    assert found is exists


def test_private_modules_are_imported_not_reached_by_attribute():
    record = api.module("tf112", "tensorflow.python.client.device_lib")
    assert record["import"] and record["from_import"] and not record["attribute"]


def test_keras3_compat_v1_keras_is_reachable_but_not_importable():
    record = api.module("tf2", "tensorflow.compat.v1.keras.backend")
    assert record["attribute"] and not record["importable"]
    assert record["resolves_to"].startswith("keras.")


def test_same_module_object_is_tabled_once_and_its_names_are_shared():
    record = api.module("tf2", "tensorflow.compat.v1.keras.backend")
    assert record["same_as"] == "tensorflow.keras.backend"
    assert api.names("tf2", "tensorflow.compat.v1.keras.backend") == api.names(
        "tf2", "tensorflow.keras.backend"
    )
    assert api.canonical("tf2", "tensorflow.compat.v1.keras.backend.clear_session") == (
        "tensorflow.keras.backend.clear_session"
    )
    assert api.canonical("tf112", "tensorflow.keras.layers.Dense") == "tensorflow.keras.layers.Dense"


def test_walked_modules_missing_in_one_env_are_recorded_there():
    assert api.reachable("tf112", "tensorflow.layers")
    assert api.module("tf215", "tensorflow.layers") is not None
    assert not api.reachable("tf215", "tensorflow.layers")


def test_has_name_of_an_untabled_module():
    assert not api.has_name("tf112", "no.such.module", "x")
    assert api.module("tf112", "no.such.module") is None


# ---- signatures ----------------------------------------------------------------------------


def test_parse_signature():
    found = api.parse_signature("a, /, b, c=1, *args, d, e='x', f=..., g=(1, 2.5), **kwargs")
    kinds = [(p.name, p.kind, p.has_default, p.default) for p in found.parameters]
    assert kinds == [
        ("a", "positional_only", False, None),
        ("b", "positional_or_keyword", False, None),
        ("c", "positional_or_keyword", True, "1"),
        ("args", "var_positional", False, None),
        ("d", "keyword_only", False, None),
        ("e", "keyword_only", True, "'x'"),
        ("f", "keyword_only", True, None),
        ("g", "keyword_only", True, "(1, 2.5)"),
        ("kwargs", "var_keyword", False, None),
    ]
    assert found.var_keyword
    assert found.parameter("a") is None  # positional-only: not passable by keyword
    assert found.parameter("e").default == "'x'"
    assert not api.parse_signature("x, *, y=None").var_keyword
    assert found.text() == "a, /, b, c=1, *args, d, e='x', f=..., g=(1, 2.5), **kwargs"
    assert api.parse_signature("x, *, y=None").text() == "x, *, y=None"


def test_render_parameters_round_trips_through_the_reader(dump_api):
    import inspect

    import dump_calls

    marker = object()

    def sample(a, b=None, *args, c, d=1e-07, e=-1, f=float("nan"), g=marker, **kwargs):
        pass

    text = dump_calls.signature_text(sample)
    assert text == "a, b=None, *args, c, d=1e-07, e=-1, f=..., g=..., **kwargs"
    parsed = api.parse_signature(text)
    assert [p.name for p in parsed.parameters] == list(inspect.signature(sample).parameters)
    assert dump_calls.signature_text(len) == "obj, /"
    assert dump_calls.signature_text(sample, drop_first=True).startswith("b=None")


@pytest.mark.parametrize("env", api.ENVS)
def test_every_recorded_signature_parses_and_renders_as_written(env):
    for text in api.calls(env)["signatures"].values():
        if text is not None:
            assert api.parse_signature(text).text() == text
    for record in api.calls(env)["methods"].values():
        for text in record.get("methods", {}).values():
            if text is not None:
                assert api.parse_signature(text).text() == text


@pytest.mark.parametrize("env", api.ENVS)
def test_dense_signature(env):
    dense = api.signature(env, "tensorflow.keras.layers.Dense")
    assert [p.name for p in dense.parameters[:3]] == ["units", "activation", "use_bias"]
    assert dense.parameter("kernel_initializer").default == "'glorot_uniform'"
    assert dense.var_keyword


@pytest.mark.parametrize("env", api.ENVS)
def test_private_modules_have_signatures(env):
    devices = api.signature(env, "tensorflow.python.client.device_lib.list_local_devices")
    assert devices.parameter("session_config") is not None


def test_signature_not_measured_is_none():
    assert api.signature("tf112", "numpy.zeros") is None
    assert api.signature("tf112", "tensorflow.keras.models.Model.no_such_method") is None


def test_method_signature_through_signature():
    fit = api.signature("tf112", "keras.models.Model.fit_generator")
    assert fit.parameters[0].name == "generator"  # self left out


# ---- methods -------------------------------------------------------------------------------

# (class, member, present in tf112, tf215, tf2)
MEMBERS = [
    ("tensorflow.keras.models.Model", "fit_generator", (True, True, False)),
    ("tensorflow.keras.models.Model", "evaluate_generator", (True, True, False)),
    ("tensorflow.keras.models.Model", "predict_generator", (True, True, False)),
    ("tensorflow.keras.models.Sequential", "predict_classes", (True, False, False)),
    ("tensorflow.keras.models.Sequential", "predict_proba", (True, False, False)),
    ("tensorflow.keras.models.Model", "layers", (True, True, True)),  # a property
    ("tensorflow.data.Dataset", "make_one_shot_iterator", (True, False, False)),
]


@pytest.mark.parametrize(
    ("cls", "member", "env", "present"),
    [
        pytest.param(cls, member, env, present, id=f"{cls}.{member}-{env}")
        for cls, member, by_env in MEMBERS
        for env, present in zip(ENV_ORDER, by_env)
    ],
)
def test_members(cls, member, env, present):
    assert api.has_member(env, cls, member) is present


def test_keras_2_2_4_model_methods():
    assert api.has_member("tf112", "keras.models.Sequential", "predict_classes")
    assert "fit_generator" in api.methods("tf112", "keras.models.Model")


@pytest.mark.parametrize("env", ("tf215", "tf2"))
def test_tf1_classes_live_on_under_compat_v1(env):
    assert api.has_member(env, "tensorflow.compat.v1.data.Dataset", "make_one_shot_iterator")
    assert {"save", "restore"} <= set(api.methods(env, "tensorflow.compat.v1.train.Saver"))
    assert {"run", "close"} <= set(api.methods(env, "tensorflow.compat.v1.Session"))


def test_methods_of_every_optimizer_and_callback():
    for env in api.ENVS:
        assert "on_epoch_end" in api.methods(env, "tensorflow.keras.callbacks.ModelCheckpoint")
        assert api.methods(env, "tensorflow.keras.optimizers.Adam") is not None
    assert "get_updates" in api.methods("tf112", "tensorflow.keras.optimizers.Adam")
    assert "get_updates" not in api.methods("tf215", "tensorflow.keras.optimizers.Adam")
    assert "get_updates" in api.methods("tf215", "tensorflow.keras.optimizers.legacy.Adam")


def test_methods_of_an_untabled_class_is_none():
    assert api.methods("tf112", "tensorflow.keras.layers.Dense") is None
    assert api.has_member("tf112", "tensorflow.keras.layers.Dense", "call") is None


# ---- keywords ------------------------------------------------------------------------------

OPTIMIZERS = ("SGD", "RMSprop", "Adagrad", "Adadelta", "Adam", "Adamax", "Nadam")


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_optimizer_keywords(name):
    tf_keras = f"tensorflow.keras.optimizers.{name}"
    assert api.accepts_keyword("tf112", tf_keras, "lr") is True
    assert api.accepts_keyword("tf112", tf_keras, "learning_rate") is False
    assert api.accepts_keyword("tf215", tf_keras, "lr") is True
    assert api.accepts_keyword("tf215", tf_keras, "learning_rate") is True
    assert api.accepts_keyword("tf215", tf_keras, "decay") is False
    assert api.accepts_keyword("tf215", f"tensorflow.keras.optimizers.legacy.{name}", "decay")
    assert api.accepts_keyword("tf2", tf_keras, "lr") is False
    assert api.accepts_keyword("tf2", tf_keras, "learning_rate") is True


def test_every_tf112_tf_keras_optimizer_takes_lr_and_no_keras3_one_does():
    tf112 = [
        path
        for path in api.calls("tf112")["methods"]
        if path.startswith("tensorflow.keras.optimizers.") and not path.endswith("Optimizer")
    ]  # the base classes take no hyper-parameters
    assert len(tf112) >= len(OPTIMIZERS)
    for path in tf112:
        assert api.accepts_keyword("tf112", path, "lr"), path
    keras3 = [
        path
        for path, record in api.calls("tf2")["keywords"].items()
        if path.startswith("keras.optimizers.") and record.get("baseline", {}).get("ok")
    ]
    assert len(keras3) >= len(OPTIMIZERS)
    for path in keras3:
        assert api.accepts_keyword("tf2", path, "lr") is False, path


def test_keyword_outcome_keeps_the_warning_and_the_error():
    lr = api.keyword_outcome("tf215", "tensorflow.keras.optimizers.Adam", "lr")
    assert lr.ok and any("`lr` is deprecated" in w for w in lr.warnings)
    decay = api.keyword_outcome("tf2", "tensorflow.keras.optimizers.Adam", "decay")
    assert decay.ok and any("no longer supported" in w for w in decay.warnings)  # ignored!
    rejected = api.keyword_outcome("tf2", "tensorflow.keras.optimizers.Adam", "lr")
    assert not rejected.ok and rejected.error.startswith("ValueError: Argument(s) not recognized")


@pytest.mark.parametrize(
    ("cls", "keyword", "by_env"),
    [
        ("tensorflow.keras.callbacks.ModelCheckpoint", "period", (True, True, False)),
        ("tensorflow.keras.callbacks.TensorBoard", "batch_size", (True, True, False)),
        ("tensorflow.keras.callbacks.TensorBoard", "write_grads", (True, True, False)),
        ("tensorflow.keras.layers.Dense", "input", (False, False, False)),
    ],
)
def test_keywords_of_callbacks_and_layers(cls, keyword, by_env):
    assert tuple(api.accepts_keyword(env, cls, keyword) for env in ENV_ORDER) == by_env


def test_keywords_not_measured_are_none():
    assert api.accepts_keyword("tf112", "numpy.zeros", "x") is None
    assert api.keyword_outcome("tf112", "tensorflow.keras.layers.Dense", "no_such") is None


@pytest.mark.parametrize("env", api.ENVS)
def test_trials_ran_with_a_baseline(env):
    trials = api.calls(env)["keywords"]
    made = [record for record in trials.values() if record.get("baseline", {}).get("ok")]
    assert len(made) > 0.9 * len([r for r in trials.values() if "baseline" in r])


# ---- homes ---------------------------------------------------------------------------------

# Issue 10, class 3: names of Keras 2.2.4's per-file modules and their public name.
PER_FILE_NAMES = {
    "keras.layers.convolutional.Conv2D": "keras.layers.Conv2D",
    "keras.layers.core.Dense": "keras.layers.Dense",
    "keras.layers.embeddings.Embedding": "keras.layers.Embedding",
    "keras.layers.advanced_activations.LeakyReLU": "keras.layers.LeakyReLU",
    "keras.layers.convolutional_recurrent.ConvLSTM2D": "keras.layers.ConvLSTM2D",
    "keras.layers.merge.concatenate": "keras.layers.concatenate",
    "keras.objectives.mse": "keras.losses.mse",
    "keras.constraints.maxnorm": "keras.constraints.maxnorm",
    "keras.optimizers.rmsprop": "keras.optimizers.RMSprop",
    "keras.utils.data_utils.get_file": "keras.utils.get_file",
}


@pytest.mark.parametrize(("per_file", "public"), PER_FILE_NAMES.items())
def test_homes(per_file, public):
    assert public in api.homes(per_file)


MODULE_HOMES = {"keras.objectives": "keras.losses", "keras.applications.mobilenetv2": "keras.applications.mobilenet_v2"}


def test_module_homes_are_the_modules_keras_2_2_4_re_exports_whole():
    """guicho271828/latplan's `from keras import objectives`: MS102 said it had no equivalent."""
    found = {path: api.module_home(path) for path in api.modules(api.SOURCE_ENV)}
    assert {path: home for path, home in found.items() if home} == MODULE_HOMES


@pytest.mark.skipif(not os.environ.get("MIGRATE_SESSION_PYTHON_TF112"), reason="set MIGRATE_SESSION_PYTHON_TF112")
def test_module_homes_hold_the_same_objects_in_keras_2_2_4():
    code = (
        "import importlib, sys\n"
        "for path, home in zip(sys.argv[1::2], sys.argv[2::2]):\n"
        "    a, b = importlib.import_module(path), importlib.import_module(home)\n"
        "    names = [n for n in dir(b) if not n.startswith('_')]\n"
        "    assert set(n for n in dir(a) if not n.startswith('_')) == set(names), path\n"
        "    assert all(getattr(a, n) is getattr(b, n) for n in names), path\n"
    )
    pairs = [part for pair in MODULE_HOMES.items() for part in pair]
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    done = subprocess.run([os.environ["MIGRATE_SESSION_PYTHON_TF112"], "-c", code, *pairs],
                          capture_output=True, text=True, env=env, check=False, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]


def test_homes_put_the_most_direct_name_first():
    assert api.homes("keras.layers.convolutional.Conv2D")[0] == "keras.layers.Conv2D"
    assert api.homes("keras.optimizers.rmsprop")[0] == "keras.optimizers.rmsprop"  # itself
    assert api.homes("keras.utils.data_utils.get_file")[0] == "keras.utils.get_file"


def test_generator_enqueuer_is_gone_in_keras3():
    assert api.homes("keras.utils.data_utils.GeneratorEnqueuer") == ("keras.utils.GeneratorEnqueuer",)
    found = [api.has_name(env, "tensorflow.keras.utils", "GeneratorEnqueuer") for env in ENV_ORDER]
    assert found == [True, True, False]


@pytest.mark.parametrize("per_file", PER_FILE_NAMES)
def test_per_file_names_have_a_tf_keras_home_in_every_env(per_file):
    for env in api.ENVS:
        assert any(
            api.has_name(env, "tensorflow." + home.rpartition(".")[0], home.rpartition(".")[2])
            for home in api.homes(per_file)
        ), env


def test_every_home_exists_in_tf112():
    for per_file, homes in api.calls("tf112")["homes"].items():
        module, _, name = per_file.rpartition(".")
        assert api.has_name("tf112", module, name), per_file
        for home in homes:
            module, _, name = home.rpartition(".")
            assert api.has_name("tf112", module, name), home


def test_homes_of_what_keras_does_not_define_is_none():
    assert api.homes("keras.layers.core.np") is None
    assert api.homes("keras.no.such") is None


# ---- probes --------------------------------------------------------------------------------


def test_every_probe_ran_in_every_env(dump_api):
    import dump_probes

    names = sorted(probe.name for probe in dump_probes.PROBES)
    assert len(names) == len(set(names))
    assert list(api.probe_names()) == names
    for env in api.ENVS:
        assert sorted(api.calls(env)["probes"]) == names


# (probe, outcome in tf112, tf215, tf2): True ok, False error, or the value of an ok probe.
PROBES = [
    ("tf.keras.optimizers.Adam(lr=0.01)", (True, True, False)),
    ("tf.keras.optimizers.Adam(learning_rate=0.01)", (False, True, True)),
    ("tf.keras.optimizers.Adam(decay=0.0)", (True, False, True)),
    ("tf.keras.optimizers.Adam(decay=0.1)", (True, False, True)),
    ("tf.keras.optimizers.Nadam(decay=0.0)", (False, False, True)),
    ("tf.keras.optimizers.SGD().get_updates(loss, [p])", (True, False, False)),
    ("tf.keras.optimizers.SGD().get_updates([p], [], loss)", (False, False, False)),
    ("keras.optimizers.SGD().get_updates([p], [], loss)", (True, False, False)),
    ("tf.keras.models.Model(input=inp, output=out)", (False, False, False)),
    ("keras.models.Model(input=inp, output=out)", (True, False, False)),
    ("tf.keras.models.Model(inputs=inp, outputs=out)", (True, True, True)),
    ("hasattr(tf.keras Model, 'fit_generator')", (True, True, False)),
    ("hasattr(tf.keras Sequential, 'predict_classes')", (True, False, False)),
    ("tf.keras model.fit(batches, steps_per_epoch=1)", (True, True, True)),
    ("tf.keras model.fit_generator(batches, steps_per_epoch=1)", (True, True, False)),
    ("tf.keras model.predict_classes(x)", (True, False, False)),
    ("tf.keras.callbacks.ModelCheckpoint('w.h5', period=3)", (True, True, False)),
    ("tf.keras.callbacks.TensorBoard(write_grads=True)", (True, True, False)),
    ("tf.keras.backend.function is tf.compat.v1.keras.backend.function", (False, True, False)),
    ("keras.backend.get_session() is tf.keras.backend.get_session()", (False, False, False)),
    ("tf.data.Dataset.from_tensors(1).make_one_shot_iterator()", (True, False, False)),
]


@pytest.mark.parametrize(("name", "by_env"), PROBES)
def test_probe(name, by_env):
    for env, expected in zip(ENV_ORDER, by_env):
        outcome = api.probe(env, name)
        if outcome.ok and outcome.value is not None:
            assert outcome.value is expected, env
        else:
            assert outcome.ok is expected, env


# Keras 1 spellings: Keras 2.2.4 converted them (with a warning), no tf.keras does (MS013).
KERAS1_PROBES = [
    "{k}.layers.Conv2D(4, (3, 3), border_mode='same')",
    "{k}.layers.Dense(output_dim=3)",
    "{k}.layers.Dropout(p=0.5)",
]


@pytest.mark.parametrize("probe", KERAS1_PROBES)
def test_keras1_spellings_are_converted_by_keras_2_2_4_only(probe):
    keras = api.probe("tf112", probe.format(k="keras"))
    assert keras.ok and "Update your" in keras.warnings[0]
    for env in api.ENVS:
        assert not api.probe(env, probe.format(k="tf.keras")).ok, env


def test_a_third_positional_number_is_a_kernel_size_in_keras_2_2_4_and_strides_in_tf_keras():
    assert api.probe("tf112", "keras.layers.Conv2D(4, 3, 3).strides").value == [1, 1]
    for env in api.ENVS:
        assert api.probe(env, "tf.keras.layers.Conv2D(4, 3, 3).strides").value == [3, 3], env


def test_fit_nb_epoch_is_deprecated_in_tf112_and_refused_in_tf2():
    probe = "tf.keras model.fit(x, y, nb_epoch=2): epochs run"
    tf112 = api.probe("tf112", probe)
    assert tf112.value == 2 and "renamed `epochs`" in tf112.warnings[0]
    for env in ("tf215", "tf2"):
        assert "unexpected keyword argument 'nb_epoch'" in api.probe(env, probe).error
    for env in api.ENVS:
        assert api.probe(env, "tf.keras model.fit(x, y, epochs=2): epochs run").value == 2


def test_tf_version_is_tf1_only_and_equals_dunder_version():
    assert api.probe("tf112", "tf.VERSION == tf.__version__").value is True
    for env in api.ENVS:
        assert api.probe(env, "isinstance(tf.__version__, str)").value is True
    for env in ("tf215", "tf2"):
        assert "has no attribute 'VERSION'" in api.probe(env, "tf.VERSION == tf.__version__").error


@pytest.mark.parametrize("env", ["tf215", "tf2"])
def test_tf1_compat_calls_refuse_eager_execution(env, dump_api):
    import dump_probes

    for code in dump_probes.TF1_COMPAT_CALLS:
        assert "eager execution" in api.probe(env, code).error, code


def test_standalone_keras_objects_and_tf_keras_1_12_do_not_mix():
    """MS112: in TF 1.12 tf.keras refuses standalone Keras' optimizers and layers; in TF 2 the
    `keras` package is tf.keras's Keras, and `tensorflow.python.keras` (what `TF_KERAS=1` libraries
    imported) is tf.keras in TF 1.12 only."""
    compile_ = "tf.keras model.compile(standalone keras optimizer)"
    add = "tf.keras Sequential().add(standalone keras layer)"
    assert "Could not interpret optimizer identifier" in api.probe("tf112", compile_).error
    assert "must be an instance of class Layer" in api.probe("tf112", add).error
    same = "tensorflow.python.keras.layers.Dense is tf.keras.layers.Dense"
    assert [api.probe(env, same).value for env in ENV_ORDER] == [True, False, False]


# ---- Keras 1 arguments ---------------------------------------------------------------------


def test_legacy_interface_of_conv2d():
    conv = api.legacy_interface("keras.layers.Convolution2D")
    assert conv == api.legacy_interface("keras.layers.Conv2D")
    assert conv.kind == "class" and conv.preprocessor == "conv2d_args_preprocessor"
    assert ("border_mode", "padding") in conv.conversions
    assert dict(conv.value_conversions["dim_ordering"]) == {"tf": "channels_last", "th": "channels_first", "default": None}
    assert conv.allowed_positional_args == ("filters", "kernel_size")


def test_legacy_interfaces_of_inherited_constructors_and_methods():
    assert api.legacy_interface("keras.layers.GlobalMaxPooling2D").conversions == (("dim_ordering", "data_format"),)
    assert ("input", "inputs") in api.legacy_interface("keras.models.Model").conversions
    assert api.legacy_interface("keras.models.Sequential") is None  # its own constructor, not wrapped
    fit = api.legacy_interface("keras.models.Model.fit_generator")
    assert fit.kind == "method" and ("nb_epoch", "epochs") in fit.conversions
    assert api.legacy_interface("keras.layers.DepthwiseConv2D") is None
    assert api.legacy_methods() == {
        name: f"keras.Model.{name}" for name in ("evaluate_generator", "fit_generator", "predict_generator")
    }


def test_probes_saw_the_namespace_of_import_tensorflow():
    # The import trials (`import tensorflow.compat`) replace `tf.compat`: probes run before them.
    outcome = api.probe("tf112", "tf.compat.v1.data.make_one_shot_iterator(tf.data.Dataset.from_tensors(1))")
    assert "'tensorflow._api.v1.compat' has no attribute 'v1'" in outcome.error


def test_probe_values_are_recorded():
    assert api.probe("tf215", "tf.keras.backend.placeholder is tf.compat.v1.keras.backend.placeholder").value is True
    tf112 = api.probe("tf112", "keras.backend.get_session() is tf.keras.backend.get_session()")
    assert tf112.ok and tf112.value is False


def test_unknown_probe_raises():
    with pytest.raises(KeyError):
        api.probe("tf112", "no such probe")


# ---- the generator itself ------------------------------------------------------------------


def python36():
    root = os.environ.get("PYENV_ROOT")
    if not root and shutil.which("pyenv"):
        root = subprocess.run(
            ["pyenv", "root"], capture_output=True, text=True, check=False
        ).stdout.strip()
    candidate = Path(root or Path.home() / ".pyenv") / "versions" / "3.6.15" / "bin" / "python"
    return candidate if candidate.exists() else None


@pytest.mark.parametrize("generator", GENERATORS, ids=lambda p: p.name)
def test_generator_compiles_under_python36(generator, tmp_path):
    interpreter = python36()
    if interpreter is None:
        pytest.skip("pyenv Python 3.6.15 is not installed")
    code = (
        "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)"
    )
    result = subprocess.run(
        [str(interpreter), "-c", code, str(generator), str(tmp_path / "out.pyc")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_scrub_removes_paths_and_addresses(dump_api):
    import dump_probes

    text = "From /usr/lib/python3/site-packages/keras/engine.py:12: <object at 0x7f00ab> (/tmp/x)"
    assert dump_probes.scrub(text) == "From engine.py:12: <object at 0x?>"
