"""The real-code checker (tools/realcode, docs/real-code.md) finds what it must, and can fail.

Without TensorFlow (run everywhere): what the collector finds in an output, how output lines map
back to input lines, how the env side survives a check that kills or hangs its process (run by
this Python, it is stdlib only), that it compiles for Python 3.6, and exit status 2 when an env
cannot run.

With the real envs (``MIGRATE_SESSION_PYTHON_TF215`` and ``_TF2``, which ``nox -s tests`` sets
when the env venvs exist; skipped otherwise): a "tool" that leaves ``Adam(lr=0.001)`` as it is
under tf2, with no warning, gives an unwarned failure in tf2 (Keras 3 rejects ``lr``) and none
in tf215 (which accepts it); with a warning on that line the failure is not counted.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

from migrate_session.engine import FileResult
from migrate_session.findings import Finding
from tools.realcode import __main__ as cli
from tools.realcode import check
from tools.realcode.collect import collect
from tools.realcode.envs import ENV_SIDE, run_env
from tools.realcode.lines import output_to_input

PYTHONS = {env: os.environ.get(f"MIGRATE_SESSION_PYTHON_{env.upper()}") for env in ("tf215", "tf2")}
needs_tf2_envs = pytest.mark.skipif(
    not all(PYTHONS.values()),
    reason="needs the tf215 and tf2 envs: set MIGRATE_SESSION_PYTHON_TF215 and _TF2 (nox -s tests does)",
)
ADAM = "from tensorflow.keras.optimizers import Adam\n\noptimizer = Adam(lr=0.001)\n"


# --------------------------------------------------------------------------- collector, lines
def _found(code: str) -> list[tuple[int, str, str]]:
    return [(item.first, item.kind, item.describe()) for item in collect(textwrap.dedent(code))]


def test_whole_chains_imports_calls_and_methods_are_found():
    found = _found("""\
        import tensorflow as tf
        from tensorflow.keras import backend as K
        from tensorflow.keras.layers import Conv2D
        saver = tf.train.Saver(max_to_keep=3)
        K.set_session(sess)
        layer = Conv2D(8, 3, padding="same", name=name)
        model.fit_generator(gen, steps_per_epoch=10)
    """)
    assert found == [
        (1, "import", "import tensorflow"),
        (2, "from", "from tensorflow.keras import backend"),
        (3, "from", "from tensorflow.keras.layers import Conv2D"),
        (4, "call", "tensorflow.train.Saver(max_to_keep=3)"),
        (4, "name", "tensorflow.train.Saver"),
        (5, "call", "tensorflow.keras.backend.set_session(…)"),
        (5, "name", "tensorflow.keras.backend.set_session"),
        (6, "call", "tensorflow.keras.layers.Conv2D(8, 3, padding='same', name=…)"),
        (6, "name", "tensorflow.keras.layers.Conv2D"),
        (7, "method", ".fit_generator()"),
    ]


def test_only_plain_chains_bound_to_tf_or_keras_are_names():
    found = _found("""\
        import tensorflow as tf
        import numpy as np
        tf.get_default_graph().get_operations()
        np.zeros(3)
        tf.foo = 1
    """)
    # `f().x` is no name (libcst would call it "tensorflow.get_default_graph.get_operations");
    # an assigned attribute needs only its object.
    assert [f for f in found if f[1] == "name"] == [
        (3, "name", "tensorflow.get_default_graph"), (5, "name", "tensorflow")]


def test_an_import_under_try_except_import_error_is_guarded_and_alternatives_are_kept():
    items = collect(textwrap.dedent("""\
        try:
            from tensorflow.keras.optimizers import Adam
        except ImportError:
            from keras.optimizers import Adam
        Adam()
    """))
    assert [(i.first, i.guarded) for i in items if i.kind == "from"] == [(2, True), (4, False)]
    assert [i.names for i in items if i.kind == "name"] == [
        ("keras.optimizers.Adam", "tensorflow.keras.optimizers.Adam")]


def test_output_lines_map_to_their_input_lines():
    before = ["a", "b", "c", "d"]
    after = ["new", "a", "b1", "b2", "c", "d"]
    assert output_to_input(before, after) == [(1,), (1,), (2,), (2,), (3,), (4,)]


# --------------------------------------------------------------------------- env side, no TF
def test_the_env_side_is_python_36_syntax():
    ast.parse(ENV_SIDE.read_text(encoding="utf-8"), feature_version=(3, 6))


def test_the_env_side_compiles_on_python_36():
    python = os.environ.get("MIGRATE_SESSION_PYTHON_TF112")
    if not python:
        pytest.skip("set MIGRATE_SESSION_PYTHON_TF112 (a Python 3.6) to compile the env side with it")
    subprocess.run([python, "-m", "py_compile", str(ENV_SIDE)], check=True)


def test_a_check_that_kills_or_hangs_the_env_costs_only_itself(tmp_path, monkeypatch):
    modules = tmp_path / "modules"
    modules.mkdir()
    (modules / "crasher.py").write_text("import os\nos._exit(3)\n")
    (modules / "sleeper.py").write_text("import time\ntime.sleep(60)\n")
    monkeypatch.setenv("PYTHONPATH", str(modules))
    checks = [{"kind": "name", "dotted": dotted, "key": dotted}
              for dotted in ("json.dumps", "crasher.x", "json.nope", "sleeper.x", "os.path.join")]
    results = run_env("host", sys.executable, checks, tmp_path / "work", timeout=60, per_check=2)
    assert {k: r["status"] for k, r in results.items()} == {
        "json.dumps": "ok", "crasher.x": "inconclusive", "json.nope": "fail",
        "sleeper.x": "inconclusive", "os.path.join": "ok"}
    assert "exited with status 3" in results["crasher.x"]["error"]
    assert results["sleeper.x"]["error"] == "timed out after 2 s"
    assert results["json.nope"]["error"] == "AttributeError: module 'json' has no attribute 'nope'"


def test_an_env_that_cannot_run_is_the_checkers_own_error(tmp_path, capsys):
    corpus = _corpus(tmp_path, {"fixture/adam.py": ADAM})
    status = cli.main(["--corpus", str(corpus), "--target", "tf2", "--out", str(tmp_path / "out"),
                       "--env", "tf215=/nonexistent/python", "--env", "tf2=/nonexistent/python"])
    assert status == 2
    assert "cannot run /nonexistent/python" in capsys.readouterr().err


# --------------------------------------------------------------------------- real envs
def _corpus(root: Path, files: dict[str, str]) -> Path:
    corpus = root / "corpus"
    for name, text in files.items():
        (corpus / "files" / name).parent.mkdir(parents=True, exist_ok=True)
        (corpus / "files" / name).write_text(text, encoding="utf-8")
    manifest = {"files": [{"file": name} for name in sorted(files)]}
    (corpus / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return corpus


def _notebook(*cells: str) -> str:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    return nbformat.writes(notebook)


def unchanged(data: bytes, path: str, target: str) -> FileResult:
    """A broken codemod: it leaves every file as it is and says nothing."""
    return FileResult(path, candidate=True)


def warning_at(line: int, cell: int | None = None, rule: str = "MS199", message: str = "lr is gone"):
    def tool(data: bytes, path: str, target: str) -> FileResult:
        finding = Finding(path, line, 1, rule, "warning", message, cell)
        return FileResult(path, candidate=True, findings=[finding])
    return tool


@needs_tf2_envs
def test_an_unwarned_lr_keyword_is_a_failure_in_keras_3_only(tmp_path):
    notebook = _notebook("from tensorflow.keras.optimizers import Adam", "%matplotlib inline\nAdam(lr=0.01)")
    corpus = _corpus(tmp_path, {"fixture/adam.py": ADAM, "fixture/adam.ipynb": notebook})
    report = check.run(corpus, PYTHONS, ("tf2",), tmp_path / "work", tool=unchanged)
    tf2 = report.targets["tf2"]
    failures = [(p.where, p.env, p.item, p.what) for p in tf2.envs["tf2"].unwarned]
    assert failures == [
        ("fixture/adam.ipynb:2 [cell 2]", "tf2", "tensorflow.keras.optimizers.Adam(lr=0.01)", "keyword `lr`"),
        ("fixture/adam.py:3", "tf2", "tensorflow.keras.optimizers.Adam(lr=0.001)", "keyword `lr`"),
    ]
    assert "Argument(s) not recognized" in tf2.envs["tf2"].unwarned[0].error
    assert tf2.envs["tf215"].unwarned == []  # TF 2.15 still takes lr= (deprecated)
    assert tf2.envs["tf2"].keywords == 2 and tf2.envs["tf2"].names == 4
    assert tf2.failed


@needs_tf2_envs
def test_a_name_whose_import_fails_is_counted_once_at_the_import(tmp_path):
    code = "from keras.utils import multi_gpu_model\nparallel = multi_gpu_model(model, gpus=2)\n"
    corpus = _corpus(tmp_path, {"fixture/gpus.py": code})
    report = check.run(corpus, PYTHONS, ("tf2",), tmp_path / "work", tool=unchanged)
    for verdict in report.targets["tf2"].envs.values():  # gone since TF 2.4
        assert [(p.line, p.item) for p in verdict.unwarned] == [
            (1, "from keras.utils import multi_gpu_model")]
        assert verdict.after_failed_import == 1


@needs_tf2_envs
def test_a_warning_on_the_line_makes_the_failure_warned(tmp_path):
    corpus = _corpus(tmp_path, {"fixture/adam.py": ADAM})
    report = check.run(corpus, PYTHONS, ("tf2",), tmp_path / "work", tool=warning_at(3))
    verdict = report.targets["tf2"].envs["tf2"]
    assert verdict.unwarned == []
    assert [(p.line, p.what, p.warned) for p in verdict.failures] == [(3, "keyword `lr`", True)]
    assert not report.targets["tf2"].failed


@needs_tf2_envs
def test_the_command_fails_on_an_unwarned_failure_unless_report_only(tmp_path, monkeypatch, capsys):
    corpus = _corpus(tmp_path, {"fixture/adam.py": ADAM})
    monkeypatch.setattr(check, "migrate_bytes", unchanged)
    out = tmp_path / "out"
    args = ["--corpus", str(corpus), "--target", "tf2", "--out", str(out)]
    assert cli.main(args) == 1
    printed = capsys.readouterr().out
    assert "unwarned failures: 1" in printed and "fixture/adam.py:3  tf2" in printed
    assert cli.main([*args, "--report-only"]) == 0
    saved = json.loads((out / "report.json").read_text())
    assert len(saved["targets"]["tf2"]["envs"]["tf2"]["unwarned_failures"]) == 1


@needs_tf2_envs
def test_an_ms102_whose_name_tf_keras_has_is_false(tmp_path):
    names = {"fixture/dense.py": "keras.layers.Dense", "fixture/node.py": "keras.engine.topology.Node"}
    corpus = _corpus(tmp_path, {file: f"import keras\n{name}\n" for file, name in names.items()})

    def tool(data: bytes, path: str, target: str) -> FileResult:
        said = f"`{names[path]}` has no tf.keras equivalent in TF 2.15 (Keras 2), TF >= 2.16 (Keras 3)"
        return warning_at(2, rule="MS102", message=said)(data, path, target)

    report = check.run(corpus, PYTHONS, ("tf2",), tmp_path / "work", tool=tool)
    assert [(f["where"], f["name"]) for f in report.targets["tf2"].false_absences] == [
        ("fixture/dense.py:2", "keras.layers.Dense")]


@needs_tf2_envs
def test_an_ms107_is_false_when_the_name_resolves_in_an_env_it_names(tmp_path):
    said = {
        "fixture/exists.py": ("tensorflow.random.set_seed", "TF >= 2.16 (Keras 3)"),
        "fixture/missing.py": ("tensorflow.placeholder", "TF 2.15 (Keras 2), TF >= 2.16 (Keras 3)"),
    }
    corpus = _corpus(tmp_path, {file: f"import tensorflow\n{name}\n" for file, (name, _) in said.items()})

    def tool(data: bytes, path: str, target: str) -> FileResult:
        name, envs = said[path]
        message = f"`{name}` does not exist in {envs}: this line raises AttributeError there"
        return warning_at(2, rule="MS107", message=message)(data, path, target)

    report = check.run(corpus, PYTHONS, ("tf2",), tmp_path / "work", tool=tool)
    assert [(f["where"], f["rule"], f["resolves_in"]) for f in report.targets["tf2"].false_absences] == [
        ("fixture/exists.py:2", "MS107", ["tf2"])]
