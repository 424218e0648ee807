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
