"""targets.py directly: existence in three answers, spellings, homes, rebinding (issue 9 item 2)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from migrate_session import targets
from migrate_session.targets import Spelling, exists, target

TF1, TF2 = target("tf1"), target("tf2")


def test_the_private_names_the_dump_records_are_the_ones_targets_calls_measured():
    source = (Path(targets.__file__).parent / "data" / "dump_api.py").read_text(encoding="utf-8")
    assignment = next(
        node for node in ast.parse(source).body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PRIVATE_NAMES"
    )
    assert frozenset(ast.literal_eval(assignment.value.args[0])) == targets.MEASURED_PRIVATE_NAMES


@pytest.mark.parametrize(("env", "dotted", "answer"), [
    ("tf112", "tensorflow.Session", True),
    ("tf215", "tensorflow.Session", False),
    ("tf215", "tensorflow.compat.v1.Session", True),
    ("tf2", "tensorflow.compat.v1.keras.backend.get_session", False),
    ("tf215", "tensorflow.compat.v1.keras.backend.get_session", True),
    ("tf112", "tensorflow.__version__", True),
    ("tf215", "tensorflow.keras.__version__", False),  # the keras package has one, tf.keras not
    ("tf215", "tensorflow.python.client.device_lib.list_local_devices", True),
    ("tf2", "tensorflow.python.framework.graph_util.convert_variables_to_constants", False),
    ("tf112", "tensorflow.keras.layers.Dense.__name__", True),  # attributes of a name: on trust
    ("tf112", "tensorflow.keras.backend._some_private_thing", None),  # not measured
    ("tf215", "tensorflow.train.Saver", False),
])
def test_existence_is_measured_present_absent_or_not_measured(env, dotted, answer):
    assert exists(env, dotted) is answer


def test_a_target_is_missing_what_any_of_its_environments_lacks():
    assert TF2.missing_in("tensorflow.compat.v1.keras.backend.get_session") == ("tf2",)
    assert TF1.missing_in("tensorflow.compat.v1.Session") == ("tf112",)
    assert not TF2.missing_in("tensorflow.keras.backend.clear_session")


@pytest.mark.parametrize(("name", "tf1", "tf2"), [
    ("keras.backend.clear_session", "tensorflow.keras.backend.clear_session", "tensorflow.keras.backend.clear_session"),
    ("keras.backend.get_session", "tensorflow.keras.backend.get_session", "tensorflow.compat.v1.keras.backend.get_session"),
    ("tensorflow.Session", "tensorflow.Session", "tensorflow.compat.v1.Session"),
    ("keras.layers.convolutional.Conv2D", "tensorflow.keras.layers.Conv2D", "tensorflow.keras.layers.Conv2D"),
])
def test_spellings_take_the_name_that_works_in_most_environments(name, tf1, tf2):
    assert TF1.spell(name).dotted == tf1
    assert TF2.spell(name).dotted == tf2


def test_a_spelling_that_misses_keras_3_says_so():
    assert TF2.spell("keras.backend.get_session").missing_in == ("tf2",)
    assert TF2.spell("keras.backend.function") == Spelling("tensorflow.keras.backend.function", False, ("tf2",))


def test_no_spelling_for_what_no_environment_has():
    assert TF1.spell("keras.engine.topology.Node") is None
    assert TF2.spell("keras.backend.image_dim_ordering") is None


@pytest.mark.parametrize(("qualified", "canonical"), [
    ("keras.backend.tensorflow_backend.set_session", "keras.backend.set_session"),
    ("tensorflow.compat.v1.keras.backend.get_session", "keras.backend.get_session"),
    ("tensorflow.python.keras.backend.clear_session", "keras.backend.clear_session"),
    ("keras.backend.tf.Session", "tensorflow.Session"),
    ("keras.layers.core.K.set_learning_phase", "keras.backend.set_learning_phase"),
    ("keras.layers.convolutional.Conv2D", "keras.layers.Conv2D"),
    ("keras.models.Sequential", "keras.models.Sequential"),  # public already: kept
    ("tensorflow.compat.v1.Session", "tensorflow.Session"),
])
def test_canonical_names_fold_every_spelling_of_one_api(qualified, canonical):
    assert targets.canonical(qualified) == canonical


def test_rebinding_follows_the_target_s_measured_aliases():
    assert TF2.rebind("keras.constraints.maxnorm") in {
        "tensorflow.keras.constraints.MaxNorm", "tensorflow.keras.constraints.max_norm"}
    assert TF2.has(TF2.rebind("keras.constraints.maxnorm"))
    assert TF1.rebind("tensorflow.python.keras.backend") == "tensorflow.python.keras.backend"  # tf1: tf.keras itself
    assert TF2.rebind("tensorflow.python.keras.backend") == "tensorflow.keras.backend"
    assert TF2.rebind("numpy.zeros") == "numpy.zeros"


def test_an_unknown_target_is_refused():
    with pytest.raises(ValueError, match="unknown target"):
        target("tf3")
