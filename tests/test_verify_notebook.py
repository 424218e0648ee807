"""`nox -s verify -- nb.ipynb`: a notebook runs as the script of its code cells, before and after.

The script is run for real by the host Python where no TensorFlow is needed; the pipeline
test uses the fake probe of test_verify_pipeline; the last test needs the real envs.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from migrate_session import notebook
from migrate_session.engine import migrate_code
from migrate_session.findings import Finding
from migrate_session.verify import runner
from migrate_session.verify.cases import CaseError, cases_from_paths
from migrate_session.verify.compare import EQUAL, NOT_APPLICABLE
from migrate_session.verify.pipeline import verify

EXAMPLE = Path(__file__).resolve().parent.parent / "corpora" / "notebooks" / "keras_trials.ipynb"
LEGACY = ("from keras import backend as K", "%env A=1\nK.clear_session()\nK.get_session()")


def write_notebook(path: Path, *sources: str) -> Path:
    nb = new_notebook()
    nb.cells = [new_markdown_cell("# notes on keras")] + [new_code_cell(s) for s in sources]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


# --- cases ---------------------------------------------------------------------------------
def test_a_notebook_named_directly_is_one_case_with_its_siblings(tmp_path):
    nb = write_notebook(tmp_path / "trials.ipynb", *LEGACY)
    (tmp_path / "helpers.py").write_text("X = 1\n")
    (case,) = cases_from_paths([nb])
    assert (case.notebook, case.script) == ("trials.ipynb", "trials.ipynb.py")
    assert case.files == ["helpers.py", "trials.ipynb"] and case.kind == "user"


def test_a_folder_runs_its_scripts_and_notebooks_but_not_checkpoints(tmp_path):
    write_notebook(tmp_path / "nb" / "a.ipynb", *LEGACY)
    write_notebook(tmp_path / "nb" / ".ipynb_checkpoints" / "a-checkpoint.ipynb", *LEGACY)
    (tmp_path / "train.py").write_text("print(1)\n")
    cases = cases_from_paths([tmp_path])
    assert [(Path(c.name).relative_to(tmp_path).as_posix(), c.script) for c in cases] == [
        ("nb/a.ipynb", "nb/a.ipynb.py"),
        ("train.py", "train.py"),
    ]
    assert cases[0].files == cases[1].files == ["nb/a.ipynb", "train.py"]  # apply's order


def test_a_broken_notebook_stops_the_run_before_it_starts(tmp_path):
    bad = tmp_path / "bad.ipynb"
    bad.write_text('{"cells": [')
    with pytest.raises(CaseError, match=r"bad.ipynb: not valid JSON"):
        cases_from_paths([bad])


# --- the script ----------------------------------------------------------------------------
def test_the_script_runs_the_code_cells_in_order(tmp_path):
    nb = write_notebook(
        tmp_path / "nb.ipynb",
        "%env A=1\n!pip install nothing \\\n        at all\nx = 1",
        "%time y = x + 1",
        "%%time\nprint('y', y)",
        "%%bash\necho from bash",
        "for i in range(2):\n    %time print('i', i)\n    !echo {i}\ny?",
        "%timeit -n 1 print('not run: an option I do not read')",
    )
    code = notebook.script(nb.read_text(), "nb.ipynb")
    ast.parse(code)
    assert "\n# cell 5: %%bash cell, left out\n" in code
    assert "\npass  # !pip install nothing \\\n#         at all\n" in code and "\n    pass  # !echo {i}\n" in code
    script = tmp_path / "nb.ipynb.py"
    script.write_text(code)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "y 2\ni 0\ni 1\n"


def test_migrate_case_migrates_the_notebook_and_runs_its_script(tmp_path):
    nb = write_notebook(tmp_path / "src" / "nb.ipynb", *LEGACY)
    (case,) = cases_from_paths([nb])
    migration = runner.migrate_case(case, "tf2", tmp_path / "work", migrate_code)
    assert migration.error is None
    cells = json.loads((tmp_path / "work" / "nb.ipynb").read_text())["cells"]
    assert "".join(cells[2]["source"]).endswith("tf.compat.v1.keras.backend.get_session()")
    script = (tmp_path / "work" / "nb.ipynb.py").read_text()
    assert script == migration.code and "tf.compat.v1.keras.backend.get_session()" in script
    by_script = migration.findings_by_file["nb.ipynb.py"]
    assert {(f.cell, f.rule_id) for f in by_script} >= {(2, "MS001"), (3, "MS101")}
    assert "from keras import backend as K" in nb.read_text()  # the user's file is not touched


def test_cached_migrations_keep_the_cells(tmp_path):
    nb = write_notebook(tmp_path / "nb.ipynb", *LEGACY)
    (case,) = cases_from_paths([nb])
    cache = runner.MigrationCache(tmp_path / "cache.json", migrate_code)
    first = runner.migrate_case(case, "tf2", tmp_path / "a", cache)
    cache.save()
    cache = runner.MigrationCache(tmp_path / "cache.json", migrate_code)
    second = runner.migrate_case(case, "tf2", tmp_path / "b", cache)
    assert cache.hits == 1 and cache.misses == 0
    assert first.findings == second.findings and all(isinstance(f, Finding) for f in second.findings)
    assert {f.cell for f in second.findings} == {2, 3}
    assert (tmp_path / "a" / "nb.ipynb").read_bytes() == (tmp_path / "b" / "nb.ipynb").read_bytes()


# --- the pipeline, with a fake probe -------------------------------------------------------
def fake_run(python, env, run, timeout):
    """Standalone Keras names from 1, tf.keras from 0; Keras 3 has no get_session."""
    source = (run.workdir / run.case.script).read_text()
    assert source.startswith(f"# {Path(run.case.notebook).name} as a script")
    standalone = "from keras" in source
    trace = {
        "probe": 1, "python": "3.x", "tensorflow": python,
        "kerases": {"keras": "2.2.4"} if standalone else {"tf.keras": "x"},
        "script": run.case.script, "argv": [],
        "events": [{"event": "clear", "api": "keras", "snapshot": {
            "graph_replaced": True, "ops": 2, "variables": 0, "session_replaced": True,
            "names_reset": True, "learning_phase": None, "rss_kb": 1000}},
            {"event": "exit", "snapshot": {"ops": 5, "rss_kb": 2048}}],
        "status": "ok", "exit_code": 0, "exception": None,
        "stdout": "dense_1\n" if standalone else "dense\n",
    }
    if python == "py-tf2" and "get_session" in source:
        trace.update(status="exception", exit_code=1, exception="AttributeError: get_session")
    run.trace_path.write_text(json.dumps(trace))
    run.stdout_path.write_text(trace["stdout"])
    run.stderr_path.write_text("")
    return 0, 0.01


def test_a_notebook_is_verified_like_a_script(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "_fresh_process", fake_run)
    nb = write_notebook(tmp_path / "nb.ipynb", *LEGACY)
    report = verify(cases_from_paths([nb]), {"tf112": "py-tf112", "tf215": "py-tf215",
                                             "tf2": "py-tf2"},
                    tmp_path / "out", migrate=migrate_code, mode="paths", use_server=False,
                    log=lambda _: None)
    (result,) = report.results
    assert {(t, e): o.verdict for t, per in result.outcomes.items() for e, o in per.items()} == {
        ("tf1", "tf112"): EQUAL, ("tf2", "tf215"): EQUAL, ("tf2", "tf2"): NOT_APPLICABLE,
    }
    assert report.ok
    before = (tmp_path / "out" / "work" / runner.slug(str(nb)) / "before.tf112" / "nb.ipynb.py")
    assert "from keras import backend as K" in before.read_text()


# --- real TensorFlow -------------------------------------------------------------------------
PYTHONS = {env: os.environ.get(f"MIGRATE_SESSION_PYTHON_{env.upper()}")
           for env in ("tf112", "tf215", "tf2")}


@pytest.mark.skipif(not PYTHONS["tf112"], reason="needs real TF 1.12: set "
                    "MIGRATE_SESSION_PYTHON_TF112 (and _TF215, _TF2 for the tf2 target)")
def test_the_example_notebook_is_verified_in_the_real_environments(tmp_path):
    pythons = {env: python for env, python in PYTHONS.items() if python}
    report = verify(cases_from_paths([EXAMPLE]), pythons, tmp_path, migrate=migrate_code,
                    mode="paths", log=lambda _: None)
    (result,) = report.results
    verdicts = {(t, e): o.verdict for t, per in result.outcomes.items() for e, o in per.items()}
    assert verdicts[("tf1", "tf112")] == EQUAL, result.outcomes["tf1"]["tf112"].differences
    if "tf215" in pythons:
        assert verdicts[("tf2", "tf215")] == EQUAL
    if "tf2" in pythons:  # Keras 3 has no set_session: the tool says so (MS101)
        assert verdicts[("tf2", "tf2")] == NOT_APPLICABLE
    assert report.ok
    stdout = json.loads(result.before.trace_path.read_text())["stdout"]
    assert stdout == ("4 ['dense_1', 'dense_2'] 25\n8 ['dense_1', 'dense_2'] 49\n"
                      "16 ['dense_1', 'dense_2'] 97\n[4, 8, 16]\n")
