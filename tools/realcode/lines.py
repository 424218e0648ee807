"""Output lines back to input lines: the tool reports at input lines, the checker finds at output lines."""

from __future__ import annotations

from difflib import SequenceMatcher


def output_to_input(before: list[str], after: list[str]) -> list[tuple[int, ...]]:
    """For each output line (0-based index), the 1-based input lines it comes from.

    An unchanged line maps to its input line; a line of a replaced block to every input line of
    that block; an inserted line (no input line of its own) to the input lines on either side of
    where it was inserted, the statement it was written for.
    """
    mapping: list[tuple[int, ...]] = [()] * len(after)
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for j in range(j1, j2):
            if tag == "equal":
                mapping[j] = (i1 + (j - j1) + 1,)
            elif tag == "replace":
                mapping[j] = tuple(range(i1 + 1, i2 + 1))
            elif tag == "insert":
                mapping[j] = tuple(line for line in (i1, i1 + 1) if 1 <= line <= len(before))
    return mapping


def input_lines(mapping: list[tuple[int, ...]], first: int, last: int) -> set[int]:
    """The input lines of output lines ``first``..``last`` (1-based, inclusive)."""
    return {line for out in range(first, last + 1) if out <= len(mapping) for line in mapping[out - 1]}


def output_lines(mapping: list[tuple[int, ...]], line: int) -> list[int]:
    """The 1-based output lines that come from input line ``line``."""
    return [out + 1 for out, lines in enumerate(mapping) if line in lines]
