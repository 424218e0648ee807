"""Dump what TensorFlow / Keras offer in the running environment as two JSON tables.

``api_<env>.json``   every module tabled: how it is reachable and its public names (small: the
                     codemod loads it in every worker).
``calls_<env>.json`` what a call needs: signatures, methods, keywords accepted by trial, the
                     probes of dump_probes.py and, in the source env (tf112), where each
                     Keras 2.2.4 name lives and how Keras 2.2.4 converted Keras 1 arguments
                     (read only when a rule asks).

Modules tabled: every public module reachable by attributes from ``tensorflow`` and ``keras``
(a module met again under another path is recorded as ``same_as`` the first), the listed
modules below (so that a module missing in one env has a record saying so), every Keras 2.2.4
module (walked with pkgutil in the source env) under ``keras``, ``tensorflow.keras`` and
``tensorflow.python.keras``, and the private ``tensorflow.python`` modules real code imports.
Names are taken as ``import tensorflow; import keras`` leave them, before any other import.

Regenerate every table with ``nox -s api`` (the source env first: the others read its table);
one env by hand with ``<env python> migrate_session/data/dump_api.py --env tf215``.
``--check`` compares with the stored tables instead of writing them.

Stdlib only and Python-3.6-safe: it runs inside the target environments.
"""

import argparse
import collections
import hashlib
import importlib
import json
import os
import pkgutil
import platform
import shutil
import sys
import tempfile
import time
import types

import dump_calls
import dump_probes
from dump_probes import describe

HERE = os.path.dirname(os.path.abspath(__file__))
GENERATOR_FILES = ("dump_api.py", "dump_calls.py", "dump_probes.py")
SOURCE_ENV = "tf112"  # standalone Keras 2.2.4: the Keras of the code being migrated

ROOTS = ("keras", "tensorflow")
# Packages whose modules can be public API (tf.summary is tensorboard's, tf.estimator is
# tensorflow_estimator's); a module whose real name passes through an implementation package
# (and not on into an `api` package) is not walked: `keras.backend.control_flow_ops` is
# tensorflow.python.ops.control_flow_ops imported into Keras 2.2.4's backend.
API_PACKAGES = frozenset(["keras", "tensorboard", "tensorflow", "tensorflow_estimator"])
IMPLEMENTATION_PARTS = frozenset(["compiler", "core", "include", "python", "src", "tools", "tsl"])
# Walked one level only: tf.contrib's modules (tf.contrib.data, .layers, ...) are tabled with
# their names, their own submodules are not (TF 1.12 code imports the first level).
NAMES_ONLY = frozenset(["tensorflow.contrib"])

