"""MS008: a moved call's arguments written as the target's Keras reads them.

Keras 2.2.4 and each target's tf.keras name some arguments differently (``Adam(lr=...)`` is
``learning_rate=`` in TF 2; ``Model(input=, output=)`` is ``inputs=, outputs=`` everywhere) and
order some differently (Keras 2.2.4's ``SGD(lr, momentum, decay, nesterov)``, TF 2's
``SGD(learning_rate, momentum, nesterov, ...)``: a positional ``decay`` would become
``nesterov``). A keyword is renamed, or dropped where its value is Keras 2.2.4's own default
(``decay=0``), only when an environment of the target was measured refusing or deprecating it
and every one taking its new name; positional arguments that would land on another parameter
are passed by name. Everything else a target refuses is reported by MS108.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import libcst as cst

from migrate_session import api_tables, call_args
from migrate_session.rule import Context, Example, Ref, Rule
from migrate_session.rules.keras1_arguments import keras2_keywords
from migrate_session.targets import Target, aliases

OPTIMIZERS = frozenset(
    f"keras.optimizers.{name}" for name in ("SGD", "RMSprop", "Adagrad", "Adadelta", "Adam", "Adamax", "Nadam")
)
MODELS = frozenset({"keras.Model", "keras.models.Model", "keras.engine.Model", "keras.engine.training.Model"})


def _is_zero(value: cst.BaseExpression) -> bool:
    return isinstance(value, (cst.Integer, cst.Float)) and float(value.value) == 0


def _is_none(value: cst.BaseExpression) -> bool:
    return isinstance(value, cst.Name) and value.value == "None"


@dataclass(frozen=True)
class Change:
    callables: frozenset[str]
    old: str
    new: str | None  # None: dropped
    only_if: Callable[[cst.BaseExpression], bool] | None = None
    # (a probe where the old form fails, one where the new one works): for callables whose
    # signature (`*args, **kwargs`) says nothing.
    probes: tuple[str, str] | None = None
    # For a change of meaning no signature shows, the targets it applies to, what differs, and
    # the corpus case whose runs in the real environments show both.
    targets: tuple[str, ...] = ()
    why: str = ""
    proof: str = ""


CHANGES = (
    Change(OPTIMIZERS, "lr", "learning_rate"),
    Change(OPTIMIZERS, "decay", None, only_if=_is_zero),
    # Each probed with the other keyword right, so that the error quoted is about this one.
    Change(MODELS, "input", "inputs", probes=("tf.keras.models.Model(input=inp, outputs=out)", "tf.keras.models.Model(inputs=inp, outputs=out)")),
    Change(MODELS, "output", "outputs", probes=("tf.keras.models.Model(inputs=inp, output=out)", "tf.keras.models.Model(inputs=inp, outputs=out)")),
    Change(OPTIMIZERS, "epsilon", None, only_if=_is_none, targets=("tf2",), proof="k02_optimizer_positional_and_defaults",
           why="Keras 2.2.4 read None as K.epsilon() (1e-7); TF 2 fails at the first step (ValueError: None values not supported)"),
    Change(OPTIMIZERS, "clipnorm", "global_clipnorm", targets=("tf2",), proof="k02_optimizer_positional_and_defaults",
           why="Keras 2.2.4 clipped the global norm of all gradients; TF 2's clipnorm clips each gradient, its global_clipnorm is Keras 2.2.4's"),
    Change(frozenset({"keras.callbacks.ReduceLROnPlateau"}), "epsilon", "min_delta", targets=("tf1", "tf2"),
           proof="k03_reduce_lr_on_plateau_epsilon",
           why="Keras 2.2.4 read epsilon= as min_delta=; Keras 3 ignores epsilon= without a word"),
)
# Arguments a target needs to do what Keras 2.2.4 did by default, beyond the defaults the
# signatures show (those are written out where they differ): (callables, targets, argument, value, proof)
Extra = tuple[frozenset[str], tuple[str, ...], str, str, str]
EXTRA: tuple[Extra, ...] = (
    (frozenset({"keras.optimizers.Adagrad"}), ("tf2",), "initial_accumulator_value", "0.0",
     "k02_optimizer_positional_and_defaults"),  # Keras 2.2.4's accumulators start at zero, TF 2's at 0.1
)

EXAMPLES = (
    Example(
        title="`lr=` is `learning_rate=` in TF 2, and a zero decay is the default",
        before="""
            from keras.optimizers import Adam
            opt = Adam(lr=1e-3, decay=0.0)
        """,
        tf1="""
            from tensorflow.keras.optimizers import Adam
            opt = Adam(lr=1e-3, decay=0.0)
        """,
        tf2="""
            from tensorflow.keras.optimizers import Adam
            opt = Adam(learning_rate=1e-3)
        """,
        findings="1:MS001",
        findings_tf2="1:MS001 2:MS008",
    ),
    Example(
        title="positional arguments that would land elsewhere are passed by name",
        before="""
            import keras
            sgd = keras.optimizers.SGD(0.01, 0.9, 0.0, True)
        """,
        tf1="""
            from tensorflow import keras
            sgd = keras.optimizers.SGD(0.01, 0.9, 0.0, True)
        """,
        tf2="""
            from tensorflow import keras
            sgd = keras.optimizers.SGD(0.01, 0.9, nesterov=True)
        """,
        findings="1:MS001",
        findings_tf2="1:MS001 2:MS008",
    ),
    Example(
        title="the Keras 1 keywords of `Model`",
        before="""
            from keras.layers import Dense, Input
            from keras.models import Model
            inp = Input(shape=(3,))
            model = Model(input=inp, output=Dense(2)(inp))
        """,
        after="""
            from tensorflow.keras.layers import Dense, Input
            from tensorflow.keras.models import Model
            inp = Input(shape=(3,))
            model = Model(inputs=inp, outputs=Dense(2)(inp))
        """,
        findings="1:MS001 2:MS001 4:MS008",
    ),
    Example(
        title="a decay that is not zero is not dropped: MS012 makes it a schedule",
        before="""
            from keras import optimizers
            opt = optimizers.RMSprop(lr=0.01, decay=decay)
        """,
        tf1="""
            from tensorflow.keras import optimizers
            opt = optimizers.RMSprop(lr=0.01, decay=decay)
        """,
        tf2="""
            from tensorflow.keras import optimizers
            import tensorflow as tf

            opt = optimizers.RMSprop(learning_rate=tf.keras.optimizers.schedules.InverseTimeDecay(0.01, decay_steps=1, decay_rate=decay))
        """,
        findings="1:MS001",
        findings_tf2="1:MS001 2:MS008 2:MS012 2:MS111",
    ),
)


@dataclass(frozen=True)
class Plan:
    """What MS008 does to one call: the keyword each argument is passed by from now on (None:
    as written), the renames (to None: dropped), and why."""

    keywords: tuple[str | None, ...]
    renames: dict[str, str | None]
    added: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]

    @property
    def changes(self) -> bool:
        return bool(self.renames or self.added or any(self.keywords))

    def rewrite(self, call: cst.Call) -> cst.Call:
        return call_args.with_added(call_args.rewritten(call, self.keywords, self.renames), self.added)

    def final_keywords(self, call: cst.Call) -> list[str]:
        """The keywords of the rewritten call (renamed, dropped ones left out, added ones in)."""
        found = [name for name, _ in self.added]
        for arg, keyword in zip(call.args, self.keywords):
            name = keyword if keyword is not None else (arg.keyword.value if arg.keyword else None)
            if name is not None:
                name = self.renames.get(name, name)
                if name is not None:
                    found.append(name)
        return found


def plan_of(context: Context, ref: Ref, call: cst.Call) -> Plan:
    """MS008's plan of ``call``, made once per call: MS108 reads it too."""
    keras1 = tuple(keras2_keywords(context, call).items())
    return context.shared(("keyword-changes", call), lambda: plan(context.target, ref, call, keras1))


