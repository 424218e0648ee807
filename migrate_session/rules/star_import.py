"""MS105 (warning): a star import hides where names come from.

``from keras.backend import *`` brings ``clear_session`` and also ``tf`` (Keras 2.2.4's
backend imports TensorFlow); tf.keras's backend exports no ``tf``. The import moves to
``tensorflow.keras.backend``, free names are resolved against what Keras 2.2.4 exported, and
``tf`` gets an import of its own. Anything the star import re-exports to *other* modules
cannot be seen from here: that is what the warning is for.

A free name Keras 2.2.4's module had only because it imported it (``keras.layers`` has ``K``,
``np``, ``initializers``; measured in its table) and the moved module lacks (measured in the
target's) is a NameError after the move: it is reported at its first use, with the import to
write where the table says what it was.
"""

from __future__ import annotations

import libcst as cst

from migrate_session import api_tables
from migrate_session.rule import WARNING, Context, Example, Ref, Rule
from migrate_session.rules.keras_imports import moved_module
from migrate_session.syntax import module_name
from migrate_session.targets import is_standalone

SOURCE_ENV = api_tables.SOURCE_ENV

EXAMPLES = (
    Example(
        title="star import of the backend",
        before="""
            from keras.backend import *
            config = tf.ConfigProto()
            clear_session()
        """,
        tf1="""
            from tensorflow.keras.backend import *
            import tensorflow as tf

            config = tf.ConfigProto()
            clear_session()
        """,
        tf2="""
            from tensorflow.keras.backend import *
            import tensorflow as tf

            config = tf.compat.v1.ConfigProto()
            clear_session()
        """,
        findings="1:MS001 1:MS105 2:MS004 3:MS002",
    ),
    Example(
        title="names Keras 2.2.4's keras.layers had from its own imports",
        before="""
            from keras.layers import *
            y = Lambda(lambda t: K.sum(t, axis=-1))(x)
            z = Dense(2, kernel_initializer=initializers.Zeros())(np.ones(3))
            w = K.mean(y)
        """,
        after="""
            from tensorflow.keras.layers import *
            y = Lambda(lambda t: K.sum(t, axis=-1))(x)
            z = Dense(2, kernel_initializer=initializers.Zeros())(np.ones(3))
            w = K.mean(y)
        """,
        findings_tf1="1:MS001 1:MS105 2:MS105 3:MS105 3:MS105",
        findings_tf2="1:MS001 1:MS105 2:MS105 3:MS105 3:MS105 4:MS114",
    ),
)


class StarImport(Rule):
    id = "MS105"
    name = "star-import"
    severity = WARNING
    summary = "star imports and re-exports hide where names come from"
    examples = EXAMPLES

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self._lost: set[str] = set()  # free names already reported
        self._stars: list[str] = []  # the standalone modules star-imported, as moved

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None or not isinstance(node.names, cst.ImportStar):
            return
        module = module_name(node.module)
        if is_standalone(module):
            self._stars.append(self.context.target.rebind(module))
        if is_standalone(module) and moved_module(self.context.target, module):
            self.report(node, (
                f"star import moved to `{self.context.target.rebind(module)}`; it hides where names come from: free names "
                f"were resolved against what Keras 2.2.4's `{module}` exported (import what you use instead)"
            ))

    def visit_Reference(self, ref: Ref) -> None:
        module, _, name = ref.binding.rpartition(".")
        if name != ref.base.value or name in self._lost or not is_standalone(module):
            return
        scope = self.context.scope(ref.base)
        if scope is None or name in scope or not api_tables.has_name(SOURCE_ENV, module, name):
            return  # bound here, or not from a star import
        moved = self.context.target.rebind(module)
        missing = [env for env in self.context.target.envs
                   if not any(api_tables.has_name(env, star, name) for star in self._stars or [moved])]
        if moved == module or not missing or not is_standalone(ref.canonical):
            return  # TensorFlow through the backend's star (`tf.ConfigProto`) gets an import of its own
        self._lost.add(name)
        record = api_tables.module(SOURCE_ENV, ref.binding) or {}
        was = record.get("same_as")
        fix = "import it where it comes from"
        if isinstance(was, str) and is_standalone(was):
            home, _, last = self.context.target.rebind(was).rpartition(".")
            fix = f"import it: `from {home} import {last}{'' if last == name else f' as {name}'}`"
        self.report(ref.node, (
            f"`{name}` came from the star import: Keras 2.2.4's `{module}` had it from its own imports, "
            f"`{moved}` has not ({self.context.target.describe(tuple(missing))}): NameError here; {fix}"
        ))
