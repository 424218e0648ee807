"""Dump the public API of TensorFlow / Keras modules in the running environment as JSON.

Regenerate every table with ``nox -s api``; one table by hand with
``<env python> migrate_session/data/dump_api.py --env tf112 --out migrate_session/data/api_tf112.json``.
``--check`` compares with the stored table instead of writing it.

Stdlib only and Python-3.6-safe: it runs inside the target environments.
"""

import argparse
import hashlib
import importlib
import json
import os
import platform
import re
import sys

# Suffixes of `keras.<sub>`; each is looked up both in standalone `keras` and in `tensorflow.keras`.
KERAS_SUBMODULES = (
    "",
    "activations",
    "applications",
    "applications.mobilenet",
    "applications.resnet50",
    "applications.vgg16",
    "backend",
    "backend.common",
    "backend.tensorflow_backend",
    "callbacks",
    "constraints",
    "datasets",
    "datasets.mnist",
    "engine",
    "engine.base_layer",
    "engine.network",
    "engine.saving",
    "engine.sequential",
    "engine.topology",
    "engine.training",
    "initializers",
    "layers",
    "layers.convolutional",
    "layers.core",
    "layers.merge",
    "layers.normalization",
    "layers.recurrent",
    "layers.wrappers",
    "legacy",
    "legacy.interfaces",
    "legacy.layers",
    "losses",
    "metrics",
    "models",
    "objectives",
    "optimizers",
    "preprocessing",
    "preprocessing.image",
    "preprocessing.sequence",
    "preprocessing.text",
    "regularizers",
    "utils",
    "utils.conv_utils",
    "utils.data_utils",
    "utils.generic_utils",
    "utils.io_utils",
    "utils.layer_utils",
    "utils.multi_gpu_utils",
    "utils.np_utils",
    "utils.training_utils",
    "utils.vis_utils",
    "wrappers",
    "wrappers.scikit_learn",
)

TENSORFLOW_MODULES = (
    "tensorflow",
    "tensorflow.compat",
    "tensorflow.compat.v1",
    "tensorflow.compat.v1.config",
    "tensorflow.compat.v1.keras",
    "tensorflow.compat.v1.keras.backend",
    "tensorflow.config",
    "tensorflow.config.experimental",
    "tensorflow.keras.estimator",
    "tensorflow.keras.experimental",
    "tensorflow.keras.mixed_precision",
    "tensorflow.keras.optimizers.legacy",
    "tensorflow.keras.optimizers.schedules",
    "tensorflow.keras.saving",
)

PRIVATE_NAMES = frozenset(
    [
        "_BACKEND",
        "_GRAPH_LEARNING_PHASES",
        "_GRAPH_UID_DICTS",
        "_LEARNING_PHASE",
        "_MANUAL_VAR_INIT",
        "_SESSION",
    ]
)

ROOTS = ("tensorflow", "keras")


def module_paths():
    paths = set(TENSORFLOW_MODULES)
    for sub in KERAS_SUBMODULES:
        for root in ("keras", "tensorflow.keras"):
            paths.add(root + "." + sub if sub else root)
    return sorted(paths)


