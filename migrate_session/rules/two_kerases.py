"""MS106 (warning): a module that used both Kerases now uses one, so their states merge.

A module that mixed standalone Keras with ``tf.keras`` (or ``tensorflow.python.keras``) kept
two sets of state: each clear reset only its own half, and each half had its own session and
name counters. After the migration there is one Keras: a clear meant for one half resets
both, and names are counted across both halves. That is the point of the migration (trap C1),
but it changes what the program sees, so it is reported once per module, at its first tf.keras
name, and only when this migration moves a standalone import (not again over its own output).
"""

from __future__ import annotations

import libcst as cst

from migrate_session.rule import WARNING, Context, Example, Ref, Rule
from migrate_session.rules.keras_imports import moved_module, moved_name
from migrate_session.syntax import module_name
from migrate_session.targets import is_private_tf_keras, is_standalone

EXAMPLES = (
    Example(
        title="standalone and tf.keras side by side",
        before="""
            import tensorflow as tf
            from keras import backend as K
            K.clear_session()
            tf.keras.backend.clear_session()
        """,
        after="""
            import tensorflow as tf
            from tensorflow.keras import backend as K
            K.clear_session()
            tf.keras.backend.clear_session()
        """,
        findings="2:MS001 3:MS002 4:MS106",
    ),
)


TF_KERAS = ("tensorflow.keras", "tensorflow.compat.v1.keras")


class TwoKerases(Rule):
    id = "MS106"
    name = "two-kerases"
    severity = WARNING
    summary = "a module that used both Kerases now shares one state between its halves"
    examples = EXAMPLES

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self._moves = False
        self._first_tf_keras: cst.CSTNode | None = None

    def visit_Import(self, node: cst.Import) -> None:
        target = self.context.target
        for alias in node.names:
            path = module_name(alias.name)
            self._moves |= is_standalone(path) and moved_module(target, path)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None or not is_standalone(module_name(node.module)):
            return
        module, target = module_name(node.module), self.context.target
        if isinstance(node.names, cst.ImportStar):
            self._moves |= moved_module(target, module)
        else:
            self._moves |= any(moved_name(target, module, alias.evaluated_name) for alias in node.names)

    def visit_Reference(self, ref: Ref) -> None:
        if self._first_tf_keras is None and not ref.standalone and (
            is_private_tf_keras(ref.qualified) or ref.qualified.startswith(TF_KERAS)
        ):
            self._first_tf_keras = ref.node

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        if self._moves and self._first_tf_keras is not None:
            self.report(self._first_tf_keras, "this module also used tf.keras: after migration both halves share one Keras state (one clear resets both; names count across both)")
        return updated
