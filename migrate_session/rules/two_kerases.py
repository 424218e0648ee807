"""MS106 (warning): a module that used both Kerases now uses one, so their states merge.

A module that mixed standalone Keras with ``tf.keras`` (or ``tensorflow.python.keras``) kept
two sets of state: each clear reset only its own half, and each half had its own session and
name counters. After the migration there is one Keras: a clear meant for one half resets
both, and names are counted across both halves. That is the point of the migration (trap C1),
but it changes what the program sees, so it is reported once per module.
"""

from __future__ import annotations

from migrate_session import targets
from migrate_session.findings import WARNING
from migrate_session.rules.base import Example, Rule

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
        warnings={"tf1": ["MS106"], "tf2": ["MS106"]},
    ),
)


class TwoKerases(Rule):
    id = "MS106"
    name = "two-kerases"
    severity = WARNING
    summary = "a module that used both Kerases now shares one state between its halves"
    examples = EXAMPLES

    def owns(self, canonical: str) -> bool:
        return targets.is_standalone(canonical)

    def on_reference(self, m, ref, spelling, rebound_ok):
        if ref.standalone or getattr(m, "_two_kerases_reported", False):
            return
        if ref.qualified.startswith(("tensorflow.keras", "tensorflow.python.keras", "tensorflow.compat.v1.keras")):
            m._two_kerases_reported = True
            m.report(ref.node, self.id, "this module also used tf.keras: after migration both halves share one Keras state (one clear resets both; names count across both)", WARNING)
        return


RULE = TwoKerases()
