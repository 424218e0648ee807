"""MS121 (warning, tf2): a TF 1 variables initializer run in a session that stays.

Under eager, ``tf.compat.v1.global_variables_initializer()`` (and the local, tables and
``variables_initializer`` ones) returns None: eager variables are initialized when they are
created. A session's ``run`` of None raises (measured: ``Session().run(...)`` of each, and of
a list of two, on TF 2.15 and TF 2.21). MS020 drops the line where the session goes too
(``sess = tf.Session()`` then ``sess.run(init)``); where the session stays (an attribute, a
session that also runs graph tensors, a fallback in ``except:``), the ``run`` is reported, at
the call and through a name that holds the initializer (``init = ...; sess.run(init)``).

Not reported inside a ``with`` that enters a graph or a session (``tf.Graph().as_default()``,
``tf.Session()``: a session entered makes its graph the default, and there the initializer is
an op; measured on TF 2.15 and 2.21), nor under any ``with x.as_default():`` (a session's
does not leave eager mode and the run still raises, a graph's does; which ``x`` is is not
always known, and a false warning is worse than a missing one), nor in a function of a module
that enters a graph or session anywhere (it may be called there), nor in a module that turns
eager execution off.
"""

from __future__ import annotations

import libcst as cst

from migrate_session import api_tables
from migrate_session.eager_plan import accesses_of, called_name
from migrate_session.rule import WARNING, Context, Example, Rule

INITIALIZERS = frozenset({
    "tensorflow.global_variables_initializer", "tensorflow.local_variables_initializer",
    "tensorflow.initialize_all_variables", "tensorflow.initialize_local_variables",
    "tensorflow.tables_initializer", "tensorflow.variables_initializer",
    "tensorflow.initializers.global_variables", "tensorflow.initializers.local_variables",
    "tensorflow.initializers.tables_initializer", "tensorflow.initializers.variables",
})
PROBE = "tf.compat.v1.Session().run(tf.compat.v1.global_variables_initializer())"
GRAPH_MODE = ("disable_eager_execution", "disable_v2_behavior")
# `with <call>:` items that may switch to graph mode (a graph or session entered).
ENTERED = frozenset({"as_default", "Session", "InteractiveSession", "Graph"})

EXAMPLES = (
    Example(
        title="an agent's own session, installed for Keras and initialized",
        before="""
            import tensorflow as tf
            from keras import backend as K

            class Agent:
                def __init__(self):
                    self.sess = tf.InteractiveSession()
                    K.set_session(self.sess)
                    self.sess.run(tf.global_variables_initializer())
                    init = tf.local_variables_initializer()
                    self.sess.run(init)
        """,
        after="""
            import tensorflow as tf
            from tensorflow.keras import backend as K

            class Agent:
                def __init__(self):
                    self.sess = tf.InteractiveSession()
                    K.set_session(self.sess)
                    self.sess.run(tf.global_variables_initializer())
                    init = tf.local_variables_initializer()
                    self.sess.run(init)
        """,
        tf2="""
            import tensorflow as tf

            class Agent:
                def __init__(self):
                    self.sess = tf.compat.v1.InteractiveSession()
                    tf.compat.v1.keras.backend.set_session(self.sess)
                    self.sess.run(tf.compat.v1.global_variables_initializer())
                    init = tf.compat.v1.local_variables_initializer()
                    self.sess.run(init)
        """,
        findings_tf1="2:MS001",
        findings_tf2="6:MS004 7:MS003 7:MS101 7:MS104 8:MS004 8:MS121 9:MS004 10:MS121",
    ),
    Example(
        title="a session that goes takes its initializer with it (MS020); graph mode is left alone",
        before="""
            import tensorflow as tf
            from keras import backend as K

            sess = tf.Session()
            sess.run(tf.global_variables_initializer())
            K.set_session(sess)
            with tf.Graph().as_default():
                tf.Session().run(tf.global_variables_initializer())
            with tf.Session() as inner:
                inner.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        """,
        after="""
            import tensorflow as tf
            from tensorflow.keras import backend as K

            sess = tf.Session()
            sess.run(tf.global_variables_initializer())
            K.set_session(sess)
            with tf.Graph().as_default():
                tf.Session().run(tf.global_variables_initializer())
            with tf.Session() as inner:
                inner.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        """,
        tf2="""
            import tensorflow as tf

            with tf.Graph().as_default():
                tf.compat.v1.Session().run(tf.compat.v1.global_variables_initializer())
            with tf.compat.v1.Session() as inner:
                inner.run([tf.compat.v1.global_variables_initializer(), tf.compat.v1.local_variables_initializer()])
        """,
        findings_tf1="2:MS001",
        findings_tf2="5:MS020 6:MS005 7:MS104 8:MS004 8:MS004 9:MS004 10:MS004 10:MS004",
    ),
)


