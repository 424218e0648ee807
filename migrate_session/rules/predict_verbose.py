"""MS016 (tf2): ``model.predict(x)`` keeps Keras 2.2.4's silence: ``verbose=0``.

Keras 2.2.4's ``predict`` printed nothing by default (``verbose=0``); TF 2's defaults to
``'auto'`` and prints a progress bar on stdout (corpus ``k09_predict_default_verbose``).
``predict`` is a common method name, so only a receiver the module binds once to a Keras model
(``model = Sequential(...)``, ``load_model(...)``, ``Model(...)``, an application such as
``ResNet50(weights='imagenet')``) is changed.
"""

from __future__ import annotations

import libcst as cst

from migrate_session import api_tables, call_args, keras_models
from migrate_session.rule import Example, Rule

EXAMPLES = (
    Example(
        title="a model the module built or loaded",
        before="""
            from keras.models import load_model
            model = load_model("m.h5")
            scores = model.predict(rows)
            quiet = model.predict(rows, verbose=0)
            other = estimator.predict(rows)
        """,
        tf1="""
            from tensorflow.keras.models import load_model
            model = load_model("m.h5")
            scores = model.predict(rows)
            quiet = model.predict(rows, verbose=0)
            other = estimator.predict(rows)
        """,
        tf2="""
            from tensorflow.keras.models import load_model
            model = load_model("m.h5")
            scores = model.predict(rows, verbose=0)
            quiet = model.predict(rows, verbose=0)
            other = estimator.predict(rows)
        """,
        findings="1:MS001",
        findings_tf2="1:MS001 3:MS016",
    ),
    Example(
        title="an application model",
        before="""
            from keras.applications.resnet50 import ResNet50, preprocess_input
            net = ResNet50(weights="imagenet")
            scores = net.predict(preprocess_input(batch))
        """,
        tf1="""
            from tensorflow.keras.applications.resnet50 import ResNet50, preprocess_input
            net = ResNet50(weights="imagenet")
            scores = net.predict(preprocess_input(batch))
        """,
        tf2="""
            from tensorflow.keras.applications.resnet50 import ResNet50, preprocess_input
            net = ResNet50(weights="imagenet")
            scores = net.predict(preprocess_input(batch), verbose=0)
        """,
        findings="1:MS001",
        findings_tf2="1:MS001 3:MS016",
    ),
)


class PredictVerbose(Rule):
    id = "MS016"
    name = "predict-verbose"
    summary = "`model.predict(x)` keeps Keras 2.2.4's default `verbose=0` (tf2)"
    examples = EXAMPLES
    ATTRIBUTES = frozenset({"predict"})

    def visit_Call(self, node: cst.Call) -> None:
        target = self.context.target
        func = node.func
        if not (target.eager and isinstance(func, cst.Attribute) and func.attr.value == "predict"
                and keras_models.is_model(self.context, func.value)):
            return
        source = api_tables.signature(api_tables.SOURCE_ENV, "keras.models.Model.predict")
        targets = target.signatures("tensorflow.keras.models.Model.predict")
        bound = call_args.names(node, source) if source is not None else None
        if source is None or targets is None or bound is None:
            return
        added = [(n, v) for n, v in call_args.changed_defaults(source, targets, set(bound), {}) if n == "verbose"]
        if added:
            self.report(node, "Keras 2.2.4's predict printed nothing (verbose=0); TF 2's prints a progress bar: verbose=0 written")
            self.edit(node, lambda updated: call_args.with_added(updated, added))

