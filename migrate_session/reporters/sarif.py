"""A SARIF 2.1.0 log (docs/sarif.md), streamed like the JSON report: results as files come.

Rewrites are results of level ``note``, warnings of level ``warning``; a file that could not
be migrated is a ``toolExecutionNotifications`` entry of the invocation (those few are the
only thing kept until the end, since the invocation follows the results).
"""

from __future__ import annotations

import json
import os
import textwrap
from importlib import metadata
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from migrate_session import __version__
from migrate_session.engine import FileResult
from migrate_session.findings import WARNING, Finding
from migrate_session.reporters import Reporter, Summary
from migrate_session.rule_docs import anchor
from migrate_session.rules import all_rules

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"


class SarifReport(Reporter):
    def __init__(self, out: TextIO, *, cwd: Path | None = None) -> None:
        self.out = out
        self.cwd = Path(os.path.abspath(cwd or Path.cwd()))
        self.rule_index = {rule.id: index for index, rule in enumerate(all_rules())}
        self.count = 0
        self.notifications: list[dict[str, Any]] = []

    def start(self) -> None:
        run = {
            "tool": {"driver": driver()},
            "originalUriBaseIds": {SRCROOT: {"uri": self.cwd.as_uri().rstrip("/") + "/"}},
            "columnKind": "unicodeCodePoints",
        }
        head = {"$schema": SARIF_SCHEMA, "version": "2.1.0"}
        fields = "".join(f"  {json.dumps(key)}: {json.dumps(value)},\n" for key, value in head.items())
        run_fields = "".join(
            f"      {json.dumps(key)}: {_nested(value, 6)},\n" for key, value in run.items()
        )
        self.out.write("{\n" + fields + '  "runs": [\n    {\n' + run_fields + '      "results": [')

    def file(self, result: FileResult) -> None:
        for finding in result.findings:
            separator = ",\n" if self.count else "\n"
            self.out.write(separator + textwrap.indent(json.dumps(self.result(finding), indent=2), " " * 8))
            self.count += 1
        if result.error:
            self.notifications.append({
                "level": "error",
                "message": {"text": f"{result.path}: {result.error}"},
                "locations": [{"physicalLocation": {"artifactLocation": self.artifact(result.path)}}],
            })

    def finish(self, summary: Summary, exit_code: int) -> None:
        invocation = {
            "executionSuccessful": True,
            "exitCode": exit_code,
            "toolExecutionNotifications": self.notifications,
        }
        close = "\n      ]" if self.count else "]"
        self.out.write(
            f'{close},\n      "invocations": [\n        {_nested(invocation, 8)}\n      ]\n    }}\n  ]\n}}\n'
        )

    def result(self, finding: Finding) -> dict[str, Any]:
        location: dict[str, Any] = {"artifactLocation": self.artifact(finding.path)}
        entry: dict[str, Any] = {
            "ruleId": finding.rule_id,
            "level": "warning" if finding.severity == WARNING else "note",
            "message": {"text": finding.message},
        }
        if finding.rule_id in self.rule_index:
            entry["ruleIndex"] = self.rule_index[finding.rule_id]
        if finding.cell is None:
            location["region"] = {"startLine": finding.line, "startColumn": finding.col}
            entry["locations"] = [{"physicalLocation": location}]
        else:  # line and col count within the cell, not within the notebook's JSON
            entry["message"]["text"] = f"cell {finding.cell}, line {finding.line}, column {finding.col}: {finding.message}"
            entry["locations"] = [{
                "physicalLocation": location,
                "logicalLocations": [{"name": f"cell {finding.cell}", "kind": "notebookCell"}],
            }]
            entry["properties"] = {"cell": finding.cell, "cellLine": finding.line, "cellColumn": finding.col}
        return entry

    def artifact(self, path: str) -> dict[str, str]:
        """A URI relative to the working directory when the file is under it, else absolute."""
        absolute = Path(os.path.abspath(path))
        try:
            relative = absolute.relative_to(self.cwd)
        except ValueError:
            return {"uri": absolute.as_uri()}
        return {"uri": quote(relative.as_posix()), "uriBaseId": SRCROOT}


def driver() -> dict[str, Any]:
    docs = docs_uri()
    rules = []
    for rule in all_rules():
        descriptor = {
            "id": rule.id,
            "name": rule.name,
            "shortDescription": {"text": rule.summary.replace("`", ""), "markdown": rule.summary},
            "defaultConfiguration": {"level": "warning" if rule.severity == WARNING else "note"},
        }
        if docs:
            descriptor["helpUri"] = f"{docs}rules.md#{anchor(rule.id, rule.name)}"
        rules.append(descriptor)
    found = {"name": "migrate-session", "version": __version__, "semanticVersion": __version__}
    if docs:
        found["informationUri"] = f"{docs}guide.md"
    return {**found, "rules": rules}


def docs_uri() -> str | None:
    """Where docs/ is published: the package's ``Documentation`` project URL.

    ``None`` when the package has none: SARIF makes ``helpUri`` and ``informationUri``
    optional, and a wrong link is worse than none.
    """
    urls: list[str]
    try:
        urls = metadata.metadata("migrate-session").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "documentation" and url.strip():
            return url.strip().rstrip("/") + "/"
    return None


def _nested(value: object, depth: int) -> str:
    """``value`` as ``json.dumps(indent=2)`` writes it ``depth`` spaces in."""
    return json.dumps(value, indent=2).replace("\n", "\n" + " " * depth)
