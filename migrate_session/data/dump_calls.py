"""What a call needs, measured in the running environment (imported by dump_api.py).

- signatures: a callable's parameters as Python source (``units, activation=None, *, name=None,
  **kwargs``); a default that is not a plain literal (None, bool, int, float, str, tuples of
  them) is written ``...``; annotations are left out; null where inspect.signature fails.
- methods: the public methods (with signatures) and other public attributes of the classes
  user code calls methods on.
- keywords: for Keras classes taking ``**kwargs``, whether a keyword their explicit signature
  lacks is accepted, found by constructing the class without it and then with it.
- homes (the source environment only): for every name of a Keras 2.2.4 module, the public
  names that are the same object.
- legacy_interfaces (the source environment only): the Keras 1 arguments Keras 2.2.4 converted
  at run time (``keras/legacy/interfaces.py``), per public class, method or function it wraps.

Stdlib only and Python-3.6-safe.
"""

import ast
import inspect
import os
import sys

from dump_probes import attempt, is_literal, warning_lines

KIND_PREFIX = {
    inspect.Parameter.VAR_POSITIONAL: "*",
    inspect.Parameter.VAR_KEYWORD: "**",
}


def render_parameters(parameters):
    parts = []
    positional_only = False
    keyword_only_marked = False
    for parameter in parameters:
        kind = parameter.kind
        if positional_only and kind != inspect.Parameter.POSITIONAL_ONLY:
            parts.append("/")
            positional_only = False
        if kind == inspect.Parameter.POSITIONAL_ONLY:
            positional_only = True
        if kind == inspect.Parameter.VAR_POSITIONAL:
            keyword_only_marked = True
        if kind == inspect.Parameter.KEYWORD_ONLY and not keyword_only_marked:
            parts.append("*")
            keyword_only_marked = True
        text = KIND_PREFIX.get(kind, "") + parameter.name
        if parameter.default is not inspect.Parameter.empty:
            default = parameter.default
            plain = is_literal(default) and not of_this_machine(default)
            text += "=" + (repr(default) if plain else "...")
        parts.append(text)
    if positional_only:
        parts.append("/")
    return ", ".join(parts)


MACHINE_PATHS = tuple(
    path
    for path in {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.expanduser("~"), "site-packages"}
    if len(path) > 1
)


def of_this_machine(value):
    """A default computed from where Python is installed (``executable=sys.executable``)."""
    return isinstance(value, str) and any(path in value for path in MACHINE_PATHS)


def signature_text(obj, drop_first=False):
    try:
        parameters = list(inspect.signature(obj).parameters.values())
    except Exception:  # noqa: BLE001 - no signature is recorded as null, never guessed
        return None
    if drop_first and parameters and parameters[0].kind in (
        inspect.Parameter.POSITIONAL_ONLY,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
    ):
        parameters = parameters[1:]
    return render_parameters(parameters)


def named_parameters(text):
    """{name: default node or None} of a rendered signature's keyword-passable parameters."""
    try:
        args = ast.parse(f"def f({text}): pass").body[0].args
    except SyntaxError:
        return {}
    positional = list(getattr(args, "posonlyargs", ())) + list(args.args)
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    found = {arg.arg: default for arg, default in zip(positional, defaults) if arg in args.args}
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        found[arg.arg] = default
    return found


NO_VALUE = object()


def literal_default(node):
    """The value of a rendered default, or a marker when it was not a plain literal."""
    if node is None:
        return NO_VALUE
    try:
        value = ast.literal_eval(node)
    except ValueError:
        return NO_VALUE
    return NO_VALUE if value is Ellipsis else value


def callable_signatures(path, module, names):
    """{path.name: signature} for the module's public callables that are not modules."""
    found = {}
    for name in names:
        try:
            value = getattr(module, name)
        except Exception:  # noqa: BLE001, S112 - listed by dir() but broken: not a callable we can measure
            continue
        if callable(value) and not inspect.ismodule(value):
            found[f"{path}.{name}"] = signature_text(value)
    return found


def class_methods(cls):
    """{"methods": {name: signature as called on an instance}, "attributes": [other names]}."""
    methods = {}
    attributes = []
    for name in sorted(dir(cls)):
        if name.startswith("_"):
            continue
        try:
            static = inspect.getattr_static(cls, name)
            value = getattr(cls, name)
        except Exception:  # noqa: BLE001 - a descriptor that raises on the class is an attribute
            attributes.append(name)
            continue
        if isinstance(static, (classmethod, staticmethod)) or inspect.isclass(value):
            methods[name] = signature_text(value)
        elif callable(value) and not isinstance(static, property):
            methods[name] = signature_text(value, drop_first=True)  # self
        else:
            attributes.append(name)
    return {"attributes": attributes, "methods": methods}


