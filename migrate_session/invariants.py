"""What every migrated module must satisfy before it is written; a violation is a bug of ours.

- ``compiles``: the migrated text compiles with this Python (not only parses);
- ``names-bound``: a name that the input binds and uses, and that the output still uses, is
  still bound where the output uses it (an import deleted while its uses stay is a NameError
  the day that line runs);
- ``comments-kept``: every comment of the input is in the output (as text; order and place
  are free, since a rewrite may move a statement with its comment), but those that a rule
  documents it removes (``Rule.DROPS_COMMENTS``: the dead branch of a decided backend guard)
  and that the migration names as dropped.

``check`` raises ``InputDoesNotCompile`` first when the input itself does not compile: then
the input, not the migration, is what is wrong with the file.

Bindings are CPython's own symbol table's (``symtable``): the compiler's scope analysis of the
running Python, the one that decides at run time whether a name is bound. It is C code:
0.16 s/MB against 4.5 s/MB for libcst's scope analysis, which would also need the output parsed
again (3 s/MB): with it, these checks would add about half to every migration.
"""

from __future__ import annotations

import ast
import builtins
import io
import re
import symtable
import sys
import tokenize
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator

BUILTINS = frozenset(dir(builtins))
PYTHON = f"Python {sys.version_info.major}.{sys.version_info.minor}"
SHOWN = 3  # violations named in a message; the rest are counted
_TAIL = re.compile(r"#[^\r\n]*")
TOP_LEVEL_AWAIT = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT  # notebook cells may await at top level

ScopePath = tuple[tuple[str, str, int], ...]  # see _scopes
Key = tuple[ScopePath, str]  # (scope path, name)


class InputDoesNotCompile(Exception):
    """The module as it was does not compile with this Python."""


class InvariantViolation(Exception):
    def __init__(self, name: str, detail: str) -> None:
        super().__init__(f"invariant {name} violated: {detail}")
        self.name = name
        self.detail = detail


def check(before: str, after: str, dropped_comments: Iterable[str] = ()) -> None:
    """Raise unless ``after``, the migration of ``before``, keeps every invariant; the
    ``dropped_comments`` were removed on purpose by a rule that documents it."""
    try:
        before_table = _table(before)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        raise InputDoesNotCompile(f"input does not compile with {PYTHON}: {_why(error)}") from None
    _check_compiles(before, after)
    _check_names(before_table, _table(after))
    _check_comments(before, after, dropped_comments)


def _table(code: str) -> symtable.SymbolTable:
    return symtable.symtable(code, "<module>", "exec")


def _check_compiles(before: str, after: str) -> None:
    """Compiled, not only parsed: a repeated keyword argument parses, and has a symbol table."""
    try:
        _compile(after)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        try:
            _compile(before)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as input_error:
            raise InputDoesNotCompile(f"input does not compile with {PYTHON}: {_why(input_error)}") from None
        raise InvariantViolation("compiles", _why(error)) from None


def _compile(code: str) -> None:
    with warnings.catch_warnings():  # the user's `x is 1` is none of this check's business
        warnings.simplefilter("ignore", SyntaxWarning)
        compile(code, "<module>", "exec", flags=TOP_LEVEL_AWAIT, dont_inherit=True)


def _why(error: BaseException) -> str:
    if isinstance(error, SyntaxError):
        return f"{error.msg} (line {error.lineno})"
    if isinstance(error, (RecursionError, MemoryError)):
        return "nested too deeply"
    return str(error)


# --- names-bound ---------------------------------------------------------------------------
def _check_names(before: symtable.SymbolTable, after: symtable.SymbolTable) -> None:
    bound_before, unbound_before, _ = _uses(before)
    _, unbound_after, where = _uses(after)
    lost = sorted((unbound_after & bound_before) - unbound_before)
    if lost:
        shown = [f"`{name}` in {where[(path, name)]}" for path, name in lost[:SHOWN]]
        more = f" and {len(lost) - SHOWN} more" if len(lost) > SHOWN else ""
        raise InvariantViolation(
            "names-bound", f"{', '.join(shown)}{more} still used but no longer bound"
        )


