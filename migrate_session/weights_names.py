"""How a weights file's name decides what the targets write (MS018, MS122).

Keras 2.2.4 wrote HDF5 whatever the name; the targets decide by the end of the name. The
facts are the probes of ``data/dump_probes.py`` (``WEIGHTS_NAMES``): ``save_weights`` and
``ModelCheckpoint`` of a model to one name per ending the envs tell apart.
"""

from __future__ import annotations

import libcst as cst

from migrate_session import api_tables, keras1_args
from migrate_session.rule import Context
from migrate_session.targets import Target

# The names the probes wrote, by the ending each stands for; any other ending is OTHER.
ENDINGS = ((".weights.h5", "w.weights.h5"), (".h5", "w.h5"), (".hdf5", "w.hdf5"), (".keras", "w.keras"))
OTHER = "w"
EVERY = (*(rep for _, rep in ENDINGS), OTHER)
SOURCE_FORMAT = "HDF5"  # Keras 2.2.4's, whatever the name (the tf112 `keras ...` probes)
# The endings to advise, the plainest first.
ADVISED = ((".h5", "w.h5"), (".weights.h5", "w.weights.h5"), (".keras", "w.keras"))
FORMATS = {"TF checkpoint": "TF's checkpoint format (`<name>.index` beside it)", "Keras zip": "a `.keras` zip",
           "other": "no file of that name (a SavedModel folder)"}


def save_weights(rep: str, save_format: str | None = None) -> str:
    """The probe (a template of ``problem``) of ``model.save_weights(rep)``."""
    return f"model.save_weights({rep!r}{'' if save_format is None else f', save_format={save_format!r}'})"


def checkpoint(rep: str, weights_only: bool) -> str:
    return f"ModelCheckpoint({rep!r}, save_weights_only={weights_only})"


def written(target: Target, probe: str) -> list[tuple[str, api_tables.Outcome]]:
    """What each env of the target did with ``tf.keras <probe>``."""
    return [(env, api_tables.probe(env, f"tf.keras {probe}: format")) for env in target.envs]


def same_as_source(target: Target, probe: str) -> bool:
    return all(outcome.value == SOURCE_FORMAT for _, outcome in written(target, probe))


def problem(target: Target, probe: str, rep: str) -> str:
    """What the first env that differs does with the HDF5 file Keras 2.2.4 wrote (empty: none)."""
    for env, outcome in written(target, probe):
        where = target.describe((env,))
        if not outcome.ok:
            return f"a name like `{rep}`: {where} raises {(outcome.error or '').split(' Received')[0]!r}"
        if outcome.value != SOURCE_FORMAT:
            written_as = FORMATS.get(str(outcome.value), str(outcome.value))
            return f"a name like `{rep}`: {where} writes {written_as}, where Keras 2.2.4 wrote HDF5"
    return ""


def representative(context: Context, path: cst.BaseExpression) -> str | None:
    """The probed name that stands for the ending ``path`` shows; None when it shows none."""
    text = _ending(context, path, frozenset())
    if text is None:
        return None
    return next((rep for ending, rep in ENDINGS if text.endswith(ending)), OTHER)


def _ending(context: Context, node: cst.BaseExpression, seen: frozenset[str]) -> str | None:
    """The text ``node`` ends with, where it shows it: a string, an f-string, a ``.format``
    or ``%`` template, a ``+`` ending in one, ``os.path.join(..., 'w.h5')``, or a name every
    assignment of which is one of those with the same ending."""
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(node, cst.FormattedString):
        last = node.parts[-1] if node.parts else None
        return last.value if isinstance(last, cst.FormattedStringText) else None
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.Add, cst.Modulo)):
        return _ending(context, node.right if isinstance(node.operator, cst.Add) else node.left, seen)
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        if node.func.attr.value == "format":
            return _ending(context, node.func.value, seen)
        if node.func.attr.value == "join" and node.args and not node.args[-1].star:
            return _ending(context, node.args[-1].value, seen)
        return None
    if isinstance(node, cst.Name) and node.value not in seen:
        values = context.assigned_values(node) or ()
        endings = {_ending(context, value, seen | {node.value}) for value in values}
        return endings.pop() if len(endings) == 1 else None
    return None


def argument(call: cst.Call, position: int, keyword: str) -> cst.BaseExpression | None:
    """The argument bound to the parameter at ``position`` named ``keyword``; None when absent
    or unknowable (a ``*args`` before it)."""
    for index, arg in enumerate(a for a in call.args if a.keyword is None):
        if arg.star:
            return None
        if index == position:
            return arg.value
    named = keras1_args.keyword(call.args, keyword)
    return named.value if named is not None else None
