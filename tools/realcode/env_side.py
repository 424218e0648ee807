"""Run inside a TensorFlow env: resolve the checks of checks.json, one JSON line each into results.

    python env_side.py CHECKS.json RESULTS.jsonl [SECONDS_PER_CHECK]

Standard library only, Python 3.6-safe. It must never stop on one bad name: every check runs in
try/except (even SystemExit), under an alarm, and a line ``{"key": ..., "start": true}`` is
written before each check so that the host can tell which check killed or hung the process.
Run it in a scratch directory: what a constructor writes lands in the working directory.
A result is ``{"key", "status": ok|fail|inconclusive|unresolved, "error", "failures",
"unsure"}``; ``failures`` and ``unsure`` list ``[what, error]`` for the parts of a call.
"""

import ast
import importlib
import inspect
import json
import os
import re
import signal
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
if sys.path and os.path.abspath(sys.path[0] or ".") == HERE:
    del sys.path[0]  # this folder's modules must not shadow anything TensorFlow imports

# Values for parameters a call passes as non-literals: required ones, and keywords tried by
# constructing (any other keyword is tried with None).
SAMPLES = {
    "filepath": "w.h5", "units": 1, "filters": 1, "kernel_size": 1, "output_dim": 1,
    "rate": 0.5, "pool_size": 2, "size": 2, "monitor": "loss", "target_shape": (1,),
    "dims": (1,), "n": 1, "function": (lambda x: x), "schedule": (lambda epoch: 0.1),
    "input_shape": (1,), "batch_input_shape": (None, 1), "input_dim": 1, "name": "sample",
    "dtype": "float32", "trainable": True, "lr": 0.001, "learning_rate": 0.001,
}
# Keras classes whose constructors take **kwargs and are cheap and harmless to build.
KERAS_BASES = frozenset({"Optimizer", "OptimizerV2", "Callback", "Layer", "Initializer",
                         "Regularizer", "Constraint"})
KERAS_ROOTS = ("keras", "tensorflow", "tf_keras")
REJECTED = re.compile(r"not recognized|unrecognized|not understood|unexpected keyword|unknown|"
                      r"deprecated|invalid keyword|not a valid (?:keyword )?argument|"
                      r"no longer exists", re.IGNORECASE)  # Keras 2.2.4: "The `mode` argument of ..."
NAMED = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


class CheckTimeout(BaseException):
    """Raised by the alarm; a BaseException so that `except Exception` in library code lets it by."""


def first_line(error):
    text = str(error).strip()
    return f"{type(error).__name__}: {text.splitlines()[0] if text else ''}"


def attempt(function, *args):
    """``(result, None)`` or ``(None, error)``: anything but the alarm is caught, even SystemExit."""
    try:
        return function(*args), None
    except CheckTimeout:
        raise
    except BaseException as error:  # noqa: BLE001 - one bad name never stops the run
        return None, error


_MODULES = {}


def import_module(name):
    if name not in _MODULES:
        _MODULES[name] = attempt(importlib.import_module, name)
    module, error = _MODULES[name]
    if error is not None:
        raise error
    return module


def resolve(dotted):
    """As the code reaches it: import the root, then attribute by attribute; only where an
    attribute is missing, import that module (``keras.backend.tensorflow_backend``, which the
    code imports itself) and go on from it.

    Importing first would both differ from the code and change the env: in TF 1.12
    ``import tensorflow.app`` rebinds ``tf.app`` to a module without ``flags``.
    """
    parts = dotted.split(".")
    obj = import_module(parts[0])
    for cut in range(1, len(parts)):
        found, missing = attempt(getattr, obj, parts[cut])
        if missing is None:
            obj = found
            continue
        module, error = attempt(import_module, ".".join(parts[:cut + 1]))
        if error is not None:
            raise missing  # the attribute's error: what the code would raise
        obj = module
    return obj


def check_import(check):
    return outcome(attempt(exec, f"import {check['module']}", {}))  # as written: Python's semantics


def check_from(check):
    return outcome(attempt(exec, f"from {check['module']} import {check['member']}", {}))


def check_name(check):
    return outcome(attempt(resolve, check["dotted"]))


def outcome(attempted):
    _, error = attempted
    return {"status": "ok"} if error is None else {"status": "fail", "error": first_line(error)}


def check_method(check):
    owners = [owner for owner, error in (attempt(resolve, d) for d in check["owners"]) if error is None]
    if not owners:
        return {"status": "inconclusive", "error": f"none of {', '.join(check['owners'])} resolves"}
    if any(hasattr(owner, check["member"]) for owner in owners):
        return {"status": "ok"}
    names = ", ".join(dotted.split(".")[-1] for dotted in check["owners"])
    return {"status": "fail", "error": f"AttributeError: no `{check['member']}` on {names}"}


