"""MS001: every standalone ``keras`` import of a module moves to ``tensorflow.keras``.

Clearing resets only the Keras it is called on (Keras 2.2.4 keeps its own session, name
counters and learning phase), so a module moves to one Keras as a whole, never half. Each
imported name goes to where tf.keras has it (``keras.backend.tensorflow_backend`` is
``tensorflow.keras.backend``), measured in every environment of the target. A name that is
not there everywhere is dropped from the import and spelled in full at its uses by the rule
that owns them; one with no equivalent at all stays, and MS102 says so. A Keras 2.2.4 module
that only re-exports a public one (``keras.objectives`` is ``from .losses import *``: the tables
list the same names, each the same object) moves as that one. Imports are rewritten
in place: a lazy import inside a function stays inside it. Under ``tf2``, imports of TF 1's
private ``tensorflow.python.keras`` move too: in TF 2 that is another Keras than ``tf.keras``
(measured: its ``clear_session`` is not ``tf.keras.backend.clear_session``); under ``tf1`` it
is ``tf.keras`` itself and stays as written.
"""

from __future__ import annotations

import libcst as cst

from migrate_session import targets
from migrate_session.rule import Context, Example, Rule
from migrate_session.syntax import module_name
from migrate_session.targets import Target, is_keras_or_tf

EXAMPLES = (
    Example(
        title="an aliased backend and the layers move together",
        before="""
            from keras import backend as K
            from keras.layers import Dense
            K.clear_session()
            layer = Dense(1)
        """,
        after="""
            from tensorflow.keras import backend as K
            from tensorflow.keras.layers import Dense
            K.clear_session()
            layer = Dense(1)
        """,
        findings="1:MS001 2:MS001 3:MS002",
    ),
    Example(
        title="`import keras.backend as K` and plain `import keras`",
        before="""
            import keras
            import keras.backend as K
            model = keras.models.Sequential()
            K.clear_session()
        """,
        after="""
            from tensorflow import keras
            from tensorflow.keras import backend as K
            model = keras.models.Sequential()
            K.clear_session()
        """,
        findings="1:MS001 2:MS001 4:MS002",
    ),
    Example(
        title="two imports that become the same are written once; a repeat of the user's stays",
        before="""
            import numpy as np
            import numpy as np
            import keras
            import keras.backend
            keras.backend.clear_session()
        """,
        after="""
            import numpy as np
            import numpy as np
            from tensorflow import keras
            keras.backend.clear_session()
        """,
        findings="3:MS001 4:MS001 5:MS002",
    ),
    Example(
        title="a lazy import stays inside its function",
        before="""
            def reset():
                import keras.backend as K
                K.clear_session()
        """,
        after="""
            def reset():
                from tensorflow.keras import backend as K
                K.clear_session()
        """,
        findings="2:MS001 3:MS002",
    ),
    Example(
        title="a module imported from its parent goes where tf.keras has it",
        before="""
            from keras.backend import tensorflow_backend as KTF
            KTF.clear_session()
        """,
        after="""
            from tensorflow.keras import backend as KTF
            KTF.clear_session()
        """,
        findings="1:MS001 2:MS002",
    ),
    Example(
        title="names that move apart are written one import a line",
        before="""
            from keras.layers import Dense, merge  # the layers
            from keras import backend as K
            K.clear_session()
        """,
        after="""
            from tensorflow.keras.layers import Dense
            from keras.layers import merge  # the layers
            from tensorflow.keras import backend as K
            K.clear_session()
        """,
        findings="1:MS001 1:MS102 2:MS001 3:MS002",
    ),
    Example(
        title="Keras 2.2.4's per-file names go where tf.keras has them; one it lacks stays, reported",
        before="""
            from keras.engine.topology import Layer, Node
            from keras.layers.convolutional import Conv2D
            from keras.constraints import maxnorm
            from keras import backend as K
            K.clear_session()
        """,
        after="""
            from tensorflow.keras.layers import Layer
            from keras.engine.topology import Node
            from tensorflow.keras.layers import Conv2D
            from tensorflow.keras.constraints import MaxNorm as maxnorm
            from tensorflow.keras import backend as K
            K.clear_session()
        """,
        findings="1:MS001 1:MS102 2:MS001 3:MS001 4:MS001 5:MS002",
    ),
    Example(
        title="a module that re-exports a public one whole moves as that one (`keras.objectives` is `keras.losses`)",
        before="""
            from keras import objectives
            import keras.objectives as O
            from keras import backend as K
            loss = getattr(objectives, "binary_crossentropy")
            error = O.mse
            K.clear_session()
        """,
        after="""
            from tensorflow.keras import losses as objectives
            from tensorflow.keras import losses as O
            from tensorflow.keras import backend as K
            loss = getattr(objectives, "binary_crossentropy")
            error = O.mse
            K.clear_session()
        """,
        findings="1:MS001 2:MS001 3:MS001 6:MS002",
    ),
    Example(
        title="TF 1's private tf.keras path is tf.keras in TF 1.12, another Keras in TF 2",
        before="""
            from keras import backend as K
            from tensorflow.python.keras.backend import clear_session
            K.clear_session()
            clear_session()
        """,
        tf1="""
            from tensorflow.keras import backend as K
            from tensorflow.python.keras.backend import clear_session
            K.clear_session()
            clear_session()
        """,
        tf2="""
            from tensorflow.keras import backend as K
            from tensorflow.keras.backend import clear_session
            K.clear_session()
            clear_session()
        """,
        findings_tf1="1:MS001 3:MS002 4:MS106",
        findings_tf2="1:MS001 2:MS001 3:MS002 4:MS106",
    ),
    Example(
        title="code already on tf.keras is left byte-identical",
        before="""
            from tensorflow import keras
            keras.backend.clear_session()
        """,
    ),
)


