"""ANSI colors for diffs and headings, and when to use them (``--color never|always|auto``)."""

from __future__ import annotations

import os
import re
from typing import TextIO

from migrate_session.lines import split_lines

CHOICES = ("auto", "always", "never")
RESET = "\033[0m"
BOLD = "\033[1m"
RED = "\033[31m"
GREEN = "\033[32m"
CYAN = "\033[36m"
HUNK = re.compile(r"@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@")


def enabled(choice: str, stream: TextIO) -> bool:
    """``auto``: a terminal, unless ``NO_COLOR`` is set; ``FORCE_COLOR`` colors a pipe too.

    As in CPython's own rule, ``NO_COLOR`` wins over ``FORCE_COLOR``; ``--color`` wins over both.
    """
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def paint(text: str, *styles: str) -> str:
    return "".join(styles) + text + RESET


def diff(text: str) -> str:
    """Unified diffs: headers bold, hunk headers cyan, removed lines red, added lines green.

    Hunk line counts tell headers from changed lines, so a removed line ``-- x`` is red, and
    several diffs in one text (a notebook's cells) each get their headers.
    """
    painted, old, new = [], 0, 0
    for line in split_lines(text):
        body = line.rstrip("\r\n")
        style = None
        if old > 0 or new > 0:  # inside a hunk
            if line.startswith("-"):
                style, old = RED, old - 1
            elif line.startswith("+"):
                style, new = GREEN, new - 1
            elif not line.startswith("\\"):  # context; "\ No newline at end of file" counts nothing
                old, new = old - 1, new - 1
        elif (hunk := HUNK.match(line)) is not None:
            style = CYAN
            old, new = (1 if count is None else int(count) for count in hunk.groups())
        elif line.startswith(("--- ", "+++ ")):
            style = BOLD
        painted.append(line if style is None else paint(body, style) + line[len(body):])
    return "".join(painted)
