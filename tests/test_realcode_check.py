"""The real-code checker (tools/realcode, docs/real-code.md) finds what it must, and can fail.

Without TensorFlow (run everywhere): what the collector finds in an output, how output lines map
back to input lines, how the env side survives a check that kills or hangs its process (run by
this Python, it is stdlib only), that it compiles for Python 3.6, and exit status 2 when an env
cannot run.

With the real envs (``MIGRATE_SESSION_PYTHON_TF215`` and ``_TF2``, which ``nox -s tests`` sets
when the env venvs exist; skipped otherwise): a "tool" that leaves ``Adam(lr=0.001)`` as it is
under tf2, with no warning, gives an unwarned failure in tf2 (Keras 3 rejects ``lr``) and none
in tf215 (which accepts it); with a warning on that line the failure is not counted.

Found by a held-out trial (C1-C4): a notebook with a cell that does not parse is a file the tool
could not migrate, named and counted, not a crash; names resolve from the root by attribute as
the code does (``tf.app.flags.FLAGS`` in TF 1.12); Keras 2.2.4's "no longer exists" is a keyword
failure; a construction with the call's own literal arguments that fails on one of them is a
failure of the call, anything less is inconclusive.
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
from tools.realcode import check, env_side
from tools.realcode.collect import collect
from tools.realcode.corpus import Found
from tools.realcode.envs import ENV_SIDE, run_env
from tools.realcode.judge import Before, item_checks, key
from tools.realcode.lines import output_to_input

PYTHONS = {env: os.environ.get(f"MIGRATE_SESSION_PYTHON_{env.upper()}") for env in ("tf215", "tf2")}
needs_tf2_envs = pytest.mark.skipif(
    not all(PYTHONS.values()),
    reason="needs the tf215 and tf2 envs: set MIGRATE_SESSION_PYTHON_TF215 and _TF2 (nox -s tests does)",
)
TF112 = os.environ.get("MIGRATE_SESSION_PYTHON_TF112")
needs_tf112_env = pytest.mark.skipif(
    not TF112, reason="needs the tf112 env: set MIGRATE_SESSION_PYTHON_TF112 (nox -s tests does)")
ADAM = "from tensorflow.keras.optimizers import Adam\n\noptimizer = Adam(lr=0.001)\n"
NO_ENVS = {env: "/nonexistent/python" for env in ("tf112", "tf215", "tf2")}  # for runs with no check


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


def test_a_name_under_a_hasattr_test_of_it_is_tested_and_its_else_branch_is_not():
    items = collect(textwrap.dedent("""\
        import tensorflow as tf
        if hasattr(tf, 'select'):
            tf.select(c, a, b)
        else:
            tf.where(c, a, b)
        if not hasattr(tf, 'select'):
            tf.where(c, a, b)
        else:
            tf.select(c, a, b)
        if hasattr(tf, 'where') and ok:
            tf.select(c, a, b)
    """))
    names = [(i.first, i.names[0], i.tested) for i in items if i.kind == "name" and i.names != ("tensorflow",)]
    assert names == [(3, "tensorflow.select", True), (5, "tensorflow.where", False),
                     (7, "tensorflow.where", False), (9, "tensorflow.select", True),
                     (11, "tensorflow.select", False)]


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


def test_a_name_resolves_by_attribute_from_its_root_as_the_code_does(tmp_path, monkeypatch):
    # As in TF 1.12, where `import tensorflow.app` rebinds `tf.app` to a module without `flags`:
    # `pkg.app` is an attribute with `flags`, and a submodule `pkg/app.py` without it.
    package = tmp_path / "modules" / "pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("import types\napp = types.SimpleNamespace(flags=1)\n")
    (package / "app.py").write_text("")
    (package / "sub.py").write_text("x = 1\n")  # not imported by the package: reached by import
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "modules"))
    checks = [{"kind": "name", "dotted": dotted, "key": dotted}
              for dotted in ("pkg.app.flags", "pkg.sub.x", "pkg.nope.x")]
    results = run_env("host", sys.executable, checks, tmp_path / "work", timeout=60, per_check=10)
    assert {k: r["status"] for k, r in results.items()} == {
        "pkg.app.flags": "ok", "pkg.sub.x": "ok", "pkg.nope.x": "fail"}
    assert results["pkg.nope.x"]["error"] == "AttributeError: module 'pkg' has no attribute 'nope'"


def test_keras_224s_removed_keyword_wording_is_a_keyword_failure():
    error = TypeError("The `mode` argument of `BatchNormalization` no longer exists. "
                      "`mode=1` and `mode=2` are no longer supported.")
    assert env_side.rejects(error, "mode")
    assert not env_side.rejects(error, "axis")


def test_an_error_names_an_argument_by_its_parameter_and_its_value():
    error = ValueError("Argument `name` must be a string and cannot contain character `/`. "
                       "Received: name=fc6/relu (of type <class 'str'>)")
    assert env_side.names_value(error, "name", "fc6/relu")
    assert not env_side.names_value(error, "name", "relu")  # only a piece of the value in the text
    assert not env_side.names_value(error, "activation", "relu")
    assert env_side.names_value(ValueError("Received: units=0."), "units", 0)
    assert not env_side.names_value(ValueError("Received: units=0.5"), "units", 0)


def test_a_construction_is_a_failure_of_the_call_only_with_its_own_literal_arguments(tmp_path, monkeypatch):
    # A Keras-like layer (a class `Layer` of a `tf_keras` module) that refuses `/` in names.
    package = tmp_path / "modules" / "tf_keras"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(textwrap.dedent("""\
        class Layer:
            def __init__(self, name=None, **kwargs):
                if kwargs:
                    raise TypeError(f"Unrecognized keyword arguments: {kwargs}")
                if name is not None and "/" in name:
                    raise ValueError(f"Argument `name` cannot contain `/`. Received: name={name}")

        class Activation(Layer):
            def __init__(self, activation, **kwargs):
                if activation == "nope":
                    raise ValueError("Could not interpret this identifier")
                super().__init__(**kwargs)
    """))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "modules"))

    def call(key, positional, keywords, literals):
        return {"kind": "call", "dotted": "tf_keras.Activation", "positional": positional, "key": key,
                "keywords": keywords, "more_keywords": False, "literals": literals}

    checks = [
        call("as written", 1, ["name"], {"#0": "'relu'", "name": "'fc6/relu'"}),
        call("other keyword too", 1, ["name", "mode"], {"#0": "'relu'", "name": "'fc6/relu'", "mode": "2"}),
        call("activation not a literal", 1, ["name"], {"name": "'fc6/relu'"}),
        call("name not a literal", 1, ["name"], {"#0": "'relu'"}),
        call("error names no argument", 1, ["name"], {"#0": "'nope'", "name": "'fc6'"}),
        call("fine", 1, ["name"], {"#0": "'relu'", "name": "'fc6'"}),
    ]
    results = run_env("host", sys.executable, checks, tmp_path / "work", timeout=60, per_check=10)
    assert {k: r["status"] for k, r in results.items()} == {
        "as written": "fail", "other keyword too": "fail", "activation not a literal": "inconclusive",
        "name not a literal": "ok", "error names no argument": "inconclusive", "fine": "ok"}
    [(what, error)] = results["as written"]["failures"]
    assert what == "value of `name`" and "Received: name=fc6/relu" in error
    assert "the call's own arguments" in error
    # `mode` is rejected by name first; the second try (without it) is not the call as written
    assert results["other keyword too"]["failures"] == [
        ["keyword `mode`", "TypeError: Unrecognized keyword arguments: {'mode': 2}"]]
    assert results["other keyword too"]["unsure"][0][0] == "keyword `name`"


def test_a_notebook_whose_cell_does_not_parse_is_named_and_counted_not_a_crash(tmp_path, capsys):
    notebook = _notebook("import keras\nfrom keras import backend as K", "  K.clear_session()\nx = (")
    corpus = _corpus(tmp_path, {"fixture/broken.ipynb": notebook, "fixture/nothing.py": "x = 1\n"})
    report = check.run(corpus, NO_ENVS, ("tf1", "tf2"), tmp_path / "work")  # the real tool
    for target in report.targets.values():
        assert [file for file, _ in target.not_migrated] == ["fixture/broken.ipynb"]
        assert "cell 2" in target.not_migrated[0][1]
        assert target.failed and target.files == 2
    args = ["--corpus", str(corpus), "--out", str(tmp_path / "out")]
    assert cli.main([*args, *(f"--env={env}={python}" for env, python in NO_ENVS.items())]) == 1
    printed = capsys.readouterr().out
    assert "not migrated by the tool (nothing checked): 1" in printed
    assert "fixture/broken.ipynb: cell 2: cannot parse" in printed


def test_an_output_the_checker_cannot_read_is_named_and_counted(tmp_path):
    def broken(data: bytes, path: str, target: str) -> FileResult:
        return FileResult(path, changed=True, candidate=True, new_bytes=b"import keras\nx = (\n")

    corpus = _corpus(tmp_path, {"fixture/a.py": "x = 1\n"})
    report = check.run(corpus, NO_ENVS, ("tf1",), tmp_path / "work", tool=broken)
    [(file, why)] = report.targets["tf1"].not_read
    assert file == "fixture/a.py" and why.startswith("does not parse")
    assert report.targets["tf1"].failed


def _call_item(code: str):
    [item] = [item for item in collect(code) if item.kind == "call"]
    return item


def test_a_call_fails_before_the_move_too_when_the_tool_also_moved_its_module():
    # InfoGAN (tdeboissiere/DeepLearningImplementations): the input's
    # `keras.layers.normalization.BatchNormalization(mode=2, ...)`, refused by Keras 2.2.4, is the
    # output's `tensorflow.keras.layers.BatchNormalization(mode=2, ...)`: not the same spelling
    # once `keras.` is read as `tensorflow.keras.`, the same call.
    call = "BatchNormalization(mode=2, axis=bn_axis)\n"
    was = _call_item("from keras.layers.normalization import BatchNormalization\n" + call)
    moved = _call_item("from tensorflow.keras.layers import BatchNormalization\n" + call)
    other = _call_item("from tensorflow.keras.layers import LayerNormalization as BatchNormalization\n" + call)
    refused = {"status": "fail", "unsure": [], "failures": [
        ["keyword `mode`", "TypeError: The `mode` argument of `BatchNormalization` no longer exists."]]}
    before = Before({(None, 2): [was]}, {key(check): refused for check in item_checks(was)})
    assert before.fails(Found(moved, 2, None, frozenset({2})), "keyword `mode`")
    assert not before.fails(Found(moved, 2, None, frozenset({2})), "keyword `axis`")
    assert not before.fails(Found(moved, 2, None, frozenset({1})), "keyword `mode`")  # another line
    assert not before.fails(Found(other, 2, None, frozenset({2})), "keyword `mode`")  # another callable


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


def keras_to_tf_keras(data: bytes, path: str, target: str) -> FileResult:
    """A codemod that only moves `keras` imports to `tensorflow.keras`, with no finding."""
    new = data.replace(b"from keras.", b"from tensorflow.keras.")
    return FileResult(path, changed=new != data, candidate=True, new_bytes=new)


@needs_tf112_env
def test_tf_app_flags_resolves_in_tf112(tmp_path):
    code = "import tensorflow as tf\nFLAGS = tf.app.flags.FLAGS\ntf.app.flags.DEFINE_string('a', '', 'b')\n"
    corpus = _corpus(tmp_path, {"fixture/flags.py": code})
    report = check.run(corpus, {"tf112": TF112}, ("tf1",), tmp_path / "work", tool=unchanged)
    verdict = report.targets["tf1"].envs["tf112"]
    assert verdict.failures == [] and verdict.unsure == []
    assert "tensorflow.app.flags.FLAGS" in verdict.distinct


@needs_tf112_env
def test_a_removed_keras_224_keyword_fails_before_the_move_too(tmp_path):
    code = "from keras.layers import BatchNormalization\nBatchNormalization(mode=2, axis=1)\n"
    corpus = _corpus(tmp_path, {"fixture/bn.py": code})
    report = check.run(corpus, {"tf112": TF112}, ("tf1",), tmp_path / "work", tool=keras_to_tf_keras)
    verdict = report.targets["tf1"].envs["tf112"]
    assert [(p.line, p.item, p.what, p.before) for p in verdict.failures] == [
        (2, "tensorflow.keras.layers.BatchNormalization(mode=2, axis=1)", "keyword `mode`", True)]
    assert verdict.unsure == []


def moves_keras_layer_modules(data: bytes, path: str, target: str) -> FileResult:
    """A codemod that moves `from keras.layers.<module> import` to `from tensorflow.keras.layers import`."""
    new = data.replace(b"from keras.layers.normalization import", b"from tensorflow.keras.layers import")
    return FileResult(path, changed=new != data, candidate=True, new_bytes=new)


@needs_tf112_env
def test_a_removed_keras_224_keyword_fails_before_the_move_too_through_a_moved_module(tmp_path):
    # InfoGAN (tdeboissiere): `from keras.layers.normalization import BatchNormalization`, then
    # `BatchNormalization(mode=2, axis=bn_axis)`; the tool imports it from `tensorflow.keras.layers`.
    code = "from keras.layers.normalization import BatchNormalization\nBatchNormalization(mode=2, axis=bn_axis)\n"
    corpus = _corpus(tmp_path, {"fixture/bn.py": code})
    report = check.run(corpus, {"tf112": TF112}, ("tf1",), tmp_path / "work", tool=moves_keras_layer_modules)
    verdict = report.targets["tf1"].envs["tf112"]
    assert [(p.line, p.item, p.what, p.before) for p in verdict.failures] == [
        (2, "tensorflow.keras.layers.BatchNormalization(mode=2, axis=…)", "keyword `mode`", True)]


@needs_tf2_envs
def test_keras_3s_slash_in_a_layer_name_is_a_failure_of_the_call_when_written_as_literals(tmp_path):
    code = textwrap.dedent("""\
        from tensorflow.keras.layers import Activation
        Activation('relu', name='fc6/relu')
        Activation('relu', name=prefix + '/relu')
    """)
    corpus = _corpus(tmp_path, {"fixture/slash.py": code})
    report = check.run(corpus, PYTHONS, ("tf2",), tmp_path / "work", tool=unchanged)
    tf2, tf215 = report.targets["tf2"].envs["tf2"], report.targets["tf2"].envs["tf215"]
    assert [(p.line, p.what) for p in tf2.unwarned] == [(2, "value of `name`")]
    assert "cannot contain character `/`" in tf2.unwarned[0].error
    assert tf2.unsure == []  # line 3: a name that is no literal is tried as 'sample', and binds
    assert tf215.failures == []
