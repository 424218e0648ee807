"""What an output module asks of TensorFlow and Keras, found with libcst alone.

Independent of the tool's own resolver: names are resolved by libcst's ``QualifiedNameProvider``
(whole chains only: ``tf.train.Saver``, ``K.set_session``, a from-imported ``Conv2D``), imports
are read from the import statements, calls keep their keywords and literal values, and calls of
Keras 2-only methods are found by method name on any object (objects are not typed).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import (
    ExpressionContext,
    ExpressionContextProvider,
    MetadataWrapper,
    PositionProvider,
    QualifiedNameProvider,
    QualifiedNameSource,
)

ROOTS = ("tensorflow", "keras")
# Keras 2-only methods, and the classes (in the env) that would have to own them.
MODEL = ("tensorflow.keras.Model", "tensorflow.keras.Sequential")
METHODS = {
    "fit_generator": MODEL,
    "evaluate_generator": MODEL,
    "predict_generator": MODEL,
    "predict_classes": MODEL,
    "predict_proba": MODEL,
    "_make_predict_function": MODEL,
    "get_updates": ("tensorflow.keras.optimizers.Optimizer",),
    "make_one_shot_iterator": ("tensorflow.data.Dataset",),
    "make_initializable_iterator": ("tensorflow.data.Dataset",),
}
IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})


@dataclass(frozen=True)
class Item:
    """One thing the output needs from TF/Keras, at output lines ``first``..``last``."""

    kind: str  # "import" (module), "from" (module + name), "name", "call", "method"
    first: int
    last: int
    names: tuple[str, ...]  # dotted alternatives (bound in two branches: two); "method": its owners
    member: str = ""  # "from": the imported name; "method": the method name
    call: Call | None = None
    guarded: bool = False  # an import inside ``try: ... except ImportError``
    tested: bool = False  # a name under ``if hasattr(owner, "name"):``, which runs only where it exists
    head: tuple[str, ...] = ()  # "name": what its first name is bound to (``tf`` -> tensorflow)

    def describe(self) -> str:
        shown = " | ".join(self.names)
        if self.kind == "import":
            return f"import {shown}"
        if self.kind == "from":
            return f"from {shown} import {self.member}"
        if self.kind == "method":
            return f".{self.member}()"
        if self.kind == "call":
            assert self.call is not None  # a call item has its arguments
            return f"{shown}({self.call.describe()})"
        return shown


@dataclass(frozen=True)
class Call:
    positional: int | None  # None: a ``*args`` hides how many
    keywords: tuple[str, ...]
    more_keywords: bool  # ``**kwargs`` passed
    literals: tuple[tuple[str, str], ...] = ()  # (keyword or "#<index>", repr of a literal value)

    def describe(self) -> str:
        shown = dict(self.literals)
        args = [shown.get(f"#{i}", "…") for i in range(self.positional or 0)]
        if self.positional is None:
            args.append("*…")
        args += [f"{k}={shown.get(k, '…')}" for k in self.keywords]
        if self.more_keywords:
            args.append("**…")
        return ", ".join(args)


class Collector(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (QualifiedNameProvider, PositionProvider, ExpressionContextProvider)

    def __init__(self, module: cst.Module) -> None:
        super().__init__()
        self.module = module
        self.items: list[Item] = []
        self._inner: set[int] = set()  # ids of nodes that are part of a longer chain
        self._guards: list[bool] = []  # per enclosing `try:` body: does it catch ImportError?
        self._tested: list[set[str]] = []  # per enclosing branch: the names its test proved exist

    # --- imports --------------------------------------------------------------------------
    def visit_Try_body(self, node: cst.Try) -> None:
        self._guards.append(any(_catches_import_error(h) for h in node.handlers))

    def leave_Try_body(self, node: cst.Try) -> None:
        self._guards.pop()

    # --- branches taken only where a name exists (keras-rl: ``if hasattr(tf, 'select'):``) --
    def visit_If_body(self, node: cst.If) -> None:
        self._tested.append(_has(node.test, True))

    def leave_If_body(self, node: cst.If) -> None:
        self._tested.pop()

    def visit_If_orelse(self, node: cst.If) -> None:
        self._tested.append(_has(node.test, False))

    def leave_If_orelse(self, node: cst.If) -> None:
        self._tested.pop()

    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            name = _dotted(alias.name)
            if _ours(name):
                self._add(node, "import", (name,))
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        if node.relative or node.module is None:
            return False
        module = _dotted(node.module)
        if not _ours(module):
            return False
        if isinstance(node.names, cst.ImportStar):
            self._add(node, "import", (module,))
        else:
            for alias in node.names:
                self._add(node, "from", (module,), member=_dotted(alias.name))
        return False

    # --- names, calls, methods -------------------------------------------------------------
    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._inner.update((id(node.value), id(node.attr)))
        self._chain(node)

    def visit_Name(self, node: cst.Name) -> None:
        self._chain(node)

    def visit_Call(self, node: cst.Call) -> None:
        names = self._qualified(node.func)
        if names:
            self._add(node, "call", names, call=self._call(node))
        elif isinstance(node.func, cst.Attribute) and node.func.attr.value in METHODS:
            self._add(node.func, "method", METHODS[node.func.attr.value], member=node.func.attr.value)

    def _chain(self, node: cst.Name | cst.Attribute) -> None:
        if id(node) in self._inner:
            return
        context = self.get_metadata(ExpressionContextProvider, node, None)
        chain: cst.BaseExpression = node
        if context in (ExpressionContext.STORE, ExpressionContext.DEL):
            if not isinstance(node, cst.Attribute):
                return
            chain = node.value  # `K._SESSION = None` needs `K`, not `K._SESSION`
        names = self._qualified(chain)
        if names:
            head = chain
            while isinstance(head, cst.Attribute):
                head = head.value
            self._add(chain, "name", names, head=self._qualified(head))

    def _qualified(self, node: cst.BaseExpression) -> tuple[str, ...]:
        if not _dotted(node):
            return ()  # libcst names `f().x` "f.x"; only plain chains are names
        found = self.get_metadata(QualifiedNameProvider, node, set())
        return tuple(sorted(
            q.name for q in found if q.source is QualifiedNameSource.IMPORT and _ours(q.name)
        ))

    def _call(self, node: cst.Call) -> Call:
        positional: int | None = 0
        keywords: list[str] = []
        more = False
        literals: list[tuple[str, str]] = []
        for arg in node.args:
            if arg.star == "*":
                positional = None
            elif arg.star == "**":
                more = True
            elif arg.keyword is None:
                if positional is not None:
                    self._literal(arg.value, f"#{positional}", literals)
                    positional += 1
            else:
                keywords.append(arg.keyword.value)
                self._literal(arg.value, arg.keyword.value, literals)
        return Call(positional, tuple(keywords), more, tuple(literals))

    def _literal(self, value: cst.BaseExpression, key: str, into: list[tuple[str, str]]) -> None:
        code = self.module.code_for_node(value)
        try:
            into.append((key, repr(ast.literal_eval(code.strip()))))
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            pass

    def _add(
        self, node: cst.CSTNode, kind: str, names: tuple[str, ...], *,
        member: str = "", call: Call | None = None, head: tuple[str, ...] = (),
    ) -> None:
        where = self.get_metadata(PositionProvider, node)
        guarded = kind in ("import", "from") and any(self._guards)
        tested = (kind == "name" and isinstance(node, cst.BaseExpression)
                  and any(_dotted(node) in names for names in self._tested))
        self.items.append(Item(kind, where.start.line, where.end.line, names, member=member, call=call,
                               guarded=guarded, tested=tested, head=head))


def collect(code: str) -> list[Item]:
    """Every import, name, call and Keras 2 method call of the module, in order."""
    wrapper = MetadataWrapper(cst.parse_module(code))
    collector = Collector(wrapper.module)
    wrapper.visit(collector)
    return sorted(collector.items, key=lambda item: (item.first, item.kind, item.names))


def _ours(dotted: str) -> bool:
    return dotted.split(".")[0] in ROOTS


def _dotted(node: cst.BaseExpression) -> str:
    """``a.b.c`` for a chain of names, "" for anything else (a call, a subscript inside)."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr.value}" if head else ""
    return ""


def _has(test: cst.BaseExpression, true: bool) -> set[str]:
    """The dotted names (as written) that ``test`` being ``true`` proves exist: ``hasattr(tf,
    'select')`` true, ``not hasattr(...)`` false, each side of an ``and`` that is true."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return _has(test.expression, not true)
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And) and true:
        return _has(test.left, True) | _has(test.right, True)
    if not (true and isinstance(test, cst.Call) and isinstance(test.func, cst.Name)
            and test.func.value == "hasattr" and len(test.args) == 2):
        return set()
    owner, attribute = _dotted(test.args[0].value), test.args[1].value
    if owner and isinstance(attribute, cst.SimpleString) and isinstance(attribute.evaluated_value, str):
        return {f"{owner}.{attribute.evaluated_value}"}
    return set()


def _catches_import_error(handler: cst.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    if isinstance(handler.type, cst.Tuple):
        types = [element.value for element in handler.type.elements]
    else:
        types = [handler.type]
    return any(_dotted(t).split(".")[-1] in IMPORT_ERRORS for t in types)
