"""The probe: run a program under real TensorFlow and record what each ``clear_session`` cleared.

Standard library only; must import and run on Python 3.6 through 3.13 (no f-string ``=``,
no walrus, no dataclasses, no ``from __future__ import annotations``, no positional-only
parameters).  It never raises into the program it runs.

* ``python -m migrate_session.probe --out trace.json script.py [args...]`` runs one script
  (see ``docs/internals.md`` for the trace format).
* ``python -m migrate_session.probe serve`` is a fork server (see :mod:`.server`).
* :mod:`.client` (``ProbeServer``, ``run_once``) drives either from the host Python.
"""
