"""What a rule is, and everything it may use: rules import this module, never the engine.

A rule is one class in one module of ``migrate_session/rules/``, with its examples beside it.
The engine makes a fresh instance per module, so per-file state lives on the rule. A rule
declares what it visits by naming methods after libcst node kinds, as a libcst visitor does:

* ``visit_<Kind>(self, node)`` before the node's children, ``leave_<Kind>(self, original,
  updated)`` after them (it returns the node to keep, like a libcst transformer);
* ``visit_Reference(self, ref)`` for every name or attribute chain bound to standalone Keras
  or TensorFlow (``K.clear_session``, ``tf.Session``, a bare ``set_session``), resolved.

The engine visits only the parts of a module that hold a Keras or TensorFlow name, an import,
or an attribute named in ``ATTRIBUTES``. It dispatches every declared kind without knowing the
rules. Everything else a rule needs is on ``self.context`` (:class:`Context`): resolved names,
the target's measured facts, a plan of imports, and edits scheduled by the original node.
Findings are reported with :meth:`Rule.report`, always under the rule's own id.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import cache
from textwrap import dedent
from typing import TYPE_CHECKING, ClassVar, Protocol, TypeVar, Union

import libcst as cst

from migrate_session.findings import REWRITE, WARNING
from migrate_session.syntax import Statement
from migrate_session.targets import Spelling, Target, canonical, is_private_tf_keras, is_standalone

if TYPE_CHECKING:  # pragma: no cover
    from libcst.metadata import Scope

__all__ = ["REWRITE", "WARNING", "Context", "Edit", "Example", "Imports", "Ref", "Rule"]


@dataclass(frozen=True)
class Ref:
    """A name or attribute chain bound to standalone Keras or TensorFlow, as the module has it."""

    node: cst.Name | cst.Attribute
    qualified: str  # what it is bound to now: keras.backend.tensorflow_backend.set_session
    canonical: str  # one name per API: keras.backend.set_session
    rebound: str  # what the same spelling means once the imports have moved: tensorflow.keras...
    base: cst.Name  # the name the chain starts at (whose binding an import made)
    binding: str  # what ``base`` is bound to: keras.backend

    @property
    def standalone(self) -> bool:
        return is_standalone(self.qualified)

    def written(self, target: Target) -> str:
        """The dotted name this reference has once migrated (what the target runs)."""
        spelling = self.respelling(target)
        return spelling.dotted if spelling is not None else self.rebound

    def respelling(self, target: Target) -> Spelling | None:
        """The spelling this reference must be given for ``target``; None: it keeps its own.

        Through a standalone import that does not move (its name is not measured in every
        environment), the reference is spelled in full where the target has it: the whole
        chain, else its imported part (so no use is left on an import that goes). Through one
        that moves, a chain keeps its spelling unless another works in more environments.
        """
        return _respelling(target, self.qualified, self.canonical, self.rebound, self.binding)


@cache  # a function of the names alone, asked by several rules of each use
def _respelling(target: Target, qualified: str, canonical_name: str, rebound: str, binding: str) -> Spelling | None:
    moved_here = is_standalone(qualified) or (target.eager and is_private_tf_keras(binding))
    if moved_here and not target.has(target.rebind(binding)):
        spelling = target.spell(canonical_name)
        if spelling is None and qualified != binding:
            base = target.spell(canonical(binding))
            rest = qualified[len(binding):]
            spelling = base and Spelling(base.dotted + rest, base.compat, base.missing_in)
        return spelling
    missing = target.missing_in(rebound)
    if not missing:
        return None
    spelling = target.spell(canonical_name)
    if spelling is None or set(missing) <= set(spelling.missing_in):
        return None
    return spelling


NodeT = TypeVar("NodeT", bound=cst.CSTNode)
T = TypeVar("T")
# What a function edit returns, as a libcst transformer's leave_ does.
Replacement = Union[cst.CSTNode, cst.FlattenSentinel[cst.CSTNode], cst.RemovalSentinel]
# An edit of a node: new statements for a statement ([] removes it, keeping its comments), a
# new node for any other node, or a function of the node as its children were migrated.
Edit = Union[cst.CSTNode, Sequence[Statement], Callable[[NodeT], Replacement]]


class Imports(Protocol):
    """The module's plan of imports. Imports that lose their last use are removed by the engine."""

    def tensorflow(self, at: cst.CSTNode, near: cst.Name | None = None) -> str:
        """A name of the tensorflow module usable at ``at``, imported if needed: at the top of the
        module, or beside the function-local import that binds ``near`` (lazy imports stay lazy)."""
        ...

    def module(self, name: str, at: cst.CSTNode) -> str:
        """A name bound to the stdlib module ``name`` (``gc``) at ``at``, imported at the top if needed."""
        ...