# Suffixes of `keras.<sub>` tabled under both `keras` and `tensorflow.keras` besides Keras
# 2.2.4's own modules.
KERAS_SUBMODULES = (
    "",
    "backend.common",
    "backend.tensorflow_backend",
    "engine.base_layer",
    "engine.network",
    "engine.saving",
    "engine.sequential",
    "engine.topology",
    "engine.training",
    "legacy.interfaces",
    "legacy.layers",
    "objectives",
)
# Public TensorFlow modules user code touches, tabled as `tensorflow.<m>` and
# `tensorflow.compat.v1.<m>` in every env, with the signatures of their callables.
TF_API_MODULES = (
    "config",
    "config.experimental",
    "config.optimizer",
    "config.threading",
    "contrib",
    "data",
    "data.experimental",
    "debugging",
    "distribute",
    "estimator",
    "gfile",
    "image",
    "initializers",
    "io",
    "io.gfile",
    "layers",
    "logging",
    "losses",
    "math",
    "metrics",
    "nn",
    "python_io",
    "random",
    "saved_model",
    "saved_model.builder",
    "saved_model.loader",
    "saved_model.signature_constants",
    "saved_model.tag_constants",
    "saved_model.utils",
    "summary",
    "test",
    "train",
)
TENSORFLOW_MODULES = (
    "tensorflow",
    "tensorflow.compat",
    "tensorflow.compat.v1",
    "tensorflow.compat.v1.keras",
    "tensorflow.compat.v1.keras.backend",
    "tensorflow.keras.estimator",
    "tensorflow.keras.experimental",
    "tensorflow.keras.mixed_precision",
    "tensorflow.keras.optimizers.legacy",
    "tensorflow.keras.optimizers.schedules",
    "tensorflow.keras.saving",
)
# Private modules real code imports (seen in public repositories); imported last, after every
# other measurement, so that they cannot change what the rest saw.
PRIVATE_MODULES = (
    "tensorflow.tools",
    "tensorflow.python",
    "tensorflow.python.client",
    "tensorflow.python.client.device_lib",
    "tensorflow.python.client.session",
    "tensorflow.python.eager.context",
    "tensorflow.python.framework",
    "tensorflow.python.framework.constant_op",
    "tensorflow.python.framework.dtypes",
    "tensorflow.python.framework.graph_util",
    "tensorflow.python.framework.ops",
    "tensorflow.python.framework.tensor_shape",
    "tensorflow.python.framework.tensor_util",
    "tensorflow.python.framework.versions",
    "tensorflow.python.keras.optimizer_v2",
    "tensorflow.python.ops",
    "tensorflow.python.ops.array_ops",
    "tensorflow.python.ops.check_ops",
    "tensorflow.python.ops.control_flow_ops",
    "tensorflow.python.ops.data_flow_ops",
    "tensorflow.python.ops.embedding_ops",
    "tensorflow.python.ops.init_ops",
    "tensorflow.python.ops.math_ops",
    "tensorflow.python.ops.metrics_impl",
    "tensorflow.python.ops.nn",
    "tensorflow.python.ops.nn_ops",
    "tensorflow.python.ops.random_ops",
    "tensorflow.python.ops.rnn",
    "tensorflow.python.ops.rnn_cell",
    "tensorflow.python.ops.state_ops",
    "tensorflow.python.ops.summary_ops_v2",
    "tensorflow.python.ops.variable_scope",
    "tensorflow.python.ops.variables",
    "tensorflow.python.platform",
    "tensorflow.python.platform.build_info",
    "tensorflow.python.platform.gfile",
    "tensorflow.python.platform.test",
    "tensorflow.python.platform.tf_logging",
    "tensorflow.python.saved_model",
    "tensorflow.python.saved_model.signature_constants",
    "tensorflow.python.saved_model.tag_constants",
    "tensorflow.python.training",
    "tensorflow.python.training.moving_averages",
    "tensorflow.python.training.queue_runner",
    "tensorflow.python.training.saver",
    "tensorflow.python.training.training_util",
    "tensorflow.python.util.deprecation",
)
PRIVATE_PREFIX = "tensorflow.python"
# Modules whose callables get signatures: the Keras ones and these TensorFlow ones.
KERAS_PREFIXES = ("keras", "tensorflow.keras", "tensorflow.compat.v1.keras", "tensorflow.python.keras")
SIGNATURE_TF_MODULES = frozenset(
    ["tensorflow", "tensorflow.compat.v1"]
    + [f"{root}.{m}" for root in ("tensorflow", "tensorflow.compat.v1") for m in TF_API_MODULES]
    + list(PRIVATE_MODULES)
) - NAMES_ONLY
PRIVATE_NAMES = frozenset(
    [
        "_BACKEND",
        "_GRAPH_LEARNING_PHASES",
        "_GRAPH_UID_DICTS",
        "_LEARNING_PHASE",
        "_MANUAL_VAR_INIT",
        "_SESSION",
        "__version__",
    ]
)


def generator_sha256():
    digest = hashlib.sha256()
    for name in GENERATOR_FILES:
        with open(os.path.join(HERE, name), "rb") as f:
            digest.update(f.read())
    return digest.hexdigest()


def public_names(obj):
    try:
        names = dir(obj)
    except Exception:  # noqa: BLE001 - a broken __dir__ is recorded as null
        return None
    return sorted(
        n
        for n in names
        if n in PRIVATE_NAMES or not n.startswith("_")
    )


def is_api_module(value):
    if not isinstance(value, types.ModuleType):
        return False
    parts = str(getattr(value, "__name__", "")).split(".")
    if parts[0] not in API_PACKAGES:
        return False
    for i, part in enumerate(parts):
        if part in IMPLEMENTATION_PARTS and not {"api", "_api"} & set(parts[i + 1:]):
            return False
    return True


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
    for root in ("tensorflow", "keras"):
        ok, mod, _ = try_access(by_import, root)
        if ok:
            roots[root] = mod
    return roots


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