def plan(target: Target, ref: Ref, call: cst.Call, keras1: tuple[tuple[str, str], ...] = ()) -> Plan:
    """MS008's changes to ``call``, a call of ``ref`` (also read by MS108 to report the rest).

    ``keras1``: the Keras 1 keywords MS013 renames, and their Keras 2 names (``init`` is
    ``kernel_initializer``): they count as given under those."""
    written = ref.written(target)
    changes, source, signatures, extra = _about(target, ref.qualified, ref.canonical, written)
    bound = call_args.names(call, source) if source is not None else None
    keywords: list[str | None] = [None] * len(call.args)
    notes = []
    if bound is not None and source is not None and signatures:
        renamed = {c.old: c.new for c in changes if c.new}
        wanted = [frozenset({name, renamed.get(name, name)}) for name in call_args.positional_names(source)]
        index = call_args.first_misplaced(call, wanted, signatures)
        if index is not None:
            keywords[index:] = bound[index:]
            notes.append(f"arguments from the {_ordinal(index + 1)} on passed by name: the target orders them differently")
    renames: dict[str, str | None] = {}
    for change in changes:
        position = bound.index(change.old) if bound is not None and change.old in bound else None
        if position is None or (change.only_if and not change.only_if(call.args[position].value)):
            continue
        if call.args[position].keyword is None and keywords[position] is None:
            continue  # passed by position, and it lands where it should
        trouble = _trouble(target, change, written)
        if trouble is None:
            continue
        renames[change.old] = change.new
        env, said = trouble
        new = f"`{change.new}=`" if change.new else "dropped (Keras 2.2.4's default)"
        # A measured error quotes the probe's own values ("{'lr': 0.001}"), not this call's.
        said = said if change.targets else re.sub(r"(\{'\w+': )[^,}]+", r"\1...", said)
        notes.append(f"`{change.old}=` -> {new}: " + (said if change.targets else f"{target.describe((env,))} says {said!r}"))
    added: list[tuple[str, str]] = []
    if bound is not None and source is not None and signatures:
        given = set(bound) | {new for _, new in keras1}
        added = call_args.changed_defaults(source, signatures, given, {c.old: c.new for c in changes if c.new})
        if added:
            notes.append("Keras 2.2.4's defaults written out where the target's differ: "
                         + ", ".join(f"{name}={value}" for name, value in added))
    for _, _, name, value, _ in extra:
        if bound is not None and name not in bound:
            added.append((name, value))
            notes.append(f"{name}={value}: what Keras 2.2.4 did without it")
    return Plan(tuple(keywords), renames, tuple(added), tuple(notes))


