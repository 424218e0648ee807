"""ModuleFacts.of (a plain field walk) must gather what the same class gathers as a visitor."""

from __future__ import annotations

import libcst as cst
import pytest
from sources import SOURCES, all_nodes, source_id

from migrate_session.resolve import _TRIVIA, ModuleFacts, walk


@pytest.mark.parametrize("path", SOURCES, ids=source_id)
def test_walk_meets_every_node_a_visitor_meets(path):
    """The same nodes, once each; statements in the same order (expressions may differ)."""
    module = cst.parse_module(path.read_text(encoding="utf-8"))
    visited = all_nodes(module, prune=_TRIVIA)
    walked = list(walk(module))
    assert len(walked) == len(visited)
    assert set(walked) == set(visited)
    statements = (cst.BaseStatement, cst.BaseSmallStatement)
    assert [n for n in walked if isinstance(n, statements)] == [
        n for n in visited if isinstance(n, statements)
    ]


@pytest.mark.parametrize("path", SOURCES, ids=source_id)
def test_facts_of_equal_the_visitors(path):
    module = cst.parse_module(path.read_text(encoding="utf-8"))
    visited = ModuleFacts()
    module.visit(visited)
    visited._bind_aliases()  # what `of` does once the walk is over
    walked = ModuleFacts.of(module)
    for name in ("standalone_imports", "star_modules", "aliases", "import_lines",
                 "dynamic_imports", "tf_aliases", "exported", "bound"):
        assert getattr(walked, name) == getattr(visited, name), name
