"""What a module holds only for TF 1's sessions and graphs, and what of it eager TF drops.

Under TF 2 eager, Keras runs nothing in a session and builds nothing in the default graph.
A session installed with ``set_session`` becomes ``tf.config`` state or nothing (MS005); a
session or default graph held only to be closed, initialized or entered as the default is
dropped, its ``with`` blocks unwrapped (MS020); MS120 says what was written guarded or kept,
and MS021 needs to know whether any Keras session stays. Those rules must agree on
every decision (a session whose creation goes must lose every use), so the decisions are
made here, once per module, by following each holder's every use through libcst's scopes:

* a holder is a name whose every assignment is ``name = tf.Session(...)``,
  ``name = K.get_session()`` or ``name = tf.get_default_graph()``;
* it goes only when every use of it is one this module knows the eager meaning of:
  ``set_session(name)``, ``name.close()``, ``name.run(<variables initializer>())``,
  ``with name.as_default():`` / ``with name.graph.as_default():``, a ``return name`` at
  the end of a function whose callers here all ignore it, and, for a default graph only,
  ``is`` comparisons (they keep the capture). Anything else keeps it, as today.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import cast

import libcst as cst
from libcst.metadata import Assignment, BaseAssignment, GlobalScope

from migrate_session import config_forms
from migrate_session.config_forms import Form, Refusal, Setting
from migrate_session.resolve import walk
from migrate_session.rule import Context
from migrate_session.syntax import last_name

SESSION = "tensorflow.Session"
GET_SESSION = "keras.backend.get_session"
SET_SESSION = "keras.backend.set_session"
DEFAULT_GRAPH = "tensorflow.get_default_graph"
CONFIG = "tensorflow.ConfigProto"
GPU_OPTIONS = "tensorflow.GPUOptions"
INITIALIZERS = frozenset({"tensorflow.global_variables_initializer", "tensorflow.local_variables_initializer"})
# Calls before a setting that do not start TensorFlow's runtime.
HARMLESS = frozenset({CONFIG, GPU_OPTIONS, "keras.backend.backend"})
# The last name of the callables the plan looks at: other calls are not resolved at all.
CALLED = frozenset({"Session", "get_session", "set_session", "get_default_graph", "_make_predict_function"})
NEW, KERAS, GRAPH = "new session", "Keras session", "default graph"
UNWRAP_WHY = {
    NEW: "a session context means nothing under eager: unwrapped",
    KERAS: "a session context means nothing under eager: unwrapped",
    GRAPH: "under eager, entering the default graph switches to graph mode, where eagerly built models cannot run: unwrapped",
}


@dataclass(frozen=True)
class Use:
    """What a session or graph is used for, where eager TF can drop that: ``what`` is "install",
    "close", "init" or "return" (``node``: the line), "with" (``node``: the ``With``, ``item``:
    which of its items) or "identity" (an ``is`` comparison, which keeps a graph's capture)."""

    what: str
    node: cst.SimpleStatementLine | cst.With | None = None
    item: int = 0


@dataclass(frozen=True)
class _Creation:
    """``name = <call>``, alone on its line."""

    line: cst.SimpleStatementLine
    call: cst.Call


# A config's settings, and the lines that build it.
Built = tuple[list[Setting], list[cst.SimpleStatementLine]]


@dataclass
class Install:
    """A ``set_session(...)`` line: the eager forms to write in its place ([]: dropped)."""

    forms: list[Form]
    guarded: bool = False  # the forms that may raise are written in ``try``


@dataclass
class Plan:
    index: Index
    installs: dict[cst.SimpleStatementLine, Install] = field(default_factory=dict)  # MS005
    config_lines: list[cst.SimpleStatementLine] = field(default_factory=list)  # MS005: go with them
    sessions: dict[cst.SimpleStatementLine, str] = field(default_factory=dict)  # MS005: never installed
    drops: dict[cst.SimpleStatementLine, str] = field(default_factory=dict)  # MS020, with why
    unwraps: dict[cst.With, dict[int, str]] = field(default_factory=dict)  # MS020: item -> why
    refusals: dict[cst.SimpleStatementLine, str] = field(default_factory=dict)  # MS120: kept, why
    shared_graphs: dict[cst.SimpleStatementLine, str] = field(default_factory=dict)  # MS120: name
    keeps_session: bool = False  # some `K.get_session()` or `set_session(...)` stays (MS021)


class Index:
    """Parents and document order of every node of the module, and its calls."""

    def __init__(self, module: cst.Module) -> None:
        self.module = module
        self.parents: dict[int, cst.CSTNode] = {}
        self.order: dict[int, int] = {}
        self.calls: list[cst.Call] = []
        self.names: dict[str, list[cst.Name]] = {}
        for number, node in enumerate(walk(module, self.parents)):
            self.order[id(node)] = number
            kind = type(node)  # (the casts: kind is type(node))
            if kind is cst.Call:
                self.calls.append(cast(cst.Call, node))
            elif kind is cst.Name:
                name = cast(cst.Name, node)
                self.names.setdefault(name.value, []).append(name)

    def parent(self, node: cst.CSTNode | None) -> cst.CSTNode | None:
        return self.parents.get(id(node))

    def ancestors(self, node: cst.CSTNode) -> Iterator[cst.CSTNode]:
        parent = self.parent(node)
        while parent is not None:
            yield parent
            parent = self.parent(parent)

    def references(self, name: str) -> list[cst.Name | cst.Attribute]:
        """Every ``name`` and ``x.name`` in the module (the whole chain for an attribute)."""
        found: list[cst.Name | cst.Attribute] = []
        for node in self.names.get(name, ()):
            parent = self.parent(node)
            found.append(parent if isinstance(parent, cst.Attribute) and parent.attr is node else node)
        return found

    def line_of(self, small: cst.CSTNode | None) -> cst.SimpleStatementLine | None:
        """The line ``small`` (an ``Expr``, ``Assign``, ``Return``) is the only statement of."""
        line = self.parent(small)
        if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1:
            return line
        return None

    def before(self, a: cst.CSTNode, b: cst.CSTNode) -> bool:
        return self.order[id(a)] < self.order[id(b)]


def plan(context: Context, module: cst.Module) -> Plan:
    """The module's plan, made once for the rules that ask (MS005, MS020, MS021, MS120)."""
    return context.shared(("eager-plan", module), lambda: _Planner(context, Index(module)).run())


def concerns(context: Context) -> bool:
    """Whether the module names anything a plan looks at (else its plan is empty: no need to
    walk the module for it)."""
    return any(context.mentions(name) for name in CALLED)


def called_name(call: cst.Call) -> str | None:
    return last_name(call.func)


class _Planner:
    def __init__(self, context: Context, index: Index) -> None:
        self.context = context
        self.index = index
        self.plan = Plan(index=index)
        self.done: set[int] = set()  # ids of the source calls already decided
        self.dropped_sessions: set[int] = set()  # ids of the session calls that go
        self.creates_tf1_variables = False

    def canonical(self, node: cst.CSTNode) -> str | None:
        return self.context.canonical(node)

    def run(self) -> Plan:
        sources: list[tuple[str, cst.Call]] = []
        installs: list[cst.Call] = []
        for call in self.index.calls:
            called = called_name(call)
            if called not in CALLED:
                if called in ("Variable", "get_variable") or self._is_tf1_metric(call):
                    self.creates_tf1_variables = True
                continue
            if called == "_make_predict_function":
                self._predict_function(call)
                continue
            canonical = self.canonical(call.func)
            if canonical == SET_SESSION:
                installs.append(call)
            elif canonical in (SESSION, GET_SESSION, DEFAULT_GRAPH):
                kind = {SESSION: NEW, GET_SESSION: KERAS, DEFAULT_GRAPH: GRAPH}[canonical]
                sources.append((kind, call))
        inline: list[tuple[cst.Call, Use]] = []  # `K.get_session().close()`, ...
        for kind, call in sources:
            if id(call) not in self.done:
                use = self._source(kind, call)
                if use is not None:
                    inline.append((call, use))
        for call in installs:
            self._inline_install(call)
        kept = [call for kind, call in sources if kind == KERAS and id(call) not in self.dropped_sessions]
        if len(kept) == len(inline):  # no Keras session stays for a close to have mattered to
            for call, use in inline:
                self._apply(KERAS, [use])
                self.dropped_sessions.add(id(call))
        self.plan.keeps_session = any(
            kind != GRAPH and id(call) not in self.dropped_sessions for kind, call in sources
        ) or any(self.index.line_of(self.index.parent(call)) not in self.plan.installs for call in installs)
        return self.plan

    def _is_tf1_metric(self, call: cst.Call) -> bool:
        """``tf.metrics.auc(...)``: a TF 1 streaming metric, which makes local variables."""
        func = call.func
        if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Attribute)):
            return False
        if func.value.attr.value != "metrics":
            return False
        return (self.canonical(func) or "").startswith("tensorflow.metrics.")

    # --- one session or graph -------------------------------------------------------------
    def _source(self, kind: str, call: cst.Call) -> Use | None:
        """Decides a holder, or a default graph entered in place; returns what a Keras session
        called in place is used for when eager TF can drop that, which is decided last."""
        parent = self.index.parent(call)
        if isinstance(parent, cst.Assign):
            self._holder(kind, parent)
        elif kind == KERAS:
            use = self._use(KERAS, call)
            if use is not None and use.what in ("close", "init", "with"):
                return use
        elif kind == GRAPH:
            use = self._use(GRAPH, call)
            if use is not None and use.what == "with":
                self._apply(GRAPH, [use])
        return None

    def _holder(self, kind: str, assign: cst.Assign) -> None:
        """``name = <source>``: the name goes when every assignment and every use of it can."""
        self.done.add(id(assign.value))
        if len(assign.targets) != 1 or not isinstance(assign.targets[0].target, cst.Name):
            return
        name = assign.targets[0].target
        scope = self.context.scope(name)
        assignments = list(scope[name.value]) if scope is not None else []
        creations = []
        for assignment in assignments:
            creation = self._creation(kind, assignment)
            if creation is None:
                return
            creations.append(creation)
            self.done.add(id(creation.call))
        if isinstance(scope, GlobalScope) and self.context.exported(name.value):
            # Another module takes it (`from .apps import graph`): dropping it breaks that import.
            if kind == NEW:
                self._refuse(self._installs_of(assignments), f"another module of the run imports `{name.value}` (or this whole module)")
            elif kind == GRAPH:
                for assignment in assignments:
                    creation = self._creation(kind, assignment)
                    if creation is not None:
                        self.plan.shared_graphs[creation.line] = name.value
            return
        uses = []
        for node in accesses_of(assignments):
            use = self._use(kind, node)
            if use is None:
                if kind == NEW:
                    self._refuse(self._installs_of(assignments), "the session is used for more than being installed")
                return
            uses.append(use)
        if not all(self._local_return(use, creations) for use in uses):
            return
        if kind == NEW:
            if not self._new_session(creations, uses):
                return
            self.dropped_sessions.update(id(creation.call) for creation in creations)
        if kind == KERAS:
            for creation in creations:
                self.plan.drops[creation.line] = (
                    "Keras session captured only to close, initialize or enter it: dropped (no session under eager)"
                    if uses else "unused Keras session capture dropped (no session under eager)"
                )
                self.dropped_sessions.add(id(creation.call))
        elif kind == GRAPH and not any(use.what == "identity" for use in uses):
            for creation in creations:
                self.plan.drops[creation.line] = (
                    "default graph captured only to enter it: dropped" if uses else "unused default graph capture dropped"
                )
        self._apply(kind, uses)

    def _local_return(self, use: Use, creations: list[_Creation]) -> bool:
        """A dropped ``return name`` must sit in the function that creates the name: only there
        is it sure to be visited (that function holds a TensorFlow name)."""
        if use.what != "return":
            return True
        function = self.index.parent(self.index.parent(use.node))
        return all(any(node is function for node in self.index.ancestors(c.line)) for c in creations)

    def _creation(self, kind: str, assignment: BaseAssignment) -> _Creation | None:
        if not isinstance(assignment, Assignment) or not isinstance(assignment.node, cst.Name):
            return None
        assign = self.index.parent(self.index.parent(assignment.node))
        if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
            return None
        line = self.index.line_of(assign)
        value = assign.value
        if line is None or not isinstance(value, cst.Call):
            return None
        expected = {NEW: SESSION, KERAS: GET_SESSION, GRAPH: DEFAULT_GRAPH}[kind]
        if self.canonical(value.func) != expected or (kind != NEW and value.args):
            return None
        return _Creation(line, value)

    def _new_session(self, creations: list[_Creation], uses: list[Use]) -> bool:
        """A ``tf.Session(...)`` holder: its config, if any, is written at its first install
        after it in the same block."""
        installs = _installs(uses)
        sessions = [creation.call for creation in creations]
        lines = [creation.line for creation in creations]
        if len(creations) > 1 or not sessions[0].args:
            if any(session.args for session in sessions):
                return self._refuse(installs, "the session is created in more than one place, with arguments")
            if installs:
                self.plan.config_lines += lines
            for line in lines if not installs else ():
                self.plan.sessions[line] = (
                    "session used only to close or enter it: dropped (no session under eager)"
                    if uses else "unused session dropped (Keras runs nothing in it under eager)"
                )
            return True
        first = next((i for i in installs if self._same_block_after(lines[0], i)), None)
        if first is None:
            return False
        config = self._session_config(sessions[0], lines[0])
        if isinstance(config, Refusal):
            return self._refuse([first], config.reason)
        found = config_forms.forms(config[0])
        if isinstance(found, Refusal):
            return self._refuse([first], found.reason)
        self.plan.config_lines += [*config[1], *lines]
        self.plan.installs[first] = Install(found, self._guarded(first, found))
        return True

    def _refuse(self, installs: Iterable[cst.SimpleStatementLine], reason: str) -> bool:
        for line in installs:
            self.plan.refusals[line] = reason
        return False

    def _installs_of(self, assignments: Collection[BaseAssignment]) -> list[cst.SimpleStatementLine]:
        return _installs(self._use(NEW, node) for node in accesses_of(assignments))

    def _apply(self, kind: str, uses: list[Use]) -> None:
        for use in uses:
            what, node = use.what, use.node
            if isinstance(node, cst.With):  # what == "with"
                self.plan.unwraps.setdefault(node, {})[use.item] = UNWRAP_WHY[kind]
            elif node is None:  # "identity": nothing to drop
                continue
            elif what == "install":
                self.plan.installs.setdefault(node, Install([]))
            elif what == "close":
                self.plan.drops[node] = "closing a session: dropped (no session under eager)"
            elif what == "init":
                self.plan.drops[node] = "variables initializer run: dropped (eager variables are initialized when created)"
            elif what == "return":
                self.plan.drops[node] = "returned session dropped: every caller in this module ignores it"

    # --- uses -----------------------------------------------------------------------------
    def _use(self, kind: str, node: cst.CSTNode) -> Use | None:
        """What ``node`` (a holder's name, or a source call itself) is used for, if eager TF
        can drop that use; None otherwise."""
        index = self.index
        parent = index.parent(node)
        if kind != GRAPH and isinstance(parent, cst.Arg) and parent.keyword is None and not parent.star:
            call = index.parent(parent)
            if isinstance(call, cst.Call) and len(call.args) == 1 and self.canonical(call.func) == SET_SESSION:
                line = index.line_of(index.parent(call))
                if isinstance(index.parent(call), cst.Expr) and line is not None:
                    return Use("install", line)
            return None
        if kind != GRAPH and isinstance(parent, cst.Return) and parent.value is node:
            line = index.line_of(parent)
            return Use("return", line) if line is not None and self._ignored_return(line) else None
        if kind == GRAPH and isinstance(parent, (cst.Comparison, cst.ComparisonTarget)):
            comparison = parent if isinstance(parent, cst.Comparison) else index.parent(parent)
            if isinstance(comparison, cst.Comparison) and all(
                isinstance(c.operator, (cst.Is, cst.IsNot)) for c in comparison.comparisons
            ):
                return Use("identity")
            return None
        if not isinstance(parent, cst.Attribute) or parent.value is not node:
            return None
        if parent.attr.value == "graph" and kind != GRAPH:
            attribute = index.parent(parent)
            if isinstance(attribute, cst.Attribute) and attribute.attr.value == "as_default":
                return self._with_item(attribute)
            return None
        if parent.attr.value == "as_default":
            return self._with_item(parent)
        if kind == GRAPH:
            return None
        call = index.parent(parent)
        if not isinstance(call, cst.Call) or call.func is not parent:
            return None
        line = index.line_of(index.parent(call)) if isinstance(index.parent(call), cst.Expr) else None
        if line is None:
            return None
        if parent.attr.value == "close" and not call.args:
            return Use("close", line)
        if parent.attr.value == "run" and len(call.args) == 1 and not self.creates_tf1_variables:
            initializer = call.args[0].value
            if (
                call.args[0].keyword is None and isinstance(initializer, cst.Call) and not initializer.args
                and self.canonical(initializer.func) in INITIALIZERS
            ):
                return Use("init", line)
        return None

    def _with_item(self, as_default: cst.Attribute) -> Use | None:
        call = self.index.parent(as_default)
        if not isinstance(call, cst.Call) or call.func is not as_default or call.args:
            return None
        item = self.index.parent(call)
        statement = self.index.parent(item)
        if not isinstance(item, cst.WithItem) or item.asname is not None or not isinstance(statement, cst.With):
            return None
        if statement.asynchronous is not None:
            return None
        return Use("with", statement, statement.items.index(item))

    def _ignored_return(self, line: cst.SimpleStatementLine) -> bool:
        """The function's last line, and every call of the function in this module ignores it."""
        block = self.index.parent(line)
        function = self.index.parent(block)
        if not isinstance(function, cst.FunctionDef) or function.decorators:
            return False
        if not isinstance(block, cst.IndentedBlock) or block.body[-1] is not line:  # the function's body
            return False
        scope = self.context.scope(function)
        if not isinstance(scope, GlobalScope):
            return False
        assignments = list(scope[function.name.value])
        if len(assignments) != 1:
            return False
        if not isinstance(assignments[0], Assignment) or assignments[0].node is not function:
            return False
        calls = 0
        for access in assignments[0].references:
            call = self.index.parent(access.node)
            if not (isinstance(call, cst.Call) and call.func is access.node and isinstance(self.index.parent(call), cst.Expr)):
                return False
            calls += 1
        return calls > 0

    # --- installs -------------------------------------------------------------------------
    def _inline_install(self, call: cst.Call) -> None:
        """``set_session(tf.Session(...))``: the session exists only to be installed."""
        index = self.index
        line = index.line_of(index.parent(call)) if isinstance(index.parent(call), cst.Expr) else None
        if line is None or line in self.plan.installs or len(call.args) != 1 or call.args[0].keyword:
            return
        session = call.args[0].value
        if not isinstance(session, cst.Call) or self.canonical(session.func) != SESSION:
            return
        config = self._session_config(session, line)
        if isinstance(config, Refusal):
            self.plan.refusals[line] = config.reason
            return
        found = config_forms.forms(config[0])
        if isinstance(found, Refusal):
            self.plan.refusals[line] = found.reason
            return
        self.plan.config_lines += config[1]
        self.plan.installs[line] = Install(found, self._guarded(line, found))
        self.dropped_sessions.add(id(session))

    def _session_config(self, session: cst.Call, line: cst.SimpleStatementLine) -> Built | Refusal:
        """The settings of the config ``session`` (made on ``line``) is made with, and the lines
        that build it: in the same block, before ``line`` (a config changed later is not the
        session's), used for nothing else."""
        if not session.args:
            return [], []
        if len(session.args) != 1 or session.args[0].keyword is None or session.args[0].keyword.value != "config":
            return Refusal("a session for its own graph or a server (`tf.Session(graph=..., target=...)`) has no eager form")
        return self._config(session.args[0].value, CONFIG, "", line)

    def _config(
        self, value: cst.BaseExpression, kind: str, prefix: str, made_on: cst.SimpleStatementLine
    ) -> Built | Refusal:
        """The settings of a ``ConfigProto`` / ``GPUOptions`` built inline or just before."""
        what = "the config" if kind == CONFIG else "the GPU options"
        if isinstance(value, cst.Call) and self.canonical(value.func) == kind:
            return self._keywords(value, prefix, made_on)
        if not isinstance(value, cst.Name):
            return Refusal(f"{what} is not built here (`{_code(value)}`)")
        scope = self.context.scope(value)
        assignments = list(scope[value.value]) if scope is not None else []
        if len(assignments) != 1 or not isinstance(assignments[0], Assignment):
            return Refusal(f"{what} `{value.value}` is assigned more than once")
        assign = self.index.parent(self.index.parent(assignments[0].node))
        line = self.index.line_of(assign) if isinstance(assign, cst.Assign) else None
        if (
            line is None or not isinstance(assign, cst.Assign)
            or not isinstance(assign.value, cst.Call) or self.canonical(assign.value.func) != kind
        ):
            return Refusal(f"{what} `{value.value}` is not built by a plain `{kind.rpartition('.')[2]}(...)` line")
        if not self._same_block_after(line, made_on):
            return Refusal(f"{what} `{value.value}` is not built in the same block, before the session")
        built = self._keywords(assign.value, prefix, made_on)
        if isinstance(built, Refusal):
            return built
        settings, lines = built
        lines = [line, *lines]
        attribute_lines = []
        for access in accesses_of(assignments):
            if access is value:
                continue
            found = self._attribute_setting(access, prefix, made_on)
            if found is None:
                return Refusal(f"{what} `{value.value}` is used for more than building the session")
            attribute_lines.append(found)
        attribute_lines.sort(key=lambda pair: self.index.order[id(pair[1])])
        settings += [setting for setting, _ in attribute_lines]
        lines += [line for _, line in attribute_lines]
        return settings, lines

    def _keywords(self, call: cst.Call, prefix: str, made_on: cst.SimpleStatementLine) -> Built | Refusal:
        settings: list[Setting] = []
        lines: list[cst.SimpleStatementLine] = []
        for arg in call.args:
            if arg.keyword is None:
                return Refusal(f"`{_code(call)}` takes positional arguments")
            key = arg.keyword.value
            if key == "gpu_options" and not prefix:
                built = self._config(arg.value, GPU_OPTIONS, "gpu_options.", made_on)
                if isinstance(built, Refusal):
                    return built
                settings += built[0]
                lines += built[1]
            else:
                settings.append(Setting(prefix + key, arg.value))
        return settings, lines

    def _attribute_setting(
        self, access: cst.CSTNode, prefix: str, made_on: cst.SimpleStatementLine
    ) -> tuple[Setting, cst.SimpleStatementLine] | None:
        """``config.x = v`` / ``config.gpu_options.x = v`` on a line of its own, before ``made_on``."""
        keys = []
        node: cst.CSTNode = access
        parent = self.index.parent(node)
        while isinstance(parent, cst.Attribute) and parent.value is node:
            keys.append(parent.attr.value)
            node, parent = parent, self.index.parent(parent)
        target_of = self.index.parent(parent) if isinstance(parent, cst.AssignTarget) else None
        if not (isinstance(target_of, cst.Assign) and len(target_of.targets) == 1 and keys):
            return None
        line = self.index.line_of(target_of)
        if line is None or not self._same_block_after(line, made_on):
            return None
        key = prefix + ".".join(keys)
        if key.count(".") > 1 or (key.count(".") == 1 and not key.startswith("gpu_options.")):
            return None
        return Setting(key, target_of.value), line

    def _same_block_after(self, line: cst.CSTNode, later: cst.CSTNode) -> bool:
        """``line`` comes before ``later`` in the same block."""
        return self.index.parent(line) is self.index.parent(later) and self.index.before(line, later)

    def _guarded(self, install: cst.SimpleStatementLine, found: list[Form]) -> bool:
        """Forms that may raise are written bare only where they provably run before anything
        starts TensorFlow's runtime in this module: at module level (no loop, function or class
        around them) with no call of TensorFlow, Keras or this module's own functions before."""
        if not any(form.raises for form in found):
            return False
        loops = (cst.FunctionDef, cst.ClassDef, cst.Lambda, cst.For, cst.While)
        if any(isinstance(node, loops) for node in self.index.ancestors(install)):
            return True
        dropped = {id(line) for line in [*self.plan.config_lines, *self.plan.sessions, *self.plan.drops, *self.plan.installs]}
        for call in self.index.calls:
            if not self.index.before(call, install):
                break
            if self._starts_tensorflow(call, dropped):
                return True
        return False

    def _starts_tensorflow(self, call: cst.Call, skipped: set[int]) -> bool:
        outer = list(self.index.ancestors(call))
        if any(isinstance(n, (cst.FunctionDef, cst.Lambda)) for n in outer) or any(id(n) in skipped for n in outer):
            return False  # not run yet, or dropped
        if not isinstance(call.func, (cst.Name, cst.Attribute)):
            return False
        canonical = self.canonical(call.func)
        if canonical is not None:
            return canonical not in HARMLESS
        if isinstance(call.func, cst.Name):
            scope = self.context.scope(call.func)
            found = list(scope[call.func.value]) if scope is not None and call.func.value in scope else []
            return any(isinstance(a, Assignment) and isinstance(a.node, (cst.FunctionDef, cst.ClassDef)) for a in found)
        return False

    def _predict_function(self, call: cst.Call) -> None:
        func = call.func
        parent = self.index.parent(call)
        if isinstance(func, cst.Attribute) and not call.args and isinstance(parent, cst.Expr):
            line = self.index.line_of(parent)
            if line is not None:
                self.plan.drops[line] = "`_make_predict_function()` dropped: TF 2's Keras has none, and predict builds what it needs"


def _installs(uses: Iterable[Use | None]) -> list[cst.SimpleStatementLine]:
    """The lines of the installs among ``uses``."""
    return [use.node for use in uses
            if use is not None and use.what == "install" and isinstance(use.node, cst.SimpleStatementLine)]


def accesses_of(assignments: Iterable[BaseAssignment]) -> list[cst.CSTNode]:
    """Every node that accesses one of ``assignments``, once each, in order."""
    seen: dict[int, cst.CSTNode] = {}
    for assignment in assignments:
        for access in assignment.references:
            seen.setdefault(id(access.node), access.node)
    return list(seen.values())


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)
