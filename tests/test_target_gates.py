"""Target gates, pyupgrade-style: each target-specific rewrite provably does not fire elsewhere.

Run over every rule example and every corpus case, so a new example or case is checked too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from migrate_session.engine import migrate_code
from migrate_session.rules import all_rules

CORPORA = Path(__file__).resolve().parent.parent / "corpora"
SOURCES = [
    pytest.param(example.source(), id=f"{rule.id}-{index}")
    for rule in all_rules()
    for index, example in enumerate(rule.examples)
] + [
    pytest.param(path.read_text(encoding="utf-8"), id=path.parent.name)
    for path in sorted(CORPORA.glob("*/before.py"))
]
TF2_ONLY_RULES = {"MS005", "MS020", "MS021", "MS101", "MS104", "MS120"}


@pytest.mark.parametrize("source", SOURCES)
def test_tf1_never_spells_compat_nor_eager_forms(source):
    """TF 1.12 has no tf.compat.v1 and no tf.config: the tf1 target must not write them."""
    result = migrate_code(source, "tf1")
    added = set(result.code.splitlines()) - set(source.splitlines())
    assert not [line for line in added if "compat.v1" in line or "tf.config" in line]
    assert not {f.rule_id for f in result.findings} & TF2_ONLY_RULES


@pytest.mark.parametrize("source", SOURCES)
def test_tf2_leaves_no_tf1_only_session_idiom(source):
    """In a migrated module, every TF 1 session idiom is spelled through tf.compat.v1 under tf2."""
    result = migrate_code(source, "tf2")
    if not result.findings:  # not standalone-Keras code: left alone on purpose
        return
    tf1_only = {"Session", "ConfigProto", "GPUOptions", "reset_default_graph", "get_default_graph"}
    left = [
        f"line {node.lineno}: tf.{node.attr}"
        for node in ast.walk(ast.parse(result.code))
        if isinstance(node, ast.Attribute) and node.attr in tf1_only
        and isinstance(node.value, ast.Name) and node.value.id in {"tf", "tensorflow"}
    ]
    assert not left


def test_memory_growth_fires_only_for_tf2():
    source = (
        "import tensorflow as tf\nfrom keras import backend as K\n"
        "config = tf.ConfigProto()\nconfig.gpu_options.allow_growth = True\n"
        "K.set_session(tf.Session(config=config))\n"
    )
    assert "set_memory_growth" in migrate_code(source, "tf2").code
    assert "set_memory_growth" not in migrate_code(source, "tf1").code
