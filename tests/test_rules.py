"""Every rule's own examples, for every target: exact output, exact findings, idempotence."""

from __future__ import annotations

import ast

import pytest

from migrate_session.engine import migrate_code
from migrate_session.rules import all_rules
from migrate_session.targets import TARGETS

CASES = [
    pytest.param(rule, example, target, id=f"{rule.id}-{rule.name}-{index}-{target}")
    for rule in all_rules()
    for index, example in enumerate(rule.examples)
    for target in TARGETS
]


@pytest.mark.parametrize(("rule", "example", "target"), CASES)
def test_example(rule, example, target):
    result = migrate_code(example.source(), target=target, path="example.py")
    assert result.code == example.expected(target)
    ast.parse(result.code)
    found = sorted((f.line, f.rule_id) for f in result.findings)
    assert found == example.expected_findings(target), "\n".join(f.to_text() for f in result.findings)


@pytest.mark.parametrize(("rule", "example", "target"), CASES)
def test_second_run_is_quiet(rule, example, target):
    """Over its own output the tool changes nothing, rewrites nothing and warns of nothing new."""
    first = migrate_code(example.source(), target=target, path="example.py")
    second = migrate_code(first.code, target=target, path="example.py")
    assert second.code == first.code
    assert not [f for f in second.findings if f.severity == "rewrite"]
    assert {(f.rule_id, f.message) for f in second.findings} <= {(f.rule_id, f.message) for f in first.findings}


def test_every_rule_has_examples_and_each_fires_in_one():
    for rule in all_rules():
        assert rule.examples, f"{rule.id} has no examples"
        fired = {rule_id for example in rule.examples for target in TARGETS
                 for _, rule_id in example.expected_findings(target)}
        assert rule.id in fired, f"no example of {rule.id} shows it"


def test_a_finding_that_is_not_line_and_id_is_refused():
    example = type(all_rules()[0].examples[0])(before="x = 1\n", findings="MS001")
    with pytest.raises(ValueError, match="LINE:ID"):
        example.expected_findings("tf1")