# Classes whose methods user code calls, as (module, class) under every Keras root.
METHOD_CLASSES = (
    ("models", "Model"),
    ("models", "Sequential"),
    ("layers", "Layer"),
    ("optimizers", "Optimizer"),
    ("callbacks", "Callback"),
)
KERAS_ROOTS = ("keras", "tensorflow.keras")
TF_METHOD_CLASSES = (
    "tensorflow.Graph",
    "tensorflow.Session",
    "tensorflow.compat.v1.Graph",
    "tensorflow.compat.v1.Session",
    "tensorflow.compat.v1.data.Dataset",
    "tensorflow.compat.v1.train.Saver",
    "tensorflow.data.Dataset",
    "tensorflow.train.Saver",
)
# Every class of these modules that subclasses the module's named base class, too.
SUBCLASSES_OF = (
    ("optimizers", "Optimizer"),
    ("optimizers.legacy", "Optimizer"),
    ("callbacks", "Callback"),
)


def method_classes(lookup):
    """{dotted class path: class} to measure; `lookup(dotted)` returns the object or None."""
    found = {}
    for root in KERAS_ROOTS:
        for module, name in METHOD_CLASSES:
            path = f"{root}.{module}.{name}"
            cls = lookup(path)
            if inspect.isclass(cls):
                found[path] = cls
        for module, base_name in SUBCLASSES_OF:
            base = lookup(f"{root}.{module}.{base_name}")
            namespace = lookup(f"{root}.{module}")
            if not inspect.isclass(base) or namespace is None:
                continue
            for name in sorted(dir(namespace)):
                cls = lookup(f"{root}.{module}.{name}")
                if not name.startswith("_") and inspect.isclass(cls) and issubclass(cls, base):
                    found[f"{root}.{module}.{name}"] = cls
    for path in TF_METHOD_CLASSES:
        cls = lookup(path)
        if inspect.isclass(cls):
            found[path] = cls
    return found


def methods_table(classes):
    """Methods per class path; a class already measured under another path points to it."""
    table = {}
    first_path = {}
    for path in sorted(classes):
        cls = classes[path]
        if id(cls) in first_path:
            table[path] = {"same_as": first_path[id(cls)]}
            continue
        first_path[id(cls)] = path
        table[path] = class_methods(cls)
    return table


# ---- keywords swallowed by **kwargs -------------------------------------------------------

# Keras modules whose classes are constructed with and without each keyword.
TRIAL_MODULES = (
    "callbacks",
    "constraints",
    "initializers",
    "layers",
    "optimizers",
    "optimizers.legacy",
    "regularizers",
)
# Tried on every class besides the Keras 2.2.4 keywords its explicit signature lacks (and
# `learning_rate`, what later Kerases call `lr`). The value is Keras 2.2.4's default for the
# same-named class when it has one, else this one.
EXTRA_KEYWORDS = {"decay": 0.0, "input": None, "learning_rate": 0.01, "lr": 0.01, "output": None}
# Tried on every layer: what Keras 2.2.4's Layer.__init__ took through **kwargs (its
# allowed_kwargs), so no layer's signature names them. Not `input_shape`/`input_dim`: Keras 3
# takes them with a "prefer an Input object" warning and honours them, which is not a trouble.
LAYER_KEYWORDS = {
    "batch_input_shape": (None, 1),
    "batch_size": 1,
    "dtype": "float32",
    "input_dtype": "float32",
    "trainable": True,
    "weights": None,
}


def _sample(value):
    return lambda keras: value


# How a trial constructs a class whose constructor has required parameters: a sample value
# by parameter name, made from the same Keras. It is how acceptance is measured, not a claim.
SAMPLE_ARGUMENTS = {
    "activation": _sample("relu"),
    "axes": _sample(1),
    "backup_dir": _sample("backup"),
    "cell": lambda keras: keras.layers.SimpleRNNCell(1),
    "cells": lambda keras: [keras.layers.SimpleRNNCell(1)],
    "checkpoint_filepath": _sample("ckpt"),
    "dims": _sample((1,)),
    "equation": _sample("ab,bc->ac"),
    "export_filepath": _sample("export"),
    "factor": _sample(0.1),
    "filename": _sample("log.csv"),
    "filepath": _sample("w.h5"),
    "filters": _sample(1),
    "function": _sample(lambda x: x),
    "head_dim": _sample(1),
    "height": _sample(1),
    "height_factor": _sample(0.1),
    "inner_optimizer": lambda keras: keras.optimizers.SGD(),
    "input_dim": _sample(2),
    "kernel_size": _sample(1),
    "key_dim": _sample(1),
    "layer": lambda keras: keras.layers.SimpleRNN(1),  # Bidirectional wants a recurrent one
    "learning_rate": _sample(0.01),
    "max_number": _sample(1),
    "n": _sample(1),
    "name": _sample("trial"),
    "num_bins": _sample(2),
    "num_heads": _sample(1),
    "num_key_value_heads": _sample(1),
    "num_query_heads": _sample(1),
    "optimizer": lambda keras: keras.optimizers.SGD(),
    "output_dim": _sample(1),
    "output_shape": _sample((1,)),
    "output_size": _sample(1),
    "pool_size": _sample(1),
    "rate": _sample(0.5),
    "scale": _sample(1.0),
    "schedule": _sample(lambda epoch, lr=None: 0.01),
    "stddev": _sample(0.1),
    "target": _sample(1),
    "target_shape": _sample((1,)),
    "units": _sample(1),
    "width": _sample(1),
    "width_factor": _sample(0.1),
}


