"""What each target environment's TensorFlow/Keras really offers.

The tables are generated inside the real environments by ``data/dump_api.py`` (``nox -s api``);
this module only reads them. ``data/api_<env>.json`` holds every tabled module (how it is
reached, its public names) and is what most runs need; ``data/calls_<env>.json`` holds what a
call needs (signatures, methods, keywords accepted by trial, probes, Keras 2.2.4 homes) and is
read only when one of its readers is first asked.
"""

from __future__ import annotations

import ast
import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any, cast

from migrate_session import envs
from migrate_session.api_records import (
    ApiTable,
    CallsTable,
    MethodsRecord,
    ModuleRecord,
    OutcomeRecord,
)
from migrate_session.envs import ENV_IDS as ENVS

SOURCE_ENV = envs.SOURCE_ENV  # where Keras 2.2.4 was measured; its readers name it from here


def _load(kind: str, env: str) -> Any:
    if env not in ENVS:
        raise KeyError(f"unknown env {env!r}; known: {', '.join(ENVS)}")
    path = resources.files("migrate_session") / "data" / f"{kind}_{env}.json"
    return json.loads(path.read_text(encoding="utf-8"))


@functools.cache
def table(env: str) -> ApiTable:
    found: ApiTable = _load("api", env)
    return found


@functools.cache
def calls(env: str) -> CallsTable:
    found: CallsTable = _load("calls", env)
    return found


# ---- modules and names (api_<env>.json) ----------------------------------------------------


def modules(env: str) -> dict[str, ModuleRecord]:
    return table(env)["modules"]


def module(env: str, path: str) -> ModuleRecord | None:
    """The record of a tabled module path: ``attribute``/``import``/``from_import`` (each with
    its ``_error``), ``importable``, ``resolves_to``, and ``names`` or ``same_as`` (the path
    first found for the same module object, which holds the names)."""
    return modules(env).get(path)


def reachable(env: str, path: str) -> bool:
    record = module(env, path)
    return bool(record and (record["importable"] or record["attribute"]))


@functools.cache
def names(env: str, path: str) -> frozenset[str]:
    record = module(env, path)
    if record is None:
        return frozenset()
    if "same_as" in record:
        return names(env, record["same_as"])
    return frozenset(record["names"] or ())


@functools.cache
def submodules(env: str, path: str) -> frozenset[str] | None:
    """The modules a tabled package holds on disk (``import`` finds them although its names may
    not list them); None when ``path`` is not a tabled package."""
    record = module(env, path)
    if record is None:
        return None
    if "same_as" in record:
        return submodules(env, record["same_as"])
    found = record.get("submodules")
    return frozenset(found) if found is not None else None


def has_name(env: str, path: str, name: str) -> bool:
    """`name` is an attribute of module `path`, reached any way that works in `env`."""
    return reachable(env, path) and name in names(env, path)


