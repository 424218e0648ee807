"""Diff coloring and when colors are on."""

from __future__ import annotations

import io

import pytest

from migrate_session import color
from migrate_session.color import BOLD, CYAN, GREEN, RED, RESET
from migrate_session.engine import unified_diff
from migrate_session.lines import split_lines


def styles(text: str) -> list[tuple[str, str]]:
    """(style, plain line) for each line of a painted diff; style "" when unpainted."""
    found = []
    for line in split_lines(text):
        for style in (BOLD, CYAN, RED, GREEN):
            if line.startswith(style):
                found.append((style, line[len(style):].replace(RESET, "", 1)))
                break
        else:
            found.append(("", line))
    return found


def test_lines_that_look_like_headers_inside_a_hunk_are_changes():
    before = "-- x\nkeep\n+++ y\n"
    after = "x\nkeep\nz\n"
    painted = styles(color.diff(unified_diff(before, after, "a.py")))
    assert painted == [
        (BOLD, "--- a.py\n"), (BOLD, "+++ a.py\n"), (CYAN, "@@ -1,3 +1,3 @@\n"),
        (RED, "--- x\n"), (GREEN, "+x\n"), ("", " keep\n"), (RED, "-+++ y\n"), (GREEN, "+z\n"),
    ]


def test_several_diffs_in_one_text_each_get_headers():
    text = unified_diff("a\n", "b\n", "nb.ipynb:cell 1") + unified_diff("c\n", "d\n", "nb.ipynb:cell 2")
    painted = styles(color.diff(text))
    assert [style for style, _ in painted] == [BOLD, BOLD, CYAN, RED, GREEN] * 2


def test_crlf_and_form_feed_and_missing_final_newline():
    text = "--- f.py\n+++ f.py\n@@ -1,2 +1,2 @@\n-a\x0cb\r\n+a\x0cB\r\n c\n\\ No newline at end of file\n"
    painted = color.diff(text)
    assert painted.replace(RESET, "").replace(BOLD, "").replace(CYAN, "").replace(RED, "").replace(GREEN, "") == text
    assert f"{RED}-a\x0cb{RESET}\r\n" in painted and f"{GREEN}+a\x0cB{RESET}\r\n" in painted
    assert painted.endswith(f"{RESET}\r\n c\n\\ No newline at end of file\n")


class Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("choice", "tty", "env", "expected"),
    [
        ("auto", True, {}, True),
        ("auto", False, {}, False),
        ("auto", True, {"NO_COLOR": "1"}, False),
        ("auto", False, {"FORCE_COLOR": "1"}, True),
        ("auto", True, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
        ("auto", True, {"TERM": "dumb"}, False),
        ("auto", True, {"NO_COLOR": ""}, True),  # set but empty does not count (no-color.org)
        ("always", False, {"NO_COLOR": "1"}, True),
        ("never", True, {"FORCE_COLOR": "1"}, False),
    ],
)
def test_enabled(monkeypatch, choice, tty, env, expected):
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert color.enabled(choice, Stream(tty)) is expected
