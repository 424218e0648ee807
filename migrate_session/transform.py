"""One pass over a module that runs every rule, sharing one metadata resolution.

Running each rule as its own codemod would re-resolve scopes once per rule; instead the rules
are hooks on this transformer (the way Fixit batches lint rules). The one decision shared by
all references lives here: a standalone-Keras name keeps its spelling when the moved import
makes it mean the same tf.keras name in every environment of the target, and is otherwise
spelled in full for the target by the rule that owns it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import libcst as cst
from libcst.metadata import ImportAssignment, ScopeProvider

from migrate_session import import_edits, positions, scopes, targets
from migrate_session.findings import Finding
from migrate_session.resolve import ModuleFacts, Ref, Resolver
from migrate_session.rules import all_rules
from migrate_session.targets import Spelling


class Migration(cst.CSTTransformer):
    """A plain transformer: libcst's matcher-decorator machinery costs ~25 ms a file and is unused."""

    METADATA_DEPENDENCIES = (ScopeProvider,)

    def __init__(self, path: str, target: str, facts: ModuleFacts) -> None:
        super().__init__()
        self.path = path
        self.target = target
        self.facts = facts
        self.rules = all_rules()
        self.reports: list[tuple[cst.CSTNode, str, str, str]] = []  # node, rule, message, severity
        self.resolver = Resolver(facts, self.get_metadata)
        self.ancestors: list[cst.CSTNode] = []  # classes, functions, lambdas, calls around us
        self._inner: set[cst.CSTNode] = set()  # attribute bases: only whole chains are refs
        self._in_import = 0
        self._replace: dict[cst.CSTNode, Sequence[cst.BaseStatement]] = {}
        self._insert_after: dict[cst.CSTNode, list[cst.BaseStatement]] = {}
        self._tf_added: dict[object, str] = {}  # scope -> alias imported there
        self._blocks: list[dict[str, set[str]]] = []  # per open block: import -> lines it came from
        self._gone: set[cst.Name] = set()  # accesses the migrated module no longer has
        self._maybe_unused: dict[ImportAssignment, None] = {}  # imports that lost an access
        self._imports_after: dict[cst.CSTNode, object] = {}  # original import -> what replaced it
        self._written_uses: set[str] = set()  # tensorflow aliases the new code uses
        self._module_import: str | None = None  # `import tensorflow as tf`, when the module needs it
        self._skipped: set[int] = set()  # nodes passed over whole: nothing in them concerns us
        self._replaced_depth = 0  # inside a statement a rule has replaced: its parts say nothing

    # --- services for rules ---------------------------------------------------------------
    def report(self, node: cst.CSTNode, rule_id: str, message: str, severity: str) -> None:
        if self._replaced_depth:
            return
        self.reports.append((node, rule_id, message, severity))

    def findings(self, module: cst.Module) -> list[Finding]:
        """The reports, placed in ``module`` (the tree as parsed) and sorted."""
        where = positions.starts(module, (node for node, *_ in self.reports))
        return sorted({
            Finding(self.path, where[node].line, where[node].column + 1, rule_id, severity, message)
            for node, rule_id, message, severity in self.reports
        })

    def reference(self, node: cst.CSTNode) -> Ref | None:
        if isinstance(node, (cst.Name, cst.Attribute)):
            return self.resolver.resolve(node)
        return None

    def canonical(self, node: cst.CSTNode) -> str | None:
        ref = self.reference(node)
        return ref.canonical if ref else None

    def is_replaced(self, original: cst.CSTNode) -> bool:
        return original in self._replace

    def replace_statement(self, original: cst.CSTNode, new: Sequence[cst.BaseStatement]) -> None:
        self._replace[original] = new

    def tf_alias(self, at: cst.CSTNode, binding_base: cst.Name | None = None) -> str:
        """A name for the tensorflow module usable at ``at``, importing it if needed.

        The import goes where the Keras binding it replaces was imported: at the top of the
        module, or beside a function-local import (lazy imports stay lazy).
        """
        alias = self._tf_alias(at, binding_base)
        self._written_uses.add(alias)
        return alias

    def _tf_alias(self, at: cst.CSTNode, binding_base: cst.Name | None) -> str:
        scope = self.get_metadata(ScopeProvider, at, None)
        for alias in dict.fromkeys(("tf", *self.facts.tf_aliases, *self._tf_added.values())):
            if scope is not None and alias in scope and self._binds_tensorflow(scope[alias]):
                return alias
        local_line = self._local_import_line(binding_base)
        key = local_line if local_line is not None else "module"
        if key in self._tf_added:
            return self._tf_added[key]
        alias = "tf"
        if scope is not None and "tf" in scope:  # `tf` means something else here
            alias = "tensorflow"
        text = "import tensorflow" if alias == "tensorflow" else f"import tensorflow as {alias}"
        if local_line is None:
            self._module_import = text
        else:
            self._insert_after.setdefault(local_line, []).append(cst.parse_statement(text))
        self._tf_added[key] = alias
        return alias

    def spelled(self, ref: Ref, spelling: Spelling) -> cst.BaseExpression:
        alias = self.tf_alias(ref.node, ref.base)
        self.forget_binding(ref)
        return cst.parse_expression(spelling.text(alias))

    def forget_binding(self, ref: Ref) -> None:
        """The reference no longer goes through its import: drop the import if now unused."""
        self._gone.add(ref.base)
        for assignment in self._import_assignments(ref.base):
            if not isinstance(assignment.node.names, cst.ImportStar):
                self._maybe_unused[assignment] = None

    # --- helpers --------------------------------------------------------------------------
    def _import_assignments(self, base: cst.Name | None) -> list[ImportAssignment]:
        if base is None:
            return []
        assignments = self.resolver.assignments(base) or ()
        return [a for a in assignments if isinstance(a, ImportAssignment)]

    def _local_import_line(self, base: cst.Name | None) -> cst.SimpleStatementLine | None:
        for assignment in self._import_assignments(base):
            if not isinstance(assignment.scope, cst.metadata.GlobalScope):
                return self.facts.import_lines.get(assignment.node)
        return None

    @staticmethod
    def _binds_tensorflow(assignments) -> bool:
        for assignment in assignments:
            if not isinstance(assignment, ImportAssignment):
                return False
            node = assignment.node
            if isinstance(node, cst.Import) and any(
                cst.Module([]).code_for_node(a.name) == "tensorflow" for a in node.names
            ):
                continue
            return False
        return bool(assignments)

    # --- traversal ------------------------------------------------------------------------
    def on_visit(self, node: cst.CSTNode) -> bool:
        """Pass over (neither visit nor rebuild) what holds nothing a rule acts on."""
        if id(node) not in self.facts.relevant and node not in self._replace:
            self._skipped.add(id(node))
            return False
        return super().on_visit(node)

    def on_leave(self, original, updated):
        if id(original) in self._skipped:
            return updated
        return super().on_leave(original, updated)

    def visit_Module(self, node: cst.Module) -> None:
        self._visit_block(node.body)

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._visit_block(node.body)

    def _visit_block(self, body: Sequence[cst.BaseStatement]) -> None:
        self._blocks.append({})
        for rule in self.rules:
            rule.visit_block(self, tuple(body))

    def leave_IndentedBlock(self, original, updated):
        self._blocks.pop()
        if not updated.body:
            return updated.with_changes(body=[cst.SimpleStatementLine(body=[cst.Pass()])])
        return updated

    def leave_Module(self, original, updated):
        self._blocks.pop()
        updated = import_edits.remove(updated, self._unused_aliases())
        if self._module_import:
            updated = import_edits.add_module_import(updated, self._module_import)
        return updated

    def _unused_aliases(self) -> dict[cst.CSTNode, set[str]]:
        """The imports (as migrated) and names in them that nothing uses any more."""
        aliases: dict[cst.CSTNode, set[str]] = {}
        for assignment in self._maybe_unused:
            in_use = self.facts.exported | self._written_uses
            if not import_edits.unused(assignment, self._gone, in_use):
                continue
            after = self._imports_after.get(assignment.node)
            for node in after if isinstance(after, cst.FlattenSentinel) else [after]:
                if isinstance(node, (cst.Import, cst.ImportFrom)):
                    aliases.setdefault(node, set()).add(assignment.name)
        return aliases

    def visit_ClassDef(self, node) -> None:
        self.ancestors.append(node)

    def leave_ClassDef(self, original, updated):
        self.ancestors.pop()
        return updated

    def visit_FunctionDef(self, node) -> None:
        self.ancestors.append(node)

    def leave_FunctionDef(self, original, updated):
        self.ancestors.pop()
        return updated

    def visit_Lambda(self, node) -> None:
        self.ancestors.append(node)

    def leave_Lambda(self, original, updated):
        self.ancestors.pop()
        return updated

    def visit_Call(self, node: cst.Call) -> None:
        self.ancestors.append(node)
        for rule in self.rules:
            rule.visit_Call(self, node)

    def leave_Call(self, original, updated):
        self.ancestors.pop()
        return updated

    def visit_Import(self, node) -> None:
        self._in_import += 1

    def visit_ImportFrom(self, node) -> None:
        self._in_import += 1

    def leave_Import(self, original, updated):
        self._in_import -= 1
        for rule in self.rules:
            updated = rule.leave_Import(self, original, updated)
        self._imports_after[original] = updated
        return updated

    def leave_ImportFrom(self, original, updated):
        self._in_import -= 1
        for rule in self.rules:
            updated = rule.leave_ImportFrom(self, original, updated)
        self._imports_after[original] = updated
        return updated

    def visit_If(self, node) -> None:
        self.ancestors.append(node)

    def leave_If(self, original, updated):
        self.ancestors.pop()
        result = updated
        for rule in self.rules:
            if not isinstance(result, cst.If):
                break
            result = rule.leave_If(self, original, result)
        if result is not updated:  # a branch was dropped, and the accesses in it
            self._gone |= import_edits.names_in([updated]) - import_edits.names_in([result])
        return result

    def visit_SimpleStatementLine(self, node) -> None:
        if node in self._replace:
            self._replaced_depth += 1

    def leave_SimpleStatementLine(self, original, updated):
        if original in self._replace:
            self._replaced_depth -= 1
            new = self._replace[original]
            self._gone |= import_edits.names_in([original]) - import_edits.names_in(new)
            if not new:
                return cst.RemoveFromParent()
            first = new[0].with_changes(leading_lines=original.leading_lines)
            return cst.FlattenSentinel([first, *new[1:]])
        if not updated.body:
            return cst.RemoveFromParent()
        if self._is_repeated_import(original, updated):
            return cst.RemoveFromParent()
        extra = self._insert_after.get(original)
        return cst.FlattenSentinel([updated, *extra]) if extra else updated

    def _is_repeated_import(self, original: cst.SimpleStatementLine, line: cst.SimpleStatementLine) -> bool:
        """`import keras` and `import keras.backend` both become `from tensorflow import keras`.

        A line is dropped only when a different original line became the same import; an
        import the user wrote twice stays twice.
        """
        if len(line.body) != 1 or not isinstance(line.body[0], (cst.Import, cst.ImportFrom)):
            return False
        code, was = _code(line.body[0]), _code(original.body[0])
        seen = self._blocks[-1].setdefault(code, set()) if self._blocks else set()
        if seen and was not in seen:
            return True
        seen.add(was)
        return False

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._inner.add(node.value)

    def leave_Attribute(self, original, updated):
        return self._reference(original, updated)

    def leave_Name(self, original, updated):
        return self._reference(original, updated)

    def _reference(self, original, updated):
        if self._in_import or self._replaced_depth or original in self._inner:
            return updated
        ref = self.resolver.resolve(original)
        if ref is None:
            return updated
        if ref.standalone or ref.canonical != ref.qualified:
            rebound_ok = targets.exists_in(self.target, ref.rebound)
        else:  # plain TensorFlow: only spelled again when the target lacks it
            rebound_ok = targets.exists_in(self.target, ref.qualified)
        spelling = None if rebound_ok else targets.spell(self.target, ref.canonical)
        for rule in self.rules:
            if rule.owns(ref.canonical):
                replacement = rule.on_reference(self, ref, spelling, rebound_ok)
                if replacement is not None:
                    updated = replacement
        return updated


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


@cache
def _attribute_names() -> frozenset[str]:
    """Asked at the first migration, not at import: the rules import libcst.matchers (0.27 s)."""
    return frozenset().union(*(rule.attribute_names for rule in all_rules()))


def migrate_module(module: cst.Module, target: str, path: str) -> tuple[cst.Module, list[Finding]]:
    """Run every rule over a freshly parsed module (it is not copied: do not reuse it)."""
    facts = ModuleFacts.of(module, _attribute_names())
    if not facts.in_scope:
        return module, []
    migration = Migration(path, target, facts)
    # What MetadataWrapper.visit would do, minus its copy of the tree (the facts point at
    # nodes of `module`) and its batched traversals (see scopes.py).
    migration.metadata = {ScopeProvider: scopes.scopes(module)}
    tree = module.visit(migration)
    return tree, migration.findings(module)
