"""Lines as Python sees them, endings kept."""

from __future__ import annotations

import re

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def split_lines(text: str) -> list[str]:
    r"""Split at ``\n``, ``\r\n`` and ``\r`` only, keeping each ending. ``str.splitlines`` also
    splits at form feeds, ``\x1c``-``\x1e``, ``\x85`` and ``\u2028``, which end no line of a
    Python file."""
    return _LINE.findall(text)
