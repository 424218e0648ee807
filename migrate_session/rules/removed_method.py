"""MS110 (warning): a Keras 2 / TF 1 method the target's classes no longer have.

Found by name on any object (objects are not typed), for methods the tables measured missing
from the class that had them in TF 1.12: ``predict_classes`` (Sequential, gone since TF 2.6),
``make_one_shot_iterator`` / ``make_initializable_iterator`` (``tf.data.Dataset``), and a call
of an optimizer's ``get_updates`` (TF 2's optimizers have none; a class that defines one is
MS116's). An optimizer's ``get_weights`` too (gone from TF 2.15's and Keras 3's, measured), where
the receiver is known to be one (``model.optimizer``, a name bound to it or to ``Adam(...)``):
``get_weights`` of models and layers stays. There is no faithful rewrite: what
``predict_classes`` returned depends on the model's last layer. Left as written, reported.
"""

from __future__ import annotations

import libcst as cst

from migrate_session import api_tables, keras_models
from migrate_session.rule import WARNING, Example, Rule
from migrate_session.rules.generator_methods import NEW_NAMES, plan
from migrate_session.rules.keras1_arguments import keras2_keywords
from migrate_session.rules.keyword_changes import OPTIMIZERS
from migrate_session.targets import aliases

# method -> (the TF 1.12 class that had it, what to do instead)
METHODS = {
    "predict_classes": (
        "tensorflow.keras.models.Sequential",
        ("use `np.argmax(model.predict(x), axis=-1)` for a softmax output, "
         "`(model.predict(x) > 0.5).astype('int32')` for a sigmoid one"),
    ),
    "make_one_shot_iterator": (
        "tensorflow.data.Dataset",
        "iterate the dataset (`iter(dataset)`, `for batch in dataset`) or pass it to `fit`",
    ),
    "make_initializable_iterator": (
        "tensorflow.data.Dataset",
        "iterate the dataset again for each pass (`iter(dataset)`)",
    ),
    "get_updates": (
        "tensorflow.keras.optimizers.Optimizer",
        "port the optimizer to TF 2's API (`update_step` / `apply_gradients`)",
    ),
    **{
        old: ("tensorflow.keras.models.Model", (f"call `{new}` and give `workers=`/`use_multiprocessing=` to a "
                                                "keras.utils.PyDataset (Keras 3's methods do not take them)"))
        for old, new in (("fit_generator", "fit"), ("evaluate_generator", "evaluate"), ("predict_generator", "predict"))
    },
}

# Methods of optimizers only: reported where the receiver is known to be one.
OPTIMIZER_METHODS = {
    "get_weights": ("tensorflow.keras.optimizers.Optimizer",
                    ("read `[v.numpy() for v in optimizer.variables]` (their number and order differ from "
                     "Keras 2.2.4's), or save the optimizer with the model (`model.save`)")),
}

EXAMPLES = (
    Example(
        title="an optimizer's weights, saved by hand",
        before="""
            import pickle
            from keras.optimizers import Adam
            opt = Adam(lr=0.001)
            state = opt.get_weights()
            pickle.dump(model.optimizer.get_weights(), handle)
            layer_weights = model.get_weights()
            used = model.optimizer
            saved = used.get_weights()
        """,
        tf1="""
            import pickle
            from tensorflow.keras.optimizers import Adam
            opt = Adam(lr=0.001)
            state = opt.get_weights()
            pickle.dump(model.optimizer.get_weights(), handle)
            layer_weights = model.get_weights()
            used = model.optimizer
            saved = used.get_weights()
        """,
        tf2="""
            import pickle
            from tensorflow.keras.optimizers import Adam
            opt = Adam(learning_rate=0.001)
            state = opt.get_weights()
            pickle.dump(model.optimizer.get_weights(), handle)
            layer_weights = model.get_weights()
            used = model.optimizer
            saved = used.get_weights()
        """,
        findings_tf1="2:MS001",
        findings_tf2="2:MS001 3:MS008 4:MS110 5:MS110 8:MS110",
    ),
    Example(
        title="methods TF 2 removed, found by name",
        before="""
            from keras.models import load_model
            model = load_model("m.h5")
            labels = model.predict_classes(rows)
            batch = dataset.make_one_shot_iterator().get_next()
        """,
        after="""
            from tensorflow.keras.models import load_model
            model = load_model("m.h5")
            labels = model.predict_classes(rows)
            batch = dataset.make_one_shot_iterator().get_next()
        """,
        findings_tf1="1:MS001",
        findings_tf2="1:MS001 3:MS110 4:MS110",
    ),
    Example(
        title="a wrapper's own fit_generator that passes through to its model",
        before="""
            from keras.models import Model

            class Wrapper:
                def fit_generator(self, generator, *args, **kwargs):
                    return self.model.fit_generator(generator, *args, **kwargs)

            wrapper.fit_generator(batches, steps_per_epoch=10)
        """,
        after="""
            from tensorflow.keras.models import Model

            class Wrapper:
                def fit_generator(self, generator, *args, **kwargs):
                    return self.model.fit_generator(generator, *args, **kwargs)

            wrapper.fit_generator(batches, steps_per_epoch=10)
        """,
        findings_tf1="1:MS001",
        findings_tf2="1:MS001 5:MS110",
    ),
)


