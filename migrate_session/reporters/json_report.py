"""The JSON report (docs/report-format.md), written as it goes: header, each file, summary.

The text is what ``json.dumps(document, indent=2)`` would give for the whole document, but no
more than one file's object is ever held.
"""

from __future__ import annotations

import json
import textwrap
from typing import TextIO

from migrate_session import __version__
from migrate_session.engine import FileResult
from migrate_session.reporters import Reporter, Summary, interesting

SCHEMA = "migrate-session/report"
VERSION = 1


class JsonReport(Reporter):
    def __init__(self, out: TextIO, *, target: str, mode: str, diffs: bool) -> None:
        self.out = out
        self.header = {
            "schema": SCHEMA, "version": VERSION, "tool_version": __version__,
            "target": target, "mode": mode,
        }
        self.diffs = diffs
        self.count = 0

    def start(self) -> None:
        fields = "".join(f"  {json.dumps(key)}: {json.dumps(value)},\n" for key, value in self.header.items())
        self.out.write("{\n" + fields + '  "files": [')

    def file(self, result: FileResult) -> None:
        if not interesting(result):
            return
        entry = {
            "path": result.path,
            "changed": result.changed,
            "error": result.error,
            "note": result.note,
            "findings": [f.to_json() for f in result.findings],
            **({"diff": result.diff} if self.diffs else {}),
        }
        separator = ",\n" if self.count else "\n"
        self.out.write(separator + textwrap.indent(json.dumps(entry, indent=2), "    "))
        self.count += 1

    def finish(self, summary: Summary, exit_code: int) -> None:
        close = "\n  ]" if self.count else "]"
        body = json.dumps(summary.to_json(), indent=2).replace("\n", "\n  ")
        self.out.write(f'{close},\n  "summary": {body}\n}}\n')
