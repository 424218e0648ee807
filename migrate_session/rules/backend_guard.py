"""MS006: a ``K.backend() == 'tensorflow'`` guard that is the whole condition is decided.

Under tf.keras the backend is always TensorFlow, so such an ``if`` (or ``elif``) keeps only the
branch that runs; the dead branch goes with its comments. Only a comparison that *is* the whole
condition is decided; one inside ``and``/``or``, an assert or an expression is left alone (it
still works: ``backend()`` still answers).
"""

from __future__ import annotations

import libcst as cst

from migrate_session import statement_edits
from migrate_session.rule import Example, Replacement, Rule
from migrate_session.syntax import Statement, block_statements

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
        findings="1:MS001 2:MS006 3:MS002",
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
        findings="1:MS001 2:MS006 5:MS002",
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
        findings="1:MS001 3:MS002",
    ),
    Example(
        title="an `elif` chain over backends",
        before="""
            from keras import backend as K
            # pick the dimension order
            if K.backend() == 'theano':
                axis = 1  # channels first
            elif K.backend() == 'tensorflow':
                axis = -1
            else:
                axis = 0
        """,
        after="""
            # pick the dimension order
            axis = -1
        """,
        findings="3:MS006 5:MS006",
    ),
    Example(
        title="a decided `elif` after an undecided `if`",
        before="""
            from keras import backend as K
            if use_cpu:
                device = 'cpu'
            elif K._BACKEND == 'tensorflow':
                device = 'gpu'
        """,
        after="""
            if use_cpu:
                device = 'cpu'
            else:
                device = 'gpu'
        """,
        findings="4:MS006",
    ),
)


class BackendGuard(Rule):
    id = "MS006"
    name = "backend-guard"
    summary = "`K.backend() == 'tensorflow'` as a whole condition is always true under tf.keras"
    examples = EXAMPLES
    DROPS_COMMENTS = "the branch that cannot run under tf.keras goes with its comments"

    def visit_If(self, node: cst.If) -> None:
        verdict = self._decide(node.test)
        if verdict is None:
            return
        self.report(node.test, f"always {verdict} under tf.keras: kept only the branch that runs")
        parents = self.context.ancestors
        is_elif = bool(parents) and isinstance(parents[-1], cst.If) and parents[-1].orelse is node
        self.edit(node, lambda updated: _decided(node, updated, verdict, is_elif))

    def _decide(self, test: cst.BaseExpression) -> bool | None:
        if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
            return None
        target = test.comparisons[0]
        if not isinstance(target.operator, (cst.Equal, cst.NotEqual)):
            return None
        pair = (test.left, target.comparator)
        for probe, literal in (pair, pair[::-1]):
            if self._is_backend(probe) and isinstance(literal, cst.SimpleString):
                same = literal.evaluated_value == "tensorflow"
                return same if isinstance(target.operator, cst.Equal) else not same
        return None

    def _is_backend(self, node: cst.BaseExpression) -> bool:
        if isinstance(node, cst.Call) and not node.args:
            return self.context.canonical(node.func) == BACKEND_CALL
        return self.context.canonical(node) == BACKEND_ATTR


def _decided(original: cst.If, updated: cst.If, verdict: bool, is_elif: bool) -> Replacement:
    """What stands for an ``if`` whose condition is decided: the branch that runs."""
    if is_elif:
        if verdict:
            return cst.Else(body=updated.body, leading_lines=updated.leading_lines,
                            whitespace_before_colon=updated.whitespace_after_test)
        return updated.orelse if updated.orelse is not None else cst.RemovalSentinel.REMOVE
    branch = updated.body if verdict else updated.orelse
    if isinstance(branch, cst.If):
        return branch.with_changes(leading_lines=original.leading_lines)
    if isinstance(branch, cst.Else):
        branch = branch.body
    if branch is None:
        return statement_edits.placeholder(original.leading_lines)
    return _flatten(branch, original)


def _flatten(body: cst.BaseSuite, original: cst.If) -> cst.FlattenSentinel[Statement]:
    statements: list[Statement]
    if isinstance(body, cst.SimpleStatementSuite):
        statements = [cst.SimpleStatementLine(body=list(body.body))]
    else:
        assert isinstance(body, cst.IndentedBlock)  # the other suite
        statements = list(block_statements(body))
        if body.footer:  # the blank lines (and comments) that ended the block go before what follows
            statements.append(statement_edits.placeholder(body.footer))
    first = statements[0]
    statements[0] = first.with_changes(leading_lines=[*original.leading_lines, *first.leading_lines])
    return cst.FlattenSentinel(statements)
