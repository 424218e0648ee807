"""MS102's advice for Keras 2.2.4 names tf.keras lacks: every pattern names such a name, every
name it advises exists in each environment of its targets, and what it says the replacement
answers is what the probes of data/dump_probes.py measured."""

from __future__ import annotations

import pytest

from migrate_session import api_tables
from migrate_session.rules.no_equivalent import KERAS_ADVICE, keras_advice
from migrate_session.targets import Target, exists

IDS = [f"{pattern}-{'+'.join(targets)}" for pattern, targets, *_ in KERAS_ADVICE]


@pytest.mark.parametrize(("pattern", "targets", "advice", "names"), KERAS_ADVICE, ids=IDS)
def test_advice_points_to_names_each_environment_of_its_targets_has(pattern, targets, advice, names):
    assert names
    for target in targets:
        for env in Target(target).envs:
            for name in names:
                assert exists(env, name) is True, (name, env)


@pytest.mark.parametrize(("pattern", "targets", "advice", "names"), KERAS_ADVICE, ids=IDS)
def test_pattern_names_a_keras_2_2_4_name_the_targets_tf_keras_lacks(pattern, targets, advice, names):
    name = pattern.rstrip("*")
    assert exists("tf112", name) is True, f"Keras 2.2.4 has no {name}"
    for target in targets:
        assert Target(target).missing_in("tensorflow." + name), f"{target} has tensorflow.{name}"


def test_only_known_names_get_advice():
    assert keras_advice("tf1", "keras.backend.tile")
    assert keras_advice("tf2", "keras.backend.tile") is None  # TF 2's tf.keras has it
    assert keras_advice("tf1", "keras.layers.Merge") is None


def _value(env: str, probe: str):
    outcome = api_tables.probe(env, probe)
    assert outcome.ok, (env, probe, outcome.error)
    return outcome.value


def test_image_dim_ordering_answers_th_for_channels_first_and_tf_for_channels_last():
    assert _value("tf112", "keras.backend.image_dim_ordering() under channels_first, channels_last") == ["th", "tf"]
    assert "'channels_first' where this answered 'th', 'channels_last' for 'tf'" in keras_advice(
        "tf2", "keras.backend.image_dim_ordering")
    probe = "keras.backend.image_data_format() after set_image_dim_ordering('th'), ('tf')"
    assert _value("tf112", probe) == ["channels_first", "channels_last"]
    assert "'channels_first' for 'th', 'channels_last' for 'tf'" in keras_advice("tf2", "keras.backend.set_image_dim_ordering")


def test_get_variable_shape_is_int_shape():
    assert _value("tf112", "keras.backend.get_variable_shape(v) == keras.backend.int_shape(v)") is True


def test_tile_takes_an_int_where_tf_tile_raises():
    assert _value("tf112", "keras.backend.tile(t, 2) == tf.tile(t, [2])") is True
    for env in ("tf112", "tf215", "tf2"):
        assert not api_tables.probe(env, "tf.tile(t, 2)").ok


def test_is_tensor_answers_as_keras_2_2_4_did():
    samples = "of a tensor, variable, tf.Variable, array, float, sparse tensor"
    keras_2_2_4 = _value("tf112", f"keras.backend.is_tensor {samples}")
    assert _value("tf112", f"tf.contrib.framework.is_tensor {samples}") == keras_2_2_4
    for env in ("tf215", "tf2"):
        assert _value(env, f"tf.is_tensor {samples}") == keras_2_2_4


@pytest.mark.parametrize(("mode", "app"), [
    ("caffe", "resnet50"), ("caffe", "vgg16"), ("tf", "mobilenet"), ("tf", "inception_v3"), ("torch", "densenet"),
])
def test_imagenet_utils_preprocessing_is_the_application_s_own(mode, app):
    probe = f"keras imagenet_utils.preprocess_input(a, mode={mode!r}) == tf.keras.applications.{app}.preprocess_input(a)"
    assert _value("tf112", probe) is True
    assert f"{app}`" in keras_advice("tf1", "keras.applications.imagenet_utils")


def test_logsumexp_is_tf_math_reduce_logsumexp():
    probe = "{}(t, axis, keepdims) for (1, True), (None, False), (-1, False)"
    keras_2_2_4 = _value("tf112", probe.format("keras.backend.logsumexp"))
    for env in ("tf112", "tf215", "tf2"):
        assert _value(env, probe.format("tf.math.reduce_logsumexp")) == keras_2_2_4
    advice = keras_advice("tf2", "keras.backend.logsumexp")
    assert advice.startswith("`tf.math.reduce_logsumexp(x, axis, keepdims)`")
    parameters = api_tables.signature("tf2", "tensorflow.math.reduce_logsumexp").parameters
    assert [p.name for p in parameters[:3]] == ["input_tensor", "axis", "keepdims"]
    assert "`x=` is `input_tensor=`" in advice
