"""The harness must be able to fail: a half migration under real TF 1.12 comes out `differs`.

migrate_session/verify/selfcheck/after_tf1.py clears via tf.keras while its models stay on
standalone keras. Needs the tf112 env: set MIGRATE_SESSION_PYTHON_TF112 to its Python
(`nox -s tests` does when `.nox/env-tf112` exists; `nox -s verify` runs the same self-check
on every run, so CI always exercises it).
"""

from __future__ import annotations

import os

import pytest

from migrate_session.verify.compare import DIFFERS
from migrate_session.verify.pipeline import SELFCHECK_DIR, selfcheck_case, verify
from migrate_session.verify.runner import identity_migrate

TF112 = os.environ.get("MIGRATE_SESSION_PYTHON_TF112")

needs_tf112 = pytest.mark.skipif(
    not TF112,
    reason="needs real TF 1.12: set MIGRATE_SESSION_PYTHON_TF112 (made by `nox -s verify`)",
)


def test_fixture_is_a_half_migration():
    before = (SELFCHECK_DIR / "before.py").read_text()
    after = (SELFCHECK_DIR / "after_tf1.py").read_text()
    assert "K.clear_session()" in before and "from keras.models import Sequential" in before
    assert "tf.keras.backend.clear_session()" in after
    assert "from keras.models import Sequential" in after  # the models stay on standalone keras


@needs_tf112
def test_half_migration_is_reported_as_differs(tmp_path):
    report = verify([selfcheck_case()], {"tf112": TF112}, tmp_path, migrate=identity_migrate,
                    log=lambda _: None)
    (result,) = report.results
    outcome = result.outcomes["tf1"]["tf112"]
    assert outcome.verdict == DIFFERS, outcome.error
    fields = {d.field for d in outcome.differences}
    # The stale standalone session keeps training the fold-0 graph from fold 1 on.
    assert {"clear 2: session_replaced", "clear 3: session_replaced", "stdout"} <= fields
    stdout = next(d for d in outcome.differences if d.field == "stdout")
    assert "fold 1 ['dense', 'dense_1'] same result as fold 0: True" in stdout.before
    assert "fold 1 ['dense', 'dense_1'] same result as fold 0: False" in stdout.after
    assert not outcome.unexpected and report.ok


@needs_tf112
def test_the_right_migration_of_the_fixture_is_equal(tmp_path):
    """Control: the same fixture migrated whole (models on tf.keras too) is `equal`."""
    right = tmp_path / "right_tf1.py"
    after = (SELFCHECK_DIR / "after_tf1.py").read_text()
    right.write_text(after.replace("from keras.", "from tensorflow.keras."))
    case = selfcheck_case()
    case.fixed_after = right
    report = verify([case], {"tf112": TF112}, tmp_path / "out", migrate=identity_migrate,
                    log=lambda _: None)
    outcome = report.results[0].outcomes["tf1"]["tf112"]
    assert outcome.verdict == "equal", [d.to_text() for d in outcome.differences]
