"""One pass over a module that runs every rule, sharing one scope analysis.

Running each rule as its own codemod would re-resolve scopes once per rule; instead the rules
are visitors dispatched from this one transformer (the way Fixit batches lint rules). It knows
no rule: it calls the ``visit_<Kind>``/``leave_<Kind>``/``visit_Reference`` methods a rule
declares (see ``migrate_session.rule``), applies the edits rules schedule, and keeps the
module's books: which imports lost their last use, which findings are about code that is gone.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol, cast

import libcst as cst
from libcst.metadata import Assignment, ImportAssignment, Scope

from migrate_session import import_edits, positions, project, scopes, statement_edits
from migrate_session.findings import Finding
from migrate_session.import_plan import ImportPlan
from migrate_session.resolve import ModuleFacts, Resolver, walk
from migrate_session.rule import Edit, NodeT, Ref, Replacement, Rule, T
from migrate_session.rules import all_rules
from migrate_session.syntax import STATEMENTS, Statement, bound_name
from migrate_session.targets import Target
from migrate_session.targets import target as target_named

_IMPORTS = (cst.Import, cst.ImportFrom)
_BLOCKS = (cst.Module, cst.IndentedBlock)

# The hooks of the rules, called with nodes of the kind they are named after.
VisitHook = Callable[[Any], None]
ReferenceHook = Callable[[Ref], None]


class LeaveHook(Protocol):
    __self__: Rule  # a bound method of the rule

    def __call__(self, original: Any, updated: Any, /) -> Replacement: ...


EditFunction = Callable[[Any], Replacement]  # an edit function as the engine calls it


@dataclass(frozen=True)
class MigratedModule:
    module: cst.Module
    findings: list[Finding]
    # Comments gone with code a rule removes on purpose (a dead branch): rule id -> comments.
    dropped_comments: dict[str, list[str]]


class ModuleContext:
    """The narrow view of the migration a rule gets (``migrate_session.rule.Context``)."""

    def __init__(self, migration: Migration) -> None:
        self._m = migration
        self.target: Target = migration.target
        self.imports: ImportPlan = migration.imports

    def resolve(self, node: cst.CSTNode) -> Ref | None:
        if isinstance(node, (cst.Name, cst.Attribute)):
            return self._m.resolver.resolve(node)
        return None

    def canonical(self, node: cst.CSTNode) -> str | None:
        ref = self.resolve(node)
        return ref.canonical if ref else None

    @property
    def ancestors(self) -> Sequence[cst.CSTNode]:
        return [node for node, _ in self._m.stack[:-1]]

    def scope(self, node: cst.CSTNode) -> Scope | None:
        return self._m.scope_of(node)

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self._m.facts.parents.get(id(node))

    def defines(self, function: str) -> bool:
        return function in self._m.facts.functions

    def mentions(self, identifier: str) -> bool:
        return identifier in self._m.facts.identifiers

    def exported(self, name: str) -> bool:
        return project.in_use(name, self._m.facts.exported)

    def shared(self, key: Hashable, compute: Callable[[], T]) -> T:
        shared = self._m.shared
        if key not in shared:
            shared[key] = compute()
        return cast(T, shared[key])

    def assigned_value(self, name: cst.Name) -> cst.BaseExpression | None:
        values = self.assigned_values(name)
        return values[0] if values is not None and len(values) == 1 else None

    def assigned_values(self, name: cst.Name) -> tuple[cst.BaseExpression, ...] | None:
        values: list[cst.BaseExpression] = []
        for assignment in self._m.resolver.assignments(name) or ():
            value = (self._m.facts.values.get(assignment.node)
                     if isinstance(assignment, Assignment) and isinstance(assignment.node, cst.Name) else None)
            if value is None:
                return None
            values.append(value)
        return tuple(values) or None

    def edit(self, original: NodeT, edit: Edit[NodeT], *, by: Rule) -> None:
        earlier = self._m.edits.get(original)
        if earlier is not None:
            if not (callable(earlier) and callable(edit)):
                raise RuntimeError(f"{by.id} edits a {type(original).__name__} node another rule replaces")
            first: EditFunction = earlier
            then: EditFunction = edit
            edit = lambda updated: then(first(updated))  # composed in rule order
        self._m.edits[original] = edit
        self._m.editors.setdefault(original, by)
        self._m.facts.make_relevant(original)

    def is_edited(self, original: cst.CSTNode) -> bool:
        return original in self._m.edits

    def statements(self, code: str) -> list[Statement]:
        config = self._m.config
        indent = cast(str, config.default_indent)  # the config of a parsed module has its indent
        if indent != "    ":
            code = "\n".join(_reindent(line, indent) for line in code.split("\n"))
        return list(cst.parse_module(code, config=config).body)

    def report(self, rule: Rule, node: cst.CSTNode, message: str) -> None:
        if not self._m.removed_before(node, rule):
            self._m.reports.append((node, rule.id, message, rule.severity))


def _reindent(line: str, indent: str) -> str:
    stripped = line.lstrip(" ")
    return indent * ((len(line) - len(stripped)) // 4) + stripped


class Migration(cst.CSTTransformer):
    """A plain transformer: libcst's matcher-decorator machinery costs ~25 ms a file and is unused."""

    def __init__(
        self, path: str, target: Target, facts: ModuleFacts,
        scope_map: Mapping[cst.CSTNode, Scope | None], config: cst.PartialParserConfig,
    ) -> None:
        super().__init__()
        self.path = path
        self.target = target
        self.facts = facts
        self.config = config
        self.scope_of: Callable[[cst.CSTNode], Scope | None] = scope_map.get
        self.resolver = Resolver(facts, self.scope_of, target)
        self.imports = ImportPlan(self.scope_of, facts.import_lines, self.resolver.assignments, facts.tf_aliases)
        self.reports: list[tuple[cst.CSTNode, str, str, str]] = []  # node, rule id, message, severity
        self.edits: dict[cst.CSTNode, Edit[Any]] = {}
        self.stack: list[tuple[cst.CSTNode, int]] = []  # visited ancestors, with len(reports) then
        self.dropped_comments: dict[str, list[str]] = {}
        self.editors: dict[cst.CSTNode, Rule] = {}  # node -> the rule that edits it
        self._inner: set[cst.CSTNode] = set()  # attribute bases: only whole chains are references
        self._in_import = 0
        self._skipped: set[int] = set()  # nodes passed over whole: nothing in them concerns us
        self._gone: set[cst.Name] = set()  # accesses the migrated module no longer has
        self._origin: dict[cst.Name, cst.Name] = {}  # migrated Name -> the Name it was parsed as
        self._result_of: dict[cst.CSTNode, Replacement] = {}  # visited node -> what it became
        # changed node -> its result, by whom
        self._changed: dict[cst.CSTNode, tuple[Replacement, Rule | None]] = {}
        self._imports_after: dict[cst.CSTNode, Replacement] = {}  # original import -> what replaced it
        self.shared: dict[Hashable, object] = {}  # ModuleContext.shared's values
        rules = [rule_class(ModuleContext(self)) for rule_class in all_rules()]
        self._visits, self._leaves, self._references = _dispatch(rules)

    # --- traversal ------------------------------------------------------------------------
    def on_visit(self, node: cst.CSTNode) -> bool:
        if id(node) not in self.facts.relevant and node not in self.edits:
            self._skipped.add(id(node))  # neither visited nor rebuilt
            return False
        self.stack.append((node, len(self.reports)))
        kind = type(node)
        for hook in self._visits.get(kind, ()):
            hook(node)
        edit = self.edits.get(node)
        if edit is not None and not callable(edit):
            return False  # replaced whole: nothing inside it is migrated or reported
        if isinstance(node, cst.Attribute):
            self._inner.add(node.value)
        elif kind in _IMPORTS:
            self._in_import += 1
        return True

    # libcst declares that a node is replaced by one of its kind; it takes any node at run time,
    # and rules replace a Name by an Attribute, a Call by a Name.
    def on_leave(self, original: cst.CSTNode, updated: cst.CSTNode) -> Replacement:  # type: ignore[override]
        if id(original) in self._skipped:
            self._skipped.discard(id(original))
            return updated
        _, mark = self.stack[-1]
        kind = type(original)
        result: Replacement = updated
        changed_by: Rule | None = None
        for hook in self._leaves.get(kind, ()):
            before = result
            result = hook(original, result)
            if result is not before:
                changed_by = hook.__self__
            if type(result) is not kind:
                break
        if kind in _IMPORTS:
            self._in_import -= 1
            self._imports_after[original] = result
        elif isinstance(original, (cst.Name, cst.Attribute)):
            self._reference(original)
        edit = self.edits.pop(original, None)
        if edit is not None:
            result = self._apply(original, result, edit)
            changed_by = self.editors.pop(original)
        if result is not updated and kind not in _IMPORTS:
            self._account(original, result, mark, changed_by)
        self._result_of[original] = result
        if (
            isinstance(original, cst.Name) and original.value in self.facts.bound
            and isinstance(result, cst.Name)
        ):
            self._origin[result] = original
        result = self._finish_statement(original, result)
        self.stack.pop()
        return result

    def _reference(self, original: cst.Name | cst.Attribute) -> None:
        if self._in_import or original in self._inner or not self._references:
            return
        ref = self.resolver.resolve(original)
        if ref is not None:
            for hook in self._references:
                hook(ref)

    def _apply(self, original: cst.CSTNode, updated: Replacement, edit: Edit[Any]) -> Replacement:
        if callable(edit):
            return edit(updated)
        if isinstance(original, STATEMENTS):
            # One node for a statement is a statement (Context.edit).
            new = [cast(Statement, edit)] if isinstance(edit, cst.CSTNode) else list(edit)
            return statement_edits.replace_statement(original, new)
        if isinstance(edit, cst.CSTNode):
            return edit
        raise TypeError(f"statements given for a {type(original).__name__} node")  # libcst would raise

    def _finish_statement(self, original: cst.CSTNode, result: Replacement) -> Replacement:
        if isinstance(original, cst.SimpleStatementLine):
            if isinstance(result, cst.RemovalSentinel) or (
                isinstance(result, cst.SimpleStatementLine) and not result.body
            ):
                return statement_edits.removed_line(original)
            if isinstance(result, cst.SimpleStatementLine) and len(result.body) > len(original.body) == 1:
                result = cst.FlattenSentinel(statement_edits.split_line(result))
            extra = self.imports.after_line.get(original)
            if extra:
                items = list(result) if isinstance(result, cst.FlattenSentinel) else [result]
                return cst.FlattenSentinel([*items, *extra])
            return result
        if isinstance(original, _BLOCKS) and isinstance(result, _BLOCKS):
            return statement_edits.fold_placeholders(result)
        return result

    # --- books ----------------------------------------------------------------------------
    def _account(
        self, original: cst.CSTNode, result: Replacement, mark: int, changed_by: Rule | None
    ) -> None:
        """What a change of ``original`` removed: accesses of imports, findings, comments."""
        survivors = {self._origin.get(n, n) for n in _names(result)}
        for name in _names(original):
            if name.value in self.facts.bound and name not in survivors:
                self._gone.add(name)
        self._changed[original] = (result, changed_by)
        if len(self.reports) > mark:
            self._drop_findings_on_removed_code(original, result, mark, changed_by)
        if changed_by is not None and changed_by.DROPS_COMMENTS:
            lost = statement_edits.lost_comments(original, _as_nodes(result))
            if lost:
                self.dropped_comments.setdefault(changed_by.id, []).extend(lost)

    def _drop_findings_on_removed_code(
        self, original: cst.CSTNode, result: Replacement, mark: int, changed_by: Rule | None,
    ) -> None:
        """Findings about code a change removed go with it, but those of the rule that changed it."""
        present = {id(n) for item in _as_nodes(result) for n in walk(item)}
        kept = [
            report for report in self.reports[mark:]
            if report[0] is original
            or (changed_by is not None and report[1] == changed_by.id)
            or id(self._result_of.get(report[0], report[0])) in present
        ]
        del self.reports[mark:]  # only the tail: copying every report per change was quadratic
        self.reports.extend(kept)

    def removed_before(self, node: cst.CSTNode, rule: Rule) -> bool:
        """Whether a change already made removed ``node``, reported late (a rule reporting when it
        leaves the module, on an import in a branch another rule deleted): the same test as
        ``_drop_findings_on_removed_code``, for changes it can no longer see."""
        became = self._result_of.get(node, node)
        ancestor = self.facts.parents.get(id(node))
        while ancestor is not None:
            change = self._changed.get(ancestor)
            if change is not None:
                result, changed_by = change
                by_another = changed_by is None or changed_by.id != rule.id
                if by_another and all(n is not became for item in _as_nodes(result) for n in walk(item)):
                    return True
            ancestor = self.facts.parents.get(id(ancestor))
        return False

    def leave_Module_books(self, module: cst.Module) -> cst.Module:
        unused = self._unused_aliases()
        self._drop_findings_on_removed_imports(unused)
        module = import_edits.remove(module, unused)
        for statement in self.imports.module_imports:
            module = import_edits.add_module_import(module, statement)
        return module

    def _drop_findings_on_removed_imports(self, unused: dict[cst.CSTNode, set[str]]) -> None:
        """An import that loses its last use goes after every rule has reported: so do the
        findings on it ("moved to tf.keras", "this import fails"), whichever rule made them."""
        gone: set[int] = set()
        for original, after in self._imports_after.items():
            imports = [node for node in _as_nodes(after) if isinstance(node, _IMPORTS)]
            removed = set().union(*(unused.get(node, ()) for node in imports))
            if not removed or not isinstance(original, _IMPORTS) or isinstance(original.names, cst.ImportStar):
                continue
            gone.update(id(alias) for alias in original.names if bound_name(alias) in removed)
            if all(_bound_names(node) <= unused.get(node, set()) for node in imports):
                gone.add(id(original))
        if gone:
            self.reports = [report for report in self.reports if not self._within(report[0], gone)]

    def _within(self, node: cst.CSTNode | None, ids: set[int]) -> bool:
        while node is not None:
            if id(node) in ids:
                return True
            node = self.facts.parents.get(id(node))
        return False

    def _unused_aliases(self) -> dict[cst.CSTNode, set[str]]:
        """The imports (as migrated) and names in them that nothing uses any more."""
        in_use = self.facts.exported | self.imports.written
        candidates: dict[ImportAssignment, None] = {}
        for name in self._gone:
            for assignment in self.resolver.assignments(name) or ():
                if not isinstance(assignment, ImportAssignment):
                    continue
                imported = assignment.node
                if isinstance(imported, _IMPORTS) and not isinstance(imported.names, cst.ImportStar):
                    candidates[assignment] = None
        aliases: dict[cst.CSTNode, set[str]] = {}
        for assignment in candidates:
            if not import_edits.unused(assignment, self._gone, in_use):
                continue
            after = self._imports_after.get(assignment.node)
            for node in after if isinstance(after, cst.FlattenSentinel) else [after]:
                if isinstance(node, _IMPORTS):
                    aliases.setdefault(node, set()).add(assignment.name)
        return aliases

    def findings(self, module: cst.Module) -> list[Finding]:
        """The reports, placed in ``module`` (the tree as parsed) and sorted."""
        where = positions.starts(module, (node for node, *_ in self.reports))
        return sorted({
            Finding(self.path, where[node].line, where[node].column + 1, rule_id, severity, message)
            for node, rule_id, message, severity in self.reports
        })


