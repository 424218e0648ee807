"""The rewrites and warnings, one module each, discovered automatically.

A rule module defines ``RULE``, an instance of a :class:`migrate_session.rules.base.Rule`
subclass, with its own before/after ``examples``. Tests and the rule reference in ``docs/`` are
generated from those examples.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from migrate_session.rules.base import Rule


@cache
def all_rules() -> tuple[Rule, ...]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.append(module.RULE)
    return tuple(sorted(found, key=lambda rule: rule.id))


def rule_by_id(rule_id: str) -> Rule:
    return next(rule for rule in all_rules() if rule.id == rule_id)