def generator_sha256():
    with open(os.path.abspath(__file__), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def describe(exc):
    text = f"{type(exc).__name__}: {exc}"
    text = re.sub(r" \((?:/|[A-Za-z]:\\)[^)]*\)", "", text)
    return re.sub(r"0x[0-9a-fA-F]+", "0x?", text)


def public_names(obj):
    try:
        names = dir(obj)
    except Exception:  # noqa: BLE001 - a broken __dir__ is recorded as null
        return None
    return sorted(
        n
        for n in names
        if not (n.startswith("__") and n.endswith("__"))
        and (not n.startswith("_") or n in PRIVATE_NAMES)
    )


def by_attribute(path, roots):
    parts = path.split(".")
    obj = roots.get(parts[0])
    if obj is None:
        raise ImportError(f"root {parts[0]!r} is not importable")
    for part in parts[1:]:
        obj = getattr(obj, part)
    return obj


def by_import(path):
    return importlib.import_module(path)


def by_from_import(path):
    parent, _, last = path.rpartition(".")
    if not parent:
        return importlib.import_module(path)
    scope = {}
    exec(f"from {parent} import {last} as found", scope)  # noqa: S102 - the statement under test
    return scope["found"]


def try_access(access, *args):
    try:
        return True, access(*args), None
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - a broken import may raise SystemExit
        return False, None, describe(exc)


def import_roots():
    roots = {}
    for root in ROOTS:
        ok, mod, _ = try_access(by_import, root)
        if ok:
            roots[root] = mod
    return roots


def survey(paths):
    """Attribute access first (as after `import tensorflow as tf`), then imports, then from-imports."""
    roots = import_roots()
    versions = keras_versions(roots)  # before `import tensorflow.keras` can replace `tf.keras`
    found = {p: {} for p in paths}
    for how, access in (
        ("attribute", by_attribute),
        ("import", by_import),
        ("from_import", by_from_import),
    ):
        for path in paths:
            args = (path, roots) if how == "attribute" else (path,)
            ok, obj, err = try_access(access, *args)
            found[path][how] = (ok, obj, err)
    return roots, versions, found


def module_record(results):
    record = {}
    obj = None
    for how in ("import", "from_import", "attribute"):
        ok, candidate, err = results[how]
        record[how] = ok
        record[how + "_error"] = err
        if ok and obj is None:
            obj = candidate
    record["importable"] = record["import"] or record["from_import"]
    record["resolves_to"] = getattr(obj, "__name__", None) if obj is not None else None
    record["names"] = public_names(obj) if obj is not None else []
    return record


def keras_versions(roots):
    keras = roots.get("keras")
    versions = {"keras": getattr(keras, "__version__", None), "tf.keras": None}
    tf = roots.get("tensorflow")
    try:
        tf_keras = tf.keras
        version = getattr(tf_keras, "__version__", None)
        if version is None and str(getattr(tf_keras, "__name__", "")).startswith("keras."):
            version = versions["keras"]
        versions["tf.keras"] = version
    except Exception:  # noqa: BLE001, S110 - no tf.keras: version stays null
        pass
    return versions


def build_table(env):
    paths = module_paths()
    roots, versions, found = survey(paths)
    tf = roots.get("tensorflow")
    return {
        "env": env,
        "generated_by": "nox -s api",
        "generator_sha256": generator_sha256(),
        "kerases": versions,
        "modules": {path: module_record(found[path]) for path in paths},
        "python": platform.python_version(),
        "tensorflow": getattr(tf, "__version__", None),
    }


def render(table):
    return json.dumps(table, indent=1, sort_keys=True) + "\n"


def default_out(env):
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), f"api_{env}.json")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", required=True, help="environment id, e.g. tf112, tf215, tf2")
    parser.add_argument("--out", help="write the table here instead of stdout")
    parser.add_argument(
        "--check",
        action="store_true",
        help="compare with the stored table (--out, default api_<env>.json next to this script)",
    )
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    sys.stdout.flush()
    real_stdout = os.dup(1)
    os.dup2(2, 1)  # anything the imports print goes to stderr; stdout carries only the JSON
    try:
        text = render(build_table(args.env))
    finally:
        sys.stdout.flush()
    if args.check:
        path = args.out or default_out(args.env)
        try:
            with open(path, "r") as f:
                stored = f.read()
        except OSError:
            stored = None
        if stored != text:
            sys.stderr.write(f"{path} is stale: run `nox -s api`\n")
            return 1
        return 0
    if args.out:
        with open(args.out, "w", newline="\n") as f:
            f.write(text)
        return 0
    with os.fdopen(real_stdout, "w") as out:
        out.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
