"""``call_args.with_added``: arguments a rule appends are laid out as the call's own are."""

from __future__ import annotations

import libcst as cst
import pytest

from migrate_session import call_args

ADDED = [("verbose", "0")]

LAYOUTS = [
    ("inline", "f(a, b=1)", "f(a, b=1, verbose=0)"),
    ("no arguments", "f()", "f(verbose=0)"),
    ("one per line",
     "f(a,\n  b=1)",
     "f(a,\n  b=1,\n  verbose=0)"),
    ("one per line, closing on its own line",
     "f(\n    a,\n    b=1\n)",
     "f(\n    a,\n    b=1,\n    verbose=0\n)"),
    ("trailing comma",
     "f(\n    a,\n    b=1,\n)",
     "f(\n    a,\n    b=1,\n    verbose=0,\n)"),
    ("one argument on its own line",
     "f(\n    a\n)",
     "f(\n    a,\n    verbose=0\n)"),
    ("held-out trial L2: two per line, last on its own",
     "m.fit(x, validation_data=validation_data, \n      verbose=1)",
     "m.fit(x, validation_data=validation_data, \n      verbose=1, \n      verbose=0)"),
]


@pytest.mark.parametrize("name, before, after", LAYOUTS, ids=[layout[0] for layout in LAYOUTS])
def test_added_arguments_follow_the_calls_layout(name, before, after):
    call = cst.parse_expression(before)
    assert isinstance(call, cst.Call)
    written = cst.Module([]).code_for_node(call_args.with_added(call, ADDED))
    assert written == after
    cst.parse_expression(written)


def test_several_added_arguments_each_take_the_separator():
    call = cst.parse_expression("f(\n    a,\n    b=1,\n)")
    assert isinstance(call, cst.Call)
    written = cst.Module([]).code_for_node(call_args.with_added(call, [("x", "1"), ("y", "2")]))
    assert written == "f(\n    a,\n    b=1,\n    x=1,\n    y=2,\n)"
