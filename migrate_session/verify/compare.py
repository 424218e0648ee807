"""Compare a before-trace with an after-trace: pure functions over probe traces.

A trace is the JSON document the probe writes (see docs/internals.md). Nothing here
runs anything; the runner hands traces in and the report prints what comes out.

Every normalization is listed in ``NORMALIZATIONS`` and documented in docs/internals.md.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from migrate_session.findings import WARNING, Finding

Trace = dict[str, Any]  # what the probe writes (docs/internals.md), as JSON
Snapshot = dict[str, Any]  # a trace's snapshot of TensorFlow's state, read by field name

EQUAL = "equal"
DIFFERS = "differs"
CRASHED = "crashed"
NOT_APPLICABLE = "not_applicable"
SKIPPED = "skipped"

VERDICTS = (EQUAL, DIFFERS, CRASHED, NOT_APPLICABLE, SKIPPED)

SNAPSHOT_FIELDS = (
    "graph_replaced",
    "ops",
    "variables",
    "session_replaced",
    "names_reset",
    "learning_phase",
)
# Compared at clears only: at exit the tables legitimately hold the program's live graphs, and
# standalone Keras keys them strongly where tf.keras keys them weakly.
CLEAR_ONLY_FIELDS = ("uid_tables_cleared",)
# Fields that are null where the env cannot measure them (see NORMALIZATIONS).
NULL_MEANS_UNMEASURED = frozenset({"variables", "session_replaced", "uid_tables_cleared"})
COUNTS = frozenset({"ops", "variables"})

NORMALIZATIONS = {
    "keras-1-based-names": (
        "standalone Keras < 2.4 numbers auto-names from 1 (dense_1, dense_2), tf.keras from 0 "
        "(dense, dense_1): in the stdout of a run that imported standalone Keras < 2.4, "
        "<prefix>_<n> becomes <prefix> for n == 1 and <prefix>_<n-1> otherwise, for the "
        "auto-name prefixes of Keras layers and models"
    ),
    "uid-tables-at-clears-only": (
        "uid_tables_cleared (no Keras keeps name counters for an old graph) is compared at "
        "clears, not at exit, where live graphs legitimately hold counters"
    ),
    "null-is-unmeasured": (
        "variables and session_replaced are compared only when both runs measured them: "
        "eager TF has no variable collection and eager Keras / Keras 3 have no session "
        "(the probe writes null)"
    ),
    "counts-empty-or-not": (
        "ops and variables are compared as empty (0) or not: the counts depend on the Keras "
        "that built the graph (measured at exit of one program: 333 ops with standalone Keras "
        "2.2.4, 413 with tf.keras 1.12; 21 variables with Keras 2.2.4, 17 with Keras 2.15); "
        "the numbers are still shown"
    ),
    "ops-same-mode": (
        "ops are compared only between snapshots in the same execution mode (the probe's "
        "`eager` flag): an eager program's default graph stays empty whatever it builds"
    ),
    "learning-phase-0-is-eager-default": (
        "a learning phase of 0 in a graph-mode snapshot equals no phase (null) in an eager one: "
        "eager Keras infers in phase 0 unless a call says `training=True` (measured in TF 2.15: "
        "`set_learning_phase(0)` changes neither `predict` nor `model(x)`), and Keras 3 has no "
        "learning phase"
    ),
    "clear-api-not-compared": (
        "which clear_session a clear event came from (keras, tf.keras, ...) is not compared: "
        "changing it is the point of the migration"
    ),
    "rss-not-compared": "rss_kb is recorded and shown, never compared",
}

# Auto-name prefixes of the layers and models of Keras 2.2.4 (snake-cased class names of
# every Layer subclass in keras.layers and keras.models). ``input`` is not here: InputLayer
# names start at input_1 in standalone Keras and tf.keras alike.
KERAS_NAME_PREFIXES = (
    "activation", "activity_regularization", "add", "alpha_dropout", "average",
    "average_pooling1d", "average_pooling2d", "average_pooling3d", "batch_normalization",
    "bidirectional", "concatenate", "conv1d", "conv2d", "conv2d_transpose", "conv3d",
    "conv3d_transpose", "conv_lst_m2d", "conv_lst_m2d_cell", "cropping1d", "cropping2d",
    "cropping3d", "cu_dnngru", "cu_dnnlstm", "dense", "depthwise_conv2d", "dot", "dropout",
    "elu", "embedding", "flatten", "gaussian_dropout", "gaussian_noise",
    "global_average_pooling1d", "global_average_pooling2d", "global_average_pooling3d",
    "global_max_pooling1d", "global_max_pooling2d", "global_max_pooling3d", "gru", "gru_cell",
    "highway", "lambda", "leaky_re_lu", "locally_connected1d", "locally_connected2d", "lstm",
    "lstm_cell", "masking", "max_pooling1d", "max_pooling2d", "max_pooling3d", "maximum",
    "maxout_dense", "minimum", "model", "multiply", "p_re_lu", "permute", "re_lu",
    "repeat_vector", "reshape", "rnn", "separable_conv1d", "separable_conv2d", "sequential",
    "simple_rnn", "simple_rnn_cell", "softmax", "spatial_dropout1d", "spatial_dropout2d",
    "spatial_dropout3d", "stacked_rnn_cells", "subtract", "thresholded_re_lu",
    "time_distributed", "up_sampling1d", "up_sampling2d", "up_sampling3d", "zero_padding1d",
    "zero_padding2d", "zero_padding3d",
)

_PREFIX_ALTERNATIVES = "|".join(sorted(KERAS_NAME_PREFIXES, key=len, reverse=True))
_AUTO_NAME = re.compile(
    rf"(?<![A-Za-z0-9_])({_PREFIX_ALTERNATIVES})_([1-9][0-9]*)(?![0-9])"
)


@dataclass(frozen=True)
class Difference:
    field: str
    before: Any
    after: Any

    @property
    def name(self) -> str:
        """The bare field name (``names_reset`` for ``clear 2: names_reset``)."""
        return self.field.rsplit(": ", 1)[-1]

    def to_text(self) -> str:
        return f"{self.field}: {_short(self.before)} -> {_short(self.after)}"


@dataclass(frozen=True)
class Expectation:
    """What case.json says a case x target x env must come out as."""

    verdict: str = EQUAL
    rule_id: str | None = None  # for not_applicable: the warning the tool must emit

    @classmethod
    def parse(cls, value: Any) -> Expectation:
        if isinstance(value, str) and value in (EQUAL, DIFFERS, CRASHED):
            return cls(value)
        if isinstance(value, dict) and set(value) == {NOT_APPLICABLE}:
            rule = value[NOT_APPLICABLE]
            if isinstance(rule, str) and re.fullmatch(r"MS\d{3}", rule):
                return cls(NOT_APPLICABLE, rule)
        raise ValueError(
            f"expected 'equal', 'differs', 'crashed' or {{'not_applicable': 'MSxxx'}}, "
            f"got {value!r}"
        )

    def to_json(self) -> Any:
        return {NOT_APPLICABLE: self.rule_id} if self.verdict == NOT_APPLICABLE else self.verdict

    def to_text(self) -> str:
        return f"n/a ({self.rule_id})" if self.verdict == NOT_APPLICABLE else self.verdict


@dataclass
class Outcome:
    """The verdict for one case x target x env, and whether it is what was expected."""

    verdict: str
    expected: Expectation
    differences: list[Difference] = field(default_factory=list)
    error: str | None = None
    warning: tuple[str, str] | None = None  # (rule_id, message) for not_applicable
    compared: str | None = None  # for not_applicable: what comparing would have said
    notes: list[str] = field(default_factory=list)  # why it is unexpected beyond the verdict
    info: list[str] = field(default_factory=list)  # shown, changes nothing (probe errors)

    @property
    def unexpected(self) -> bool:
        if self.verdict == SKIPPED:
            return False
        return self.verdict != self.expected.verdict or bool(self.notes)

    def cell(self) -> str:
        """The Markdown table cell: equal / differs: field / crashed / n/a (MSxxx)."""
        if self.verdict == DIFFERS:
            text = "differs: " + ", ".join(_unique(d.name for d in self.differences))
        elif self.verdict == NOT_APPLICABLE:
            assert self.warning is not None  # that verdict is given for the warning
            text = f"n/a ({self.warning[0]})"
        else:
            text = self.verdict
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "expected": self.expected.to_json(),
            "unexpected": self.unexpected,
            "differences": [
                {"field": d.field, "before": d.before, "after": d.after} for d in self.differences
            ],
            "error": self.error,
            "warning": list(self.warning) if self.warning else None,
            "compared": self.compared,
            "notes": list(self.notes),
            "info": list(self.info),
        }


def uses_one_based_names(trace: Trace) -> bool:
    """Did this run import a standalone Keras that numbers auto-names from 1 (< 2.4)?"""
    version = (trace.get("kerases") or {}).get("keras")
    if not version:
        return False
    match = re.match(r"(\d+)\.(\d+)", str(version))
    return match is not None and (int(match.group(1)), int(match.group(2))) < (2, 4)


def renumber_auto_names(text: str) -> str:
    """``dense_1`` -> ``dense``, ``dense_2`` -> ``dense_1``, ``dense_1_input`` -> ``dense_input``."""

    def shift(match: re.Match[str]) -> str:
        prefix, number = match.group(1), int(match.group(2))
        return prefix if number == 1 else f"{prefix}_{number - 1}"

    return _AUTO_NAME.sub(shift, text)


def normalized_stdout(trace: Trace) -> str:
    text: str = trace.get("stdout") or ""
    if uses_one_based_names(trace):
        text = renumber_auto_names(text)
    return text


def clear_events(trace: Trace) -> list[dict[str, Any]]:
    return [e for e in trace.get("events") or [] if e.get("event") == "clear"]


def exit_snapshot(trace: Trace) -> Snapshot | None:
    for event in trace.get("events") or []:
        if event.get("event") == "exit":
            snapshot: Snapshot = event.get("snapshot") or {}
            return snapshot
    return None


def snapshot_field_differs(name: str, before: Snapshot, after: Snapshot) -> bool:
    """Does field ``name`` differ between two snapshots, after the normalizations?"""
    b, a = before.get(name), after.get(name)
    if name in NULL_MEANS_UNMEASURED and (b is None or a is None):
        return False
    if name == "ops" and before.get("eager") != after.get("eager"):
        return False
    if name == "learning_phase" and b == 0 and a is None and after.get("eager") and not before.get("eager"):
        return False
    if name in COUNTS and isinstance(b, int) and isinstance(a, int):
        return (b == 0) != (a == 0)
    return b != a


def compare_snapshots(
    where: str, before: Snapshot, after: Snapshot, fields: tuple[str, ...] = SNAPSHOT_FIELDS
) -> list[Difference]:
    return [
        Difference(f"{where}: {name}", before.get(name), after.get(name))
        for name in fields
        if snapshot_field_differs(name, before, after)
    ]


def compare_traces(before: Trace, after: Trace) -> list[Difference]:
    """Every difference between two traces, in a stable order; [] means equal."""
    differences = []
    for name in ("status", "exit_code"):
        if before.get(name) != after.get(name):
            differences.append(Difference(name, before.get(name), after.get(name)))
    if before.get("status") == "exception" and before.get("exception") != after.get("exception"):
        differences.append(Difference("exception", before.get("exception"), after.get("exception")))

    clears_before, clears_after = clear_events(before), clear_events(after)
    if len(clears_before) != len(clears_after):
        differences.append(Difference("clears", len(clears_before), len(clears_after)))
    for number, (b, a) in enumerate(zip(clears_before, clears_after), 1):
        differences += compare_snapshots(
            f"clear {number}",
            b.get("snapshot") or {},
            a.get("snapshot") or {},
            SNAPSHOT_FIELDS + CLEAR_ONLY_FIELDS,
        )

    exit_before, exit_after = exit_snapshot(before), exit_snapshot(after)
    if (exit_before is None) != (exit_after is None):
        differences.append(
            Difference("exit event", exit_before is not None, exit_after is not None)
        )
    elif exit_before is not None and exit_after is not None:
        differences += compare_snapshots("exit", exit_before, exit_after)

    out_before, out_after = normalized_stdout(before), normalized_stdout(after)
    if out_before != out_after:
        differences.append(Difference("stdout", out_before, out_after))
    return differences


def died(trace: Trace | None, error: str | None) -> str | None:
    """Why a run has no usable trace: none written, or still ``running`` (the process died
    without Python noticing: a signal, a segfault, ``os.exec*``); else None."""
    if trace is None:
        return error or "the probe wrote no trace"
    if trace.get("status") == "running":
        return "the process died before the program finished" + (f" ({error})" if error else "")
    return None


def crash_of(before: Trace | None, after: Trace | None, after_error: str | None) -> str | None:
    """The error text when the after-run crashed (no trace, or a new exception); else None."""
    death = died(after, after_error)
    if death or after is None:  # (no trace is a death)
        return death
    exception: str = after.get("exception") or "exception"
    if after.get("status") == "exception":
        if before is None or before.get("status") != "exception":
            return exception
        if before.get("exception") != after.get("exception"):
            return exception
    return None


def find_warning(findings: Iterable[Finding] | None, rule_id: str) -> tuple[str, str] | None:
    """The first warning finding with ``rule_id`` as (rule_id, message), else None."""
    for finding in findings or ():
        if finding.rule_id == rule_id and finding.severity == WARNING:
            return rule_id, finding.message
    return None


def judge(
    before: Trace | None,
    after: Trace | None,
    expected: Expectation,
    findings: Iterable[Finding] | None = (),
    *,
    before_error: str | None = None,
    after_error: str | None = None,
) -> Outcome:
    """The outcome for one case x target x env.

    ``before``/``after`` are traces, or None when the run wrote none (``*_error`` says why).
    ``findings`` are what the tool reported while migrating this case for this target.
    """
    differences: list[Difference] = []
    error: str | None
    before_death = died(before, before_error)
    if before_death:
        verdict, error = CRASHED, "before run: " + before_death
    else:
        error = crash_of(before, after, after_error)
        if error is not None:
            verdict = CRASHED
        else:
            assert before is not None and after is not None  # no trace is a death
            differences = compare_traces(before, after)
            verdict = DIFFERS if differences else EQUAL

    info = [
        f"{side} probe error: {message}"
        for side, trace in (("before", before), ("after", after))
        for message in ((trace or {}).get("probe_errors") or [])
    ]
    if expected.verdict != NOT_APPLICABLE:
        return Outcome(verdict, expected, differences, error, info=info)

    assert expected.rule_id is not None  # what not_applicable expects
    warning = find_warning(findings, expected.rule_id)
    if warning is None:
        outcome = Outcome(verdict, expected, differences, error, info=info)
        outcome.notes.append(f"the tool did not emit the expected warning {expected.rule_id}")
        return outcome
    return Outcome(NOT_APPLICABLE, expected, differences, error, warning, compared=verdict,
                   info=info)


def stdout_diff(before: str, after: str, context: int = 2) -> str:
    lines = difflib.unified_diff(
        before.splitlines(), after.splitlines(), "before (normalized)", "after",
        n=context, lineterm="",
    )
    return "\n".join(lines)


def _unique(items: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