class Context(Protocol):
    """What the engine gives a rule for one module."""

    target: Target

    @property
    def imports(self) -> Imports: ...

    def resolve(self, node: cst.CSTNode) -> Ref | None:
        """What a ``Name`` or ``Attribute`` chain is bound to (None: not Keras or TensorFlow)."""
        ...

    def canonical(self, node: cst.CSTNode) -> str | None: ...

    @property
    def ancestors(self) -> Sequence[cst.CSTNode]:
        """The visited nodes enclosing the current one, outermost first."""
        ...

    def scope(self, node: cst.CSTNode) -> Scope | None:
        """libcst's scope of ``node`` (assignments and accesses by name)."""
        ...

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        """The node holding ``node`` in the module as parsed (whitespace and punctuation have
        none); None for the module, or a node that is not in it."""
        ...

    def defines(self, function: str) -> bool:
        """Whether the module defines a function or method of that name (its own ``fit_generator``)."""
        ...

    def assigned_value(self, name: cst.Name) -> cst.BaseExpression | None:
        """What ``name`` holds where it is used, when one ``name = value`` binds it in that scope."""
        ...

    def assigned_values(self, name: cst.Name) -> tuple[cst.BaseExpression, ...] | None:
        """Every value ``name`` may hold where it is used: the ``value`` of each ``name = value``
        binding it in that scope; None when something else binds it too (a parameter, a loop,
        an import, ``+=``) or nothing does."""
        ...

    def exported(self, name: str) -> bool:
        """Whether other code may use the module's name ``name``: listed in ``__all__``, or
        imported by another module of the run (``from .apps import graph``)."""
        ...

    def mentions(self, identifier: str) -> bool:
        """Whether the name or attribute name appears anywhere in the module (``ReduceLROnPlateau``)."""
        ...

    def shared(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, once per module for every rule that asks with the same ``key``: for
        a reading several rules need of the same node (MS013's plan of a call, which MS008,
        MS108 and MS113 read too)."""
        ...

    def edit(self, original: NodeT, edit: Edit[NodeT], *, by: Rule) -> None:
        """Replace ``original`` (a node of the module as parsed) when the engine leaves it.

        A node or statements replace it whole: nothing inside it is visited or reported. A
        function receives it with its children migrated; functions of several rules compose,
        in rule order. Comments of a replaced statement are kept (moved before what replaces
        it, or onto the next statement).
        """
        ...

    def is_edited(self, original: cst.CSTNode) -> bool: ...

    def statements(self, code: str) -> list[Statement]:
        """``code`` (written with 4-space indents) parsed as statements in the module's own style."""
        ...

    def report(self, rule: Rule, node: cst.CSTNode, message: str) -> None: ...


@dataclass(frozen=True)
class Example:
    """A module before, and after: ``after`` for both targets unless ``tf1``/``tf2`` say otherwise
    (with none of them, the module is left unchanged).

    ``findings`` pins every finding the example produces, as ``"LINE:ID"`` items separated by
    spaces (``"1:MS001 3:MS002"``), for both targets unless ``findings_tf1``/``findings_tf2``
    say otherwise. An extra or a missing finding fails the example's test.
    """

    before: str
    after: str | None = None
    tf1: str | None = None
    tf2: str | None = None
    findings: str = ""
    findings_tf1: str | None = None
    findings_tf2: str | None = None
    title: str = ""

    def source(self) -> str:
        return dedent(self.before).lstrip("\n")

    def expected(self, target: str) -> str:
        after = getattr(self, target) or self.after
        return self.source() if after is None else dedent(after).lstrip("\n")

    def expected_findings(self, target: str) -> list[tuple[int, str]]:
        text = getattr(self, f"findings_{target}")
        text = self.findings if text is None else text
        pairs = []
        for item in text.split():
            match = re.fullmatch(r"(\d+):(MS\d{3})", item)
            if match is None:
                raise ValueError(f"finding {item!r} is not LINE:ID (e.g. 3:MS002)")
            pairs.append((int(match[1]), match[2]))
        return sorted(pairs)


class Rule:
    """Subclass it in a module of ``migrate_session/rules/``; see this module's docstring."""

    id: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[str] = REWRITE
    summary: ClassVar[str]
    examples: ClassVar[tuple[Example, ...]] = ()
    # `x.NAME` attributes this rule must see whatever `x` is bound to (an object, a user's name).
    ATTRIBUTES: ClassVar[frozenset[str]] = frozenset()
    # Why this rule may remove comments (the dead branch it deletes); empty: it never does.
    DROPS_COMMENTS: ClassVar[str] = ""

    def __init__(self, context: Context) -> None:
        self.context = context

    def report(self, node: cst.CSTNode, message: str) -> None:
        self.context.report(self, node, message)

    def edit(self, original: NodeT, edit: Edit[NodeT]) -> None:
        """Schedule an edit of ``original``: see :meth:`Context.edit`."""
        self.context.edit(original, edit, by=self)

    def respell(self, ref: Ref, spelling: Spelling) -> str:
        """Write ``ref`` as ``spelling`` and return the text written: through the reference's own
        name when its import moved to where the spelling lives (``keras.layers.Dense`` after
        ``from tensorflow import keras``), else through a tensorflow name usable there."""
        target = self.context.target
        home = target.rebind(ref.binding)
        scope = self.context.scope(ref.base)
        keeps_its_name = (  # the import binding the base name still binds it, to `home`
            scope is not None and ref.base.value in scope and (ref.binding == home or "." in home)
        )
        if keeps_its_name and target.has(home) and spelling.dotted.startswith(home + "."):
            new: cst.BaseExpression = ref.base  # the same node: its import keeps its use
            for attr in spelling.dotted[len(home) + 1:].split("."):
                new = cst.Attribute(value=new, attr=cst.Name(attr))
            text = ref.base.value + spelling.dotted[len(home):]
        else:
            text = spelling.text(self.context.imports.tensorflow(ref.node, near=ref.base))
            new = cst.parse_expression(text)
        self.edit(ref.node, new)
        return text

    @classmethod
    def hooks(cls) -> tuple[str, ...]:
        """The names of the rule's ``visit_<Kind>`` / ``leave_<Kind>`` methods."""
        found = _HOOKS.get(cls)
        if found is None:
            found = _HOOKS[cls] = tuple(
                name for name in dir(cls)
                if name.startswith(("visit_", "leave_")) and callable(getattr(cls, name))
            )
        return found


_HOOKS: dict[type[Rule], tuple[str, ...]] = {}  # Rule.hooks() by rule class
