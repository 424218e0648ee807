"""`--format sarif` on real trees, validated against the official SARIF 2.1.0 schema."""

from __future__ import annotations

import email.message
import io
import json
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest

from migrate_session.cli import EXIT_FAILED, EXIT_OK, EXIT_PENDING, main
from migrate_session.engine import FileResult
from migrate_session.findings import REWRITE, WARNING, Finding
from migrate_session.reporters import Summary, sarif
from migrate_session.reporters.sarif import SarifReport
from migrate_session.rule_docs import anchor as rule_anchor
from migrate_session.rules import all_rules

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
LEGACY = "from keras import backend as K\nK.clear_session()\nsess = K.get_session()\nprint(sess.list_devices())\n"


def validate(log: dict) -> None:
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(log)


def test_the_vendored_schema_is_the_oasis_one():
    assert SCHEMA["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    jsonschema.Draft4Validator.check_schema(SCHEMA)


def test_the_schema_rejects_what_it_should():
    """The validation below can fail: a result without a message is not SARIF."""
    with pytest.raises(jsonschema.ValidationError):
        validate({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "MS001"}]}]})


@pytest.fixture
def tree(tmp_path, monkeypatch):
    (tmp_path / "src dir").mkdir()
    (tmp_path / "src dir" / "train.py").write_text(LEGACY)
    (tmp_path / "broken.py").write_text("import keras\nprint 'x'\n")
    (tmp_path / "plain.py").write_text("import os\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_sarif(capsys, *args: str) -> tuple[int, dict]:
    code = main(["apply", ".", "--format", "sarif", *args])
    return code, json.loads(capsys.readouterr().out)


def test_a_run_is_valid_sarif_with_results_rules_and_notifications(tree, capsys):
    code, log = run_sarif(capsys, "--check")
    validate(log)
    assert code == EXIT_FAILED
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "migrate-session"
    assert [rule["id"] for rule in driver["rules"]] == [rule.id for rule in all_rules()]
    results = run["results"]
    assert {r["ruleId"] for r in results} == {"MS001", "MS002", "MS003", "MS101", "MS104"}
    for result in results:
        assert result["level"] == ("warning" if result["ruleId"].startswith("MS1") else "note")
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": "src%20dir/train.py", "uriBaseId": "%SRCROOT%"}
    ms101 = next(r for r in results if r["ruleId"] == "MS101")
    assert ms101["locations"][0]["physicalLocation"]["region"] == {"startLine": 3, "startColumn": 8}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tree.as_uri() + "/"
    (invocation,) = run["invocations"]
    assert invocation["exitCode"] == EXIT_FAILED
    (notification,) = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error"
    assert "cannot parse as Python 3" in notification["message"]["text"]
    assert notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken.py"


def test_check_exit_status_is_in_the_invocation(tree, capsys):
    (tree / "broken.py").unlink()
    code, log = run_sarif(capsys, "--check")
    validate(log)
    assert code == EXIT_PENDING == log["runs"][0]["invocations"][0]["exitCode"]
    assert log["runs"][0]["invocations"][0]["toolExecutionNotifications"] == []


def test_an_empty_run_is_valid(tmp_path, capsys, monkeypatch):
    (tmp_path / "plain.py").write_text("import os\n")
    monkeypatch.chdir(tmp_path)
    code, log = run_sarif(capsys)
    validate(log)
    assert code == EXIT_OK and log["runs"][0]["results"] == []


def empty_log_driver() -> dict:
    stream = io.StringIO()
    report = SarifReport(stream)
    report.start()
    report.finish(Summary(), 0)
    log = json.loads(stream.getvalue())
    validate(log)
    return log["runs"][0]["tool"]["driver"]


def with_project_urls(monkeypatch, *urls: str) -> None:
    """The installed package's metadata, as if pyproject.toml had these [project.urls]."""
    message = email.message.Message()
    for url in urls:
        message["Project-URL"] = url
    monkeypatch.setattr(sarif.metadata, "metadata", lambda name: message)


def test_help_uris_point_at_each_rules_heading(monkeypatch):
    with_project_urls(monkeypatch, "Source, https://example.org/src",
                      "Documentation, https://example.org/migrate-session/docs/")
    docs = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    driver = empty_log_driver()
    for rule, descriptor in zip(all_rules(), driver["rules"]):
        anchor = rule_anchor(rule.id, rule.name)
        assert f"\n## {rule.id} {rule.name}\n" in docs  # GitHub makes `anchor` of this heading
        assert f"](#{anchor})" in docs
        assert descriptor["helpUri"] == f"https://example.org/migrate-session/docs/rules.md#{anchor}"
        assert urlsplit(descriptor["helpUri"]).scheme, "SARIF wants an absolute URI"
        assert descriptor["shortDescription"]["markdown"] == rule.summary
    assert driver["informationUri"] == "https://example.org/migrate-session/docs/guide.md"


def test_without_a_documentation_url_there_are_no_help_links(monkeypatch):
    """Not a link into wherever the package happens to sit: the log says nothing instead."""
    with_project_urls(monkeypatch, "Source, https://example.org/src")
    driver = empty_log_driver()
    assert "informationUri" not in driver
    assert not any("helpUri" in descriptor for descriptor in driver["rules"])
    assert [descriptor["id"] for descriptor in driver["rules"]] == [r.id for r in all_rules()]


def test_notebook_findings_name_the_cell_and_carry_no_region(tmp_path):
    stream = io.StringIO()
    report = SarifReport(stream, cwd=tmp_path)
    path = str(tmp_path / "nb.ipynb")
    report.start()
    report.file(FileResult(path, changed=True, findings=[
        Finding(path, 2, 5, "MS002", REWRITE, "now clears tf.keras state", cell=3),
        Finding(path, 1, 1, "MS101", WARNING, "Keras 2 API", cell=4),
    ]))
    report.finish(Summary(), 0)
    log = json.loads(stream.getvalue())
    validate(log)
    first = log["runs"][0]["results"][0]
    assert first["message"]["text"] == "cell 3, line 2, column 5: now clears tf.keras state"
    assert first["properties"] == {"cell": 3, "cellLine": 2, "cellColumn": 5}
    location = first["locations"][0]
    assert "region" not in location["physicalLocation"]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == "nb.ipynb"
    assert location["logicalLocations"] == [{"name": "cell 3", "kind": "notebookCell"}]


def test_a_file_outside_the_working_directory_gets_an_absolute_uri(tmp_path):
    report = SarifReport(io.StringIO(), cwd=tmp_path / "here")
    assert report.artifact(str(tmp_path / "elsewhere" / "a b.py")) == {
        "uri": (tmp_path / "elsewhere" / "a b.py").as_uri()
    }