def check_call(check):
    callable_, error = attempt(resolve, check["dotted"])
    if error is not None:  # its name check says so
        return {"status": "unresolved", "error": first_line(error)}
    if inspect.isclass(callable_) and hasattr(callable_, "DESCRIPTOR"):
        return check_message(check, callable_)
    try:
        signature = inspect.signature(callable_)
    except (TypeError, ValueError) as error:
        return {"status": "inconclusive", "error": "no signature: " + first_line(error)}
    literals = {key: ast.literal_eval(value) for key, value in check["literals"].items()}
    call = Call(check, signature, literals)
    call.bind_keywords()
    call.bind_positional()
    if call.absorbed:
        if not inspect.isclass(callable_) or not keras_object(callable_):
            why = "binds only through **kwargs of a callable that is not a Keras object: not tried"
            call.unsure.extend([f"keyword `{keyword}`", why] for keyword in call.absorbed)
        else:
            call.construct(callable_)
    status = "fail" if call.failures else "inconclusive" if call.unsure else "ok"
    return {"status": status, "failures": call.failures, "unsure": call.unsure}


def check_message(check, message):
    """A protocol buffer (``tf.ConfigProto(...)``): keywords are its fields, nothing positional."""
    fields = message.DESCRIPTOR.fields_by_name
    failures = [[f"keyword `{k}`", f"ValueError: {check['dotted']} has no field `{k}`"]
                for k in check["keywords"] if k not in fields]
    if check["positional"]:
        failures.append(["arguments", f"TypeError: {check['dotted']} takes no positional arguments"])
    return {"status": "fail" if failures else "ok", "failures": failures, "unsure": []}


class Call:
    """A call's arguments against a signature: failures, unsure parts, keywords left to **kwargs."""

    def __init__(self, check, signature, literals):
        self.check, self.signature, self.literals = check, signature, literals
        self.params = signature.parameters
        self.failures, self.unsure, self.absorbed = [], [], []

    def bind_keywords(self):
        takes_any = any(p.kind == p.VAR_KEYWORD for p in self.params.values())
        for keyword in self.check["keywords"]:
            param = self.params.get(keyword)
            if param is not None and param.kind in NAMED:
                continue
            if takes_any:
                self.absorbed.append(keyword)
            else:
                shown = f"{self.check['dotted']}({', '.join(self.params)})"
                self.failures.append([f"keyword `{keyword}`", f"TypeError: no parameter `{keyword}` in {shown}"])

    def bind_positional(self):
        if self.check["positional"] is None or self.failures:
            return
        bind = self.signature.bind_partial if self.check["more_keywords"] else self.signature.bind
        try:
            bind(*[None] * self.check["positional"], **dict.fromkeys(self.check["keywords"]))
        except TypeError as error:
            self.failures.append(["arguments", f"TypeError: {error} (signature {self.signature})"])

    def construct(self, cls):
        """Build the object, each keyword it rejects by name is a failure; retry without it."""
        base, why = self.base_arguments()
        if why:
            self.unsure.extend([f"keyword `{k}`", why] for k in self.absorbed)
            return
        values = {k: self.literals[k] if k in self.literals else stand_in(cls, k) for k in self.absorbed}
        remaining = list(self.absorbed)
        while remaining:
            arguments = dict(base)
            arguments.update((k, values[k]) for k in remaining)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    cls(**arguments)
                return
            except CheckTimeout:
                raise
            except (TypeError, ValueError) as error:
                named = [k for k in remaining if rejects(error, k)]
                reason = first_line(error)
                if not named and remaining == self.absorbed and self.exact(base):
                    valued = [name for name, value in arguments.items() if names_value(error, name, value)]
                    if valued:  # the call itself, as written, raises this about its own values
                        shown = ", ".join(f"`{name}`" for name in valued)
                        self.failures.append([f"value of {shown}", reason + " (constructed with the"
                                              " call's own arguments, all literals)"])
                        self.unsure.extend([f"keyword `{k}`", "not decided: the call fails on the value of "
                                            + shown] for k in remaining if k not in valued)
                        return
            except BaseException as error:  # noqa: BLE001
                named, reason = [], first_line(error)
            if not named:
                self.unsure.extend([f"keyword `{k}`", "constructing: " + reason] for k in remaining)
                return
            for keyword in named:
                note = "" if keyword in self.literals else (
                    f" (its value is not a literal: tried with {values[keyword]!r})")
                self.failures.append([f"keyword `{keyword}`", reason + note])
                remaining.remove(keyword)

    def exact(self, base):
        """Whether constructing with ``base`` and the absorbed keywords is the call as written:
        every argument of the call is a literal, none is left out and no sample is added."""
        check = self.check
        if check["positional"] is None or check["more_keywords"]:
            return False
        given = [f"#{i}" for i in range(check["positional"])] + list(check["keywords"])
        return all(k in self.literals for k in given) and len(base) + len(self.absorbed) == len(given)

    def base_arguments(self):
        """Arguments for the parameters the call binds by name or position: literals, else samples."""
        if self.check["positional"] is None:
            return {}, "called with *args: not constructed"
        positional = [p for p in self.params.values() if p.kind in POSITIONAL]
        if self.check["positional"] > len(positional):
            return {}, "more positional arguments than named parameters: not constructed"
        given = {f"#{i}": p.name for i, p in enumerate(positional[:self.check["positional"]])}
        given.update((k, k) for k in self.check["keywords"] if k not in self.absorbed)
        arguments = {}
        for key, name in given.items():
            if key in self.literals:
                arguments[name] = self.literals[key]
        for param in self.params.values():
            if param.name in arguments or param.kind not in NAMED or param.default is not param.empty:
                continue
            if param.name not in SAMPLES:
                return {}, f"no sample value for required parameter `{param.name}`: not constructed"
            arguments[param.name] = SAMPLES[param.name]
        return arguments, None


