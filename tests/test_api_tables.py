import hashlib
import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from migrate_session import api_tables as api

DATA = Path(api.__file__).parent / "data"
DUMP_API = DATA / "dump_api.py"


def load_dump_api():
    spec = importlib.util.spec_from_file_location("dump_api", DUMP_API)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("env", api.ENVS)
def test_table_is_fresh(env):
    current = hashlib.sha256(DUMP_API.read_bytes()).hexdigest()
    assert api.table(env)["generator_sha256"] == current, "stale: run `nox -s api`"


@pytest.mark.parametrize("env", api.ENVS)
def test_table_header(env):
    table = api.table(env)
    assert table["generated_by"] == "nox -s api"
    assert table["env"] == env
    assert table["python"] and table["tensorflow"]


@pytest.mark.parametrize("env", api.ENVS)
def test_table_bytes_are_what_the_generator_renders(env):
    text = (DATA / f"api_{env}.json").read_text(encoding="utf-8")
    assert load_dump_api().render(api.table(env)) == text, "hand-edited? run `nox -s api`"


@pytest.mark.parametrize("env", api.ENVS)
def test_table_covers_the_generator_module_list(env):
    assert sorted(api.modules(env)) == load_dump_api().module_paths()


@pytest.mark.parametrize("env", api.ENVS)
def test_errors_carry_no_machine_paths(env):
    text = (DATA / f"api_{env}.json").read_text(encoding="utf-8")
    assert "site-packages" not in text and "/tmp/" not in text


def test_targets_claim_known_envs():
    assert api.TARGET_ENVS == {"tf1": ("tf112",), "tf2": ("tf215", "tf2")}
    assert {env for envs in api.TARGET_ENVS.values() for env in envs} == set(api.ENVS)


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


# (module, name or None for the module itself, {env: exists}) -- invariants the rules rely on.
FACTS = [
    ("tensorflow.keras.backend", "clear_session", {"tf112": True, "tf215": True, "tf2": True}),
    ("tensorflow.keras.backend", "get_session", {"tf112": True, "tf215": False, "tf2": False}),
    ("tensorflow.keras.backend", "set_session", {"tf112": True, "tf215": False, "tf2": False}),
    ("tensorflow.compat.v1", None, {"tf112": False, "tf215": True, "tf2": True}),
    (
        "tensorflow.compat.v1.keras.backend",
        "get_session",
        {"tf112": False, "tf215": True, "tf2": False},
    ),
    (
        "tensorflow.compat.v1.keras.backend",
        "set_session",
        {"tf112": False, "tf215": True, "tf2": False},
    ),
    ("tensorflow.compat.v1", "Session", {"tf112": False, "tf215": True, "tf2": True}),
    ("tensorflow.compat.v1", "ConfigProto", {"tf112": False, "tf215": True, "tf2": True}),
    ("tensorflow", "Session", {"tf112": True, "tf215": False, "tf2": False}),
    ("tensorflow", "ConfigProto", {"tf112": True, "tf215": False, "tf2": False}),
    (
        "tensorflow.config.experimental",
        "set_memory_growth",
        {"tf112": False, "tf215": True, "tf2": True},
    ),
    (
        "tensorflow.config.experimental",
        "list_physical_devices",
        {"tf112": False, "tf215": True, "tf2": True},
    ),
    ("tensorflow.keras.backend", "learning_phase", {"tf112": True, "tf215": True, "tf2": False}),
    ("tensorflow.keras.engine", None, {"tf112": False, "tf215": False, "tf2": False}),
    ("keras.backend", "clear_session", {"tf112": True, "tf215": True, "tf2": True}),
    ("keras.backend.tensorflow_backend", "_SESSION", {"tf112": True, "tf215": False, "tf2": False}),
    ("keras.engine.topology", None, {"tf112": True, "tf215": False, "tf2": False}),
]


@pytest.mark.parametrize(
    ("module", "name", "env", "exists"),
    [
        pytest.param(module, name, env, exists, id=f"{module}.{name or ''}-{env}")
        for module, name, by_env in FACTS
        for env, exists in by_env.items()
    ],
)
def test_fact(module, name, env, exists):
    found = api.has_name(env, module, name) if name else api.reachable(env, module)
    assert found is exists


def test_has_name():
    assert api.has_name("tf112", "tensorflow.keras.backend", "get_session")
    assert not api.has_name("tf215", "tensorflow.keras.backend", "get_session")
    assert not api.has_name("tf112", "no.such.module", "x")


def test_keras3_compat_v1_keras_is_not_importable_but_reachable():
    record = api.module("tf2", "tensorflow.compat.v1.keras.backend")
    assert record["attribute"] and not record["importable"]
    assert record["resolves_to"].startswith("keras.")


def test_unknown_env():
    with pytest.raises(KeyError):
        api.table("tf3")


def python36():
    root = os.environ.get("PYENV_ROOT")
    if not root and shutil.which("pyenv"):
        root = subprocess.run(
            ["pyenv", "root"], capture_output=True, text=True, check=False
        ).stdout.strip()
    candidate = Path(root or Path.home() / ".pyenv") / "versions" / "3.6.15" / "bin" / "python"
    return candidate if candidate.exists() else None


def test_dump_api_compiles_under_python36(tmp_path):
    interpreter = python36()
    if interpreter is None:
        pytest.skip("pyenv Python 3.6.15 is not installed")
    code = (
        "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)"
    )
    result = subprocess.run(
        [str(interpreter), "-c", code, str(DUMP_API), str(tmp_path / "dump_api.pyc")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
