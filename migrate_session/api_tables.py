"""What each target environment's TensorFlow/Keras really offers.

The tables (``data/api_<env>.json``) are generated inside the real environments by
``data/dump_api.py`` (``nox -s api``); this module only reads them.
"""

from __future__ import annotations

import functools
import json
from importlib import resources

ENVS = ("tf112", "tf215", "tf2")
TARGET_ENVS = {"tf1": ("tf112",), "tf2": ("tf215", "tf2")}
SOURCE_ENV = "tf112"
ACCESS_KINDS = ("importable", "import", "from_import", "attribute")


@functools.cache
def table(env: str) -> dict:
    if env not in ENVS:
        raise KeyError(f"unknown env {env!r}; known: {', '.join(ENVS)}")
    path = resources.files("migrate_session") / "data" / f"api_{env}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def modules(env: str) -> dict:
    return table(env)["modules"]


def module(env: str, path: str) -> dict | None:
    return modules(env).get(path)


def has_module(env: str, path: str, via: str = "importable") -> bool:
    """`via`: "importable" (`import path` or `from parent import last`), "import",
    "from_import", or "attribute" (reachable as `tf.a.b` after importing the root)."""
    if via not in ACCESS_KINDS:
        raise ValueError(f"via must be one of {ACCESS_KINDS}, not {via!r}")
    record = module(env, path)
    return bool(record and record[via])


def reachable(env: str, path: str) -> bool:
    record = module(env, path)
    return bool(record and (record["importable"] or record["attribute"]))


@functools.cache
def names(env: str, path: str) -> frozenset:
    record = module(env, path)
    return frozenset(record["names"] or ()) if record else frozenset()


def has_name(env: str, path: str, name: str) -> bool:
    """`name` is an attribute of module `path`, reached any way that works in `env`."""
    return reachable(env, path) and name in names(env, path)


def resolves(env: str, qualified_name: str) -> bool | None:
    """Whether a dotted name such as ``tensorflow.keras.backend.get_session`` exists in `env`.

    Checked against the longest tabled module prefix: the module must be reachable and the next
    component one of its names; deeper components are not checked. None when no prefix is tabled.
    """
    parts = qualified_name.split(".")
    for cut in range(len(parts), 0, -1):
        prefix = ".".join(parts[:cut])
        if prefix in modules(env):
            if not reachable(env, prefix):
                return False
            return cut == len(parts) or parts[cut] in names(env, prefix)
    return None


def envs_without(target: str, path: str, name: str | None = None) -> tuple:
    """The target's environments lacking module `path` (or its attribute `name`)."""
    return tuple(
        env
        for env in TARGET_ENVS[target]
        if not (has_name(env, path, name) if name else has_module(env, path))
    )


def tf_keras_counterpart(path: str) -> str:
    """``keras.x.y`` -> ``tensorflow.keras.x.y``."""
    if path != "keras" and not path.startswith("keras."):
        raise ValueError(f"not a standalone keras module: {path!r}")
    return "tensorflow." + path


def keras_modules(env: str) -> tuple:
    """Standalone ``keras`` modules (tabled ones) importable in `env`."""
    return tuple(
        path
        for path, record in sorted(modules(env).items())
        if (path == "keras" or path.startswith("keras.")) and record["importable"]
    )


def keras_modules_tf112() -> tuple:
    return keras_modules(SOURCE_ENV)


def keras_modules_without_counterpart(env: str) -> tuple:
    """tf112 standalone keras modules whose ``tensorflow.keras`` twin is not importable in `env`."""
    return tuple(
        path for path in keras_modules_tf112() if not has_module(env, tf_keras_counterpart(path))
    )