def walk_api(roots):
    """(modules, aliases): every public module reachable by attributes, breadth first, as
    path -> module; a module object met again under another path -> the first path."""
    modules = {}
    aliases = {}
    first_path = {}
    queue = collections.deque()
    for root in ROOTS:
        if root in roots:
            modules[root] = roots[root]
            first_path[id(roots[root])] = root
            queue.append(root)
    while queue:
        path = queue.popleft()
        if path.rpartition(".")[0] in NAMES_ONLY:
            continue
        for name in public_names(modules[path]) or ():
            if name.startswith("_"):
                continue
            ok, value, _ = try_access(getattr, modules[path], name)
            if not ok or not is_api_module(value):
                continue
            child = f"{path}.{name}"
            if id(value) in first_path:
                aliases[child] = first_path[id(value)]
                continue
            first_path[id(value)] = child
            modules[child] = value
            queue.append(child)
    return modules, aliases


def keras_source_modules():
    """Every module of the standalone Keras (2.2.4 in the source env), found with pkgutil."""
    keras = importlib.import_module("keras")
    found = ["keras"]
    for info in pkgutil.walk_packages(keras.__path__, "keras.", onerror=lambda name: None):
        found.append(info[1])
    return sorted(found)


def listed_paths(source_modules):
    paths = set(TENSORFLOW_MODULES) | set(PRIVATE_MODULES)
    for module in TF_API_MODULES:
        paths.add(f"tensorflow.{module}")
        paths.add(f"tensorflow.compat.v1.{module}")
    suffixes = {m[len("keras."):] if m != "keras" else "" for m in source_modules}
    suffixes |= set(KERAS_SUBMODULES)
    for suffix in suffixes:
        for root in ("keras", "tensorflow.keras", "tensorflow.python.keras"):
            paths.add(f"{root}.{suffix}" if suffix else root)
    return paths


class Survey:
    """Every tabled module: how it is reached and, when it is, the object and its names."""

    def __init__(self, roots, source_modules):
        self.roots = roots
        self.objects, self.aliases = walk_api(roots)
        self.names = {path: public_names(module) for path, module in self.objects.items()}
        listed = listed_paths(source_modules)
        self.paths = sorted(set(self.objects) | set(self.aliases) | listed)
        self.access = {}
        for path in self.paths:  # attributes only: as after `import tensorflow as tf`
            self.access[path] = {"attribute": try_access(by_attribute, path, roots)}
            ok, obj, _ = self.access[path]["attribute"]
            if ok and path not in self.objects and path not in self.aliases:
                self._add(path, obj)

    def import_all(self):
        """`import path` and `from parent import last` for every path, private ones last."""
        for private in (False, True):
            for path in self.paths:
                if path.startswith(PRIVATE_PREFIX) is private:
                    self._imports(path)

    def _imports(self, path):
        results = self.access[path]
        results["import"] = try_access(by_import, path)
        results["from_import"] = try_access(by_from_import, path)
        if path in self.objects or path in self.aliases:
            return
        # What `import path` binds first: it is the module `from path import name` and `import
        # path.sub` read, where `from parent import last` may give what shadows it in the parent
        # (TF 1.12's tensorflow.python binds `saved_model` to saved_model.saved_model).
        order = ("import", "from_import", "attribute")
        obj = next((results[how][1] for how in order if how in results and results[how][0]), None)
        if obj is not None:
            self._add(path, obj)

    def _add(self, path, obj):
        same = next((p for p, o in sorted(self.objects.items()) if o is obj), None)
        if same is not None:
            self.aliases[path] = same
        else:
            self.objects[path] = obj
            self.names[path] = public_names(obj)

    def lookup(self, dotted):
        """The object a dotted name denotes in this env, through the tabled modules; None."""
        parts = dotted.split(".")
        for cut in range(len(parts), 0, -1):
            prefix = ".".join(parts[:cut])
            prefix = self.aliases.get(prefix, prefix)
            if prefix in self.objects:
                obj = self.objects[prefix]
                for part in parts[cut:]:
                    ok, obj, _ = try_access(getattr, obj, part)
                    if not ok:
                        return None
                return obj
        return None

    def canonical(self, dotted):
        """The dotted name through the first path of its module (aliases resolved)."""
        parts = dotted.split(".")
        for cut in range(len(parts), 0, -1):
            prefix = ".".join(parts[:cut])
            if prefix in self.aliases:
                return ".".join([self.aliases[prefix]] + parts[cut:])
            if prefix in self.objects:
                return dotted
        return dotted

    def canonical_classes(self, classes):
        return {self.canonical(path): cls for path, cls in classes.items()}

    def record(self, path):
        results = self.access[path]
        record = {}
        for how in ("attribute", "from_import", "import"):
            ok, obj, err = results.get(how, (False, None, "not tried"))
            record[how] = ok
            record[how + "_error"] = err
        record["importable"] = record["import"] or record["from_import"]
        obj = self.lookup(path) if path in self.objects or path in self.aliases else None
        record["resolves_to"] = getattr(obj, "__name__", None) if obj is not None else None
        if path in self.aliases:
            record["same_as"] = self.aliases[path]
        else:
            record["names"] = self.names.get(path) or []
            if obj is not None and hasattr(obj, "__path__"):
                record["submodules"] = submodules(obj)
        return record

    def canonical_modules(self):
        return {path: self.objects[path] for path in sorted(self.objects)}


