"""Real files to hold the speed-ups to what they replace, and every node of a parsed module."""

from __future__ import annotations

from pathlib import Path

import libcst as cst

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(ROOT.glob("corpora/*/before.py")) + sorted(ROOT.glob("migrate_session/**/*.py"))


def source_id(path: Path) -> str:
    return str(path.relative_to(ROOT))


def all_nodes(module: cst.Module, prune: tuple[type, ...] = ()) -> list[cst.CSTNode]:
    """Every node a libcst visitor meets, in its order; ``prune`` kinds and what is under them
    are left out."""

    class Collect(cst.CSTVisitor):
        def __init__(self) -> None:
            self.nodes: list[cst.CSTNode] = []

        def on_visit(self, node: cst.CSTNode) -> bool:
            if isinstance(node, prune):
                return False
            self.nodes.append(node)
            return True

    collector = Collect()
    module.visit(collector)
    return collector.nodes
