"""The verification pipeline end to end, with a fake probe and a fake codemod (no TF)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from migrate_session.cli import main
from migrate_session.engine import discover
from migrate_session.findings import Finding
from migrate_session.verify import environments, runner
from migrate_session.verify import report as reporting
from migrate_session.verify.cases import CaseError, cases_from_paths, load_case, load_corpus
from migrate_session.verify.compare import CRASHED, DIFFERS, EQUAL, NOT_APPLICABLE
from migrate_session.verify.pipeline import verify

PYTHONS = {"tf112": "py-tf112", "tf215": "py-tf215", "tf2": "py-tf2"}
NOTEBOOK = nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)")]))
EXPECT_ALL_EQUAL = {"tf1": {"tf112": "equal"}, "tf2": {"tf215": "equal", "tf2": "equal"}}


def fake_migrate(source, target="tf2", path=""):
    """Moves `keras` imports to tensorflow.keras; warns MS101 for get_session on tf2."""
    code = re.sub(r"^from keras\b", "from tensorflow.keras", source, flags=re.MULTILINE)
    findings = []
    if target == "tf2" and "get_session" in source:
        findings.append(Finding(path, 1, 0, "MS101", "warning", "no get_session in Keras 3"))
    return SimpleNamespace(code=code, changed=code != source, findings=findings)


def fake_run(python, env, run, timeout):
    """Pretends to run the script: standalone keras names from 1, tf.keras from 0."""
    source = (run.workdir / run.case.script).read_text()
    standalone = "from keras" in source
    trace = {
        "probe": 1, "python": "3.x", "tensorflow": python,
        "kerases": {"keras": "2.2.4"} if standalone else {"tf.keras": "x"},
        "script": run.case.script, "argv": run.case.argv,
        "events": [{"event": "clear", "api": "keras", "snapshot": {
            "graph_replaced": True, "ops": 2, "variables": 0, "session_replaced": True,
            "names_reset": standalone or "HALF" not in source, "learning_phase": None, "rss_kb": 1000}},
            {"event": "exit", "snapshot": {"ops": 5, "rss_kb": 2048}}],
        "status": "ok", "exit_code": 0, "exception": None,
        "stdout": ("dense_1\n" if standalone else "dense\n"),
    }
    if "CRASH" in source and python == "py-tf2":
        trace.update(status="exception", exit_code=1, exception="AttributeError: get_session")
    if "NOTRACE" in source and python == "py-tf215":
        return -9, 0.1
    run.trace_path.write_text(json.dumps(trace))
    run.stdout_path.write_text(trace["stdout"])
    run.stderr_path.write_text("")
    return 0, 0.01


@pytest.fixture(autouse=True)
def fake_probe(monkeypatch):
    monkeypatch.setattr(runner, "_fresh_process", fake_run)


def make_case(root: Path, name: str, source: str, expect=None, golden=True, **meta):
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "before.py").write_text(source)
    (folder / "case.json").write_text(json.dumps(
        {"summary": name, "patterns": [], "expect": expect or EXPECT_ALL_EQUAL, **meta}))
    if golden:
        for target in ("tf1", "tf2"):
            (folder / f"after_{target}.py").write_text(fake_migrate(source, target).code)
    return folder


def run_verify(cases, tmp_path, **kw):
    kw.setdefault("migrate", fake_migrate)
    return verify(cases, PYTHONS, tmp_path / "out", use_server=False, log=lambda _: None, **kw)


def verdicts(report):
    return {(r.case.name, t, e): o.verdict for r, t, e, o in report.outcomes()}


def test_corpus_equal_and_not_applicable(tmp_path):
    corpus = tmp_path / "corpora"
    make_case(corpus, "plain", "from keras import backend as K\nK.clear_session()\n")
    make_case(corpus, "session", "from keras import backend as K\nK.get_session()\nCRASH\n",
              expect={"tf2": {"tf215": "equal", "tf2": {"not_applicable": "MS101"}}})
    report = run_verify(load_corpus(corpus), tmp_path)
    assert verdicts(report) == {
        ("plain", "tf1", "tf112"): EQUAL,
        ("plain", "tf2", "tf215"): EQUAL,
        ("plain", "tf2", "tf2"): EQUAL,
        ("session", "tf2", "tf215"): EQUAL,
        ("session", "tf2", "tf2"): NOT_APPLICABLE,
    }
    assert report.ok
    outcome = report.results[1].outcomes["tf2"]["tf2"]
    assert outcome.compared == CRASHED and outcome.cell() == "n/a (MS101)"


def test_unexpected_result_fails(tmp_path):
    corpus = tmp_path / "corpora"
    make_case(corpus, "half", "from keras import backend as K\nHALF = 1\n")
    report = run_verify(load_corpus(corpus), tmp_path)
    assert verdicts(report)[("half", "tf1", "tf112")] == DIFFERS
    assert not report.ok
    assert "UNEXPECTED half tf1 on tf112: differs: names_reset" in reporting.summary(report)


def test_missing_trace_is_crashed(tmp_path):
    corpus = tmp_path / "corpora"
    make_case(corpus, "dies", "from keras import backend as K\nNOTRACE\n")
    report = run_verify(load_corpus(corpus), tmp_path)
    outcome = report.results[0].outcomes["tf2"]["tf215"]
    assert outcome.verdict == CRASHED
    assert "exit code -9" in outcome.error


def test_golden_drift_fails_and_update_writes(tmp_path):
    corpus = tmp_path / "corpora"
    folder = make_case(corpus, "drift", "from keras import backend as K\n")
    (folder / "after_tf2.py").write_text("old\n")
    report = run_verify(load_corpus(corpus), tmp_path)
    state, diff = report.results[0].golden["tf2"]
    assert state == "drift" and "-old" in diff and "+from tensorflow.keras" in diff
    assert not report.ok
    assert "GOLDEN drift: drift after_tf2.py" in reporting.summary(report)

    report = run_verify(load_corpus(corpus), tmp_path, update_golden=True)
    assert report.ok and report.results[0].golden["tf2"][0] == "updated"
    assert (folder / "after_tf2.py").read_text() == "from tensorflow.keras import backend as K\n"


def test_missing_golden_fails(tmp_path):
    corpus = tmp_path / "corpora"
    make_case(corpus, "new", "from keras import backend as K\n", golden=False)
    report = run_verify(load_corpus(corpus), tmp_path)
    assert report.results[0].golden["tf1"][0] == "missing" and not report.ok


def test_extra_files_are_copied_and_migrated(tmp_path):
    corpus = tmp_path / "corpora"
    folder = make_case(corpus, "extra", "import helper\n", extra_files=["helper.py", "d.txt"])
    (folder / "helper.py").write_text("from keras import backend\n")
    (folder / "d.txt").write_text("data")
    report = run_verify(load_corpus(corpus), tmp_path)
    work = report.results[0].migrations["tf1"].workdir
    assert (work / "helper.py").read_text() == "from tensorflow.keras import backend\n"
    assert (work / "d.txt").read_text() == "data"
    before_work = report.results[0].before.workdir
    assert (before_work / "helper.py").read_text() == "from keras import backend\n"


def test_migration_error_is_crashed_for_that_target(tmp_path):
    corpus = tmp_path / "corpora"
    make_case(corpus, "boom", "from keras import backend as K\n")

    def broken(source, target="tf2", path=""):
        if target == "tf1":
            raise RuntimeError("codemod bug")
        return fake_migrate(source, target, path)

    report = run_verify(load_corpus(corpus), tmp_path, migrate=broken)
    outcome = report.results[0].outcomes["tf1"]["tf112"]
    assert outcome.verdict == CRASHED and "codemod bug" in outcome.error
    assert report.results[0].outcomes["tf2"]["tf215"].verdict == EQUAL


def test_missing_env_is_skipped_not_failed(tmp_path):
    corpus = tmp_path / "corpora"
    make_case(corpus, "plain", "from keras import backend as K\n")
    report = verify(load_corpus(corpus), {"tf112": "py-tf112"}, tmp_path / "out",
                    migrate=fake_migrate, use_server=False, log=lambda _: None)
    assert verdicts(report)[("plain", "tf2", "tf2")] == "skipped"
    assert report.ok


def test_user_paths_expect_equal_and_na_on_keras3_for_ms101(tmp_path):
    scripts = tmp_path / "mine"
    scripts.mkdir()
    (scripts / "train.py").write_text("from keras import backend as K\nK.get_session()\nCRASH\n")
    (scripts / "util.py").write_text("from keras import layers\n")
    (scripts / "__init__.py").write_text("")
    cases = cases_from_paths([scripts])
    assert [c.script for c in cases] == ["train.py", "util.py"]
    report = run_verify(cases, tmp_path, mode="paths")
    v = {(Path(r.case.name).name, t, e): o.verdict for r, t, e, o in report.outcomes()}
    assert v[("train.py", "tf2", "tf2")] == NOT_APPLICABLE
    assert v[("train.py", "tf2", "tf215")] == EQUAL
    assert v[("util.py", "tf2", "tf2")] == EQUAL
    assert report.ok
    assert all(r.golden[t][0] == "none" for r in report.results for t in r.golden)


def test_user_file_copies_its_siblings(tmp_path):
    (tmp_path / "a.py").write_text("import b\n")
    (tmp_path / "b.py").write_text("")
    (case,) = cases_from_paths([tmp_path / "a.py"])
    assert case.script == "a.py" and case.files == ["a.py", "b.py"]


def test_reports_are_written(tmp_path):
    corpus = tmp_path / "corpora"
    make_case(corpus, "plain", "from keras import backend as K\n")
    make_case(corpus, "half", "from keras import backend as K\nHALF = 1\n")
    report = run_verify(load_corpus(corpus), tmp_path)
    md, js = reporting.write(report, tmp_path / "out")
    text = md.read_text()
    assert "| case | tf215 | tf2 |" in text
    assert "| half | **differs: names_reset** (expected equal) |" in text
    assert "clear 1: names_reset: True -> False" in text
    data = json.loads(js.read_text())
    assert data["ok"] is False and data["unexpected"] == 3
    assert data["cases"][0]["targets"]["tf1"]["envs"]["tf112"]["verdict"] == DIFFERS
    assert data["cases"][1]["before"]["run"]["rss_mb"] == 2.0


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        pytest.param({"expect": {"tf3": {}}}, "unknown target", id="target"),
        pytest.param({"expect": {"tf2": {"tf2": "equal"}}}, "exactly the envs", id="envs"),
        pytest.param({"expect": {"tf1": {"tf112": "same"}}}, "expect.tf1.tf112", id="value"),
        pytest.param({"expect": EXPECT_ALL_EQUAL, "extra_files": ["../x.py"]}, "extra file",
                     id="extra-outside"),
        pytest.param({}, "'expect'", id="no-expect"),
    ],
)
def test_bad_case_json(tmp_path, meta, message):
    (tmp_path / "before.py").write_text("")
    (tmp_path / "case.json").write_text(json.dumps(meta))
    with pytest.raises(CaseError, match=message):
        load_case(tmp_path)


def test_cli_needs_paths_or_a_corpus(capsys):
    assert main(["verify"]) == 2
    assert "give PATHs to verify" in capsys.readouterr().err


def test_cli_says_how_to_get_a_missing_python_and_runs_nothing(tmp_path, monkeypatch, capsys):
    (tmp_path / "s.py").write_text("print(1)\n")
    monkeypatch.setenv("MIGRATE_SESSION_HOME", str(tmp_path / "home"))
    for env in PYTHONS:
        monkeypatch.delenv(f"MIGRATE_SESSION_PYTHON_{env.upper()}", raising=False)
    monkeypatch.setattr(environments, "find_interpreter", lambda version, environ=None: None)
    monkeypatch.chdir(tmp_path)
    assert main(["verify", "s.py", "--env", "tf215=py-tf215", "--env", "tf2=py-tf2"]) == 2
    assert "env tf112 needs Python 3.6" in capsys.readouterr().err
    assert not (tmp_path / "build").exists()


def test_cli_runs_paths_and_reports_where_it_was_run(tmp_path, monkeypatch, capsys):
    (tmp_path / "s.py").write_text("print(1)\n")
    monkeypatch.chdir(tmp_path)
    args = ["verify", "s.py", "--identity", "--no-server"]
    args += [f"--env={env}={python}" for env, python in PYTHONS.items()]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "verify: OK" in out and (tmp_path / "build" / "verify" / "paths" / "report.md").is_file()


def test_a_folder_runs_the_files_apply_would_take(tmp_path):
    for rel in ("train.py", "pkg/__init__.py", "pkg/model.py", "nb/run.ipynb", "build/gen.py",
                ".hidden/x.py", "node_modules/y.py", "env/lib/z.py", "notes.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(NOTEBOOK if rel.endswith(".ipynb") else "print(1)\n")
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    cases = cases_from_paths([tmp_path])
    chosen = [p.relative_to(tmp_path).as_posix() for p, _ in discover([tmp_path])]
    assert chosen == ["build/gen.py", "nb/run.ipynb", "pkg/__init__.py", "pkg/model.py",
                      "train.py"]
    assert all(case.files == chosen for case in cases)
    assert [case.notebook or case.script for case in cases] == [
        "build/gen.py", "nb/run.ipynb", "pkg/model.py", "train.py"]  # __init__.py is no script


def test_migration_cache_reuses_only_identical_inputs(tmp_path):
    calls = []

    def counting(source, target="tf2", path=""):
        calls.append((source, target))
        return fake_migrate(source, target, path)

    store = tmp_path / "migrations.json"
    cache = runner.MigrationCache(store, counting)
    first = cache("from keras import backend\nK.get_session()\n", target="tf2", path="a.py")
    cache.save()
    again = runner.MigrationCache(store, counting)
    second = again("from keras import backend\nK.get_session()\n", target="tf2", path="a.py")
    again("from keras import backend\n", target="tf2", path="a.py")
    again("from keras import backend\nK.get_session()\n", target="tf1", path="a.py")
    assert len(calls) == 3 and (again.hits, again.misses) == (1, 2)
    assert second.code == first.code
    assert second.findings == first.findings and second.findings[0].rule_id == "MS101"


def test_migration_cache_key_follows_the_codemod(tmp_path, monkeypatch):
    cache = runner.MigrationCache(tmp_path / "m.json", fake_migrate)
    cache("x = 1\n", target="tf1", path="a.py")
    cache.save()
    monkeypatch.setattr(runner.MigrationCache, "_fingerprint", staticmethod(lambda: "changed"))
    again = runner.MigrationCache(tmp_path / "m.json", fake_migrate)
    again("x = 1\n", target="tf1", path="a.py")
    assert (again.hits, again.misses) == (0, 1)