@cache  # what the callable is, for each call of it
def _about(target: Target, qualified: str, canonical: str, written: str) -> tuple[
    tuple[Change, ...], api_tables.Signature | None, list[api_tables.Signature] | None, tuple[Extra, ...]
]:
    """The changes that concern the callable, its Keras 2.2.4 signature, the target's, and the
    arguments it gains on the target."""
    names = set(aliases(canonical))
    changes = tuple(c for c in CHANGES if c.callables & names)
    extra = tuple(e for e in EXTRA if e[0] & names and target.name in e[1])
    return changes, api_tables.signature(api_tables.SOURCE_ENV, qualified), target.signatures(written), extra


def _trouble(target: Target, change: Change, written: str) -> tuple[str, str] | None:
    """Where the old form fails or is deprecated, if the new one works everywhere."""
    if change.targets:
        return (target.envs[-1], change.why) if target.name in change.targets else None
    if change.probes is not None:
        old, new = change.probes
        failing = [env for env in target.envs if not api_tables.probe(env, old).ok]
        if failing and all(api_tables.probe(env, new).ok for env in target.envs):
            return failing[0], api_tables.probe(failing[0], old).error or ""
        return None
    trouble = target.keyword_trouble(written, change.old)
    if trouble is None or (change.new is not None and not target.takes_keyword(written, change.new)):
        return None
    return trouble


class KeywordChanges(Rule):
    id = "MS008"
    name = "keyword-changes"
    summary = "Keras 2.2.4 keywords the target renamed (`lr=`, `input=`) or no longer takes at their default"
    examples = EXAMPLES

    def visit_Call(self, node: cst.Call) -> None:
        ref = self.context.resolve(node.func)
        if ref is None:
            return
        change = plan_of(self.context, ref, node)
        if change.changes:
            self.report(node, "; ".join(change.notes))
            self.edit(node, change.rewrite)


def _ordinal(number: int) -> str:
    return {1: "first", 2: "second", 3: "third"}.get(number, f"{number}th")
