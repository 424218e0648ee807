"""ModuleFacts.of (a plain field walk) must gather what the same class gathers as a visitor."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from migrate_session.resolve import _TRIVIA, ModuleFacts, walk

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(ROOT.glob("corpora/*/before.py")) + sorted(ROOT.glob("migrate_session/**/*.py"))


class _Everything(cst.CSTVisitor):
    def __init__(self) -> None:
        self.nodes: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, _TRIVIA):
            return False
        self.nodes.append(node)
        return True


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_walk_meets_every_node_a_visitor_meets(path):
    """The same nodes, once each; statements in the same order (expressions may differ)."""
    module = cst.parse_module(path.read_text(encoding="utf-8"))
    everything = _Everything()
    module.visit(everything)
    walked = list(walk(module))
    assert len(walked) == len(everything.nodes)
    assert set(walked) == set(everything.nodes)
    statements = (cst.BaseStatement, cst.BaseSmallStatement)
    assert [n for n in walked if isinstance(n, statements)] == [
        n for n in everything.nodes if isinstance(n, statements)
    ]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_facts_of_equal_the_visitors(path):
    module = cst.parse_module(path.read_text(encoding="utf-8"))
    visited = ModuleFacts()
    module.visit(visited)
    visited._bind_aliases()  # what `of` does once the walk is over
    walked = ModuleFacts.of(module)
    for name in ("standalone_imports", "star_modules", "aliases", "import_lines",
                 "dynamic_imports", "tf_aliases", "exported", "bound"):
        assert getattr(walked, name) == getattr(visited, name), name
