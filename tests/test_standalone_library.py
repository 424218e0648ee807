"""MS112: which imports are a standalone-Keras library, and when a module already takes its route."""

from __future__ import annotations

import pytest

from migrate_session.engine import migrate_code
from migrate_session.rules.standalone_library import LIBRARIES, library_of


@pytest.mark.parametrize(("module", "library"), [
    ("horovod.keras", "horovod.keras"),
    ("horovod.keras.callbacks", "horovod.keras"),
    ("horovod.tensorflow.keras", None),  # the tf.keras route itself
    ("classification_models.tfkeras", None),
    ("efficientnet.keras", "efficientnet.keras"),
    ("keras_contrib.layers.normalization", "keras_contrib"),
    ("keras_contribution", None),
    ("kapre.time_frequency", "kapre"),
    ("kaprekar", None),
])
def test_library_of(module, library):
    found = library_of(module)
    assert (found.module if found else None) == library


def test_every_library_names_a_route_for_each_target():
    for library in LIBRARIES:
        assert library.tf1 and library.tf2, library.module


def findings(source: str, target: str) -> list[str]:
    return [f.rule_id for f in migrate_code(source, target).findings if f.rule_id == "MS112"]


def test_a_name_that_only_contains_the_variable_is_not_the_route():
    source = "import keras\nimport keras_bert\nname = sm._TF_KERAS_FRAMEWORK_NAME\n"
    assert findings(source, "tf1") == ["MS112"]
    assert findings(source.replace("sm._TF_KERAS_FRAMEWORK_NAME", "os.environ['TF_KERAS']"), "tf1") == []


def test_from_package_import_library():
    assert findings("import keras\nfrom horovod import keras as hvd\n", "tf2") == ["MS112"]