def submodules(package):
    """The modules a package holds on disk: `import` finds them although `dir()` may not list them."""
    try:
        return sorted(info.name for info in pkgutil.iter_modules(package.__path__))
    except Exception:  # noqa: BLE001 - an odd __path__ is recorded as no submodules known
        return []


def wants_signatures(path):
    if path in SIGNATURE_TF_MODULES:
        return True
    return any(path == p or path.startswith(p + ".") for p in KERAS_PREFIXES)


def header(env, roots, versions):
    tf = roots.get("tensorflow")
    return {
        "env": env,
        "generated_by": "nox -s api",
        "generator_sha256": generator_sha256(),
        "kerases": versions,
        "python": platform.python_version(),
        "tensorflow": getattr(tf, "__version__", None),
    }


class Timer:
    def __init__(self):
        self.marks = []
        self.last = time.perf_counter()

    def lap(self, what):
        now = time.perf_counter()
        self.marks.append(f"{what} {now - self.last:.1f} s")
        self.last = now


def build_tables(env, source):
    """(api table, calls table). `source` is the source env's (api, calls) tables, or None
    when this env is the source.

    Everything that runs code (keyword trials, probes) comes before the import trials:
    `import tensorflow.compat` or `import tensorflow.keras.backend` can replace attributes of
    the `tensorflow` module, and the probes must see what `import tensorflow as tf` gives.
    """
    timer = Timer()
    roots = import_roots()
    versions = keras_versions(roots)  # before `import tensorflow.keras` can replace `tf.keras`
    source_modules = keras_source_modules() if source is None else source[0]["source_keras_modules"]
    survey = Survey(roots, source_modules)
    timer.lap("modules")

    signatures = collect_signatures(survey, {})
    methods = dump_calls.methods_table(survey.canonical_classes(dump_calls.method_classes(survey.lookup)))
    timer.lap("signatures")
    source_signatures = signatures if source is None else source[1]["signatures"]
    keywords, probes = run_trials_and_probes(survey, signatures, source_signatures, timer)

    survey.import_all()
    signatures = collect_signatures(survey, signatures)  # the modules only imports reached
    homes = legacy = None
    if source is None:
        keras_modules, public = keras_source_namespaces(survey, source_modules)
        homes = dump_calls.homes(keras_modules, public)
        legacy = dump_calls.legacy_interfaces(public)
    timer.lap("imports")

    api = header(env, roots, versions)
    api["modules"] = {path: survey.record(path) for path in survey.paths}
    if source is None:
        api["source_keras_modules"] = source_modules
    calls = header(env, roots, versions)
    calls.update(signatures=signatures, methods=methods, keywords=keywords, probes=probes)
    if homes is not None:
        calls["homes"] = homes
        calls["legacy_interfaces"] = legacy
    sys.stderr.write(f"dump_api {env}: " + ", ".join(timer.marks) + "\n")
    return api, calls


