"""False or misleading findings a held-out trial on real code found, as that code had them: each
failed once. A warning that is wrong is a bug too: false warnings teach users to ignore true ones."""

from __future__ import annotations

import pytest

from migrate_session.engine import migrate_code
from migrate_session.rules.tf1_api import same_name_elsewhere
from migrate_session.targets import TARGETS


def _findings(source: str, target: str) -> list[str]:
    return [f"{f.line}:{f.rule_id}" for f in migrate_code(source, target).findings]


@pytest.mark.parametrize("target", TARGETS)
def test_an_import_the_migration_leaves_unused_is_not_reported(target):
    """PacktPublishing/Deep-Learning-with-Keras Chapter04/wavnet/wavenet.py:16: MS102 said the
    `keras.objectives` import fails, but its one use is spelled in full and the import goes.
    (`keras.objectives` now moves whole, as `keras.losses`: a per-file module tf.keras lacks
    stands in for it.)"""
    source = (
        "import keras.backend as K\nfrom keras.layers import convolutional\n\n"
        "def train():\n    layer = convolutional.Conv2D\n    K.clear_session()\n"
    )
    result = migrate_code(source, target)
    assert "convolutional" not in result.code
    assert _findings(source, target) == ["1:MS001", "5:MS003", "6:MS002"]


@pytest.mark.parametrize("target", TARGETS)
def test_an_import_in_a_branch_that_never_runs_is_not_reported(target):
    """tjwei/GANotebooks CycleGAN-keras.ipynb cell 6: MS006 deletes the theano branch, MS102
    reported the import in it (and MS001 the `K` import, gone with its one use)."""
    source = (
        "import keras.backend as K\n"
        "if K._BACKEND == 'theano':\n"
        "    import keras.backend.theano_backend as theano_backend\n"
        "    def _preprocess_conv2d_kernel(kernel, data_format):\n"
        "        return kernel\n"
        "    theano_backend._preprocess_conv2d_kernel = _preprocess_conv2d_kernel\n"
    )
    assert migrate_code(source, target).code.strip() == ""
    assert _findings(source, target) == ["2:MS006"]


def test_a_moved_import_that_then_goes_unused_is_not_reported_as_moved():
    """microsoft/nni cifar10_keras.py:28 (tf2): "moved to tf.keras: `from tensorflow.keras import
    backend as KTF`", where the only use of KTF was dropped, and the import with it."""
    source = (
        "import tensorflow as tf\nimport keras.backend.tensorflow_backend as KTF\n"
        "config = tf.ConfigProto()\nconfig.gpu_options.allow_growth = True\n"
        "sess = tf.Session(config=config)\nKTF.set_session(sess)\n"
    )
    assert "KTF" not in migrate_code(source, "tf2").code
    assert _findings(source, "tf2") == ["6:MS005"]
    assert _findings(source, "tf1") == ["2:MS001"]  # there the import stays, moved


def test_a_lazy_import_spelled_in_full_at_its_use_is_not_reported_as_moved():
    """kundajelab/deeplift deeplift/util.py:21 (tf2): the import went, its use is spelled in full."""
    source = (
        "import tensorflow as tf\n\ndef get_session():\n    try:\n"
        "        import keras.backend as K\n        return K.get_session()\n"
        "    except:\n        return tf.Session()\n"
    )
    assert "import keras" not in migrate_code(source, "tf2").code
    assert "5:MS001" not in _findings(source, "tf2")


def _messages(source: str, target: str, rule_id: str) -> list[str]:
    return [f"{f.line}: {f.message}" for f in migrate_code(source, target).findings if f.rule_id == rule_id]


@pytest.mark.parametrize("target", TARGETS)
def test_a_use_under_a_hasattr_test_of_it_is_not_said_to_raise(target):
    """keras-rl rl/util.py:77: `tf.select` under `if hasattr(tf, 'select'):` never runs where
    it is missing; MS107 said the line raises AttributeError."""
    source = (
        "from keras import backend as K\n\ndef huber_loss(y_true, y_pred, clip_value):\n"
        "    x = y_true - y_pred\n    condition = K.abs(x) < clip_value\n"
        "    squared_loss = .5 * K.square(x)\n    linear_loss = clip_value * (K.abs(x) - .5 * clip_value)\n"
        "    if K.backend() == 'tensorflow':\n        import tensorflow as tf\n"
        "        if hasattr(tf, 'select'):\n"
        "            return tf.select(condition, squared_loss, linear_loss)  # condition, true, false\n"
        "        else:\n            return tf.where(condition, squared_loss, linear_loss)  # condition, true, false\n"
    )
    assert _messages(source, target, "MS107") == []


def test_tf_select_is_advised_tf_where_not_a_numpy_namesake():
    """keras-rl rl/util.py:77 (tf2): "TF 2.15 (Keras 2), TF >= 2.16 (Keras 3) has
    `tf.experimental.numpy.select` (the same name: check it is the API meant)"."""
    [message] = _messages("import tensorflow as tf\nimport keras\ny = tf.select(c, a, b)\n", "tf2", "MS107")
    assert "use `tf.where(condition, x, y)`" in message
    assert "numpy" not in message


