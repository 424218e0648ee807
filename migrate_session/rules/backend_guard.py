"""MS006: a ``K.backend() == 'tensorflow'`` guard that is the whole condition is decided.

Under tf.keras the backend is always TensorFlow, so such an ``if`` keeps only the branch that
runs. Only a comparison that *is* the whole condition is decided; one inside ``and``/``or``,
an assert or an expression is left alone (it still works: ``backend()`` still answers).
"""

from __future__ import annotations

import libcst as cst

from migrate_session.findings import REWRITE
from migrate_session.rules.base import Example, Rule

BACKEND_CALL = "keras.backend.backend"
BACKEND_ATTR = "keras.backend._BACKEND"

EXAMPLES = (
    Example(
        title="the guard around GPU set-up goes, its body stays",
        before="""
            from keras import backend as K
            if K.backend() == 'tensorflow':
                K.clear_session()
        """,
        after="""
            from tensorflow.keras import backend as K
            K.clear_session()
        """,
        ),
    Example(
        title="either operand order; a Theano branch is dead",
        before="""
            import keras
            if 'tensorflow' != keras.backend.backend():
                raise SystemExit("needs TensorFlow")
            else:
                keras.backend.clear_session()
        """,
        after="""
            from tensorflow import keras
            keras.backend.clear_session()
        """,
        ),
    Example(
        title="part of a larger condition: left alone",
        before="""
            from keras import backend as K
            if K.backend() == 'tensorflow' and use_gpu:
                K.clear_session()
        """,
        after="""
            from tensorflow.keras import backend as K
            if K.backend() == 'tensorflow' and use_gpu:
                K.clear_session()
        """,
        ),
)


class BackendGuard(Rule):
    id = "MS006"
    name = "backend-guard"
    summary = "`K.backend() == 'tensorflow'` as a whole condition is always true under tf.keras"
    examples = EXAMPLES

    def leave_If(self, m, original: cst.If, updated: cst.If):
        verdict = self._decide(m, original.test)
        if verdict is None:
            return updated
        m.report(original.test, self.id, f"always {verdict} under tf.keras: kept only the branch that runs", REWRITE)
        if verdict:
            return _flatten(updated.body, original)
        if isinstance(updated.orelse, cst.If):
            return updated.orelse.with_changes(leading_lines=original.leading_lines)
        if isinstance(updated.orelse, cst.Else):
            return _flatten(updated.orelse.body, original)
        return cst.RemovalSentinel.REMOVE

    def _decide(self, m, test) -> bool | None:
        if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
            return None
        target = test.comparisons[0]
        if not isinstance(target.operator, (cst.Equal, cst.NotEqual)):
            return None
        pair = (test.left, target.comparator)
        for probe, literal in (pair, pair[::-1]):
            if self._is_backend(m, probe) and isinstance(literal, cst.SimpleString):
                same = literal.evaluated_value == "tensorflow"
                return same if isinstance(target.operator, cst.Equal) else not same
        return None

    @staticmethod
    def _is_backend(m, node) -> bool:
        if isinstance(node, cst.Call) and not node.args:
            return m.canonical(node.func) == BACKEND_CALL
        return m.canonical(node) == BACKEND_ATTR


def _flatten(body: cst.BaseSuite, original: cst.If):
    if isinstance(body, cst.SimpleStatementSuite):
        statements = [cst.SimpleStatementLine(body=list(body.body))]
    else:
        statements = list(body.body)
    first = statements[0]
    statements[0] = first.with_changes(leading_lines=[*original.leading_lines, *first.leading_lines])
    return cst.FlattenSentinel(statements)


RULE = BackendGuard()
