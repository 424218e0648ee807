"""What a run prints, one file at a time as results come: text, concise, json or sarif.

A reporter sees each :class:`~migrate_session.engine.FileResult` once, in path order, and
keeps nothing of it but the counters of :class:`Summary`, so memory does not grow with the
tree. ``start`` writes whatever comes before the first file, ``finish`` whatever comes last.
"""

from __future__ import annotations

from dataclasses import dataclass

from migrate_session.engine import FileResult
from migrate_session.findings import WARNING

FORMATS = ("text", "concise", "json", "sarif")


@dataclass
class Summary:
    files: int = 0
    candidates: int = 0
    changed: int = 0
    failed: int = 0
    rewrites: int = 0
    warnings: int = 0
    seconds: float = 0.0

    def add(self, result: FileResult) -> None:
        self.files += 1
        self.candidates += result.candidate
        self.changed += result.changed
        self.failed += bool(result.error)
        warnings = sum(f.severity == WARNING for f in result.findings)
        self.warnings += warnings
        self.rewrites += len(result.findings) - warnings

    def to_json(self) -> dict[str, int | float]:
        return {
            "files": self.files,
            "candidates": self.candidates,
            "changed": self.changed,
            "failed": self.failed,
            "rewrites": self.rewrites,
            "warnings": self.warnings,
            "seconds": round(self.seconds, 3),
        }

    def line(self, verb: str, target: str) -> str:
        """The closing line on stderr, e.g. ``12 files scanned, 3 candidates, 2 rewritten, ...``."""
        return (
            f"{_count(self.files, 'file')} scanned, {_count(self.candidates, 'candidate')}, "
            f"{self.changed} {verb}, {_count(self.warnings, 'warning')}, {self.failed} failed "
            f"in {self.seconds:.2f} s (target {target})"
        )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def interesting(result: FileResult) -> bool:
    """Whether a file is worth a line of report: it changed, failed or has findings."""
    return bool(result.changed or result.error or result.findings)


class Reporter:
    def start(self) -> None:
        """Write what comes before the first file."""

    def file(self, result: FileResult) -> None:
        """Report one file; called in path order."""

    def finish(self, summary: Summary, exit_code: int) -> None:
        """Write what comes after the last file."""
