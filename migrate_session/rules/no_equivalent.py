"""MS102 (warning): a standalone-Keras name with no tf.keras equivalent is left as it is.

``keras.engine.*``, ``K.tensorflow_backend._SESSION`` and most private state, per-file layer
modules such as ``keras.layers.core``, and imports made at run time from strings
(``importlib.import_module("keras.backend")``) are reported with their position and never
guessed. The other rules emit this warning for names they meet; this module also catches the
dynamic imports.
"""

from __future__ import annotations

from migrate_session.findings import WARNING
from migrate_session.rules.base import Example, Rule

EXAMPLES = (
    Example(
        title="a dynamic import cannot be followed",
        before="""
            import importlib
            backend = importlib.import_module("keras.backend")
            backend.clear_session()
        """,
        warnings={"tf1": ["MS102"], "tf2": ["MS102"]},
    ),
)


class NoEquivalent(Rule):
    id = "MS102"
    name = "no-equivalent"
    severity = WARNING
    summary = "no tf.keras equivalent (`keras.engine`, `_SESSION`, dynamic imports): reported, left as is"
    examples = EXAMPLES

    def visit_Call(self, m, node) -> None:
        if node in m.facts.dynamic_imports:
            m.report(node, self.id, "imports standalone Keras from a string at run time: cannot be followed; migrate it by hand", WARNING)


RULE = NoEquivalent()
