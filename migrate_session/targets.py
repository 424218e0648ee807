"""What each target can spell, decided by the API tables measured in the real environments.

Standalone Keras names are *canonicalized* first (``keras.backend.tensorflow_backend.X`` is
``keras.backend.X``, ``K.tf`` is TensorFlow itself) and then *spelled* for a target: the
``tf.keras`` name when every environment the target claims has it, else (``tf2`` only) the
``tf.compat.v1`` name where that covers more environments.

Existence has three answers: measured present, measured absent, and not measured (a private
``tensorflow.python`` module nobody tabled, ``tf.__version__``). The tool rewrites only to
names measured present everywhere, and says "does not exist" only of names measured absent.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from migrate_session import api_tables
from migrate_session.envs import ENV_NAMES, TARGET_ENVS

TARGETS = ("tf1", "tf2")
DEFAULT_TARGET = "tf2"

# Hand-written overrides: standalone modules whose tf.keras home has another path.
# Every name is still checked against the measured tables before it is moved.
MODULE_HOMES = {
    "keras.backend.tensorflow_backend": "keras.backend",
    "keras.utils.np_utils": "keras.utils",
    "keras.utils.generic_utils": "keras.utils",
}
# Private TF paths that are tf.keras under another name (both Kerases in one file, pattern A10).
PRIVATE_TF_KERAS = "tensorflow.python.keras"
# Private TensorFlow: existence there is claimed only where a module of it was tabled.
PRIVATE_TF = "tensorflow.python"
# The private names dump_api.py records (its PRIVATE_NAMES; a test keeps the two equal): absent
# from a table, they are measured absent; any other private name is simply not measured.
MEASURED_PRIVATE_NAMES = frozenset(
    ("_BACKEND", "_GRAPH_LEARNING_PHASES", "_GRAPH_UID_DICTS", "_LEARNING_PHASE", "_MANUAL_VAR_INIT", "_SESSION",
     "__version__")
)
# `K.tf` is the tensorflow module itself: keras/backend/tensorflow_backend.py does `import tensorflow as tf`.
KERAS_TF_ATTRS = ("keras.backend.tf", "keras.backend.tensorflow_backend.tf")
# Every Keras 2.2.4 module that names `K` did `from .. import backend as K` (tests/test_targets.py
# checks it in the tf112 env): `keras.layers.core.K.set_learning_phase` is the backend's.
BACKEND_ALIAS = "K"


def is_standalone(qualified: str) -> bool:
    return qualified == "keras" or qualified.startswith("keras.")


def is_tensorflow(qualified: str) -> bool:
    return qualified == "tensorflow" or qualified.startswith("tensorflow.")


def is_keras_or_tf(qualified: str) -> bool:
    return is_standalone(qualified) or is_tensorflow(qualified)


def is_private_tf_keras(qualified: str) -> bool:
    return qualified == PRIVATE_TF_KERAS or qualified.startswith(PRIVATE_TF_KERAS + ".")


def _replace_prefix(qualified: str, old: str, new: str) -> str | None:
    if qualified == old or qualified.startswith(old + "."):
        return new + qualified[len(old):]
    return None


def home(qualified: str) -> str:
    """Where Keras 2.2.4 itself keeps a name publicly (still spelled ``keras...``): module
    overrides applied, a module that re-exports a public one whole read as that one
    (``keras.objectives`` is ``keras.losses``, as measured), a per-file module's ``K`` read as
    the backend, and a per-file name (``keras.layers.convolutional.Conv2D``) taken to its first
    public alias, as measured."""
    return aliases(qualified)[0]


@cache
def aliases(qualified: str) -> tuple[str, ...]:
    """Every public Keras 2.2.4 path of the object at ``qualified``: its own first when it is
    public, else the most direct one first."""
    for old in sorted(MODULE_HOMES, key=len, reverse=True):
        moved = _replace_prefix(qualified, old, MODULE_HOMES[old])
        if moved is not None:
            return aliases(moved) if moved != qualified else (moved,)
    parts = qualified.split(".")
    for cut in range(len(parts), 1, -1):
        whole = api_tables.module_home(".".join(parts[:cut]))
        if whole is not None:
            return aliases(".".join([whole, *parts[cut:]]))
    if BACKEND_ALIAS in parts[2:-1] or (len(parts) > 2 and parts[-1] == BACKEND_ALIAS):
        cut = parts.index(BACKEND_ALIAS, 2)
        if BACKEND_ALIAS in api_tables.names(api_tables.SOURCE_ENV, ".".join(parts[:cut])):
            return aliases(".".join(["keras.backend", *parts[cut + 1:]]))
    for cut in range(len(parts), 1, -1):
        prefix = ".".join(parts[:cut])
        found = api_tables.homes(prefix)
        if found:
            if prefix in found:  # public already: its own path first
                found = (prefix, *(alias for alias in found if alias != prefix))
            return tuple(".".join([alias, *parts[cut:]]) for alias in found)
    return (qualified,)


def canonical(qualified: str) -> str:
    """One name per API: ``keras.*`` for Keras (either Keras), ``tensorflow.*`` for TF.

    tf.keras and compat spellings fold into the same names, so code that is already half on
    tf.keras is spelled for the target like the rest.
    """
    for tf_keras in (PRIVATE_TF_KERAS, "tensorflow.compat.v1.keras", "tensorflow.keras"):
        moved = _replace_prefix(qualified, tf_keras, "keras")
        if moved is not None:
            qualified = moved
            break
    else:
        moved = _replace_prefix(qualified, "tensorflow.compat.v1", "tensorflow")
        if moved is not None:
            return moved
    if not is_standalone(qualified):
        return qualified
    qualified = home(qualified)
    for alias in KERAS_TF_ATTRS:
        moved = _replace_prefix(qualified, alias, "tensorflow")
        if moved is not None:
            return moved
    return qualified




@cache
def exists(env: str, dotted: str) -> bool | None:
    """Is ``dotted`` (a module, a name in one, or an attribute of such a name) in ``env``?

    The longest tabled module prefix decides. Past it, one name is checked against the
    module's names; further attributes of a plain name (``Dense.__name__``) are taken on
    trust, but not those of an untabled *module* (``tf.compat.v1.keras.layers``, whose
    siblings are tabled): what was not measured is not assumed to exist. A package's
    submodules exist although its names may not list them. None: not measured (private names
    the tables do not record, ``tf.__version__``, what lies in an untabled submodule).
    """
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        prefix = ".".join(parts[:cut])
        if api_tables.module(env, prefix) is None:
            continue
        if not api_tables.reachable(env, prefix):
            return False
        if cut == len(parts):
            return True
        name = parts[cut]
        held = api_tables.submodules(env, prefix)
        if name not in api_tables.names(env, prefix):
            if held is not None and name in held:  # a submodule no import has loaded yet
                return True if cut + 1 == len(parts) else None
            unmeasured = name.startswith("_") and name not in MEASURED_PRIVATE_NAMES
            return None if unmeasured else False
        return cut + 1 == len(parts) or not _has_tabled_children(env, f"{prefix}.{name}")
    return None


@cache
def _has_tabled_children(env: str, module: str) -> bool:
    return any(path.startswith(module + ".") for path in api_tables.modules(env))


@cache  # asked again and again of the same names (each call's callable, by several rules)
def measured(env: str, dotted: str) -> bool:
    """Measured present: a tabled module, or a name listed in its tabled module."""
    if api_tables.reachable(env, dotted):
        return True
    module = dotted.rpartition(".")[0]
    return api_tables.module(env, module) is not None and exists(env, dotted) is True


@dataclass(frozen=True)
class Spelling:
    """A fully qualified target name (``tensorflow.compat.v1.Session``) and what it costs."""

    dotted: str
    compat: bool  # spelled through tf.compat.v1
    missing_in: tuple[str, ...] = ()  # envs of the target where it still does not exist

    def text(self, tf_alias: str) -> str:
        return tf_alias + self.dotted[len("tensorflow"):]


@dataclass(frozen=True)
class Target:
    """A target and the measured facts of its environments."""

    name: str

    @property
    def envs(self) -> tuple[str, ...]:
        return TARGET_ENVS[self.name]

    @property
    def eager(self) -> bool:
        return self.name == "tf2"

    def exists(self, dotted: str) -> bool:
        """No environment of the target measured it absent (what was not measured is trusted)."""
        return not self.missing_in(dotted)

    def missing_in(self, dotted: str) -> tuple[str, ...]:
        """The environments where ``dotted`` was measured absent."""
        return tuple(env for env in self.envs if exists(env, dotted) is False)

    def has(self, dotted: str) -> bool:
        """Measured present in every environment: only such names are written."""
        return all(measured(env, dotted) for env in self.envs)

    def spell(self, name: str) -> Spelling | None:
        """The target's spelling of a canonical name, or None when it has no equivalent.

        The ``tf.keras`` (or plain TensorFlow) name where it covers as many environments as the
        ``tf.compat.v1`` one, through any public alias of a Keras name (``max_norm`` for
        ``maxnorm``); never a name measured in none of them.
        """
        return _spell(self.name, name)

    def rebind(self, qualified: str) -> str:
        """What the name an import binds means once the import has moved: for standalone Keras
        (and, under ``tf2``, TF 1's private ``tensorflow.python.keras``) the tf.keras path of its
        first public alias the target has everywhere; any other name is itself."""
        return _rebind(self.name, qualified)

    def signatures(self, dotted: str) -> list[api_tables.Signature] | None:
        """The callable's signature in every environment; None when one was not measured."""
        found = [api_tables.signature(env, dotted) for env in self.envs]
        measured = [s for s in found if s is not None]
        return measured if len(measured) == len(found) else None

    def keyword_trouble(self, dotted: str, keyword: str) -> tuple[str, str] | None:
        """The first environment that refuses ``dotted(keyword=...)``, or takes it with a warning
        (deprecated, ignored), and what it said; None when every one takes it silently or it was
        not measured."""
        warned = None
        for env in self.envs:
            accepted = api_tables.accepts_keyword(env, dotted, keyword)
            outcome = api_tables.keyword_outcome(env, dotted, keyword)
            if accepted is False:
                return env, outcome.error if outcome and outcome.error else f"no parameter `{keyword}`"
            if outcome is not None and outcome.warnings and warned is None:
                warned = env, outcome.warnings[0]
        return warned

    def takes_keyword(self, dotted: str, keyword: str) -> bool:
        """Every environment takes ``dotted(keyword=...)`` without a word (measured)."""
        return all(api_tables.accepts_keyword(env, dotted, keyword) for env in self.envs) and (
            self.keyword_trouble(dotted, keyword) is None
        )

    @staticmethod
    def describe(envs: tuple[str, ...]) -> str:
        return ", ".join(ENV_NAMES[env] for env in envs)


@cache
def _rebind(target: str, qualified: str) -> str:
    if not (is_standalone(qualified) or (target == "tf2" and is_private_tf_keras(qualified))):
        return qualified
    name = canonical(qualified)
    if is_tensorflow(name):  # K.tf
        return name
    for alias in aliases(name):
        if Target(target).has("tensorflow." + alias):
            return "tensorflow." + alias
    return "tensorflow." + name


@cache
def _spell(target: str, name: str) -> Spelling | None:
    if is_tensorflow(name):
        rest = name[len("tensorflow"):]
        candidates = [(name, False), ("tensorflow.compat.v1" + rest, True)]
    elif is_standalone(name):
        candidates = [
            (prefix + alias[len("keras"):], compat)
            for compat, prefix in ((False, "tensorflow.keras"), (True, "tensorflow.compat.v1.keras"))
            for alias in aliases(name)
        ]
    else:
        return None
    envs = TARGET_ENVS[target]
    best: Spelling | None = None
    for dotted, compat in candidates:
        present = [env for env in envs if measured(env, dotted)]
        if not present:
            continue
        spelling = Spelling(dotted, compat, tuple(env for env in envs if env not in present))
        if best is None or len(spelling.missing_in) < len(best.missing_in):
            best = spelling
    return best


@cache
def target(name: str) -> Target:
    if name not in TARGETS:
        raise ValueError(f"unknown target {name!r}; choose one of {', '.join(TARGETS)}")
    return Target(name)