def test_a_name_is_looked_up_elsewhere_only_when_its_namespace_moved():
    assert same_name_elsewhere("tf1", "tensorflow.contrib.data.Dataset") == "tensorflow.data.Dataset"
    assert same_name_elsewhere("tf1", "tensorflow.compat.v1.logging.set_verbosity") == "tensorflow.logging.set_verbosity"
    assert same_name_elsewhere("tf2", "tensorflow.select") is None


@pytest.mark.parametrize(("target", "source", "advised"), [
    pytest.param(  # keras-rl examples/dqn_atari.py:58
        target, "from keras import backend as K\nif K.image_dim_ordering() == 'tf':\n    shape = (84, 84, 4)\n",
        "`tf.keras.backend.image_data_format()`: it answers 'channels_first' where this answered 'th'",
        id=f"image_dim_ordering-{target}") for target in TARGETS
] + [
    pytest.param(  # tdeboissiere/DeepLearningImplementations Eve/Eve.py:46
        target, "from keras import backend as K\nshapes = [K.get_variable_shape(p) for p in params]\n",
        "use `tf.keras.backend.int_shape(x)`", id=f"get_variable_shape-{target}") for target in TARGETS
] + [
    pytest.param(  # guicho271828/latplan latplan/util/layers.py:451
        target, "from keras import backend as K\ny = K.logsumexp(K.stack(args, axis=0), axis=0) - K.log(2.0)\n",
        "use `tf.math.reduce_logsumexp(x, axis, keepdims)`", id=f"logsumexp-{target}") for target in TARGETS
] + [
    pytest.param(  # pierluigiferrari/ssd_keras keras_layer_AnchorBoxes.py:253
        "tf1", "from keras import backend as K\n"
        "boxes_tensor = K.tile(K.constant(boxes_tensor, dtype='float32'), (K.shape(x)[0], 1, 1, 1, 1))\n",
        "use `tf.tile(x, n)`, `n` a list", id="tile-tf1"),
    pytest.param(  # NVIDIA/tao_tensorflow1_backend makenet/scripts/train.py:221
        "tf1", "from keras import backend as K\ny_pred = K.constant(y_pred) if not K.is_tensor(y_pred) else y_pred\n",
        "use `tf.contrib.framework.is_tensor(x)`", id="is_tensor-tf1"),
    pytest.param(
        "tf2", "from keras import backend as K\ny_pred = K.constant(y_pred) if not K.is_tensor(y_pred) else y_pred\n",
        "use `tf.is_tensor(x)`", id="is_tensor-tf2"),
    pytest.param(  # jrosebr1/simple-keras-rest-api run_keras_server.py:12
        "tf1", "from keras.applications import ResNet50\nfrom keras.applications import imagenet_utils\n"
        "image = imagenet_utils.preprocess_input(image)\nresults = imagenet_utils.decode_predictions(preds)\n",
        "is not in tf.keras in TF 1.12: use the `preprocess_input` and `decode_predictions` of the model's own module, "
        "`tf.keras.applications.resnet50`", id="imagenet_utils-tf1"),
])
def test_a_name_with_a_replacement_is_not_said_to_have_nothing_like_it(target, source, advised):
    """FINDINGS F4: "nor anything like it: port it by hand" (or "has no tf.keras equivalent")
    for names whose replacement the target has."""
    [message] = [m for m in _messages(source, target, "MS102")]
    assert advised in message
    assert "nor anything like it" not in message and "no tf.keras equivalent" not in message


@pytest.mark.parametrize("target", TARGETS)
def test_a_module_that_re_exports_a_public_one_moves_as_it(target):
    """guicho271828/latplan latplan/network.py:6: `from keras import objectives` (Keras 2.2.4's
    objectives.py is `from .losses import *`) was said to have no tf.keras equivalent (tf1) or
    to fail (tf2); it is `tensorflow.keras.losses`."""
    source = "from keras import objectives\nimport keras.callbacks\nloss = getattr(objectives, name)\n"
    result = migrate_code(source, target)
    assert result.code.startswith("from tensorflow.keras import losses as objectives\n")
    assert _findings(source, target) == ["1:MS001", "2:MS001"]


@pytest.mark.parametrize("target", TARGETS)
def test_a_keras_1_module_is_said_to_fail_before_the_migration_too(target):
    """williamd4112/DDPG-Keras-Torcs ActorNetwork.py:3: `from keras.initializations import
    normal` was said to be "left on standalone Keras 2.2.4" (tf1), as if it worked there; Keras
    2.2.4 has no `keras.initializations` (ModuleNotFoundError)."""
    source = "from keras.initializations import normal, identity\nfrom keras.layers import Dense\n"
    messages = _messages(source, target, "MS102")
    assert len(messages) == 2
    for message in messages:
        assert "fails before the migration too: Keras 2.2.4 has no `keras.initializations` (it has `keras.initializers`)" in message
        assert "left on standalone Keras 2.2.4" not in message