class RemovedMethod(Rule):
    id = "MS110"
    name = "removed-method"
    severity = WARNING
    summary = "a Keras 2 / TF 1 method (`predict_classes`, `make_one_shot_iterator`, `get_updates`) the target lacks"
    examples = EXAMPLES
    ATTRIBUTES = frozenset(METHODS) | frozenset(OPTIMIZER_METHODS)

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute) and node.func.attr.value in OPTIMIZER_METHODS:
            name = node.func.attr.value
            if self._is_optimizer(node.func.value) and not self.context.defines(name):
                self._report_missing(node, name, f"`.{name}()` of an optimizer", OPTIMIZER_METHODS[name])
            return
        if isinstance(node.func, cst.Attribute) and node.func.attr.value in METHODS:
            name = node.func.attr.value
            keras1 = keras2_keywords(self.context, node)
            if name in NEW_NAMES and plan(self.context.target, node, self.context.defines, keras1):
                return  # MS009 rewrites the call
            if not self.context.defines(name):
                self._report_missing(node, name, f"`.{name}()`")
            elif _names_its_owner(name, node.func.value):
                # The module wraps the method (`def fit_generator(self, ...)`), so MS009 leaves the
                # calls alone; one on a model (an optimizer) passes through to Keras.
                self._report_missing(node, name, (
                    f"`.{name}()` on `{_text(node.func.value)}` (this module defines its own `{name}`, "
                    "so the call is left as written; this says what happens if that is Keras's)"
                ))

    def _is_optimizer(self, receiver: cst.BaseExpression) -> bool:
        if isinstance(receiver, cst.Attribute):
            return receiver.attr.value == "optimizer"
        if not isinstance(receiver, cst.Name):
            return False
        values = self.context.assigned_values(receiver) or ()
        return bool(values) and all(self._makes_optimizer(value) for value in values)

    def _makes_optimizer(self, value: cst.BaseExpression) -> bool:
        """``Adam(...)``, or ``model.optimizer`` (``opt = model.optimizer``)."""
        if isinstance(value, cst.Attribute):
            return value.attr.value == "optimizer"
        maker = self.context.canonical(value.func) if isinstance(value, cst.Call) else None
        return maker is not None and bool(OPTIMIZERS & set(aliases(maker)))

    def _report_missing(
        self, node: cst.CSTNode, name: str, what: str, about: tuple[str, str] | None = None,
    ) -> None:
        target = self.context.target
        owner, advice = about or METHODS[name]
        missing = tuple(env for env in target.envs if api_tables.has_member(env, owner, name) is False)
        if missing:
            self.report(node, (
                f"{what}: `{owner.rpartition('.')[2]}` has no `{name}` in {target.describe(missing)} "
                f"(this line raises AttributeError there, or is never called); {advice}"
            ))


def _names_its_owner(method: str, receiver: cst.BaseExpression) -> bool:
    """A receiver named as what has ``method`` in Keras (``self.model``, ``keras_model``,
    ``self.optimizer``), not ``self``: what the module's own method of that name passes on to."""
    return keras_models.named_as(receiver, "optimizer" if method == "get_updates" else "model")


def _text(node: cst.BaseExpression) -> str:
    return cst.Module(body=[]).code_for_node(node)

