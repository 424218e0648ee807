"""What a name in the module is bound to: standalone Keras, TensorFlow, or neither.

libcst's scope analysis answers for imports (aliases, local imports, ``import a.b``).
Three bindings it does not follow are added here, each narrowly:

* ``K = keras.backend``: a name whose every assignment is a plain alias of a Keras path;
* ``from keras.backend import *``: a free name that the star-imported standalone module has;
* nothing else: attribute access on objects (``self.keras``) is never guessed.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

import libcst as cst
from libcst.metadata import Assignment, BaseAssignment, QualifiedNameSource, Scope

from migrate_session import api_tables
from migrate_session.rule import Ref
from migrate_session.syntax import bound_name, dotted_chain, is_dynamic_keras_import, module_name
from migrate_session.targets import Target, canonical, is_keras_or_tf, is_standalone, is_tensorflow

STDLIB = frozenset(getattr(sys, "stdlib_module_names", ()))  # Python >= 3.10; none known before
# Method names only Keras 2 has: a module that calls them works on Keras objects, even when they
# come from the project's own modules (`from model import model`).
KERAS_2_METHODS = frozenset({
    "fit_generator", "evaluate_generator", "predict_generator", "predict_classes", "predict_proba",
    "_make_predict_function",
})

SOURCE_ENV = api_tables.SOURCE_ENV  # where the standalone Keras of the input code was measured


@dataclass
class ModuleFacts(cst.CSTVisitor):
    """One cheap pass before the migration: is there standalone Keras here at all, and where.

    ``ModuleFacts.of(module)`` gathers them with ``walk``; being a visitor, it also works
    with ``module.visit`` (the test compares the two).
    """

    standalone_imports: int = 0
    star_modules: list[str] = field(default_factory=list)
    aliases: dict[cst.Name, cst.BaseExpression] = field(default_factory=dict)
    import_lines: dict[cst.CSTNode, cst.SimpleStatementLine] = field(default_factory=dict)
    dynamic_imports: list[cst.Call] = field(default_factory=list)
    tf_aliases: list[str] = field(default_factory=list)  # names bound by `import tensorflow`
    exported: set[str] = field(default_factory=set)  # names listed in `__all__`: in use
    bound: set[str] = field(default_factory=set)  # names bound to Keras or TF somewhere (see of)
    relevant: set[int] = field(default_factory=set)  # ids of the nodes the migration must visit
    functions: set[str] = field(default_factory=set)  # names of the functions and methods defined here
    identifiers: set[str] = field(default_factory=set)  # every name and attribute name written here
    parents: dict[int, cst.CSTNode] = field(default_factory=dict)  # id(node) -> its parent
    values: dict[cst.Name, cst.BaseExpression] = field(default_factory=dict)  # `name = value`, by target
    local_stars: int = 0  # star imports of the project's own modules

    def __post_init__(self) -> None:
        super().__init__()

    @classmethod
    def of(cls, module: cst.Module, attribute_names: frozenset[str] = frozenset()) -> ModuleFacts:
        """The facts, and which nodes hold something the migration acts on (``relevant``):
        imports, names an import or alias binds (every name, under a star import), dynamic
        imports, ``x.NAME`` for the given attribute names, and all their ancestors."""
        facts = cls()
        hooks: dict[type[cst.CSTNode], Callable[[Any], None]] = {  # each takes nodes of its kind
            cst.SimpleStatementLine: facts.visit_SimpleStatementLine,
            cst.Import: facts.visit_Import,
            cst.ImportFrom: facts.visit_ImportFrom,
            cst.Assign: facts.visit_Assign,
            cst.FunctionDef: facts.visit_FunctionDef,
            cst.AugAssign: facts.visit_AugAssign,
            cst.Call: facts.visit_Call,
        }
        parents = facts.parents
        names: list[cst.Name] = []
        leaves: list[cst.CSTNode] = []
        for node in walk(module, parents):
            kind = type(node)
            if kind is cst.Name:
                names.append(cast(cst.Name, node))  # kind is type(node)
            elif kind is cst.Import or kind is cst.ImportFrom:
                leaves.append(node)
            hook = hooks.get(kind)
            if hook is not None:
                hook(node)
        facts.identifiers = {name.value for name in names}
        facts._bind_aliases()
        every_name = bool(facts.star_modules)
        leaves += facts.dynamic_imports
        tf_by_star = "tf" if facts.local_stars else None
        leaves += (n for n in names if every_name or n.value in facts.bound or n.value in attribute_names
                   or n.value == tf_by_star)
        for leaf in leaves:
            facts.make_relevant(leaf)
        return facts

    def make_relevant(self, node: cst.CSTNode | None) -> None:
        """Have the migration visit ``node`` (and so its ancestors)."""
        while node is not None and id(node) not in self.relevant:
            self.relevant.add(id(node))
            node = self.parents.get(id(node))

    def _bind_aliases(self) -> None:
        """``K = keras.backend``, ``K2 = K``: alias names bind Keras too, in any order."""
        changed = True
        while changed:
            changed = False
            for target, value in self.aliases.items():
                chain = dotted_chain(value)
                if chain and chain[0].value in self.bound and target.value not in self.bound:
                    self.bound.add(target.value)
                    changed = True

    @property
    def in_scope(self) -> bool:
        """Standalone Keras is imported here, or its objects come from the project's own modules
        and are used in ways only Keras 2 has (``model.fit_generator``)."""
        return bool(self.standalone_imports or self.dynamic_imports or self.identifiers & KERAS_2_METHODS)

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        for small in node.body:
            if isinstance(small, (cst.Import, cst.ImportFrom)):
                self.import_lines[small] = node

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            if is_keras_or_tf(alias.evaluated_name):
                self.bound.add(bound_name(alias))
            name = module_name(alias.name)
            if is_standalone(name):
                self.standalone_imports += 1
            elif name == "tensorflow":
                self.tf_aliases.append(alias.evaluated_alias or "tensorflow")

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None:
            return
        module = module_name(node.module)
        if is_keras_or_tf(module) and not isinstance(node.names, cst.ImportStar):
            self.bound.update(map(bound_name, node.names))
        if module == "keras" or is_standalone(module):
            self.standalone_imports += 1
            if isinstance(node.names, cst.ImportStar):
                self.star_modules.append(module)
        elif isinstance(node.names, cst.ImportStar) and not is_tensorflow(module) and module.partition(".")[0] not in STDLIB:
            self.local_stars += 1

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.add(node.name.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        single = node.targets[0].target if len(node.targets) == 1 else None
        if isinstance(single, cst.Name):
            self.values[single] = node.value
            if isinstance(node.value, (cst.Name, cst.Attribute)):
                self.aliases[single] = node.value
        if any(isinstance(t.target, cst.Name) and t.target.value == "__all__" for t in node.targets):
            self._export(node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Name) and node.target.value == "__all__":
            self._export(node.value)

    def _export(self, value: cst.BaseExpression) -> None:
        if isinstance(value, (cst.List, cst.Tuple, cst.Set)):
            for element in value.elements:
                literal = element.value
                if isinstance(literal, cst.SimpleString) and isinstance(literal.evaluated_value, str):
                    self.exported.add(literal.evaluated_value)  # (a bytes literal exports nothing)

    def visit_Call(self, node: cst.Call) -> None:
        if is_dynamic_keras_import(node):
            self.dynamic_imports.append(node)


_TRIVIA = (
    cst.BaseParenthesizableWhitespace, cst.EmptyLine, cst.TrailingWhitespace, cst.Newline,
    cst.Comment, cst.Comma, cst.Dot, cst.Colon, cst.Semicolon, cst.AssignEqual, cst.ImportStar,
    cst.LeftParen, cst.RightParen, cst.LeftSquareBracket, cst.RightSquareBracket,
    cst.LeftCurlyBrace, cst.RightCurlyBrace, cst.BaseBinaryOp, cst.BaseBooleanOp,
    cst.BaseCompOp, cst.BaseUnaryOp, cst.BaseAugOp,
)
_FIELDS: dict[type, tuple[str, ...]] = {}


def walk(root: cst.CSTNode, parents: dict[int, cst.CSTNode] | None = None) -> Iterator[cst.CSTNode]:
    """Every node under ``root`` but whitespace and punctuation, parents first.

    ``parents``, when given, is filled with ``id(child) -> parent``.

    A libcst visitor rebuilds each node it passes (about the cost of parsing the module); this
    only reads the dataclass fields. Kinds are decided once per type: ``isinstance`` against
    libcst's abstract classes is slow enough to show in a profile.
    """
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        children: list[cst.CSTNode] = []
        fields = _CHILD_FIELDS.get(type(node))
        for name in _child_fields(type(node)) if fields is None else fields:
            value = getattr(node, name)
            kind = type(value)
            if kind is list or kind is tuple:
                children.extend(v for v in value if _WANTED.get(type(v), None) or _wanted(type(v)))
            elif _WANTED.get(kind, None) or _wanted(kind):
                children.append(value)
        if parents is not None:
            for child in children:
                parents[id(child)] = node
        stack.extend(reversed(children))


_WANTED: dict[type, bool] = {}


def _wanted(kind: type) -> bool:
    _WANTED[kind] = issubclass(kind, cst.CSTNode) and not issubclass(kind, _TRIVIA)
    return _WANTED[kind]


# Fields that only ever hold whitespace, punctuation or operators: `walk` does not look in them.
_TRIVIA_FIELDS = frozenset({
    "lpar", "rpar", "comma", "semicolon", "leading_lines", "trailing_whitespace", "header", "footer",
    "lbracket", "rbracket", "lbrace", "rbrace", "equal", "colon", "dot", "operator", "newline",
    "lines_after_decorators", "relative", "empty_lines", "first_line", "last_line", "indent",
})
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(kind: type) -> tuple[str, ...]:
    found = tuple(
        name for name in fields_of(kind) if name not in _TRIVIA_FIELDS and not name.startswith("whitespace")
    )
    _CHILD_FIELDS[kind] = found
    return found


def fields_of(kind: type) -> tuple[str, ...]:
    """The dataclass fields of a libcst node kind, by name (cached)."""
    _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return _FIELDS[kind]


class Resolver:
    def __init__(self, facts: ModuleFacts, scope_of: Callable[[cst.CSTNode], Scope | None], target: Target) -> None:
        self.facts = facts
        self._scope_of = scope_of
        self._target = target
        self._resolved: dict[cst.CSTNode, Ref | None] = {}  # several rules ask of the same node

    def qualified_names(self, node: cst.CSTNode) -> list[str]:
        """What QualifiedNameProvider would say, asked of the scope only for the names we need."""
        scope = self._scope_of(node)
        names = scope.get_qualified_names_for(node) if scope is not None else ()
        return sorted(q.name for q in names if q.source is QualifiedNameSource.IMPORT)

    def resolve(self, node: cst.Name | cst.Attribute) -> Ref | None:
        if node not in self._resolved:
            self._resolved[node] = self._resolve(node)
        return self._resolved[node]

    def _resolve(self, node: cst.Name | cst.Attribute) -> Ref | None:
        chain = dotted_chain(node)
        if chain is None:
            return None
        base, attrs = chain
        base_name = self._base_binding(base)
        if base_name is None:
            return None
        qualified = ".".join([base_name, *attrs])
        return Ref(
            node=node,
            qualified=qualified,
            canonical=canonical(qualified),
            rebound=".".join([self._target.rebind(base_name), *attrs]),
            base=base,
            binding=base_name,
        )

    def _base_binding(self, base: cst.Name, depth: int = 0) -> str | None:
        if base in self.facts.aliases:  # the target of `K = keras.backend` is not a use
            return None
        if base.value not in self.facts.bound:  # no import or alias binds it: only a star can
            return self._from_star(base)
        names = [q for q in self.qualified_names(base) if is_keras_or_tf(q)]
        standalone = [q for q in names if is_standalone(q)]
        if standalone:  # a run-time switch between Kerases resolves to both; both move
            return standalone[0]
        if names:
            return names[0]
        if depth < 3:
            aliased = self._alias_of(base, depth)
            if aliased:
                return aliased
        return self._from_star(base)

    def assignments(self, name: cst.Name) -> Collection[BaseAssignment] | None:
        """What binds ``name`` where it is used (None: nothing in scope does)."""
        scope = self._scope_of(name)
        if scope is None or name.value not in scope:
            return None
        return scope[name.value]

    def _alias_of(self, base: cst.Name, depth: int) -> str | None:
        assignments = self.assignments(base)
        if not assignments:
            return None
        bound = set()
        for assignment in assignments:
            if not isinstance(assignment, Assignment) or not isinstance(assignment.node, cst.Name):
                return None
            value = self.facts.aliases.get(assignment.node)
            if value is None:
                return None
            chain = dotted_chain(value)
            if chain is None:
                return None
            target = self._base_binding(chain[0], depth + 1)
            if target is None or not is_standalone(target):
                return None
            bound.add(".".join([target, *chain[1]]))
        return bound.pop() if len(bound) == 1 else None

    def _from_star(self, base: cst.Name) -> str | None:
        tf_by_star = bool(self.facts.local_stars) and base.value == "tf"
        if not (self.facts.star_modules or tf_by_star) or self.assignments(base) is not None:
            return None
        for module in self.facts.star_modules:
            if api_tables.has_name(SOURCE_ENV, module, base.value):
                return f"{module}.{base.value}"
        if tf_by_star:  # `from models import *` handing over `tf`: TensorFlow by every convention
            return "tensorflow"
        return None
