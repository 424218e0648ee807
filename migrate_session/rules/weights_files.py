"""MS122 (warning): a weights file's name the target writes in another format, or refuses.

Keras 2.2.4 wrote HDF5 whatever the name. The targets decide by its end (measured:
``save_weights`` and ``ModelCheckpoint`` of a model to ``w.h5``, ``w.hdf5``, ``w.weights.h5``,
``w.keras`` and ``w`` in every env; ``migrate_session/weights_names.py``):

* TF 1.12's tf.keras writes weights not named ``*.h5`` / ``*.keras`` in TF's checkpoint format
  (``w.hdf5.index`` beside it; with no folder in the name it raises ValueError). MS018 writes
  ``save_format='h5'`` where the receiver is a model the module made; ``ModelCheckpoint`` has
  no such argument.
* TF 2.15 does the same for a name with no HDF5 ending (``.hdf5`` is one there).
* Keras 3 (TF >= 2.16) refuses weights not named ``*.weights.h5`` (its own layout: files Keras 2
  wrote load under ``.h5``), and a ``ModelCheckpoint`` of the whole model not named ``*.keras``
  or ``*.h5``.

Renaming a file changes what reads it, so that is reported with the ending every env of the
target writes as HDF5, not written. Only names that show their ending are judged; a
``save_weights`` of an object the module made with something else (a keras-rl agent) is that
library's.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from migrate_session import keras_models, weights_names
from migrate_session.keras1_args import keyword
from migrate_session.rule import WARNING, Context, Example, Rule
from migrate_session.rules.weights_format import writes_format
from migrate_session.syntax import last_name
from migrate_session.targets import aliases
from migrate_session.weights_names import (
    ADVISED,
    argument,
    checkpoint,
    problem,
    representative,
    same_as_source,
)

CHECKPOINT = "keras.callbacks.ModelCheckpoint"

EXAMPLES = (
    Example(
        title="weights saved under names the targets write differently or refuse",
        before="""
            from keras.callbacks import ModelCheckpoint
            from keras.models import load_model
            model = load_model('m.h5')
            model.save_weights('final.hdf5')
            self.model.save_weights(os.path.join(run, 'epoch_%d.h5' % epoch))
            best = ModelCheckpoint('weights.{epoch:02d}.hdf5', save_weights_only=True)
            whole = ModelCheckpoint(filepath=f'{run}/model.hdf5')
            self.model.save_weights(config.weight_path)
        """,
        tf1="""
            from tensorflow.keras.callbacks import ModelCheckpoint
            from tensorflow.keras.models import load_model
            model = load_model('m.h5')
            model.save_weights('final.hdf5', save_format='h5')
            self.model.save_weights(os.path.join(run, 'epoch_%d.h5' % epoch))
            best = ModelCheckpoint('weights.{epoch:02d}.hdf5', save_weights_only=True)
            whole = ModelCheckpoint(filepath=f'{run}/model.hdf5')
            self.model.save_weights(config.weight_path)
        """,
        tf2="""
            from tensorflow.keras.callbacks import ModelCheckpoint
            from tensorflow.keras.models import load_model
            model = load_model('m.h5')
            model.save_weights('final.hdf5')
            self.model.save_weights(os.path.join(run, 'epoch_%d.h5' % epoch))
            best = ModelCheckpoint('weights.{epoch:02d}.hdf5', save_weights_only=True)
            whole = ModelCheckpoint(filepath=f'{run}/model.hdf5')
            self.model.save_weights(config.weight_path)
        """,
        findings_tf1="1:MS001 2:MS001 4:MS018 6:MS122",
        findings_tf2="1:MS001 2:MS001 4:MS122 5:MS122 6:MS122 7:MS122 8:MS122",
    ),
    Example(
        title="names every target writes as Keras 2.2.4 did, another library's save_weights, a name that hides its ending",
        before="""
            from keras.callbacks import ModelCheckpoint
            from rl.agents.dqn import DQNAgent
            agent = DQNAgent(model=model, nb_actions=2)
            agent.save_weights('dqn.h5f', overwrite=True)
            best = ModelCheckpoint('best.weights.h5', save_weights_only=True)
            whole = ModelCheckpoint('model.h5', save_weights_only=flag)
            model.save_weights(path)
        """,
        after="""
            from tensorflow.keras.callbacks import ModelCheckpoint
            from rl.agents.dqn import DQNAgent
            agent = DQNAgent(model=model, nb_actions=2)
            agent.save_weights('dqn.h5f', overwrite=True)
            best = ModelCheckpoint('best.weights.h5', save_weights_only=True)
            whole = ModelCheckpoint('model.h5', save_weights_only=flag)
            model.save_weights(path)
        """,
        findings_tf1="1:MS001 2:MS112",
        findings_tf2="1:MS001 2:MS112 7:MS122",
    ),
)


class WeightsFiles(Rule):
    id = "MS122"
    name = "weights-file"
    severity = WARNING
    summary = "a weights file's name the target writes in another format than HDF5, or refuses (Keras 3: `*.weights.h5`)"
    examples = EXAMPLES
    ATTRIBUTES = frozenset({"save_weights"})

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "save_weights":
            self._save_weights(node, func.value)
        elif last_name(func) == "ModelCheckpoint":
            made = self.context.canonical(func)
            if made is not None and CHECKPOINT in aliases(made):
                self._checkpoint(node)

    def _save_weights(self, node: cst.Call, receiver: cst.BaseExpression) -> None:
        if writes_format(self.context, node) is not None or keras_models.made_by_another(self.context, receiver):
            return  # MS018 writes HDF5 there; another library's method is its own
        path = argument(node, 0, "filepath")
        if path is None or keyword(node.args, "save_format") is not None:
            return
        rep = representative(self.context, path)
        advice = self._advice(weights_names.save_weights, "the weights")
        if rep is None:
            # The ending is not visible; where even `w.h5` is refused (Keras 3), a model's weights
            # are almost surely named otherwise (Keras 2.2.4 code has no `.weights.h5`).
            found = problem(self.context.target, weights_names.save_weights("w.h5"), "w.h5")
            if found and _names_a_model(self.context, receiver):
                said = found.split(": ", 1)[1]
                self.report(node, f"this name's ending is not visible here, and for a name like `x.h5` {said}; {advice}")
            return
        found = problem(self.context.target, weights_names.save_weights(rep), rep)
        if found:
            self.report(node, f"{found}; {advice}")

    def _checkpoint(self, node: cst.Call) -> None:
        path = argument(node, 0, "filepath")
        only = argument(node, 4, "save_weights_only")
        weights_only = False if only is None else _literal_bool(only)
        rep = representative(self.context, path) if path is not None else None
        if rep is None or weights_only is None:
            return
        found = problem(self.context.target, checkpoint(rep, weights_only), rep)
        if found:
            what = "the weights" if weights_only else "the model"
            self.report(node, f"{found}; {self._advice(lambda r: checkpoint(r, weights_only), what)}")

    def _advice(self, probe_of: Callable[[str], str], what: str) -> str:
        """The plainest ending every env writes as HDF5, ``probe_of`` a name giving the probe."""
        for ending, rep in ADVISED:
            if same_as_source(self.context.target, probe_of(rep)):
                return f"name {what} `*{ending}` (and read {'it' if what == 'the model' else 'them'} under that name)"
        return "save in the target's own format instead (`model.save('m.keras')`)"


def _names_a_model(context: Context, receiver: cst.BaseExpression) -> bool:
    """A model the module made, or a receiver named as one (``self.model``, ``actor_model``)."""
    return keras_models.is_model(context, receiver) or keras_models.named_as(receiver, "model")


def _literal_bool(node: cst.BaseExpression) -> bool | None:
    if isinstance(node, cst.Name) and node.value in ("True", "False"):
        return node.value == "True"
    return None
