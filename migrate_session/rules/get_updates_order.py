"""MS011 (tf1): Keras 1's ``optimizer.get_updates(params, constraints, loss)`` is called as
Keras 2 calls it, ``get_updates(loss=loss, params=params)``.

Keras 2.2.4 still took the Keras 1 order and dropped the constraints (its legacy interface did
exactly that); tf.keras 1.12 takes only ``(loss, params)`` and raises TypeError on the old
order (measured). A constraints argument that is a call is left alone: dropping it would drop
whatever the call does. Under ``tf2`` there is no ``get_updates`` at all (MS110 says so).
"""

from __future__ import annotations

import libcst as cst

from migrate_session.rule import Example, Rule

EXAMPLES = (
    Example(
        title="the Keras 1 order, as custom optimizers and their callers wrote it",
        before="""
            from keras import optimizers
            updates = optimizers.SGD().get_updates(model.trainable_weights, [], total_loss)
            more = opt.get_updates(params, self.constraints, loss=total_loss)
        """,
        tf1="""
            from tensorflow.keras import optimizers
            updates = optimizers.SGD().get_updates(loss=total_loss, params=model.trainable_weights)
            more = opt.get_updates(loss=total_loss, params=params)
        """,
        tf2="""
            from tensorflow.keras import optimizers
            updates = optimizers.SGD().get_updates(model.trainable_weights, [], total_loss)
            more = opt.get_updates(params, self.constraints, loss=total_loss)
        """,
        findings_tf1="1:MS001 2:MS011 3:MS011",
        findings_tf2="1:MS001 2:MS110 3:MS110",
    ),
)


class GetUpdatesOrder(Rule):
    id = "MS011"
    name = "get-updates-order"
    summary = "Keras 1's `get_updates(params, constraints, loss)` called the Keras 2 way (tf1)"
    examples = EXAMPLES
    ATTRIBUTES = frozenset({"get_updates"})

    def visit_Call(self, node: cst.Call) -> None:
        if self.context.target.eager or not isinstance(node.func, cst.Attribute) or node.func.attr.value != "get_updates":
            return
        positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
        keywords = {arg.keyword.value: arg for arg in node.args if arg.keyword is not None}
        if not ((len(positional) == 3 and not keywords) or (len(positional) == 2 and set(keywords) == {"loss"})):
            return
        constraints = positional[1]
        if isinstance(constraints.value, cst.Call) or self.context.defines("get_updates") and not _super_call(node):
            return
        self.report(node, "Keras 1 order `(params, constraints, loss)`: tf.keras 1.12 takes `(loss, params)` (TypeError otherwise); the constraints were ignored by Keras 2.2.4 too")

        def rewrite(updated: cst.Call) -> cst.Call:
            by_position = [arg for arg in updated.args if arg.keyword is None]
            new_loss = by_position[2] if len(by_position) == 3 else next(a for a in updated.args if a.keyword)
            return updated.with_changes(args=[
                _named(new_loss, "loss").with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
                _named(by_position[0], "params").with_changes(comma=cst.MaybeSentinel.DEFAULT),
            ])

        self.edit(node, rewrite)


def _named(arg: cst.Arg, keyword: str) -> cst.Arg:
    return arg.with_changes(keyword=cst.Name(keyword), equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))


def _super_call(call: cst.Call) -> bool:
    value = call.func.value if isinstance(call.func, cst.Attribute) else None
    return isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value == "super"
