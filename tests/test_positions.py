"""positions.starts must agree with libcst's PositionProvider, which it replaces for speed."""

from __future__ import annotations

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider
from sources import SOURCES, all_nodes, source_id

from migrate_session import positions

TRICKY = {
    "crlf": "import keras\r\nif x:\r\n    y = (\r\n        1)\r\n",
    "lone_cr": "a = 1\rb = 'x'\r",
    "decorated": "@dec\n# comment\n@other(1)\ndef f(a, *, b=2):\n    '''doc'''\n    return a\n",
    "one_liners": "import os; import keras as k; k.backend.clear_session()\nif a: b; c\n",
    "strings": 'x = """a\nb"""; y = f"{x}\\n"\nz = (\n  "p"\n  "q")\n',
    "tabs": "if a:\n\tif b:\n\t\tc()\n\telse:\n\t\td()\n",
}


def _check(source: str) -> int:
    module = cst.parse_module(source)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    expected = wrapper.resolve(PositionProvider)
    nodes = all_nodes(module)
    found = positions.starts(module, nodes)
    wrong = [
        (type(node).__name__, found[node], expected[node].start)
        for node in nodes
        if found[node] != expected[node].start
    ]
    assert not wrong, wrong[:5]
    return len(nodes)


@pytest.mark.parametrize("path", SOURCES, ids=source_id)
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
