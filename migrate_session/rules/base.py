"""The shape of a rule: identity, examples, and the hooks the migration calls.

Every hook receives the :class:`migrate_session.transform.Migration` as ``m``: it resolves
names (``m.reference``), reports (``m.report``), spells TensorFlow (``m.tf_alias``) and edits
statements by their original node (``m.replace_statement``). A hook never raises for bad
input; what a human must check becomes a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from textwrap import dedent
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:  # pragma: no cover
    import libcst as cst

    from migrate_session.resolve import Ref
    from migrate_session.targets import Spelling
    from migrate_session.transform import Migration


@dataclass(frozen=True)
class Example:
    """A module before, and after: ``after`` for both targets unless ``tf1``/``tf2`` say otherwise.

    With neither, the module is left unchanged.
    """

    before: str
    after: str | None = None
    tf1: str | None = None
    tf2: str | None = None
    warnings: dict = field(default_factory=dict)  # target -> rule ids that must be reported
    title: str = ""

    def source(self) -> str:
        return dedent(self.before).lstrip("\n")

    def expected(self, target: str) -> str:
        after = getattr(self, target) or self.after
        return self.source() if after is None else dedent(after).lstrip("\n")


class Rule:
    id: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[str] = "rewrite"
    summary: ClassVar[str]
    examples: ClassVar[tuple[Example, ...]] = ()
    # `x.NAME` attributes the rule's hooks must see whatever `x` is bound to. The migration
    # visits only the parts of a module that hold imports, names an import binds, or these.
    attribute_names: ClassVar[frozenset[str]] = frozenset()

    # --- hooks (all optional) -------------------------------------------------------------
    def owns(self, canonical: str) -> bool:
        """Whether references to this canonical name are this rule's to report."""
        return False

    def on_reference(
        self, m: Migration, ref: Ref, spelling: Spelling | None, rebound_ok: bool
    ) -> cst.BaseExpression | None:
        """Called for each owned reference; returns a replacement node or None to keep it.

        ``rebound_ok``: the spelling as written means the same tf.keras name once the imports
        have moved. Otherwise ``spelling`` is the target's full name for it (None: the target
        has no equivalent).
        """
        return None

    def visit_block(self, m: Migration, body: tuple[cst.BaseStatement, ...]) -> None:
        """Called with the original statements of every module body and indented block."""

    def leave_If(self, m: Migration, original: cst.If, updated: cst.If):
        return updated

    def leave_Import(self, m: Migration, original, updated):
        return updated

    def leave_ImportFrom(self, m: Migration, original, updated):
        return updated

    def visit_Call(self, m: Migration, node: cst.Call) -> None:
        pass