# Classes whose constructor takes no required parameter but cannot be made without one.
CLASS_ARGUMENTS = {
    "CategoryEncoding": {"num_tokens": 2},
    "DenseFeatures": {"feature_columns": []},
    "InputLayer": {"input_shape": (2,)},
    "RandomPosterization": {"factor": 1},
}


def required_arguments(text, keras, class_name):
    """Sample values for the required keyword-passable parameters, or None when one has none."""
    arguments = dict(CLASS_ARGUMENTS.get(class_name, {}))
    for name, default in named_parameters(text).items():
        if default is not None:
            continue
        if name not in SAMPLE_ARGUMENTS:
            return None
        arguments[name] = SAMPLE_ARGUMENTS[name](keras)
    return arguments


def trial_classes(lookup):
    """{dotted path: class} of every public class of the trial modules under each Keras root,
    defined by Keras or TensorFlow (not what a module imported from elsewhere)."""
    found = {}
    for root in KERAS_ROOTS:
        for module in TRIAL_MODULES:
            namespace = lookup(f"{root}.{module}")
            if namespace is None:
                continue
            for name in sorted(dir(namespace)):
                path = f"{root}.{module}.{name}"
                cls = lookup(path) if not name.startswith("_") else None
                home = str(getattr(cls, "__module__", "")).split(".")[0]
                if inspect.isclass(cls) and home in ("keras", "tensorflow"):
                    found[path] = cls
    return found


def source_class(path):
    """The Keras 2.2.4 counterpart of a class path: ``tensorflow.keras.optimizers.legacy.Adam``
    -> ``keras.optimizers.Adam``."""
    for root in KERAS_ROOTS:
        if path.startswith(root + "."):
            rest = path[len(root) + 1:]
            return "keras." + rest.replace("optimizers.legacy.", "optimizers.", 1)
    return None


def keyword_trials(classes, signatures, source_signatures, keras_of):
    """{class path: {"baseline": outcome, "keywords": {keyword: outcome + "tried": value}}}.

    `signatures` are this env's, `source_signatures` Keras 2.2.4's (by dotted path), and
    `keras_of(path)` the Keras namespace a class belongs to (for sample arguments).
    """
    trials = {}
    measured = {}
    for path in sorted(classes):
        cls = classes[path]
        text = signatures.get(path)
        if text is None or "**" not in text:
            continue  # without **kwargs the signature alone says which keywords are taken
        source = source_signatures.get(source_class(path))
        source_params = named_parameters(source) if source else {}
        extra = set(EXTRA_KEYWORDS) | (set(LAYER_KEYWORDS) if is_layer(cls, keras_of(path)) else set())
        keywords = sorted((set(source_params) | extra) - set(named_parameters(text)))
        key = (id(cls), tuple(keywords))
        if key in measured:
            trials[path] = {"same_as": measured[key]}
            continue
        measured[key] = path
        trials[path] = _trial(cls, text, keywords, source_params, keras_of(path))
    return trials


def is_layer(cls, keras):
    layer = getattr(getattr(keras, "layers", None), "Layer", None)
    return isinstance(layer, type) and issubclass(cls, layer)


def construct(cls, arguments):
    cls(**arguments)  # the instance is not the measurement: whether it could be made is


