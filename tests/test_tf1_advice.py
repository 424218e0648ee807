"""MS107's TF 2 advice: every pattern names TF 1 names TF 2 lacks (or, literally, a name older than
TF 1.12 that no environment has), every TF 2 name it advises exists."""

from __future__ import annotations

from fnmatch import fnmatchcase

import pytest

from migrate_session import api_tables
from migrate_session.rules.tf1_api import TF2_ADVICE, tf2_advice
from migrate_session.targets import exists

TF2_ENVS = ("tf215", "tf2")


@pytest.mark.parametrize(("pattern", "advice", "tf2_names"), TF2_ADVICE, ids=[a[0] for a in TF2_ADVICE])
def test_advice_points_to_names_tf2_has(pattern, advice, tf2_names):
    for name in tf2_names:
        for env in TF2_ENVS:
            assert exists(env, name) is True, (name, env)


@pytest.mark.parametrize(("pattern", "advice", "tf2_names"), TF2_ADVICE, ids=[a[0] for a in TF2_ADVICE])
def test_pattern_matches_a_tf1_name_tf2_lacks(pattern, advice, tf2_names):
    module, _, names = pattern.rpartition(".")
    matched = [
        f"{module}.{name}" for name in api_tables.names("tf112", module) if fnmatchcase(name, names)
    ]
    if not matched:  # a name older than TF 1.12 that code still carries (`tf.select`): absent everywhere
        assert pattern == module + "." + names and "*" not in names, f"{pattern} matches no name of TF 1.12"
        assert all(exists(env, pattern) is False for env in ("tf112", *TF2_ENVS)), pattern
        return
    assert any(all(exists(env, name) is False for env in TF2_ENVS) for name in matched), pattern


def test_first_match_wins_and_unknown_names_have_none():
    assert "Checkpoint" in tf2_advice("tensorflow.train.Saver")
    assert "tf.keras.optimizers" in tf2_advice("tensorflow.train.MomentumOptimizer")
    assert tf2_advice("tensorflow.no_such_name") is None


def test_tf_where_broadcasts_a_rank_1_condition_in_tf2_as_the_select_advice_says():
    rows, columns = [[1.0, 2.0], [-3.0, -4.0]], [[1.0, -2.0], [3.0, -4.0]]
    assert api_tables.probe("tf112", "tf.where(rank-1 condition, x, y)").value == rows
    for env in TF2_ENVS:
        assert api_tables.probe(env, "tf.where(rank-1 condition, x, y)").value == columns
    assert "broadcast over the last axis in TF 2" in tf2_advice("tensorflow.select")