class InitializerRuns(Rule):
    id = "MS121"
    name = "initializer-run"
    severity = WARNING
    summary = "a TF 1 variables initializer run in a session that stays: under eager it is None, and the run raises"
    examples = EXAMPLES

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self._runs: dict[cst.Call, None] = {}  # the `run` calls to report, in order

    def visit_Call(self, node: cst.Call) -> None:
        if not self.context.target.eager or self.context.canonical(node.func) not in INITIALIZERS:
            return
        held = self._held_by(node)
        fetches = [node] if held is None else self._accesses(held)
        for fetch in fetches:
            run = self._run_of(fetch)
            if run is not None and not self._in_graph_mode(run):
                self._runs[run] = None

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        if self._runs and not any(self.context.mentions(name) for name in GRAPH_MODE):
            envs = self.context.target.envs
            outcomes = [api_tables.probe(env, PROBE) for env in envs]
            error = next((outcome.error for outcome in outcomes if not outcome.ok), None)
            for run in self._runs:
                self.report(run, (
                    "under eager a TF 1 variables initializer is None (variables are initialized when created), "
                    f"and running it raises on {self.context.target.describe(envs)} ({(error or '').split('. ')[0]!r}): "
                    "drop this run, or build and run the graph inside `with tf.Graph().as_default():`"
                ))
        return updated

    def _held_by(self, call: cst.Call) -> cst.Name | None:
        """``init = <initializer>()``: the name, when that is its only binding."""
        assign = self.context.parent(call)
        if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
            return None
        name = assign.targets[0].target
        if not isinstance(name, cst.Name):
            return None
        scope = self.context.scope(name)
        return name if scope is not None and len(scope[name.value]) == 1 else None

    def _accesses(self, name: cst.Name) -> list[cst.CSTNode]:
        scope = self.context.scope(name)
        return accesses_of(scope[name.value]) if scope is not None else []

    def _run_of(self, fetch: cst.CSTNode) -> cst.Call | None:
        """The ``x.run(...)`` call that takes ``fetch`` as its fetches (alone, or in a list)."""
        parent = self.context.parent(fetch)
        if isinstance(parent, cst.Element):
            container = self.context.parent(parent)
            parent = self.context.parent(container) if isinstance(container, (cst.List, cst.Tuple)) else None
        if not isinstance(parent, cst.Arg) or parent.star:
            return None
        keyword = parent.keyword.value if parent.keyword is not None else None
        run = self.context.parent(parent)
        if keyword not in (None, "fetches") or not (
            isinstance(run, cst.Call) and isinstance(run.func, cst.Attribute) and run.func.attr.value == "run"
        ):
            return None
        return run if keyword is not None or run.args[0] is parent else None

    def _in_graph_mode(self, node: cst.CSTNode) -> bool:
        """Lexically inside a graph or session context; or inside a function, in a module that
        enters one somewhere (the function may be called there: an async DQN's ``train()``,
        called under ``with g.as_default(), session.as_default():``)."""
        in_function = False
        ancestor = self.context.parent(node)
        while ancestor is not None:
            if isinstance(ancestor, cst.With) and any(_entered(item.item) for item in ancestor.items):
                return True
            in_function = in_function or isinstance(ancestor, (cst.FunctionDef, cst.Lambda))
            ancestor = self.context.parent(ancestor)
        return in_function and any(self.context.mentions(name) for name in ("as_default", "Graph"))


def _entered(item: cst.BaseExpression) -> bool:
    return isinstance(item, cst.Call) and called_name(item) in ENTERED
