"""Unified diffs that cost about as much as the texts are long.

``difflib.unified_diff`` is quadratic or worse on long texts whose lines repeat: on a module of
1,500 functions that each change, 0.45 s; of 3,000, 5 s; a 3.4 MB module would take hours. So
the texts are first cut at their anchors, the lines that occur exactly once in each and keep
their order (the patience diff's idea), and difflib matches only the short stretches between
two anchors. Where a text has no such line, difflib sees it whole, as before.
"""

from __future__ import annotations

import bisect
import difflib
from collections import Counter
from collections.abc import Iterator, Sequence


def unified_diff(a: Sequence[str], b: Sequence[str], fromfile: str, tofile: str, n: int = 3) -> Iterator[str]:
    """``difflib.unified_diff(a, b, fromfile, tofile, n=n)``, with anchored matching."""
    groups = AnchoredMatcher(a, b).get_grouped_opcodes(n)
    for number, group in enumerate(groups):
        if number == 0:
            yield f"--- {fromfile}\n"
            yield f"+++ {tofile}\n"
        first, last = group[0], group[-1]
        yield f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n"
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                yield from (" " + line for line in a[i1:i2])
                continue
            if tag in {"replace", "delete"}:
                yield from ("-" + line for line in a[i1:i2])
            if tag in {"replace", "insert"}:
                yield from ("+" + line for line in b[j1:j2])


def _range(start: int, stop: int) -> str:
    """A hunk's range as difflib writes it (``difflib._format_range_unified``)."""
    beginning, length = start + 1, stop - start
    if length == 1:
        return f"{beginning}"
    if not length:
        beginning -= 1
    return f"{beginning},{length}"


class AnchoredMatcher(difflib.SequenceMatcher[str]):
    """difflib's matcher for lines, with the matching blocks found between anchors."""

    # Set by SequenceMatcher, which does not declare them.
    a: Sequence[str]
    b: Sequence[str]
    matching_blocks: list[difflib.Match] | None

    def __init__(self, a: Sequence[str], b: Sequence[str]) -> None:
        super().__init__(None, a, b)

    def get_matching_blocks(self) -> list[difflib.Match]:
        if self.matching_blocks is not None:
            return self.matching_blocks
        blocks: list[tuple[int, int, int]] = []
        i0 = j0 = 0
        for i, j in [*anchors(self.a, self.b), (len(self.a), len(self.b))]:
            if i > i0 and j > j0:
                stretch = difflib.SequenceMatcher(None, self.a[i0:i], self.b[j0:j])
                blocks += [(i0 + x, j0 + y, k) for x, y, k in stretch.get_matching_blocks()[:-1]]
            blocks.append((i, j, 1))
            i0, j0 = i + 1, j + 1
        blocks.pop()  # the end of both texts is no anchor
        self.matching_blocks = [difflib.Match(*block) for block in _merged(blocks)]
        self.matching_blocks.append(difflib.Match(len(self.a), len(self.b), 0))
        return self.matching_blocks


def anchors(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """(i, j) with ``a[i] == b[j]`` occurring once in each text: the longest run of them
    that is increasing in both i and j."""
    in_a, in_b = Counter(a), Counter(b)
    where_b = {line: j for j, line in enumerate(b) if in_b[line] == 1}
    pairs = [(i, where_b[line]) for i, line in enumerate(a) if in_a[line] == 1 and line in where_b]
    return _longest_increasing(pairs)


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of ``pairs`` (increasing in i) that increases in j too."""
    tails: list[int] = []  # tails[k]: the smallest j ending an increasing run of length k + 1
    ends: list[int] = []  # index in pairs of that run's last pair
    previous: list[int] = []  # index of the pair before each pair in its best run
    for index, (_, j) in enumerate(pairs):
        length = bisect.bisect_left(tails, j)
        if length == len(tails):
            tails.append(j)
            ends.append(index)
        else:
            tails[length] = j
            ends[length] = index
        previous.append(ends[length - 1] if length else -1)
    run, index = [], ends[-1] if ends else -1
    while index >= 0:
        run.append(pairs[index])
        index = previous[index]
    return run[::-1]


def _merged(blocks: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    merged: list[tuple[int, int, int]] = []
    for i, j, k in blocks:
        if k and merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + k)
        elif k:
            merged.append((i, j, k))
    return merged
