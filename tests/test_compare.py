"""The comparison of probe traces, on hand-made traces (no TensorFlow needed)."""

from __future__ import annotations

import copy

import pytest

from migrate_session.findings import Finding
from migrate_session.verify.compare import (
    CRASHED,
    DIFFERS,
    EQUAL,
    NOT_APPLICABLE,
    Difference,
    Expectation,
    compare_traces,
    judge,
    normalized_stdout,
    renumber_auto_names,
    uses_one_based_names,
)

KERAS_224 = {"keras": "2.2.4", "tf.keras": "2.1.6-tf"}
TF_KERAS_ONLY = {"tf.keras": "2.1.6-tf"}


def snapshot(**fields):
    base = {
        "graph_replaced": True,
        "ops": 2,
        "variables": 0,
        "session_replaced": True,
        "names_reset": True,
        "learning_phase": None,
        "rss_kb": 200_000,
    }
    base.update(fields)
    return base


def trace(clears=2, kerases=TF_KERAS_ONLY, stdout="", status="ok", exit_code=0,
          exception=None, exit_snapshot=None, **clear_fields):
    events = [{"event": "clear", "api": "tf.keras", "snapshot": snapshot(**clear_fields)}
              for _ in range(clears)]
    events.append({"event": "exit", "snapshot": exit_snapshot or snapshot(
        graph_replaced=None, ops=56, variables=4, session_replaced=None, names_reset=False)})
    return {
        "probe": 1, "python": "3.6.15", "tensorflow": "1.12.0", "kerases": kerases,
        "script": "before.py", "argv": [], "events": events, "status": status,
        "exit_code": exit_code, "exception": exception, "stdout": stdout,
    }


def before_trace(**kw):
    kw.setdefault("kerases", KERAS_224)
    t = trace(**kw)
    for event in t["events"]:
        if event["event"] == "clear":
            event["api"] = "keras"
    return t


def warning(rule_id="MS101", message="get_session does not exist under Keras 3"):
    return Finding("before.py", 3, 0, rule_id, "warning", message)


EQ = Expectation(EQUAL)


# -- names ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("dense_1", "dense", id="first-is-bare"),
        pytest.param("dense_2", "dense_1", id="second-shifts"),
        pytest.param("dense_12", "dense_11", id="two-digits"),
        pytest.param("['dense_1', 'dropout_1', 'dense_2']", "['dense', 'dropout', 'dense_1']",
                     id="list"),
        pytest.param("dense_1_input", "dense_input", id="sequential-input"),
        pytest.param("dense_1/kernel:0", "dense/kernel:0", id="variable-name"),
        pytest.param("model_1 sequential_2", "model sequential_1", id="models"),
        pytest.param("max_pooling2d_1 batch_normalization_3", "max_pooling2d batch_normalization_2",
                     id="long-prefixes"),
        pytest.param("input_1", "input_1", id="input-layers-start-at-1-everywhere"),
        pytest.param("my_dense_1 fold_1 dense_0", "my_dense_1 fold_1 dense_0",
                     id="not-auto-names"),
        pytest.param("dense", "dense", id="no-number"),
    ],
)
def test_renumber_auto_names(text, expected):
    assert renumber_auto_names(text) == expected


@pytest.mark.parametrize(
    ("kerases", "expected"),
    [
        pytest.param(KERAS_224, True, id="keras-2.2.4"),
        pytest.param({"keras": "2.3.1"}, True, id="keras-2.3"),
        pytest.param({"keras": "2.15.0", "tf.keras": "2.15.0"}, False, id="keras-2.15"),
        pytest.param({"keras": "3.15.1"}, False, id="keras-3"),
        pytest.param(TF_KERAS_ONLY, False, id="tf-keras-only"),
        pytest.param(None, False, id="none"),
    ],
)
def test_uses_one_based_names(kerases, expected):
    assert uses_one_based_names({"kerases": kerases}) is expected


def test_stdout_normalized_only_for_standalone_keras():
    assert normalized_stdout(before_trace(stdout="dense_2\n")) == "dense_1\n"
    assert normalized_stdout(trace(stdout="dense_2\n")) == "dense_2\n"


# -- compare_traces -----------------------------------------------------------------------

def test_standalone_names_match_tf_keras_names():
    before = before_trace(stdout="layers: ['dense_1', 'dense_2']\n")
    after = trace(stdout="layers: ['dense', 'dense_1']\n")
    assert compare_traces(before, after) == []


def test_counters_not_reset_is_a_stdout_difference():
    before = before_trace(stdout="fold 1 dense_1\n")
    after = trace(kerases=KERAS_224, stdout="fold 1 dense_3\n")
    assert compare_traces(before, after) == [
        Difference("stdout", "fold 1 dense\n", "fold 1 dense_2\n")
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [("graph_replaced", False), ("ops", 0), ("variables", 0), ("session_replaced", False),
     ("names_reset", False), ("learning_phase", 1)],
)
def test_every_snapshot_field_is_compared(field, value):
    before = before_trace(ops=5, variables=2)
    after = copy.deepcopy(before)
    after["events"][1]["snapshot"][field] = value
    assert compare_traces(before, after) == [
        Difference(f"clear 2: {field}", before["events"][1]["snapshot"][field], value)
    ]


