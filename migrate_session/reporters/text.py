"""The human report: findings on stderr, grouped under a heading per file; diffs on stdout.

Every line under a heading is a ``path:line:col rule-id message`` finding, a
``path: error: reason`` or a ``path: note: ...`` line, so each stays clickable in a terminal
and an editor; ``concise`` prints the same lines with no heading and no indent, one per
line, for grep and CI problem matchers.
"""

from __future__ import annotations

from typing import TextIO

from migrate_session import color
from migrate_session.engine import FileResult
from migrate_session.findings import WARNING
from migrate_session.reporters import Reporter, interesting

INDENT = "  "


class TextReport(Reporter):
    def __init__(
        self, out: TextIO, err: TextIO, *, verb: str, diffs: bool = False,
        grouped: bool = True, color_out: bool = False, color_err: bool = False,
    ) -> None:
        self.out, self.err = out, err
        self.verb = verb
        self.diffs = diffs
        self.grouped = grouped
        self.color_out, self.color_err = color_out, color_err

    def file(self, result: FileResult) -> None:
        if self.diffs and result.diff:
            self.out.write(color.diff(result.diff) if self.color_out else result.diff)
        if not interesting(result):
            return
        lines = self.lines(result)
        if self.grouped:
            heading = f"{result.path} ({self.verdict(result)})"
            self.err.write((color.paint(heading, color.BOLD) if self.color_err else heading) + "\n")
            lines = [INDENT + line for line in lines]
        self.err.write("".join(line + "\n" for line in lines))

    @staticmethod
    def lines(result: FileResult) -> list[str]:
        lines = [f"{result.path}: error: {result.error}"] if result.error else []
        lines += [finding.to_text() for finding in result.findings]
        if result.note and (result.changed or result.findings):
            lines.append(f"{result.path}: note: {result.note}")
        return lines

    def verdict(self, result: FileResult) -> str:
        if result.error:
            return "failed"
        warnings = sum(f.severity == WARNING for f in result.findings)
        rewrites = len(result.findings) - warnings
        parts = [f"{rewrites} rewrite{'s' * (rewrites != 1)}"] if rewrites else []
        parts += [f"{warnings} warning{'s' * (warnings != 1)}"] if warnings else []
        state = self.verb if result.changed else "unchanged"
        return f"{state}: {', '.join(parts)}" if parts else state
