"""Every rule's own examples, for every target: exact output, expected warnings, idempotence."""

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
    reported = {f.rule_id for f in result.findings}
    for rule_id in example.warnings.get(target, ()):
        assert rule_id in reported, f"{rule_id} not reported; got {sorted(reported)}"
    if result.changed:
        assert reported, "a change without a finding"


@pytest.mark.parametrize(("rule", "example", "target"), CASES)
def test_second_run_changes_nothing(rule, example, target):
    once = migrate_code(example.source(), target=target, path="example.py").code
    assert migrate_code(once, target=target, path="example.py").code == once


def test_every_rule_has_examples():
    for rule in all_rules():
        assert rule.examples, f"{rule.id} has no examples"
