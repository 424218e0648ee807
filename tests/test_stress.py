"""The stress run on tiny trees and sizes: what it counts, what it names, when it fails."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from migrate_session import engine
from migrate_session.engine import migrate_code

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
LEGACY = "from keras import backend as K\nK.clear_session()\nsess = K.get_session()\n"
LOST_IMPORT = "from keras.backend import tensorflow_backend as KTF\nKTF.clear_session()\n"


@pytest.fixture
def stress(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    return importlib.import_module("stress")


def tree(base: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (base / name).write_text(text)
    return base


def test_a_clean_tree_meets_the_goals(stress, tmp_path, capsys):
    root = tree(tmp_path, {"legacy.py": LEGACY, "plain.py": "x = 1\n"})
    status = stress.main(["--no-real-trees", f"--tree=mine={root}", "--sizes=", "--jobs=1"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "internal errors: 0 (goal 0) met" in out
    assert "second runs with a new warning: 0 (goal 0) met" in out


def test_an_internal_error_is_named_and_fails_the_run(stress, tmp_path, capsys, monkeypatch):
    def lose_the_import(source, target, path, imported=frozenset()):
        return engine.CodeResult(source.split("\n", 1)[1], True, [])

    monkeypatch.setattr(engine, "_migrate_text", lose_the_import)  # a bug, made for the test
    root = tree(tmp_path, {"ktf.py": LOST_IMPORT})
    status = stress.main(["--no-real-trees", f"--tree=mine={root}", "--sizes=", "--jobs=1"])
    out = capsys.readouterr().out
    assert status == 1
    assert f"{root / 'ktf.py'}: internal error: invariant names-bound violated" in out
    assert "invariant violations: 2 (goal 0) NOT MET" in out  # one per target
    assert stress.main(["--no-real-trees", f"--tree=mine={root}", "--sizes=", "--report-only"]) == 0


def test_second_run_findings_are_compared_with_the_first(stress, tmp_path, monkeypatch):
    from migrate_session.findings import Finding

    script = tree(tmp_path, {"legacy.py": LEGACY}) / "legacy.py"
    real = stress.migrate_bytes

    def noisy_second_run(data, path, target):
        result = real(data, path, target)
        result.findings += [Finding(path, 1, 1, "MS999", "warning", "new"),
                            Finding(path, 1, 1, "MS998", "rewrite", "again")]
        return result

    monkeypatch.setattr(stress, "migrate_bytes", noisy_second_run)
    outcome = stress.twice(script, "tf2")
    assert outcome.changed and not outcome.second_changed
    assert outcome.new_warnings == [f"{script}:1:1 MS999 new"]
    assert outcome.second_rewrites == [f"{script}:1:1 MS998 again"]


def test_an_absent_env_is_said_not_skipped_silently(stress, capsys, monkeypatch):
    for env in ("TF112", "TF215"):
        monkeypatch.delenv(f"MIGRATE_SESSION_PYTHON_{env}", raising=False)
    names = [name for name, _ in stress.real_trees(stress.env_pythons([]))]
    out = capsys.readouterr().out
    assert "skipped: tree keras (tf112): env tf112 not given" in out
    assert "skipped: tree tensorflow (tf215): env tf215 not given" in out
    assert [name.split()[0] for name in names] == ["libcst", "stdlib", "corpora/", "issue"]


def test_generated_modules_have_the_asked_size_and_change_everywhere(stress):
    text = stress.big_module(0.05)
    assert abs(len(text.encode()) - 50_000) < len(stress.FUNCTION) + 10
    result = migrate_code(text, "tf2")
    assert result.code.count("tf.compat.v1.Session()") == text.count("tf.Session()")


def test_flat_means_within_the_ratio(stress):
    assert stress.spread([10.0, 14.0]) == 1.4
    assert stress.spread([]) == float("inf")
