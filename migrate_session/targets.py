"""What each target can spell, decided by the API tables measured in the real environments.

Standalone Keras names are *canonicalized* first (``keras.backend.tensorflow_backend.X`` is
``keras.backend.X``, ``K.tf`` is TensorFlow itself) and then *spelled* for a target: the
``tf.keras`` name when every environment the target claims has it, else (``tf2`` only) the
``tf.compat.v1`` name that TF 2.15's Keras 2 still has but Keras 3 does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from migrate_session import api_tables

TARGETS = ("tf1", "tf2")
DEFAULT_TARGET = "tf2"
TARGET_ENVS = api_tables.TARGET_ENVS
ENV_NAMES = {"tf112": "TF 1.12", "tf215": "TF 2.15 (Keras 2)", "tf2": "TF >= 2.16 (Keras 3)"}

# Hand-written overrides: standalone modules whose tf.keras home has another path.
# Every name is still checked against the measured tables before it is moved.
MODULE_HOMES = {
    "keras.backend.tensorflow_backend": "keras.backend",
    "keras.utils.np_utils": "keras.utils",
    "keras.utils.generic_utils": "keras.utils",
}
# Private TF paths that are tf.keras under another name (both Kerases in one file, pattern A10).
PRIVATE_TF_KERAS = "tensorflow.python.keras"
# `K.tf` is the tensorflow module itself: keras/backend/tensorflow_backend.py does `import tensorflow as tf`.
KERAS_TF_ATTRS = ("keras.backend.tf", "keras.backend.tensorflow_backend.tf")


def is_standalone(qualified: str) -> bool:
    return qualified == "keras" or qualified.startswith("keras.")


def _replace_prefix(qualified: str, old: str, new: str) -> str | None:
    if qualified == old or qualified.startswith(old + "."):
        return new + qualified[len(old):]
    return None


def home(qualified: str) -> str:
    """The standalone-Keras path with module overrides applied (still spelled ``keras...``)."""
    for old in sorted(MODULE_HOMES, key=len, reverse=True):
        moved = _replace_prefix(qualified, old, MODULE_HOMES[old])
        if moved is not None:
            return moved
    return qualified


def canonical(qualified: str) -> str:
    """One name per API: ``keras.*`` for Keras (either Keras), ``tensorflow.*`` for TF.

    tf.keras and compat spellings fold into the same names, so code that is already half on
    tf.keras is spelled for the target like the rest.
    """
    for alias in KERAS_TF_ATTRS:
        moved = _replace_prefix(qualified, alias, "tensorflow")
        if moved is not None:
            return moved
    for tf_keras in (PRIVATE_TF_KERAS, "tensorflow.compat.v1.keras", "tensorflow.keras"):
        moved = _replace_prefix(qualified, tf_keras, "keras")
        if moved is not None:
            return home(moved)
    moved = _replace_prefix(qualified, "tensorflow.compat.v1", "tensorflow")
    if moved is not None:
        return moved
    return home(qualified)


def rebind(qualified: str) -> str:
    """What a standalone binding means once its import moves to tf.keras."""
    return "tensorflow." + home(qualified) if is_standalone(qualified) else qualified


@cache
def exists(env: str, dotted: str) -> bool:
    """Is ``dotted`` (a module, a name in one, or an attribute of such a name) in ``env``?

    The longest tabled module prefix decides. Past it, one name is checked against the
    module's names; further attributes of a plain name (``Dense.__name__``) are taken on
    trust, but not those of an untabled *module* (``tf.compat.v1.keras.layers``, whose
    siblings are tabled): what was not measured is not assumed to exist.
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
        if parts[cut] not in api_tables.names(env, prefix):
            return False
        return cut + 1 == len(parts) or not _has_tabled_children(env, f"{prefix}.{parts[cut]}")
    return False


@cache
def _has_tabled_children(env: str, module: str) -> bool:
    return any(path.startswith(module + ".") for path in api_tables.modules(env))


def exists_in(target: str, dotted: str) -> bool:
    return all(exists(env, dotted) for env in TARGET_ENVS[target])


def measured_in(target: str, dotted: str) -> bool:
    """Stricter than exists_in, for names the tool *writes*: a tabled module or one of its names."""
    module = dotted.rpartition(".")[0]
    return all(
        api_tables.reachable(env, dotted) or (api_tables.module(env, module) is not None and exists(env, dotted))
        for env in TARGET_ENVS[target]
    )


def missing_envs(target: str, dotted: str) -> tuple[str, ...]:
    return tuple(env for env in TARGET_ENVS[target] if not exists(env, dotted))


@dataclass(frozen=True)
class Spelling:
    """A fully qualified target name (``tensorflow.compat.v1.Session``) and what it costs."""

    dotted: str
    compat: bool  # spelled through tf.compat.v1
    missing_in: tuple[str, ...] = ()  # envs of the target where it still does not exist

    def text(self, tf_alias: str) -> str:
        return tf_alias + self.dotted[len("tensorflow"):]


@cache
def spell(target: str, name: str) -> Spelling | None:
    """The target's spelling of a canonical name, or None when the target has no equivalent."""
    if name == "tensorflow" or name.startswith("tensorflow."):
        rest = name[len("tensorflow"):]
        candidates = [name, "tensorflow.compat.v1" + rest]
    elif is_standalone(name):
        rest = name[len("keras"):]
        candidates = ["tensorflow.keras" + rest, "tensorflow.compat.v1.keras" + rest]
    else:
        return None
    direct, compat = candidates
    if measured_in(target, direct):
        return Spelling(direct, compat=False)
    if measured_in(target, compat):
        return Spelling(compat, compat=True)
    envs = TARGET_ENVS[target]
    if target == "tf2" and any(api_tables.module(env, compat.rpartition(".")[0]) and exists(env, compat) for env in envs):
        return Spelling(compat, compat=True, missing_in=missing_envs(target, compat))
    return None


def describe_envs(envs: tuple[str, ...]) -> str:
    return ", ".join(ENV_NAMES[env] for env in envs)
