"""MS001: every standalone ``keras`` import of a module moves to ``tensorflow.keras``.

Clearing resets only the Keras it is called on (Keras 2.2.4 keeps its own session, name
counters and learning phase), so a module moves to one Keras as a whole, never half. A name
the target's tf.keras lacks stays where it was, with a warning (MS102) saying the module is
now split; a name that another rule spells in full at its uses is dropped from the import.
Imports are rewritten in place: a lazy import inside a function stays inside it.
"""

from __future__ import annotations

import libcst as cst

from migrate_session import targets
from migrate_session.findings import REWRITE, WARNING
from migrate_session.resolve import module_name
from migrate_session.rules.base import Example, Rule

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
        ),
    Example(
        title="`keras.engine` has no tf.keras equivalent: left, and reported",
        before="""
            from keras.engine.topology import Layer
            from keras import backend as K
            K.clear_session()
        """,
        after="""
            from keras.engine.topology import Layer
            from tensorflow.keras import backend as K
            K.clear_session()
        """,
        warnings={"tf1": ["MS102"], "tf2": ["MS102"]},
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
    return cst.parse_expression(text)


def _without_trailing_comma(names: list) -> list:
    return [*names[:-1], names[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)]


def _import_from(module: str, names: list[cst.ImportAlias]) -> cst.ImportFrom:
    return cst.ImportFrom(module=_dotted(module), names=_without_trailing_comma(names))


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


class KerasImports(Rule):
    id = "MS001"
    name = "keras-imports"
    summary = "standalone `keras` imports move to `tensorflow.keras`, the whole module at once"
    examples = EXAMPLES

    def leave_Import(self, m, original: cst.Import, updated: cst.Import):
        kept, moved = [], []
        for original_alias, alias in zip(original.names, updated.names):
            path = module_name(alias.name)
            if not targets.is_standalone(path):
                kept.append(alias)
                continue
            statement = self._moved_import(m, path, alias, original_alias)
            if statement is None:
                kept.append(alias)
            else:
                moved.append(statement)
        if not moved:
            return updated
        for statement in moved:
            m.report(original, self.id, f"moved to tf.keras: `{_code(statement)}`", REWRITE)
        head = [updated.with_changes(names=_without_trailing_comma(kept))] if kept else []
        return cst.FlattenSentinel([*head, *moved])

    def _moved_import(self, m, path: str, alias, original_alias) -> cst.ImportFrom | None:
        home = targets.rebind(path)
        if not targets.exists_in(m.target, home):
            m.report(original_alias, "MS102", _no_module_message(m.target, path), WARNING)
            return None
        if alias.asname is None:  # `import keras.x` binds `keras`
            return _import_from("tensorflow", [cst.ImportAlias(cst.Name("keras"))])
        parent, _, last = home.rpartition(".")
        return _import_from(parent, [cst.ImportAlias(cst.Name(last), asname=alias.asname)])

    def leave_ImportFrom(self, m, original: cst.ImportFrom, updated: cst.ImportFrom):
        if updated.relative or updated.module is None:
            return updated
        module = module_name(updated.module)
        if targets.is_standalone(module):
            home = targets.rebind(module)
        elif module.startswith(targets.PRIVATE_TF_KERAS):
            home = "tensorflow." + targets.canonical(module)
        else:
            return updated
        if not targets.exists_in(m.target, home):
            m.report(original, "MS102", _no_module_message(m.target, module), WARNING)
            return updated
        if isinstance(updated.names, cst.ImportStar):
            m.report(original, "MS105", _STAR_MESSAGE.format(home=home, module=module), WARNING)
            return updated.with_changes(module=_dotted(home))
        moved, dropped, stay = [], [], []
        for original_alias, alias in zip(original.names, updated.names):
            name = alias.evaluated_name
            if targets.exists_in(m.target, f"{home}.{name}"):
                moved.append(alias)
            elif targets.spell(m.target, targets.canonical(f"{module}.{name}")) is not None:
                dropped.append(name)  # every use is spelled in full by the rule that owns it
            else:
                stay.append(alias)
                m.report(original_alias, "MS102", _no_name_message(m.target, module, name), WARNING)
        if not moved and not dropped:
            return updated
        m.report(original, self.id, _moved_message(home, moved, dropped), REWRITE)
        statements = []
        if moved:
            names = moved if updated.lpar or (not dropped and not stay) else _without_trailing_comma(moved)
            statements.append(updated.with_changes(module=_dotted(home), names=names))
        if stay:
            statements.append(updated.with_changes(names=_without_trailing_comma(stay)))
        if not statements:
            return cst.RemovalSentinel.REMOVE
        return statements[0] if len(statements) == 1 else cst.FlattenSentinel(statements)


_STAR_MESSAGE = (
    "star import moved to `{home}`; it hides where names come from: free names were resolved "
    "against what Keras 2.2.4's `{module}` exported (import what you use instead)"
)


def _moved_message(home: str, moved, dropped) -> str:
    text = f"moved to `{home}`"
    if moved:
        text += ": " + ", ".join(a.evaluated_name for a in moved)
    if dropped:
        text += f"; spelled in full where used: {', '.join(dropped)}"
    return text


def _no_module_message(target: str, module: str) -> str:
    missing = targets.missing_envs(target, "tensorflow." + targets.home(module))
    return (
        f"`{module}` has no tf.keras equivalent in {targets.describe_envs(missing)}; left on "
        "standalone Keras: this module now uses two Kerases (clearing one does not reset the other)"
    )


def _no_name_message(target: str, module: str, name: str) -> str:
    missing = targets.missing_envs(target, f"{targets.rebind(module)}.{name}")
    return (
        f"`{module}.{name}` has no tf.keras equivalent in {targets.describe_envs(missing)}; "
        "left on standalone Keras: this module now uses two Kerases"
    )


RULE = KerasImports()
