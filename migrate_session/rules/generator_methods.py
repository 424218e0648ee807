"""MS009 (tf2): ``fit_generator`` / ``evaluate_generator`` / ``predict_generator`` become
``fit`` / ``evaluate`` / ``predict``, and ``predict_proba`` becomes ``predict``.

Keras 3 (TF >= 2.16) has no ``*_generator`` methods; ``fit`` and its kin take generators and
Sequences since TF 2.1 (measured in TF 2.15 and 2.21). ``predict_proba`` is gone since TF 2.6;
in Keras 2.2.4 it was ``predict`` plus a warning when the output is not in [0, 1]. The arguments are read by Keras 2.2.4's
signature of the old method and passed by name; a parameter whose Keras 2.2.4 default differs
from the new method's is written out with the old default (``predict_generator`` printed
nothing, ``predict`` prints a progress bar: ``verbose=0``). Keras 3's methods take no
``max_queue_size`` (a prefetch buffer's size: dropped) nor ``workers`` / ``use_multiprocessing``
(dropped at Keras 2.2.4's defaults; otherwise the call is left, and MS110 says to move them to a
``keras.utils.PyDataset``). The objects
are not typed: the methods are found by name, and left alone where the module defines a method
of that name itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import libcst as cst

from migrate_session import api_tables, call_args
from migrate_session.rule import Example, Rule
from migrate_session.rules.keras1_arguments import keras2_keywords
from migrate_session.targets import Target

# old method -> (the Keras 2.2.4 class that has it, the method that replaces it)
NEW_NAMES = {
    "fit_generator": ("keras.models.Model", "fit"),
    "evaluate_generator": ("keras.models.Model", "evaluate"),
    "predict_generator": ("keras.models.Model", "predict"),
    "predict_proba": ("keras.models.Sequential", "predict"),  # Keras 2.2.4: predict, and a check
}
TARGET_MODEL = "tensorflow.keras.models.Model"

EXAMPLES = (
    Example(
        title="positional arguments named, the old defaults written where the new ones differ",
        before="""
            from keras.models import load_model
            model = load_model("m.h5")
            model.fit_generator(batches, 100, 5, validation_data=(x, y))
            loss = model.evaluate_generator(batches, steps=10)
            scores = model.predict_generator(batches, 10)
        """,
        tf1="""
            from tensorflow.keras.models import load_model
            model = load_model("m.h5")
            model.fit_generator(batches, 100, 5, validation_data=(x, y))
            loss = model.evaluate_generator(batches, steps=10)
            scores = model.predict_generator(batches, 10)
        """,
        tf2="""
            from tensorflow.keras.models import load_model
            model = load_model("m.h5")
            model.fit(batches, steps_per_epoch=100, epochs=5, validation_data=(x, y), verbose=1)
            loss = model.evaluate(batches, steps=10, verbose=0)
            scores = model.predict(batches, steps=10, verbose=0)
        """,
        findings="1:MS001",
        findings_tf2="1:MS001 3:MS009 4:MS009 5:MS009",
    ),
    Example(
        title="queue and worker settings: dropped at their defaults, else the call is left (MS110)",
        before="""
            from keras import backend as K
            model.fit_generator(generator=batches, steps_per_epoch=10, workers=1, use_multiprocessing=False,
                                max_queue_size=4)
            model.fit_generator(batches, steps_per_epoch=10, workers=4, verbose=2)
        """,
        tf1="""
            from tensorflow.keras import backend as K
            model.fit_generator(generator=batches, steps_per_epoch=10, workers=1, use_multiprocessing=False,
                                max_queue_size=4)
            model.fit_generator(batches, steps_per_epoch=10, workers=4, verbose=2)
        """,
        tf2="""
            from tensorflow.keras import backend as K
            model.fit(x=batches, steps_per_epoch=10, verbose=1)
            model.fit_generator(batches, steps_per_epoch=10, workers=4, verbose=2)
        """,
        findings="1:MS001",
        findings_tf2="1:MS001 2:MS009 4:MS110",
    ),
    Example(
        title="predict_proba was predict",
        before="""
            from keras.models import Sequential
            model = Sequential()
            probabilities = model.predict_proba(rows)
        """,
        tf1="""
            from tensorflow.keras.models import Sequential
            model = Sequential()
            probabilities = model.predict_proba(rows)
        """,
        tf2="""
            from tensorflow.keras.models import Sequential
            model = Sequential()
            probabilities = model.predict(rows, verbose=0)
        """,
        findings="1:MS001",
        findings_tf2="1:MS001 3:MS009",
    ),
    Example(
        title="a module with its own fit_generator is left alone",
        before="""
            import keras

            class Trainer:
                def fit_generator(self, batches):
                    return len(batches)

            Trainer().fit_generator([1, 2])
        """,
        after="""
            from tensorflow import keras

            class Trainer:
                def fit_generator(self, batches):
                    return len(batches)

            Trainer().fit_generator([1, 2])
        """,
        findings="1:MS001",
    ),
)

QUEUE = "max_queue_size"  # the size of a prefetch buffer: nothing it holds changes the results
WORKERS = frozenset({"workers", "use_multiprocessing"})


@dataclass(frozen=True)
class Plan:
    new: str
    keywords: tuple[str | None, ...]
    renames: dict[str, str | None]
    added: tuple[tuple[str, str], ...]
    message: str

    def rewrite(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        call = call_args.with_added(call_args.rewritten(updated, self.keywords, self.renames), self.added)
        assert isinstance(updated.func, cst.Attribute) and isinstance(original.func, cst.Attribute)
        shorter = len(original.func.attr.value) - len(self.new)
        call = call_args.dedented(call, shorter)
        return call.with_changes(func=updated.func.with_changes(attr=cst.Name(self.new)))


def plan(target: Target, call: cst.Call, defines: Callable[[str], bool],
         keras1: Mapping[str, str] | None = None) -> Plan | None:
    """How MS009 rewrites ``call``; None when it is not an old method the target lacks, or when
    it passes worker settings (MS110 reports those: they go to a PyDataset in Keras 3).
    ``keras1``: Keras 1 keywords MS013 renames (``nb_worker`` is ``workers``)."""
    if not (target.eager and isinstance(call.func, cst.Attribute)):
        return None
    old = call.func.attr.value
    if old not in NEW_NAMES or defines(old):
        return None
    owner, new = NEW_NAMES[old]
    missing = tuple(env for env in target.envs if api_tables.has_member(env, "tensorflow." + owner, old) is False)
    if not missing:
        return None  # every environment still has it
    source = api_tables.signature(api_tables.SOURCE_ENV, f"{owner}.{old}")
    targets = target.signatures(f"{TARGET_MODEL}.{new}")
    bound = call_args.names(call, source) if source is not None else None
    if source is None or bound is None or targets is None:
        return None
    renames: dict[str, str | None] = {call_args.positional_names(source)[0]: "x"}
    dropped = []
    for written, arg in zip(bound, call.args):
        name = (keras1 or {}).get(written, written)
        if all(t.parameter(name) for t in targets):
            continue
        if name == QUEUE or (name in WORKERS and _literal(arg.value) == _default(source, name)):
            renames[written] = None
            dropped.append(name)
        elif name in WORKERS:
            return None
    first = call_args.positional_names(source)[0]
    keywords = tuple(None if name == first and arg.keyword is None else name for name, arg in zip(bound, call.args))
    added = tuple(call_args.changed_defaults(source, targets, set(bound), {}))
    message = f"`{old}` -> `{new}`: {target.describe(missing)} has no `{old}`"
    if added:
        message += "; Keras 2.2.4's defaults written out: " + ", ".join(f"{n}={d}" for n, d in added)
    if dropped:
        message += "; dropped (Keras 3 has no such argument; they change no result): " + ", ".join(dropped)
    return Plan(new, keywords, renames, added, message)


class GeneratorMethods(Rule):
    id = "MS009"
    name = "generator-methods"
    summary = "`fit_generator` and its kin become `fit`, `evaluate`, `predict` (tf2): Keras 3 has none"
    examples = EXAMPLES
    ATTRIBUTES = frozenset(NEW_NAMES)

    def visit_Call(self, node: cst.Call) -> None:
        found = plan(self.context.target, node, self.context.defines, keras2_keywords(self.context, node))
        if found is not None:
            self.report(node, found.message)
            self.edit(node, lambda updated: found.rewrite(node, updated))


def _literal(value: cst.BaseExpression) -> str | None:
    return cst.Module([]).code_for_node(value) if isinstance(value, (cst.Integer, cst.Float, cst.Name)) else None


def _default(signature: api_tables.Signature, name: str) -> str | None:
    parameter = signature.parameter(name)
    return parameter.default if parameter is not None else None
