"""The rewrites and warnings: one module each, one rule class in it, found automatically.

A rule module defines one subclass of :class:`migrate_session.rule.Rule`, with its own
before/after ``examples``. Tests and the rule reference in ``docs/`` are generated from them.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from functools import cache

import libcst as cst

from migrate_session.rule import Rule


@cache
def all_rules() -> tuple[type[Rule], ...]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        classes = [
            value for value in vars(module).values()
            if inspect.isclass(value) and issubclass(value, Rule) and value.__module__ == module.__name__
        ]
        if len(classes) != 1:
            raise TypeError(f"{module.__name__} must define exactly one Rule subclass, not {len(classes)}")
        _check_hooks(classes[0])
        found.append(classes[0])
    return tuple(sorted(found, key=lambda rule: rule.id))


def _check_hooks(rule: type[Rule]) -> None:
    for name in rule.hooks():
        kind = name.partition("_")[2]
        if kind == "Reference":
            continue
        if not (isinstance(getattr(cst, kind, None), type) and issubclass(getattr(cst, kind), cst.CSTNode)):
            raise TypeError(f"{rule.__name__}.{name}: {kind!r} is not a libcst node kind")
