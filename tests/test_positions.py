"""positions.starts must agree with libcst's PositionProvider, which it replaces for speed."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from migrate_session import positions

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(ROOT.glob("corpora/*/before.py")) + sorted(ROOT.glob("migrate_session/**/*.py"))

TRICKY = {
    "crlf": "import keras\r\nif x:\r\n    y = (\r\n        1)\r\n",
    "lone_cr": "a = 1\rb = 'x'\r",
    "decorated": "@dec\n# comment\n@other(1)\ndef f(a, *, b=2):\n    '''doc'''\n    return a\n",
    "one_liners": "import os; import keras as k; k.backend.clear_session()\nif a: b; c\n",
    "strings": 'x = """a\nb"""; y = f"{x}\\n"\nz = (\n  "p"\n  "q")\n',
    "tabs": "if a:\n\tif b:\n\t\tc()\n\telse:\n\t\td()\n",
}


def _all_nodes(module: cst.Module) -> list[cst.CSTNode]:
    class Collect(cst.CSTVisitor):
        def __init__(self) -> None:
            self.nodes: list[cst.CSTNode] = []

        def on_visit(self, node: cst.CSTNode) -> bool:
            self.nodes.append(node)
            return True

    collector = Collect()
    module.visit(collector)
    return collector.nodes


def _check(source: str) -> int:
    module = cst.parse_module(source)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    expected = wrapper.resolve(PositionProvider)
    nodes = _all_nodes(module)
    found = positions.starts(module, nodes)
    wrong = [
        (type(node).__name__, found[node], expected[node].start)
        for node in nodes
        if found[node] != expected[node].start
    ]
    assert not wrong, wrong[:5]
    return len(nodes)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_node_of_real_files(path):
    assert _check(path.read_text(encoding="utf-8")) >= 1


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_every_node_of_tricky_layouts(name):
    _check(TRICKY[name])


def test_only_the_asked_nodes_are_returned():
    module = cst.parse_module("import keras\nkeras.backend.clear_session()\n")
    call = module.body[1].body[0].value
    assert positions.starts(module, [call]) == {call: positions.CodePosition(2, 0)}
    assert positions.starts(module, []) == {}