def _uses(module: symtable.SymbolTable) -> tuple[set[Key], set[Key], dict[Key, str]]:
    """(bound, unbound, where): every (scope, name) read somewhere, split by whether that
    read finds a binding (in its scope, an enclosing function, the module or builtins)."""
    scopes = [(path, table, _symbols(table)) for path, table in _scopes(module, ())]
    module_names = {s.get_name() for s in scopes[0][2] if _binds(s)}
    module_names |= {  # `global x` then `x = ...` in a function binds x in the module
        s.get_name() for _, _, symbols in scopes for s in symbols
        if s.is_declared_global() and _binds(s)
    }
    bound: set[Key] = set()
    unbound: set[Key] = set()
    where: dict[Key, str] = {}
    for path, table, symbols in scopes:
        is_module = table.get_type() == "module"
        for symbol in symbols:
            if not symbol.is_referenced():
                continue
            name = symbol.get_name()
            if symbol.is_free() or (symbol.is_local() and not is_module and _binds(symbol)):
                found = True
            else:
                found = name in module_names or name in BUILTINS
            (bound if found else unbound).add((path, name))
            where[(path, name)] = _describe(table)
    return bound, unbound, where


def _scopes(table: symtable.SymbolTable, path: ScopePath) -> Iterator[tuple[ScopePath, symtable.SymbolTable]]:
    """Each scope with its path of (type, name, n-th of that type and name among siblings)."""
    yield path, table
    seen: Counter[tuple[str, str]] = Counter()
    for child in table.get_children():
        kind = (str(child.get_type()), child.get_name())
        yield from _scopes(child, (*path, (*kind, seen[kind])))
        seen[kind] += 1


def _symbols(table: symtable.SymbolTable) -> list[symtable.Symbol]:
    """``table.get_symbols()`` without the namespaces of each symbol, which ``lookup`` finds
    by scanning every child scope: quadratic on a module of 60,000 functions (minutes)."""
    symbols = table._table.symbols  # type: ignore[attr-defined]  # private: what get_symbols reads
    return [symtable.Symbol(name, flags) for name, flags in symbols.items()]


def _binds(symbol: symtable.Symbol) -> bool:
    return symbol.is_assigned() or symbol.is_imported() or symbol.is_parameter()


def _describe(table: symtable.SymbolTable) -> str:
    if table.get_type() == "module":
        return "the module"
    return f"{table.get_type()} `{table.get_name()}` (line {table.get_lineno()} of the output)"


# --- comments-kept -------------------------------------------------------------------------
def _check_comments(before: str, after: str, dropped: Iterable[str]) -> None:
    if not _tails(before) - _tails(after):
        return  # every comment's line tail is kept, so the comment is (tokenizing costs 10x)
    lost = _comments(before) - _comments(after) - Counter(text.rstrip() for text in dropped)
    if lost:
        shown = [f"`{text}`" for text in sorted(lost)[:SHOWN]]
        count = sum(lost.values())
        more = f" and {count - len(shown)} more" if count > len(shown) else ""
        raise InvariantViolation("comments-kept", f"{', '.join(shown)}{more} dropped")


def _tails(code: str) -> Counter[str]:
    """Each line's text from its first ``#``: a comment is the end of its line's tail (a ``#``
    in a string may start the tail earlier), so a tail found again in the output brings the
    comment with it, unless the output wrapped it in a string, which no rule writes."""
    return Counter(tail.rstrip() for tail in _TAIL.findall(code))


def _comments(code: str) -> Counter[str]:
    if "#" not in code:
        return Counter()
    found: Counter[str] = Counter()
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type == tokenize.COMMENT:
                found[token.string.rstrip()] += 1
    except (tokenize.TokenError, SyntaxError):
        pass  # both texts compiled; the tokens read so far are compared
    return found