def _trial(cls, text, keywords, source_params, keras):
    try:
        required = required_arguments(text, keras, cls.__name__)
    except Exception as exc:  # noqa: BLE001 - a sample that cannot be made: no baseline
        return {"baseline": {"ok": False, "error": "sample: " + str(type(exc).__name__)}}
    if required is None:
        return {"baseline": {"ok": False, "error": "no sample value for a required parameter"}}
    baseline = attempt(construct, cls, required)
    record = {"baseline": baseline}
    if not baseline["ok"]:
        return record
    outcomes = {}
    for keyword in keywords:
        value = literal_default(source_params.get(keyword))
        if value is NO_VALUE:
            value = {**LAYER_KEYWORDS, **EXTRA_KEYWORDS}.get(keyword, NO_VALUE)
            if value is NO_VALUE:
                continue
        arguments = dict(required)
        arguments[keyword] = value
        outcome = attempt(construct, cls, arguments, ignore=warning_lines(baseline))
        outcome["tried"] = value  # the keyword's value in this trial
        outcomes[keyword] = outcome
    record["keywords"] = outcomes
    return record


# ---- where Keras 2.2.4's per-file names live ----------------------------------------------


def _directness(alias, name):
    return (alias.rpartition(".")[2] != name, alias.count("."), alias)


def homes(keras_modules, public_modules):
    """{keras.m.name: [public aliases]} for every class or function of every Keras 2.2.4 module
    (`keras_modules`: {path: module}) that Keras defines; `public_modules` ({path: module})
    are those whose names count as public. The most direct alias first: the same name, then
    the shallower module (``keras.utils.get_file`` before ``keras.datasets.mnist.get_file``)."""
    by_object = {}
    for path in sorted(public_modules):
        module = public_modules[path]
        for name in sorted(dir(module)):
            if name.startswith("_"):
                continue
            value = getattr(module, name, None)
            if inspect.isclass(value) or inspect.isroutine(value):
                by_object.setdefault(id(value), []).append(f"{path}.{name}")
    table = {}
    for path in sorted(keras_modules):
        module = keras_modules[path]
        for name in sorted(dir(module)):
            value = getattr(module, name, None) if not name.startswith("_") else None
            defined_by = str(getattr(value, "__module__", "")).split(".")[0]
            if (inspect.isclass(value) or inspect.isroutine(value)) and defined_by == "keras":
                aliases = by_object.get(id(value), ())
                table[f"{path}.{name}"] = sorted(aliases, key=lambda a: _directness(a, name))
    return table


# ---- Keras 1 arguments Keras 2.2.4 converted at run time ----------------------------------


def legacy_interface(function):
    """How ``keras.legacy.interfaces`` converts the Keras 1 arguments of a wrapped callable,
    read from the wrapper's closure (``generate_legacy_interface``'s arguments); None when
    ``function`` is not such a wrapper."""
    if not hasattr(function, "_original_function"):
        return None
    code = getattr(function, "__code__", None)
    cells = getattr(function, "__closure__", None) or ()
    if code is None or len(code.co_freevars) != len(cells):
        return None
    found = {}
    for name, cell in zip(code.co_freevars, cells):
        try:
            found[name] = cell.cell_contents
        except ValueError:  # an empty cell
            continue
    if "conversions" not in found:
        return None
    values = found.get("value_conversions") or {}
    preprocessor = found.get("preprocessor")
    return {
        # None: the wrapper does not count positional arguments
        "allowed_positional_args": list(found.get("allowed_positional_args") or [])
        if found.get("check_positional_args") else None,
        "conversions": [list(pair) for pair in found["conversions"] or ()],
        "preprocessor": getattr(preprocessor, "__name__", None) if preprocessor else None,
        # {old keyword: [[old value, new value], ...]}: applied before the keyword is renamed
        "value_conversions": {
            key: sorted(([old, new] for old, new in values[key].items()), key=repr) for key in sorted(values)
        },
    }


def legacy_interfaces(public_modules):
    """{dotted: interface} for every public Keras 2.2.4 class whose constructor (inherited or
    not), method (defined by that class) or function a legacy interface wraps; ``kind`` says
    which. A wrapper met again under another path is recorded ``same_as`` the first."""
    table = {}
    first_path = {}

    def add(path, function, kind):
        record = legacy_interface(function)
        if record is None:
            return
        if id(function) in first_path:
            table[path] = {"same_as": first_path[id(function)]}
            return
        first_path[id(function)] = path
        record["kind"] = kind
        table[path] = record

    for path in sorted(public_modules):
        module = public_modules[path]
        for name in sorted(dir(module)):
            value = getattr(module, name, None) if not name.startswith("_") else None
            if str(getattr(value, "__module__", "")).split(".")[0] != "keras":
                continue
            if inspect.isclass(value):
                add(f"{path}.{name}", getattr(value, "__init__", None), "class")
                for attribute, member in sorted(vars(value).items()):
                    if not attribute.startswith("_"):
                        add(f"{path}.{name}.{attribute}", member, "method")
            elif inspect.isfunction(value):
                add(f"{path}.{name}", value, "function")
    return table
