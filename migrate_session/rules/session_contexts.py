"""MS020 (tf2): a session or default graph held only to close, initialize or enter goes.

Under TF 2 eager there is no Keras session to close, variables are initialized when they are
created, and a ``with graph.as_default():`` around an eagerly built model switches to graph
mode, where ``predict`` raises (TF 2.15: "Calling `Model.predict` in graph mode is not
supported"; TF 2.21 fails too). So ``K.get_session().close()``, ``sess.run(
tf.global_variables_initializer())`` (or local), ``model._make_predict_function()`` and the
captures ``sess = K.get_session()`` / ``graph = tf.get_default_graph()`` are dropped, and
``with sess.as_default():`` / ``with sess.graph.as_default():`` / ``with graph.as_default():``
are unwrapped, when every use of the session or graph is one of these (``eager_plan``
follows each; an ``is`` comparison keeps a graph's capture). A session read, run, returned
to callers that use it or passed anywhere, a private ``tf.Graph()``, and an initializer run
in a module that makes TF 1 variables (``tf.metrics.auc``) are kept as today (MS101, MS104).
"""

from __future__ import annotations

from functools import partial

import libcst as cst

from migrate_session import eager_plan, statement_edits
from migrate_session.rule import Example, Rule
from migrate_session.syntax import Statement, block_statements

EXAMPLES = (
    Example(
        title="close, initializers: nothing to do under eager",
        before="""
            import tensorflow as tf
            from keras import backend as K
            for fold in range(3):
                K.get_session().close()
                K.get_session().run(tf.global_variables_initializer())
                K.clear_session()
        """,
        tf1="""
            import tensorflow as tf
            from tensorflow.keras import backend as K
            for fold in range(3):
                K.get_session().close()
                K.get_session().run(tf.global_variables_initializer())
                K.clear_session()
        """,
        tf2="""
            from tensorflow.keras import backend as K
            for fold in range(3):
                K.clear_session()
        """,
        findings="2:MS001 6:MS002",
        findings_tf2="2:MS001 4:MS020 5:MS020 6:MS002",
    ),
    Example(
        title="a captured session entered and closed: unwrapped, dropped",
        before="""
            from keras import backend as K
            sess = K.get_session()
            with sess.as_default():
                with sess.graph.as_default():  # Keras' graph
                    print(model.predict(x, verbose=0))
            sess.close()
        """,
        tf1="""
            from tensorflow.keras import backend as K
            sess = K.get_session()
            with sess.as_default():
                with sess.graph.as_default():  # Keras' graph
                    print(model.predict(x, verbose=0))
            sess.close()
        """,
        tf2="""
            # Keras' graph
            print(model.predict(x, verbose=0))
        """,
        findings="1:MS001",
        findings_tf2="2:MS020 3:MS020 4:MS020 6:MS020",
    ),
    Example(
        title="serving: graph captured at load, entered per request",
        before="""
            import tensorflow as tf
            from keras.models import load_model
            model = load_model('m.h5')
            model._make_predict_function()
            graph = tf.get_default_graph()

            def predict(x):
                with graph.as_default():
                    return model.predict(x, verbose=0)
        """,
        tf1="""
            import tensorflow as tf
            from tensorflow.keras.models import load_model
            model = load_model('m.h5')
            model._make_predict_function()
            graph = tf.get_default_graph()

            def predict(x):
                with graph.as_default():
                    return model.predict(x, verbose=0)
        """,
        tf2="""
            from tensorflow.keras.models import load_model
            model = load_model('m.h5')

            def predict(x):
                return model.predict(x, verbose=0)
        """,
        findings="2:MS001",
        findings_tf2="2:MS001 4:MS020 5:MS020 8:MS020",
    ),
    Example(
        title="a returned session goes only when every caller here ignores it",
        before="""
            from keras import backend as K

            def reset():
                K.clear_session()
                s = K.get_session()
                return s

            for trial in range(3):
                reset()
        """,
        tf1="""
            from tensorflow.keras import backend as K

            def reset():
                K.clear_session()
                s = K.get_session()
                return s

            for trial in range(3):
                reset()
        """,
        tf2="""
            from tensorflow.keras import backend as K

            def reset():
                K.clear_session()

            for trial in range(3):
                reset()
        """,
        findings="1:MS001 4:MS002",
        findings_tf2="1:MS001 4:MS002 5:MS020 6:MS020",
    ),
    Example(
        title="the reset_keras recipe: a clear and a collect are what is left",
        before="""
            import gc
            import tensorflow as tf
            from keras import backend as K

            def reset_keras():
                sess = K.get_session()
                K.clear_session()
                sess.close()
                sess = K.get_session()
                gc.collect()
                config = tf.ConfigProto()
                config.gpu_options.allow_growth = True
                K.set_session(tf.Session(config=config))
        """,
        tf1="""
            import gc
            import tensorflow as tf
            from tensorflow.keras import backend as K

            def reset_keras():
                sess = K.get_session()
                K.clear_session()
                sess.close()
                sess = K.get_session()
                gc.collect()
                config = tf.ConfigProto()
                config.gpu_options.allow_growth = True
                K.set_session(tf.Session(config=config))
        """,
        tf2="""
            import gc
            import tensorflow as tf
            from tensorflow.keras import backend as K

            def reset_keras():
                K.clear_session()
                gc.collect()
                for gpu in tf.config.list_physical_devices("GPU"):
                    try:
                        tf.config.experimental.set_memory_growth(gpu, True)
                    except RuntimeError:  # GPU already initialized: growth can no longer change
                        pass
        """,
        findings="3:MS001 7:MS002",
        findings_tf2="3:MS001 6:MS020 7:MS002 8:MS020 9:MS020 13:MS005",
    ),
    Example(
        title="a model built inside a private graph keeps its graph",
        before="""
            import tensorflow as tf
            from keras.models import Sequential
            graph = tf.Graph()
            with graph.as_default():
                model = Sequential()
        """,
        tf1="""
            import tensorflow as tf
            from tensorflow.keras.models import Sequential
            graph = tf.Graph()
            with graph.as_default():
                model = Sequential()
        """,
        tf2="""
            import tensorflow as tf
            from tensorflow.keras.models import Sequential
            graph = tf.Graph()
            with graph.as_default():
                model = Sequential()
        """,
        findings="2:MS001",
        findings_tf2="2:MS001 3:MS104",
    ),
    Example(
        title="a session that is read is kept",
        before="""
            import tensorflow as tf
            from keras import backend as K
            sess = K.get_session()
            with sess.as_default():
                tf.train.Saver().save(sess, 'ckpt')
        """,
        tf1="""
            import tensorflow as tf
            from tensorflow.keras import backend as K
            sess = K.get_session()
            with sess.as_default():
                tf.train.Saver().save(sess, 'ckpt')
        """,
        tf2="""
            import tensorflow as tf
            sess = tf.compat.v1.keras.backend.get_session()
            with sess.as_default():
                tf.train.Saver().save(sess, 'ckpt')
        """,
        findings_tf1="2:MS001",
        findings_tf2="3:MS003 3:MS101 3:MS104 5:MS107",
    ),
)