def _dotted(text: str) -> cst.Attribute | cst.Name:
    """``a.b.c`` as a node (built, not parsed: the parser's start-up shows in a profile)."""
    first, *rest = text.split(".")
    node: cst.Attribute | cst.Name = cst.Name(first)
    for part in rest:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node


def _without_trailing_comma(names: list[cst.ImportAlias]) -> list[cst.ImportAlias]:
    return [*names[:-1], names[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)]


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def moves_from(module: str, eager: bool) -> bool:
    """Whether imports from ``module`` are this rule's to move (for an eager target or not)."""
    return targets.is_standalone(module) or (eager and targets.is_private_tf_keras(module))


def moved_name(target: Target, module: str, name: str) -> bool:
    """``from module import name`` moves to tf.keras (or the name is spelled in full at its uses)."""
    qualified = f"{module}.{name}"
    home = target.rebind(qualified)
    return (target.has(home) and "." in home) or target.spell(targets.canonical(qualified)) is not None


def moved_module(target: Target, module: str) -> bool:
    """``import module`` / ``from module import *`` moves to tf.keras."""
    return target.has(target.rebind(module))


class KerasImports(Rule):
    id = "MS001"
    name = "keras-imports"
    summary = "standalone `keras` imports move to `tensorflow.keras`, the whole module at once"
    examples = EXAMPLES

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self._blocks: list[dict[str, set[str]]] = []  # per open block: import -> lines it came from

    def visit_Module(self, node: cst.Module) -> None:
        self._blocks.append({})

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._blocks.append({})

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        self._blocks.pop()
        return updated

    def leave_IndentedBlock(
        self, original: cst.IndentedBlock, updated: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        self._blocks.pop()
        return updated

    def leave_Import(
        self, original: cst.Import, updated: cst.Import
    ) -> cst.Import | cst.FlattenSentinel[cst.BaseSmallStatement]:
        target = self.context.target
        kept: list[cst.ImportAlias] = []
        moved: list[cst.ImportFrom] = []
        for alias in updated.names:
            path = module_name(alias.name)
            home = target.rebind(path)
            if not targets.is_standalone(path):
                kept.append(alias)
            elif alias.asname is None and target.has("tensorflow.keras"):  # `import keras.x` binds `keras`
                moved.append(cst.ImportFrom(module=cst.Name("tensorflow"), names=[cst.ImportAlias(cst.Name("keras"))]))
            elif alias.asname is not None and target.has(home):
                parent, _, last = home.rpartition(".")
                moved.append(cst.ImportFrom(module=_dotted(parent), names=[cst.ImportAlias(cst.Name(last), asname=alias.asname)]))
            else:
                kept.append(alias)
        if not moved:
            return updated
        for statement in moved:
            self.report(original, f"moved to tf.keras: `{_code(statement)}`")
        head = [updated.with_changes(names=_without_trailing_comma(kept))] if kept else []
        return cst.FlattenSentinel([*head, *moved])

    def leave_ImportFrom(
        self, original: cst.ImportFrom, updated: cst.ImportFrom
    ) -> cst.ImportFrom | cst.RemovalSentinel | cst.FlattenSentinel[cst.ImportFrom]:
        if updated.relative or updated.module is None:
            return updated
        module = module_name(updated.module)
        target = self.context.target
        if not moves_from(module, target.eager):
            return updated
        if isinstance(updated.names, cst.ImportStar):
            home = target.rebind(module)
            if not target.has(home):
                return updated
            self.report(original, f"moved to `{home}` (star import)")
            return updated.with_changes(module=_dotted(home))
        groups: dict[str, list[cst.ImportAlias]] = {}
        dropped, stay = [], []
        for alias in updated.names:
            name = alias.evaluated_name
            qualified = f"{module}.{name}"
            home = target.rebind(qualified)
            if target.has(home) and "." in home:
                parent, _, last = home.rpartition(".")
                if last != name and alias.asname is None:
                    alias = alias.with_changes(asname=cst.AsName(name=cst.Name(name)))
                groups.setdefault(parent, []).append(alias.with_changes(name=cst.Name(last)))
            elif target.spell(targets.canonical(qualified)) is not None:
                dropped.append(name)  # every use is spelled in full by the rule that owns it
            else:
                stay.append(alias)
        if not groups and not dropped:
            return updated
        self.report(original, _moved_message(groups, dropped))
        statements: list[cst.ImportFrom] = []
        whole = len(groups) == 1 and not dropped and not stay
        for parent, names in groups.items():
            if whole or (not statements and updated.lpar):
                statements.append(updated.with_changes(module=_dotted(parent), names=names))
            else:
                statements.append(cst.ImportFrom(module=_dotted(parent), names=_without_trailing_comma(names)))
        if stay:
            statements.append(updated.with_changes(names=_without_trailing_comma(stay)))
        if not statements:
            return cst.RemovalSentinel.REMOVE
        return statements[0] if len(statements) == 1 else cst.FlattenSentinel(statements)

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        """`import keras` and `import keras.backend` both become `from tensorflow import keras`.

        A line is dropped only when a different original line became the same import; an
        import the user wrote twice stays twice.
        """
        if len(updated.body) != 1 or not isinstance(updated.body[0], (cst.Import, cst.ImportFrom)):
            return updated
        if not self._blocks or not _imports_keras_or_tf(updated.body[0]):
            return updated
        code, was = _code(updated.body[0]), _code(original.body[0])
        seen = self._blocks[-1].setdefault(code, set())
        if seen and was not in seen:
            return cst.RemovalSentinel.REMOVE
        seen.add(was)
        return updated


def _moved_message(groups: dict[str, list[cst.ImportAlias]], dropped: list[str]) -> str:
    parts = [f"moved to `{parent}`: " + ", ".join(map(_alias_text, names)) for parent, names in groups.items()]
    if dropped:
        parts.append(f"spelled in full where used: {', '.join(dropped)}")
    return "; ".join(parts)


def _imports_keras_or_tf(node: cst.Import | cst.ImportFrom) -> bool:
    """Only imports of Keras or TensorFlow can become the same as another line."""
    if isinstance(node, cst.ImportFrom):
        return node.module is not None and is_keras_or_tf(module_name(node.module))
    return any(is_keras_or_tf(module_name(alias.name)) for alias in node.names)


def _alias_text(alias: cst.ImportAlias) -> str:
    return alias.evaluated_name + (f" as {alias.evaluated_alias}" if alias.asname else "")