def collect_signatures(survey, found):
    """`found` plus the signatures of the tabled modules not yet measured."""
    found = dict(found)
    done = {key.rpartition(".")[0] for key in found}
    wanted = {survey.canonical(path) for path in survey.paths if wants_signatures(path)}
    for path, module in survey.canonical_modules().items():
        if path in wanted and path not in done:  # tf.optimizers (TF 2) is tf.keras's, keyed so
            found.update(dump_calls.callable_signatures(path, module, survey.names[path] or ()))
    return found


def run_trials_and_probes(survey, signatures, source_signatures, timer):
    namespaces = {"keras": survey.lookup("keras"), "tensorflow.keras": survey.lookup("tensorflow.keras")}
    work = tempfile.mkdtemp(prefix="dump_api-")
    cwd = os.getcwd()
    os.chdir(work)  # trials and probes may write files (checkpoints, logs): not here
    try:
        keywords = dump_calls.keyword_trials(
            survey.canonical_classes(dump_calls.trial_classes(survey.lookup)),
            signatures,
            source_signatures,
            lambda path: namespaces["keras" if path.startswith("keras.") else "tensorflow.keras"],
        )
        timer.lap("keyword trials")
        probes = dump_probes.run_probes()
        timer.lap("probes")
    finally:
        os.chdir(cwd)
        shutil.rmtree(work, ignore_errors=True)
    return keywords, probes


def keras_source_namespaces(survey, source_modules):
    """({path: module} of every Keras 2.2.4 module, {path: module} of its public ones)."""
    keras_modules = {p: survey.lookup(p) for p in source_modules}
    keras_modules = {p: m for p, m in keras_modules.items() if m is not None}
    public = {p: m for p, m in keras_modules.items() if is_public_keras(p, survey)}
    return keras_modules, public


def is_public_keras(path, survey):
    """A Keras 2.2.4 module counts as public when tf.keras has it as a public module."""
    twin = "tensorflow." + path
    return path == "keras" or twin in survey.objects or twin in survey.aliases


def render(table):
    return json.dumps(table, indent=1, sort_keys=True) + "\n"


def table_paths(out_dir, env):
    return os.path.join(out_dir, f"api_{env}.json"), os.path.join(out_dir, f"calls_{env}.json")


def read_source(out_dir, source_table):
    api_path = source_table or table_paths(out_dir, SOURCE_ENV)[0]
    calls_path = os.path.join(os.path.dirname(api_path), "calls_" + os.path.basename(api_path)[4:])
    with open(api_path, "r") as f:
        api = json.load(f)
    with open(calls_path, "r") as f:
        calls = json.load(f)
    return api, calls


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", required=True, help="environment id, e.g. tf112, tf215, tf2")
    parser.add_argument(
        "--out-dir", default=HERE, help="where api_<env>.json and calls_<env>.json go (default: here)"
    )
    parser.add_argument(
        "--source-table",
        help=f"the source env's api table (default: api_{SOURCE_ENV}.json in --out-dir); "
        f"not read when --env is {SOURCE_ENV}",
    )
    parser.add_argument(
        "--check", action="store_true", help="compare with the stored tables instead of writing"
    )
    return parser.parse_args(argv)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if os.environ.get("PYTHONHASHSEED") != "0":
        # Error messages print sets ("Allowed kwargs are {...}"): one hash seed, one order.
        env = dict(os.environ, PYTHONHASHSEED="0")
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + argv, env)
    args = parse_args(argv)
    sys.stdout.flush()
    os.dup2(2, 1)  # anything the imports print goes to stderr; the tables go to files
    source = None if args.env == SOURCE_ENV else read_source(args.out_dir, args.source_table)
    texts = [render(table) for table in build_tables(args.env, source)]
    sys.stdout.flush()
    paths = table_paths(args.out_dir, args.env)
    if args.check:
        stale = [path for path, text in zip(paths, texts) if _read(path) != text]
        for path in stale:
            sys.stderr.write(f"{path} is stale: run `nox -s api`\n")
        return 1 if stale else 0
    for path, text in zip(paths, texts):
        with open(path, "w", newline="\n") as f:
            f.write(text)
    return 0


def _read(path):
    try:
        with open(path, "r") as f:
            return f.read()
    except OSError:
        return None


if __name__ == "__main__":
    sys.exit(main())
