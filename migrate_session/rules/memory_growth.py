"""MS005 (tf2): the ``allow_growth`` session becomes ``tf.config`` memory growth.

Under TF 2 eager, Keras does not run on the session handed to ``set_session``; the only
effect worth keeping is "grow GPU memory as needed". TensorFlow documents that
``set_memory_growth`` raises ``RuntimeError`` once the GPU is initialized (after the first
clear, say), so the replacement catches that and can run any number of times. The machines
that verify have no GPU: the corpus cases show only that the rewrite runs, and clears like the
original, on CPU. Only the exact idiom is rewritten: a config with anything else in it
(a memory fraction, ``visible_device_list``), or a config or session used elsewhere, keeps
its ``tf.compat.v1`` spelling and the Keras 3 warning.
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m_

from migrate_session.rule import Example, Rule

SET_SESSION = "keras.backend.set_session"
GROWTH = """\
for gpu in {tf}.config.list_physical_devices("GPU"):
    try:
        {tf}.config.experimental.set_memory_growth(gpu, True)
    except RuntimeError:  # GPU already initialized: growth can no longer change
        pass
"""

EXAMPLES = (
    Example(
        title="the three-line idiom",
        before="""
            import tensorflow as tf
            from keras import backend as K
            config = tf.ConfigProto()
            config.gpu_options.allow_growth = True
            K.set_session(tf.Session(config=config))
        """,
        tf1="""
            import tensorflow as tf
            from tensorflow.keras import backend as K
            config = tf.ConfigProto()
            config.gpu_options.allow_growth = True
            K.set_session(tf.Session(config=config))
        """,
        tf2="""
            import tensorflow as tf
            for gpu in tf.config.list_physical_devices("GPU"):
                try:
                    tf.config.experimental.set_memory_growth(gpu, True)
                except RuntimeError:  # GPU already initialized: growth can no longer change
                    pass
        """,
        findings_tf1="2:MS001",
        findings_tf2="2:MS001 5:MS005",
    ),
    Example(
        title="with a named session, inside a function",
        before="""
            import tensorflow as tf
            import keras.backend as K

            def limit_memory():
                cfg = tf.ConfigProto()
                cfg.gpu_options.allow_growth = True
                sess = tf.Session(config=cfg)
                K.set_session(sess)
        """,
        tf2="""
            import tensorflow as tf

            def limit_memory():
                for gpu in tf.config.list_physical_devices("GPU"):
                    try:
                        tf.config.experimental.set_memory_growth(gpu, True)
                    except RuntimeError:  # GPU already initialized: growth can no longer change
                        pass
        """,
        tf1="""
            import tensorflow as tf
            from tensorflow.keras import backend as K

            def limit_memory():
                cfg = tf.ConfigProto()
                cfg.gpu_options.allow_growth = True
                sess = tf.Session(config=cfg)
                K.set_session(sess)
        """,
        findings_tf1="2:MS001",
        findings_tf2="2:MS001 8:MS005",
    ),
    Example(
        title="a memory fraction has no exact eager form: spelled through tf.compat.v1",
        before="""
            import tensorflow as tf
            from keras import backend as K
            config = tf.ConfigProto()
            config.gpu_options.per_process_gpu_memory_fraction = 0.5
            K.set_session(tf.Session(config=config))
        """,
        tf1="""
            import tensorflow as tf
            from tensorflow.keras import backend as K
            config = tf.ConfigProto()
            config.gpu_options.per_process_gpu_memory_fraction = 0.5
            K.set_session(tf.Session(config=config))
        """,
        tf2="""
            import tensorflow as tf
            config = tf.compat.v1.ConfigProto()
            config.gpu_options.per_process_gpu_memory_fraction = 0.5
            tf.compat.v1.keras.backend.set_session(tf.compat.v1.Session(config=config))
        """,
        findings_tf1="2:MS001",
        findings_tf2="2:MS001 3:MS004 5:MS003 5:MS004 5:MS101 5:MS104",
    ),
)


def _statement(line: cst.BaseStatement) -> cst.BaseSmallStatement | None:
    if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1:
        return line.body[0]
    return None


class MemoryGrowth(Rule):
    id = "MS005"
    name = "memory-growth"
    summary = "the `allow_growth` session config becomes `tf.config` memory growth (tf2)"
    examples = EXAMPLES

    def visit_Module(self, node: cst.Module) -> None:
        self._block(node.body)

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._block(node.body)

    def _block(self, body) -> None:
        if not self.context.target.eager:
            return
        index = 0
        while index < len(body):
            span = self._idiom_at(body, index)
            if span is None:
                index += 1
                continue
            lines, set_session = span
            tf = self.context.imports.tensorflow(lines[0], near=set_session.base)
            self.edit(lines[0], self.context.statements(GROWTH.format(tf=tf)))
            for line in lines[1:]:
                self.edit(line, [])
            self.report(lines[-1], "allow_growth session replaced by tf.config memory growth")
            index += len(lines)

    def _idiom_at(self, body, start):
        """``config = ConfigProto()``, ``config...allow_growth = True``, [``sess = Session(config)``], ``set_session(...)``."""
        config = self._config_name(_statement(body[start]))
        if config is None:
            return None
        lines = [body[start]]
        growth = _statement(body[start + 1]) if start + 1 < len(body) else None
        if not m_.matches(growth, _allow_growth(config)):
            return None
        lines.append(body[start + 1])
        session_name, position = None, start + 2
        session = _statement(body[position]) if position < len(body) else None
        if m_.matches(session, m_.Assign(targets=[m_.AssignTarget(m_.Name())], value=m_.Call())) and self._is_session_of(session.value, config):
            session_name = session.targets[0].target.value
            lines.append(body[position])
            position += 1
        call = _statement(body[position]) if position < len(body) else None
        if not (isinstance(call, cst.Expr) and isinstance(call.value, cst.Call) and len(call.value.args) == 1):
            return None
        ref = self.context.resolve(call.value.func)
        if ref is None or ref.canonical != SET_SESSION:
            return None
        argument = call.value.args[0].value
        if session_name is not None:
            if not m_.matches(argument, m_.Name(session_name)) or not self._used_only(body[position], session_name, 1):
                return None
        elif not self._is_session_of(argument, config):
            return None
        if not self._used_only(body[start], config, 2):
            return None
        lines.append(body[position])
        return lines, ref

    def _config_name(self, statement) -> str | None:
        if not m_.matches(statement, m_.Assign(targets=[m_.AssignTarget(m_.Name())], value=m_.Call(args=[]))):
            return None
        if self.context.canonical(statement.value.func) != "tensorflow.ConfigProto":
            return None
        return statement.targets[0].target.value

    def _is_session_of(self, call, config: str) -> bool:
        if not isinstance(call, cst.Call) or self.context.canonical(call.func) != "tensorflow.Session":
            return False
        return m_.matches(call, m_.Call(args=[m_.Arg(value=m_.Name(config), keyword=m_.Name("config"))]))

    def _used_only(self, line, name: str, count: int) -> bool:
        """``name`` is read exactly ``count`` times in its scope: nothing else holds on to it."""
        scope = self.context.scope(line)
        if scope is None:
            return False
        return len(scope.accesses[name]) == count and len(scope.assignments[name]) == 1


def _allow_growth(config: str):
    return m_.Assign(
        targets=[
            m_.AssignTarget(
                m_.Attribute(
                    value=m_.Attribute(value=m_.Name(config), attr=m_.Name("gpu_options")),
                    attr=m_.Name("allow_growth"),
                )
            )
        ],
        value=m_.Name("True"),
    )