def canonical(env: str, dotted: str) -> str:
    """``dotted`` through the path the tables key its module by: the longest tabled prefix
    that is ``same_as`` another path is replaced by it (``tensorflow.compat.v2.nn.relu`` ->
    ``tensorflow.nn.relu``)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        record = module(env, ".".join(parts[:cut]))
        if record is not None:
            if "same_as" in record:
                return ".".join([record["same_as"], *parts[cut:]])
            return dotted
    return dotted


# ---- what a call needs (calls_<env>.json) -------------------------------------------------

KINDS = ("positional_only", "positional_or_keyword", "var_positional", "keyword_only", "var_keyword")


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str  # one of KINDS, as inspect.Parameter.kind
    has_default: bool
    default: str | None  # the default's repr when a plain literal (None, bool, int, float, str, tuples)

    @property
    def by_keyword(self) -> bool:
        return self.kind in ("positional_or_keyword", "keyword_only")


@dataclass(frozen=True)
class Signature:
    parameters: tuple[Parameter, ...]

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name and p.by_keyword), None)

    @property
    def var_keyword(self) -> bool:
        """Takes ``**kwargs``: keywords it does not name are decided at run time."""
        return any(p.kind == "var_keyword" for p in self.parameters)

    def text(self) -> str:
        """As the tables write it: ``pool_size, strides=None, *, name=..., **kwargs``."""
        found = []
        for index, p in enumerate(self.parameters):
            before = self.parameters[index - 1].kind if index else None
            if before == "positional_only" and p.kind != "positional_only":
                found.append("/")
            if p.kind == "keyword_only" and before not in ("keyword_only", "var_positional"):
                found.append("*")
            star = {"var_positional": "*", "var_keyword": "**"}.get(p.kind, "")
            default = f"={p.default if p.default is not None else '...'}" if p.has_default else ""
            found.append(star + p.name + default)
        if self.parameters and self.parameters[-1].kind == "positional_only":
            found.append("/")
        return ", ".join(found)


@dataclass(frozen=True)
class Outcome:
    """How a measured call went: ``ok`` (with the warnings it emitted) or ``error``."""

    ok: bool
    error: str | None = None
    warnings: tuple[str, ...] = ()
    value: Any = None  # the result when it was a plain literal (a probe's `x is y`)


@functools.cache
def parse_signature(text: str) -> Signature:
    """``units, activation=None, *, name=..., **kwargs`` -> Signature (``...``: a default that
    is not a plain literal)."""
    function = cast(ast.FunctionDef, ast.parse(f"def f({text}): pass").body[0])  # that one def
    args = function.args
    positional = [(a, "positional_only") for a in args.posonlyargs]
    positional += [(a, "positional_or_keyword") for a in args.args]
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    params = [_parameter(a.arg, kind, d) for (a, kind), d in zip(positional, defaults)]
    if args.vararg:
        params.append(_parameter(args.vararg.arg, "var_positional", None))
    params += [_parameter(a.arg, "keyword_only", d) for a, d in zip(args.kwonlyargs, args.kw_defaults)]
    if args.kwarg:
        params.append(_parameter(args.kwarg.arg, "var_keyword", None))
    return Signature(tuple(params))


def _parameter(name: str, kind: str, default: ast.expr | None) -> Parameter:
    if default is None:
        return Parameter(name, kind, has_default=False, default=None)
    literal = not (isinstance(default, ast.Constant) and default.value is Ellipsis)
    return Parameter(name, kind, has_default=True, default=ast.unparse(default) if literal else None)


def signature(env: str, dotted: str) -> Signature | None:
    """The parameters of a callable (a class: its constructor; ``Class.method`` too, for the
    classes whose methods are tabled). None when not measured or inspect could not tell."""
    key = canonical(env, dotted)
    table = calls(env)["signatures"]
    if key in table:
        text = table[key]
    else:
        owner, _, name = key.rpartition(".")
        text = (_methods_record(env, owner) or {}).get("methods", {}).get(name)
    return parse_signature(text) if text is not None else None


def _methods_record(env: str, dotted_class: str) -> MethodsRecord | None:
    record = calls(env)["methods"].get(canonical(env, dotted_class))
    if record is not None and "same_as" in record:
        record = calls(env)["methods"][record["same_as"]]
    return record


def methods(env: str, dotted_class: str) -> dict[str, Signature | None] | None:
    """Public methods of a class users call methods on (models, optimizers, callbacks, Layer,
    Dataset, Session, Graph, Saver) with their signatures (self left out). None: not tabled."""
    record = _methods_record(env, dotted_class)
    if record is None:
        return None
    return {
        name: parse_signature(text) if text is not None else None
        for name, text in record["methods"].items()
    }


def has_member(env: str, dotted_class: str, name: str) -> bool | None:
    """A public method or other attribute of a tabled class; None: the class is not tabled."""
    record = _methods_record(env, dotted_class)
    if record is None:
        return None
    return name in record["methods"] or name in record["attributes"]


def _outcome(record: OutcomeRecord) -> Outcome:
    return Outcome(
        ok=record["ok"],
        error=record.get("error"),
        warnings=tuple(record.get("warnings", ())),
        value=record.get("value"),
    )


def keyword_outcome(env: str, dotted_class: str, keyword: str) -> Outcome | None:
    """What constructing the class with a keyword its signature lacks did (the trial's value is
    Keras 2.2.4's default for it). None when not tried."""
    trials = calls(env)["keywords"]
    record = trials.get(canonical(env, dotted_class))
    if record is not None and "same_as" in record:
        record = trials[record["same_as"]]
    if record is None or keyword not in record.get("keywords", {}):
        return None
    return _outcome(record["keywords"][keyword])


def accepts_keyword(env: str, dotted: str, keyword: str) -> bool | None:
    """Whether ``dotted(..., keyword=...)`` is accepted in ``env``: named in the signature,
    found by trial when it goes to ``**kwargs``, or refused by a signature without
    ``**kwargs``. None: not measured.

    Accepted is not honoured: Keras 3 takes ``decay=`` with a warning that it is ignored, and
    TF 2.15's ModelCheckpoint swallows any keyword silently; see keyword_outcome()."""
    found = signature(env, dotted)
    if found is None:
        return None
    if found.parameter(keyword) is not None:
        return True
    tried = keyword_outcome(env, dotted, keyword)
    if tried is not None:
        return tried.ok
    return False if not found.var_keyword else None


def homes(dotted: str) -> tuple[str, ...] | None:
    """Keras 2.2.4 per-file name -> the public Keras 2.2.4 names that are the same object
    (``keras.layers.convolutional.Conv2D`` -> ``keras.layers.Conv2D``, ...). None: not a
    class or function defined by a Keras 2.2.4 module."""
    found = calls(SOURCE_ENV)["homes"].get(dotted)
    return tuple(found) if found is not None else None


@functools.cache
def module_home(path: str) -> str | None:
    """The public Keras 2.2.4 module that the per-file module ``path`` re-exports whole, or
    None: ``keras.objectives`` is ``from .losses import *``, so ``keras.losses``. Measured in
    the source env: a module tf.keras lacks that lists the same names as a public one, every
    class and function of it being that module's (homes())."""
    if not path.startswith("keras.") or _public_keras(path):
        return None
    record = module(SOURCE_ENV, path)
    if record is None or "same_as" in record or not reachable(SOURCE_ENV, path):
        return None
    found = _public_keras_by_names().get(names(SOURCE_ENV, path))
    if found is None:
        return None
    own = [name for name in calls(SOURCE_ENV)["homes"] if name.rpartition(".")[0] == path]
    same = all(f"{found}.{name.rpartition('.')[2]}" in (homes(name) or ()) for name in own)
    return found if own and same else None


def _public_keras(path: str) -> bool:
    """A Keras 2.2.4 module tf.keras has as a module of its own (as data/dump_api.py decides)."""
    return reachable(SOURCE_ENV, "tensorflow." + path)


@functools.cache
def _public_keras_by_names() -> dict[frozenset[str], str]:
    found: dict[frozenset[str], str] = {}
    for path, record in sorted(modules(SOURCE_ENV).items()):
        if path.startswith("keras.") and "same_as" not in record and _public_keras(path) and record["names"]:
            found.setdefault(names(SOURCE_ENV, path), path)
    return found


def probe(env: str, name: str) -> Outcome:
    """A named probe of data/dump_probes.py as it ran in ``env`` (KeyError: no such probe)."""
    return _outcome(calls(env)["probes"][name])


def probe_names() -> tuple[str, ...]:
    return tuple(sorted(calls(SOURCE_ENV)["probes"]))


SYMBOLIC_PROBE = "on a symbolic tensor: "  # data/dump_probes.py's symbolic_probe()


def on_symbolic_tensor(env: str, dotted: str) -> Outcome | None:
    """How ``dotted`` (``tensorflow.keras.backend.mean``) went in ``env`` when called on a layer's
    output (``Input((2,))``); None: not probed."""
    record = calls(env)["probes"].get(SYMBOLIC_PROBE + dotted)
    return _outcome(record) if record is not None else None


# ---- Keras 1 arguments Keras 2.2.4 converted (calls_<source env>.json) ----------------------


@dataclass(frozen=True)
class LegacyInterface:
    """How Keras 2.2.4 converted a callable's Keras 1 arguments at run time, as the wrapper of
    ``keras.legacy.interfaces`` holds them: its preprocessor first, then the value conversions,
    then the renames."""

    kind: str  # "class" (its constructor), "method" or "function"
    preprocessor: str | None  # the name of the function that rewrote the arguments first
    value_conversions: dict[str, tuple[tuple[Any, Any], ...]]  # Keras 1 keyword -> (old value, new value)
    conversions: tuple[tuple[str, str], ...]  # (Keras 1 keyword, Keras 2 keyword)
    allowed_positional_args: tuple[str, ...] | None  # more raised TypeError; None: not counted


def legacy_interface(dotted: str) -> LegacyInterface | None:
    """The legacy interface Keras 2.2.4 wraps a public class (its constructor), method or
    function in (``keras.layers.Conv2D``, ``keras.models.Model.fit_generator``); None: not wrapped."""
    table = calls(SOURCE_ENV)["legacy_interfaces"]
    record = table.get(dotted)
    if record is not None and "same_as" in record:
        record = table[record["same_as"]]
    if record is None:
        return None
    allowed = record["allowed_positional_args"]
    return LegacyInterface(
        kind=record["kind"],
        preprocessor=record["preprocessor"],
        value_conversions={
            key: tuple((old, new) for old, new in pairs) for key, pairs in record["value_conversions"].items()
        },
        conversions=tuple((old, new) for old, new in record["conversions"]),
        allowed_positional_args=tuple(allowed) if allowed is not None else None,
    )


@functools.cache
def keras1_renames() -> dict[str, str]:
    """Keras 1 keyword -> the Keras 2 keyword every legacy interface of Keras 2.2.4 renamed it to
    (``border_mode`` -> ``padding``); a keyword renamed to different names is left out."""
    seen: dict[str, set[str]] = {}
    for record in calls(SOURCE_ENV)["legacy_interfaces"].values():
        for old, new in record.get("conversions", ()):
            seen.setdefault(old, set()).add(new)
    return {old: next(iter(new)) for old, new in sorted(seen.items()) if len(new) == 1}


def legacy_methods() -> dict[str, str]:
    """Method name -> the dotted method whose Keras 1 arguments Keras 2.2.4 converted
    (``fit_generator`` -> ``keras.Model.fit_generator``), for methods that renamed any."""
    found: dict[str, str] = {}
    for dotted, record in sorted(calls(SOURCE_ENV)["legacy_interfaces"].items()):
        if record.get("kind") == "method" and record["conversions"]:
            found.setdefault(dotted.rpartition(".")[2], dotted)
    return found
