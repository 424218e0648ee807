"""import_edits must edit imports exactly as libcst's Add/RemoveImportsVisitor would.

The migration does these edits itself (it already knows which imports are unused), so these
tests hold it to the visitors' output on the layouts they handle.
"""

from __future__ import annotations

import libcst as cst
import pytest
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

from migrate_session import import_edits

ADD_CASES = {
    "plain": "import os\nimport sys\nx = 1\n",
    "docstring": '"""Doc."""\nimport os\n\nx = 1\n',
    "only_docstring": '"""Doc."""\n',
    "future": "from __future__ import annotations\nimport os\nx = 1\n",
    "no_imports": "x = 1\n",
    "comment_after_imports": "import os\n# a comment\nx = 1\n",
    "blank_after_imports": "import os\n\n\nx = 1\n",
    "strict_flag": "__strict__ = True\nimport os\nx = 1\n",
    "import_later": "x = 1\nimport os\n",
    "two_small_statements": "import os; import sys\nx = 1\n",
    "empty": "",
    "crlf": "import os\r\nx = 1\r\n",
}


@pytest.mark.parametrize("name", sorted(ADD_CASES))
@pytest.mark.parametrize("alias", ["tf", None])
def test_add_module_import_matches_add_imports_visitor(name, alias):
    source = ADD_CASES[name]
    context = CodemodContext()
    AddImportsVisitor.add_needed_import(context, "tensorflow", asname=alias)
    expected = AddImportsVisitor(context).transform_module(cst.parse_module(source)).code
    statement = "import tensorflow" if alias is None else f"import tensorflow as {alias}"
    got = import_edits.add_module_import(cst.parse_module(source), statement).code
    assert got == expected


# source, index of the import statement, names to drop, libcst (module, obj, asname) keys
REMOVE_CASES = {
    "whole_from": ("from a import b\nx = 1\n", 0, {"b"}, [("a", "b", None)]),
    "first_of_two": ("from a import b, c\nc\n", 0, {"b"}, [("a", "b", None)]),
    "last_of_two": ("from a import b, c\nb\n", 0, {"c"}, [("a", "c", None)]),
    "alias": ("from a import b as K, c\nc\n", 0, {"K"}, [("a", "b", "K")]),
    "parenthesized_comments": (
        "from a import (\n    b,  # about b\n    c,  # about c\n    d,\n)\nb, d\n",
        0, {"c"}, [("a", "c", None)],
    ),
    "parenthesized_first": (
        "from a import (  # head\n    b,  # about b\n    c,\n)\nc\n", 0, {"b"}, [("a", "b", None)],
    ),
    "module": ("import os, keras\nos\n", 0, {"keras"}, [("keras", None, None)]),
    "module_alias": ("import numpy as np, keras as k\nnp\n", 0, {"k"}, [("keras", None, "k")]),
    "dotted_module": ("import keras.backend\nx = 1\n", 0, {"keras"}, [("keras.backend", None, None)]),
    "with_comment_line": ("# lead\nfrom a import b\nx = 1\n", 0, {"b"}, [("a", "b", None)]),
    "star_kept": ("from a import *\nx = 1\n", 0, {"b"}, []),
}


@pytest.mark.parametrize("name", sorted(REMOVE_CASES))
def test_remove_matches_remove_imports_visitor(name):
    source, index, names, keys = REMOVE_CASES[name]
    context = CodemodContext()
    for module, obj, asname in keys:
        RemoveImportsVisitor.remove_unused_import(context, module, obj, asname)
    expected = RemoveImportsVisitor(context).transform_module(cst.parse_module(source)).code
    tree = cst.parse_module(source)
    node = tree.body[index].body[0]
    assert import_edits.remove(tree, {node: names}).code == expected


def test_remove_touches_only_the_given_node_and_keeps_the_blank_line_before_it():
    """RemoveImportsVisitor would also eat the blank line that separates two groups."""
    source = "def f():\n    from a import b\n    return 1\n\nfrom a import b\nx = 1\n"
    tree = cst.parse_module(source)
    top = tree.body[1].body[0]
    assert import_edits.remove(tree, {top: {"b"}}).code == (
        "def f():\n    from a import b\n    return 1\n\nx = 1\n"
    )


def test_a_removed_line_keeps_its_comments():
    tree = cst.parse_module("import os\n# about b\nfrom a import b  # noqa\nx = 1\n")
    node = tree.body[1].body[0]
    assert import_edits.remove(tree, {node: {"b"}}).code == "import os\n# about b\n# noqa\nx = 1\n"


def test_a_module_losing_its_first_line_does_not_start_with_a_blank_line():
    tree = cst.parse_module("from a import b\n\nx = 1\n")
    node = tree.body[0].body[0]
    assert import_edits.remove(tree, {node: {"b"}}).code == "x = 1\n"