def _bound_names(node: cst.Import | cst.ImportFrom) -> set[str]:
    return set() if isinstance(node.names, cst.ImportStar) else {bound_name(alias) for alias in node.names}


def _names(node: Replacement) -> list[cst.Name]:
    return [n for item in _as_nodes(node) for n in walk(item) if type(n) is cst.Name]


def _as_nodes(result: Replacement) -> list[cst.CSTNode]:
    if isinstance(result, cst.FlattenSentinel):
        return list(result.nodes)
    if isinstance(result, cst.CSTNode):
        return [result]
    return []


def _dispatch(
    rules: list[Rule],
) -> tuple[dict[type, list[VisitHook]], dict[type, list[LeaveHook]], list[ReferenceHook]]:
    visits: dict[type, list[VisitHook]] = {}
    leaves: dict[type, list[LeaveHook]] = {}
    references: list[ReferenceHook] = []
    for rule in rules:
        for name in type(rule).hooks():
            method = getattr(rule, name)
            if name == "visit_Reference":
                references.append(method)
                continue
            prefix, _, kind = name.partition("_")
            (visits if prefix == "visit" else leaves).setdefault(node_kind(kind), []).append(method)
    return visits, leaves, references


@cache
def node_kind(name: str) -> type:
    kind = getattr(cst, name, None)
    if not (isinstance(kind, type) and issubclass(kind, cst.CSTNode)):
        raise TypeError(f"{name!r} is not a libcst node kind (a rule hook is misnamed)")
    return kind


@cache
def _attribute_names() -> frozenset[str]:
    """Asked at the first migration, not at import: rules may import libcst.matchers (0.27 s)."""
    return frozenset().union(*(rule.ATTRIBUTES for rule in all_rules()))


def migrate_module(module: cst.Module, target: str, path: str, imported: frozenset[str] = frozenset()) -> MigratedModule:
    """Run every rule over a freshly parsed module (it is not copied: do not reuse it).
    ``imported``: names other modules import from it, in use as those in ``__all__`` are."""
    facts = ModuleFacts.of(module, _attribute_names())
    facts.exported |= imported
    if not facts.in_scope:
        return MigratedModule(module, [], {})
    migration = Migration(
        path, target_named(target), facts, scopes.scopes(module, facts.parents), module.config_for_parsing,
    )
    tree = module.visit(migration)
    if migration.edits:  # a rule edited a node after the engine had passed it: a bug, never silent
        lost = ", ".join(sorted({f"{editor.id} on {type(node).__name__}" for node, editor in migration.editors.items()
                                 if node in migration.edits}))
        raise RuntimeError(f"edits never applied: {lost}")
    tree = migration.leave_Module_books(tree)
    return MigratedModule(tree, migration.findings(module), migration.dropped_comments)
