"""MS018 (tf1): ``model.save_weights(name)`` keeps writing HDF5: ``save_format='h5'``.

Keras 2.2.4 wrote HDF5 whatever the name; TF 1.12's tf.keras writes weights not named
``*.h5`` / ``*.keras`` in TF's checkpoint format, and raises ValueError when such a name has
no folder (measured: ``save_weights`` to ``w.hdf5`` and ``w``). Its ``save_weights`` takes
``save_format='h5'``, which writes HDF5 for every probed name, so that is written: where the
name shows an ending the target does not write as HDF5, or shows none, and the receiver is a
model the module made (``save_weights`` is also a keras-rl agent's method, which takes no
``save_format``). Under ``tf2`` Keras 3 has no ``save_format``: MS122 warns there.
"""

from __future__ import annotations

import libcst as cst

from migrate_session import call_args, keras_models, weights_names
from migrate_session.keras1_args import keyword
from migrate_session.rule import Context, Example, Rule
from migrate_session.weights_names import EVERY, argument, problem, representative, same_as_source

EXAMPLES = (
    Example(
        title="weights of a model the module built",
        before="""
            from keras.models import Sequential
            model = Sequential()
            model.save_weights('final.hdf5')
            model.save_weights(path, overwrite=True)
            model.save_weights('final.h5')
        """,
        tf1="""
            from tensorflow.keras.models import Sequential
            model = Sequential()
            model.save_weights('final.hdf5', save_format='h5')
            model.save_weights(path, overwrite=True, save_format='h5')
            model.save_weights('final.h5')
        """,
        tf2="""
            from tensorflow.keras.models import Sequential
            model = Sequential()
            model.save_weights('final.hdf5')
            model.save_weights(path, overwrite=True)
            model.save_weights('final.h5')
        """,
        findings_tf1="1:MS001 3:MS018 4:MS018",
        findings_tf2="1:MS001 3:MS122 4:MS122 5:MS122",
    ),
)


class WeightsFormat(Rule):
    id = "MS018"
    name = "weights-format"
    summary = "`model.save_weights(name)` keeps writing HDF5 where TF 1.12 would not: `save_format='h5'` (tf1)"
    examples = EXAMPLES
    ATTRIBUTES = frozenset({"save_weights"})

    def visit_Call(self, node: cst.Call) -> None:
        why = writes_format(self.context, node)
        if why is not None:
            self.report(node, f"{why}: `save_format='h5'` written (HDF5, as Keras 2.2.4 wrote)")
            self.edit(node, lambda updated: call_args.with_added(updated, [("save_format", "'h5'")]))


def writes_format(context: Context, node: cst.Call) -> str | None:
    """Why ``save_format='h5'`` goes into this ``save_weights`` call (None: it does not)."""
    func = node.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "save_weights"
            and keras_models.is_model(context, func.value)):
        return None
    if keyword(node.args, "save_format") is not None:
        return None
    path = argument(node, 0, "filepath")
    rep = representative(context, path) if path is not None else None
    shown = EVERY if rep is None else (rep,)
    target = context.target
    found = [p for r in shown if (p := problem(target, weights_names.save_weights(r), r))]
    if not found or not all(same_as_source(target, weights_names.save_weights(r, "h5")) for r in shown):
        return None
    return found[0] if rep is not None else "a name that shows no ending: " + found[0].split(": ", 1)[1]