class SessionContexts(Rule):
    id = "MS020"
    name = "session-contexts"
    summary = "a session or default graph held only to close, initialize or enter goes (tf2)"
    examples = EXAMPLES
    ATTRIBUTES = frozenset({"as_default", "close", "run", "_make_predict_function"})

    def visit_Module(self, node: cst.Module) -> None:
        if not (self.context.target.eager and eager_plan.concerns(self.context)):
            return
        plan = eager_plan.plan(self.context, node)
        for line, why in plan.drops.items():
            self.edit(line, [])
            self.report(line, why)
        for statement, items in plan.unwraps.items():
            for number in items:
                item = statement.items[number].item
                self.edit(item, item)  # left as it is, unmigrated: it goes with the item
            self.edit(statement, partial(_without, gone=set(items)))
            self.report(statement, "; ".join(dict.fromkeys(items.values())))


def _without(statement: cst.With, gone: set[int]) -> cst.With | cst.FlattenSentinel[Statement]:
    kept = [item for number, item in enumerate(statement.items) if number not in gone]
    if kept:
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return statement.with_changes(items=kept)
    body = statement.body
    lines: list[Statement]
    comments: list[str]
    footer: list[cst.EmptyLine]
    if isinstance(body, cst.SimpleStatementSuite):
        lines = [cst.SimpleStatementLine(body=list(body.body), trailing_whitespace=body.trailing_whitespace)]
        comments, footer = [], []
    else:
        assert isinstance(body, cst.IndentedBlock)  # the other suite
        lines = list(block_statements(body))
        comments = [body.header.comment.value] if body.header.comment else []
        footer = list(body.footer)
    lead = [*statement.leading_lines, *statement_edits.comment_lines(comments)]
    lines[0] = lines[0].with_changes(leading_lines=[*lead, *lines[0].leading_lines])
    if footer:
        lines.append(statement_edits.placeholder(footer))
    return cst.FlattenSentinel(lines)