def test_exit_snapshot_is_compared():
    before = before_trace()
    after = trace(exit_snapshot=snapshot(graph_replaced=None, ops=0, variables=0,
                                         session_replaced=None, names_reset=True))
    assert compare_traces(before, after) == [
        Difference("exit: ops", 56, 0),
        Difference("exit: variables", 4, 0),
        Difference("exit: names_reset", False, True),
    ]


@pytest.mark.parametrize(("field", "before", "after"), [("ops", 333, 413), ("variables", 21, 17)])
def test_counts_are_compared_as_empty_or_not(field, before, after):
    old = before_trace(exit_snapshot=snapshot(**{field: before}))
    assert compare_traces(old, trace(exit_snapshot=snapshot(**{field: after}))) == []
    assert compare_traces(old, trace(exit_snapshot=snapshot(**{field: 0}))) == [
        Difference(f"exit: {field}", before, 0)]


def test_ops_are_not_compared_across_graph_and_eager():
    before = before_trace(exit_snapshot=snapshot(ops=333, eager=False))
    after = trace(exit_snapshot=snapshot(ops=0, eager=True))
    assert compare_traces(before, after) == []
    assert compare_traces(before, trace(exit_snapshot=snapshot(ops=0, eager=False))) != []


def test_learning_phase_0_in_graph_mode_is_no_phase_in_eager():
    before = before_trace(exit_snapshot=snapshot(learning_phase=0, eager=False))
    assert compare_traces(before, trace(exit_snapshot=snapshot(learning_phase=None, eager=True))) == []
    # only 0 against unset, only graph against eager, and never the other way round
    for after in (snapshot(learning_phase=None, eager=False), snapshot(learning_phase=1, eager=True)):
        assert compare_traces(before, trace(exit_snapshot=after)) != []
    phase_1 = before_trace(exit_snapshot=snapshot(learning_phase=1, eager=False))
    assert compare_traces(phase_1, trace(exit_snapshot=snapshot(learning_phase=None, eager=True))) != []
    unset = before_trace(exit_snapshot=snapshot(learning_phase=None, eager=False))
    assert compare_traces(unset, trace(exit_snapshot=snapshot(learning_phase=0, eager=True))) != []


def test_session_replaced_skipped_when_either_has_no_session():
    before = before_trace(session_replaced=True)
    assert compare_traces(before, trace(session_replaced=None)) == []
    assert compare_traces(trace(session_replaced=None), before) == []
    assert compare_traces(before, trace(session_replaced=False)) == [
        Difference("clear 1: session_replaced", True, False),
        Difference("clear 2: session_replaced", True, False),
    ]


def test_rss_and_api_are_not_compared():
    before = before_trace(rss_kb=100)
    after = trace(rss_kb=900_000)
    assert after["events"][0]["api"] != before["events"][0]["api"]
    assert compare_traces(before, after) == []


def test_unmeasured_variables_are_not_compared():
    before = before_trace(variables=0)
    assert compare_traces(before, trace(variables=None)) == []
    assert compare_traces(trace(variables=None), before) == []


def test_number_of_clears():
    differences = compare_traces(before_trace(clears=3), trace(clears=2))
    assert differences == [Difference("clears", 3, 2)]


def test_order_of_clears_matters():
    before = before_trace()
    before["events"][0]["snapshot"]["learning_phase"] = 1
    after = trace()
    after["events"][1]["snapshot"]["learning_phase"] = 1
    assert [d.field for d in compare_traces(before, after)] == [
        "clear 1: learning_phase", "clear 2: learning_phase"]


def test_status_and_exit_code():
    differences = compare_traces(before_trace(), trace(status="exit", exit_code=3))
    assert differences == [Difference("status", "ok", "exit"), Difference("exit_code", 0, 3)]


def test_missing_exit_event():
    after = trace()
    after["events"].pop()
    assert compare_traces(before_trace(), after) == [Difference("exit event", True, False)]


# -- judge --------------------------------------------------------------------------------

def test_equal():
    outcome = judge(before_trace(stdout="dense_1\n"), trace(stdout="dense\n"), EQ)
    assert (outcome.verdict, outcome.unexpected, outcome.cell()) == (EQUAL, False, "equal")


def test_differs_names_the_fields():
    outcome = judge(before_trace(stdout="a\n"), trace(names_reset=False, stdout="b\n"), EQ)
    assert outcome.verdict == DIFFERS
    assert outcome.unexpected
    assert outcome.cell() == "differs: names_reset, stdout"
    assert outcome.differences[0].to_text() == "clear 1: names_reset: True -> False"


def test_crashed_when_after_raises():
    error = "AttributeError: module 'tensorflow.keras.backend' has no attribute 'get_session'"
    outcome = judge(before_trace(), trace(status="exception", exit_code=1, exception=error), EQ)
    assert (outcome.verdict, outcome.error, outcome.cell()) == (CRASHED, error, "crashed")


