"""False or misleading findings a held-out trial on real code found, as that code had them: each
failed once. A warning that is wrong is a bug too: false warnings teach users to ignore true ones."""

from __future__ import annotations

import pytest

from migrate_session.engine import migrate_code
from migrate_session.targets import TARGETS


def _findings(source: str, target: str) -> list[str]:
    return [f"{f.line}:{f.rule_id}" for f in migrate_code(source, target).findings]


@pytest.mark.parametrize("target", TARGETS)
def test_an_import_the_migration_leaves_unused_is_not_reported(target):
    """PacktPublishing/Deep-Learning-with-Keras Chapter04/wavnet/wavenet.py:16: MS102 said the
    `keras.objectives` import fails, but its one use is spelled in full and the import goes."""
    source = (
        "import keras.backend as K\nfrom keras import objectives\n\n"
        "def train():\n    loss = objectives.categorical_crossentropy\n    K.clear_session()\n"
    )
    result = migrate_code(source, target)
    assert "objectives" not in result.code.replace("losses.categorical", "")
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

