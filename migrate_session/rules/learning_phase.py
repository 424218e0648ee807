"""MS021 (tf2): ``K.set_learning_phase(0)`` before inference goes.

Measured (``research/eager``, F5): in TF 2.15 ``set_learning_phase(0)`` changes nothing, for
``predict`` and for ``model(x)`` alike (eager inference already runs in phase 0); Keras 3
has no learning phase at all. In TF 1 it also made ``fit`` train with dropout and batch
statistics off, which eager ``fit`` does not do. So the call goes only where nothing else
depends on the phase: every ``set_learning_phase`` in the module sets a literal 0, nothing
reads, feeds or passes ``K.learning_phase()``, nothing trains (``fit``, ``fit_generator``,
``train_on_batch``), and no Keras session stays to run graph tensors in that phase.
Otherwise the calls stay as today and MS104 says what differs.
"""

from __future__ import annotations

import libcst as cst

from migrate_session import eager_plan
from migrate_session.rule import Example, Rule

SET_PHASE = "keras.backend.set_learning_phase"
PHASE = "keras.backend.learning_phase"
TRAINING = ("fit", "fit_generator", "train_on_batch")

EXAMPLES = (
    Example(
        title="inference only: the phase is eager's default",
        before="""
            from keras import backend as K
            from keras.models import load_model
            K.set_learning_phase(0)
            model = load_model('m.h5')
            print(model.predict(x, verbose=0))
        """,
        tf1="""
            from tensorflow.keras import backend as K
            from tensorflow.keras.models import load_model
            K.set_learning_phase(0)
            model = load_model('m.h5')
            print(model.predict(x, verbose=0))
        """,
        tf2="""
            from tensorflow.keras.models import load_model
            model = load_model('m.h5')
            print(model.predict(x, verbose=0))
        """,
        findings="1:MS001 2:MS001",
        findings_tf2="2:MS001 3:MS021",
    ),
    Example(
        title="a learning phase that is read (fed, passed) keeps the call",
        before="""
            from keras import backend as K
            K.set_learning_phase(0)
            predict = K.function([model.input, K.learning_phase()], [model.output])
        """,
        after="""
            from tensorflow.keras import backend as K
            K.set_learning_phase(0)
            predict = K.function([model.input, K.learning_phase()], [model.output])
        """,
        findings="1:MS001",
        findings_tf2="1:MS001 2:MS101 2:MS104 3:MS101 3:MS101 3:MS104",
    ),
    Example(
        title="a model trained after it keeps the call (TF 1 trained in inference mode)",
        before="""
            from keras import backend as K
            K.set_learning_phase(0)
            model.fit(x, y)
        """,
        after="""
            from tensorflow.keras import backend as K
            K.set_learning_phase(0)
            model.fit(x, y)
        """,
        findings="1:MS001",
        findings_tf2="1:MS001 2:MS101 2:MS104",
    ),
)


class LearningPhase(Rule):
    id = "MS021"
    name = "learning-phase"
    summary = "`K.set_learning_phase(0)` before inference goes: eager inference runs in phase 0 (tf2)"
    examples = EXAMPLES

    def visit_Module(self, node: cst.Module) -> None:
        if not (self.context.target.eager and self.context.mentions("set_learning_phase")):
            return
        plan = eager_plan.plan(self.context, node)
        index = plan.index
        phase_calls = [
            call for call in index.calls
            if eager_plan.called_name(call) == "set_learning_phase" and self.context.canonical(call.func) == SET_PHASE
        ]
        found = [self._zero_phase_line(call, index) for call in phase_calls]
        lines = [line for line in found if line is not None]
        if not phase_calls or len(lines) < len(found) or plan.keeps_session:
            return
        if any(self.context.canonical(ref) == PHASE for ref in index.references("learning_phase")):
            return
        if any(isinstance(ref, cst.Attribute) for name in TRAINING for ref in index.references(name)):
            return
        for line in lines:
            self.edit(line, [])
            self.report(line, "learning phase 0 dropped: eager inference runs in phase 0 (Keras 3 has no learning phase)")

    def _zero_phase_line(self, call: cst.Call, index: eager_plan.Index) -> cst.SimpleStatementLine | None:
        if len(call.args) != 1 or call.args[0].keyword is not None:
            return None
        value = call.args[0].value
        if not (isinstance(value, cst.Integer) and value.value == "0"):
            return None
        parent = index.parent(call)
        return index.line_of(parent) if isinstance(parent, cst.Expr) else None