def test_crashed_when_no_trace():
    outcome = judge(before_trace(), None, EQ, after_error="killed by signal 9")
    assert (outcome.verdict, outcome.error) == (CRASHED, "killed by signal 9")


def test_crashed_when_before_has_no_trace():
    outcome = judge(None, trace(), EQ, before_error="timed out")
    assert (outcome.verdict, outcome.error) == (CRASHED, "before run: timed out")


def test_a_trace_still_running_is_a_crash():
    outcome = judge(before_trace(), trace(status="running"), EQ, after_error="exit code -11")
    assert outcome.verdict == CRASHED
    assert outcome.error == "the process died before the program finished (exit code -11)"
    assert judge(before_trace(status="running"), trace(), EQ).error.startswith("before run: ")


def test_probe_errors_are_shown_not_judged():
    after = trace()
    after["probe_errors"] = ["snapshot: RuntimeError: x"]
    outcome = judge(before_trace(), after, EQ)
    assert outcome.verdict == EQUAL and not outcome.unexpected
    assert outcome.info == ["after probe error: snapshot: RuntimeError: x"]


def test_same_exception_before_and_after_is_compared_not_crashed():
    error = "ValueError: bad input"
    before = before_trace(status="exception", exit_code=1, exception=error)
    after = trace(status="exception", exit_code=1, exception=error)
    assert judge(before, after, EQ).verdict == EQUAL


def test_a_different_exception_is_a_crash():
    before = before_trace(status="exception", exit_code=1, exception="ValueError: a")
    after = trace(status="exception", exit_code=1, exception="KeyError: b")
    outcome = judge(before, after, EQ)
    assert (outcome.verdict, outcome.error) == (CRASHED, "KeyError: b")


def test_not_applicable_with_the_expected_warning():
    expected = Expectation.parse({"not_applicable": "MS101"})
    crash = trace(status="exception", exit_code=1, exception="AttributeError: get_session")
    outcome = judge(before_trace(), crash, expected, [warning()])
    assert outcome.verdict == NOT_APPLICABLE
    assert not outcome.unexpected
    assert outcome.cell() == "n/a (MS101)"
    assert outcome.warning == ("MS101", "get_session does not exist under Keras 3")
    assert outcome.compared == CRASHED


def test_not_applicable_without_the_warning_is_unexpected():
    expected = Expectation.parse({"not_applicable": "MS101"})
    outcome = judge(before_trace(), trace(), expected, [warning("MS104")])
    assert outcome.verdict == EQUAL
    assert outcome.unexpected
    assert "did not emit the expected warning MS101" in outcome.notes[0]


def test_a_rewrite_finding_is_not_the_warning():
    expected = Expectation.parse({"not_applicable": "MS101"})
    rewrite = Finding("before.py", 3, 0, "MS101", "rewrite", "x")
    assert judge(before_trace(), trace(), expected, [rewrite]).unexpected


def test_findings_read_back_from_json_judge_the_same():
    expected = Expectation.parse({"not_applicable": "MS101"})
    outcome = judge(before_trace(), trace(), expected, [Finding.from_json(warning().to_json())])
    assert outcome.verdict == NOT_APPLICABLE


def test_expected_differs_is_not_unexpected():
    outcome = judge(before_trace(stdout="a"), trace(stdout="b"), Expectation(DIFFERS))
    assert (outcome.verdict, outcome.unexpected) == (DIFFERS, False)


def test_expected_differs_but_equal_is_unexpected():
    outcome = judge(before_trace(), trace(), Expectation(DIFFERS))
    assert outcome.unexpected


@pytest.mark.parametrize(
    "value", ["same", {"not_applicable": "101"}, {"not_applicable": "MS101", "x": 1}, None],
)
def test_bad_expectations_are_rejected(value):
    with pytest.raises(ValueError, match="expected"):
        Expectation.parse(value)


def test_outcome_json_round_trips_the_essentials():
    outcome = judge(before_trace(stdout="a"), trace(stdout="b"), EQ)
    data = outcome.to_json()
    assert data["verdict"] == DIFFERS and data["unexpected"] is True
    assert data["differences"] == [{"field": "stdout", "before": "a", "after": "b"}]


def test_uid_tables_compared_at_clears_but_not_at_exit():
    """A half migration under TF 1.12 leaves standalone counters of the old graph behind."""
    from migrate_session.verify.compare import compare_traces

    def with_tables(at_clear, at_exit):
        base = before_trace()
        base["events"] = [
            {"event": "clear", "api": "keras", "snapshot": {"uid_tables_cleared": at_clear}},
            {"event": "exit", "snapshot": {"uid_tables_cleared": at_exit}},
        ]
        return base

    differences = compare_traces(with_tables(True, False), with_tables(False, True))
    assert [d.to_text() for d in differences] == ["clear 1: uid_tables_cleared: True -> False"]