def stand_in(cls, keyword):
    """A value for a keyword whose value in the call is not a literal."""
    if keyword in ("inputs", "outputs") and is_keras_model(cls):
        root = cls.__module__.split(".")[0]
        if root not in _INPUTS:  # one tensor per Keras: Model(inputs=x, outputs=x) builds
            layers = import_module("tensorflow.keras.layers" if root == "tensorflow" else root + ".layers")
            _INPUTS[root] = layers.Input(shape=(1,))
        return _INPUTS[root]
    return SAMPLES.get(keyword)


_INPUTS = {}


def is_keras_model(cls):
    return any(klass.__name__ in ("Model", "Network", "Functional") for klass in inspect.getmro(cls))


def keras_object(cls):
    for klass in inspect.getmro(cls):
        if klass.__name__ in KERAS_BASES and klass.__module__.split(".")[0] in KERAS_ROOTS:
            return True
    return False


def rejects(error, keyword):
    text = str(error)
    return bool(REJECTED.search(text)) and re.search(rf"\b{re.escape(keyword)}\b", text) is not None


def names_value(error, name, value):
    """Whether the error names this argument: its parameter name as a word and its value's text."""
    text = str(error)
    if re.search(rf"\b{re.escape(name)}\b", text) is None:
        return False
    shown = {str(value), repr(value)} if isinstance(value, (str, int, float, tuple, list)) else set()
    # the whole value, not a piece of a longer word, number or path (`relu` of `fc6/relu`)
    return any(re.search(rf"(?<![\w./-]){re.escape(s)}(?![\w/-]|\.\w)", text) for s in shown if s)


CHECKS = {"import": check_import, "from": check_from, "name": check_name,
          "call": check_call, "method": check_method}


def run_one(check, seconds):
    def on_alarm(signum, frame):
        raise CheckTimeout()

    alarm = getattr(signal, "SIGALRM", None)
    if alarm is not None:
        signal.signal(alarm, on_alarm)
        signal.alarm(seconds)
    try:
        return CHECKS[check["kind"]](check)
    except CheckTimeout:
        return {"status": "inconclusive", "error": f"timed out after {seconds} s"}
    except KeyboardInterrupt:
        raise
    except BaseException as error:  # noqa: BLE001 - a fault of this check, never a failure of the code
        return {"status": "inconclusive", "error": "the check itself raised " + first_line(error)}
    finally:
        if alarm is not None:
            signal.alarm(0)


def main(argv):
    checks_path, results_path = argv[1], argv[2]
    seconds = int(argv[3]) if len(argv) > 3 else 120
    with open(checks_path) as handle:
        checks = json.load(handle)["checks"]
    with open(results_path, "a") as out:
        for check in checks:
            out.write(json.dumps({"key": check["key"], "start": True}) + "\n")
            out.flush()
            result = run_one(check, seconds)
            result["key"] = check["key"]
            out.write(json.dumps(result, default=repr) + "\n")
            out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
