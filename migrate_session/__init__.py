"""migrate-session: move standalone-Keras session clearing to tf.keras, and prove it.

This file must stay importable on Python 3.6 without libcst: the probe
(``migrate_session.probe``) runs inside the TF 1.12 environment.
"""

__version__ = "0.1.0"
