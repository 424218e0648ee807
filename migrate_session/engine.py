"""Files in, results out: discovery, decoding, migration, diffs and atomic writes.

Nothing here raises for one bad file: decoding and parsing failures become that file's
``error`` and the run goes on. A file is written only when its migrated text re-parses, and
only through a temporary file renamed over it, so a crash never leaves half a file.
Python files (``*.py``) and Jupyter notebooks (``*.ipynb``, see ``notebook``) are migrated.
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import stat
import tempfile
import tokenize
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from migrate_session import invariants, line_diff, notebook, notebook_json
from migrate_session.findings import Finding
from migrate_session.invariants import InputDoesNotCompile, InvariantViolation
from migrate_session.lines import split_lines
from migrate_session.targets import DEFAULT_TARGET, TARGETS
from migrate_session.transform import migrate_module

SKIP_DIRS = {"__pycache__", "node_modules", "site-packages"}
# A file with none of these cannot involve standalone Keras: its name, or a method only Keras 2
# has on objects a star import of the project's own module handed over (see ModuleFacts.in_scope).
PREFILTER = (b"keras", b"_generator(", b"predict_classes", b"predict_proba", b"_make_predict_function")


_PREFILTER_TEXT = tuple(marker.decode() for marker in PREFILTER)


def may_involve_keras(data: bytes | str) -> bool:
    if isinstance(data, str):
        return any(marker in data for marker in _PREFILTER_TEXT)
    return any(marker in data for marker in PREFILTER)
SUFFIXES = (".py", notebook.SUFFIX)


@dataclass
class CodeResult:
    code: str
    changed: bool
    findings: list[Finding]
    dropped_comments: list[str] = field(default_factory=list)  # by a rule that documents it


def migrate_code(
    source: str, target: str = DEFAULT_TARGET, path: str = "<string>", imported: frozenset[str] = frozenset(),
) -> CodeResult:
    """Migrate one module's text. Raises ``libcst.ParserSyntaxError`` on unparsable input,
    ``InputDoesNotCompile`` when a module that would change does not compile with this Python,
    and ``InvariantViolation`` rather than return a migration that breaks an invariant.

    ``imported``: names other modules import from this one (``project.imported_names``)."""
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r}; choose one of {', '.join(TARGETS)}")
    result = _migrate_text(source, target, path, imported)
    if result.changed:
        invariants.check(source, result.code, result.dropped_comments)
    return result


def _migrate_text(source: str, target: str, path: str, imported: frozenset[str] = frozenset()) -> CodeResult:
    if not may_involve_keras(source):
        return CodeResult(source, False, [])
    migrated = migrate_module(cst.parse_module(source), target, path, imported)
    code = migrated.module.code
    dropped = [text for texts in migrated.dropped_comments.values() for text in texts]
    return CodeResult(code, code != source, migrated.findings, dropped)


@dataclass
class FileResult:
    path: str
    changed: bool = False
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    diff: str = ""
    note: str | None = None  # e.g. "via symlink"
    candidate: bool = False  # passed the prefilter, so it was parsed
    new_bytes: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    bom: bool


def decode(data: bytes) -> Decoded:
    """Honour a BOM and a coding cookie (PEP 263); keep line endings exactly."""
    bom = data.startswith(codecs.BOM_UTF8)
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    body = data[len(codecs.BOM_UTF8):] if bom else data
    if encoding == "utf-8-sig":
        encoding = "utf-8"
    return Decoded(body.decode(encoding), encoding, bom)


def encode(text: str, like: Decoded) -> bytes:
    data = text.encode(like.encoding)
    return codecs.BOM_UTF8 + data if like.bom else data


def migrate_bytes(data: bytes, path: str, target: str, imported: frozenset[str] = frozenset()) -> FileResult:
    """Migrate one file's bytes; every failure is returned, none raised. ``imported``: see
    ``migrate_code``."""
    result = FileResult(path)
    if not may_involve_keras(data):
        return result
    result.candidate = True
    if path.endswith(notebook.SUFFIX):
        return _migrate_notebook(data, result, target)
    if b"\0" in data:
        result.error = "binary file (contains NUL bytes)"
        return result
    try:
        decoded = decode(data)
    except (SyntaxError, LookupError, UnicodeDecodeError) as error:
        result.error = f"cannot decode: {_reason(error)}"
        return result
    try:
        migrated = migrate_code(decoded.text, target, path, imported)
    except cst.ParserSyntaxError as error:
        result.error = f"cannot parse as Python 3: {_parse_reason(error)}"
        return result
    except RecursionError:
        result.error = "cannot parse: nesting too deep"
        return result
    except InputDoesNotCompile as error:
        result.error = f"{error}; left untouched"
        return result
    except Exception as error:  # noqa: BLE001 - a bug of ours (a broken invariant too) costs one file
        result.error = _internal_error(error)
        return result
    result.findings = migrated.findings
    if not migrated.changed:
        return result
    try:
        result.new_bytes = encode(migrated.code, decoded)
    except UnicodeEncodeError as error:
        result.error = f"migrated text cannot be encoded as {decoded.encoding}: {error.reason}"
        return result
    result.changed = True
    result.diff = unified_diff(decoded.text, migrated.code, path)
    return result


def _migrate_notebook(data: bytes, result: FileResult, target: str) -> FileResult:
    """A notebook's code cells, migrated as one module; its JSON edited only where they changed."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        result.error = f"cannot decode as UTF-8 (a notebook is UTF-8 JSON): {_reason(error)}"
        return result
    try:
        migrated = notebook.migrate_notebook(text, target, result.path, migrate_code)
    except notebook_json.NotebookError as error:
        result.error = str(error)
        return result
    except RecursionError:
        result.error = "cannot parse: nesting too deep"
        return result
    except Exception as error:  # noqa: BLE001 - a bug of ours must cost one file, never the run
        result.error = _internal_error(error)
        return result
    result.findings = migrated.findings
    if migrated.changed:
        result.changed = True
        result.new_bytes = migrated.text.encode("utf-8")
        result.diff = "".join(_cell_diff(cell, result.path) for cell in migrated.cells)
    return result


def _cell_diff(cell: notebook.CellChange, path: str) -> str:
    """A cell's diff, named ``path:cell N``; a cell's source has no final newline, as a rule."""
    before, after = cell.before, cell.after
    if not before.endswith(("\n", "\r")) and not after.endswith(("\n", "\r")):
        before, after = before + "\n", after + "\n"
    return unified_diff(before, after, f"{path}:cell {cell.number}")


def unified_diff(before: str, after: str, path: str) -> str:
    lines = line_diff.unified_diff(split_lines(before), split_lines(after), fromfile=path, tofile=path)
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n" for line in lines)


def _internal_error(error: Exception) -> str:
    """A bug of ours, worded for a bug report; the file is never written."""
    if isinstance(error, InvariantViolation):
        what = f": {error}"
    else:
        what = f" ({type(error).__name__}: {_reason(error)})"
    return f"internal error{what}; file left untouched, please report it"


def _reason(error: BaseException) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _parse_reason(error: cst.ParserSyntaxError) -> str:
    return f"{error.message} (line {error.raw_line}, column {error.raw_column + 1})"


class NotARegularFile(OSError):
    """A FIFO, socket, device or directory where a source file was expected."""


_KINDS = (
    (stat.S_ISFIFO, "FIFO"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
    (stat.S_ISDIR, "directory"),
)


def not_regular(mode: int) -> str | None:
    """Why a file of this mode is not read ("not a regular file (FIFO)"), or None."""
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "special file")
    return f"not a regular file ({kind})"


def read_source(path: Path) -> bytes:
    """The bytes of a regular file (following links). Never blocks: a FIFO is opened
    non-blocking and refused, like every file that is not regular (a device would never end)."""
    reason = not_regular(os.stat(path).st_mode)  # a socket cannot even be opened
    if reason:
        raise NotARegularFile(errno.EINVAL, reason, str(path))
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with open(fd, "rb") as handle:
        reason = not_regular(os.fstat(fd).st_mode)  # it may have been replaced since the stat
        if reason:
            raise NotARegularFile(errno.EINVAL, reason, str(path))
        return handle.read()


def needs_work(path: Path) -> bool:
    """Whether ``migrate_file`` has anything to do with ``path``: False only for a readable file
    without the bytes ``keras`` (a file that cannot be read needs it, to say why)."""
    try:
        return may_involve_keras(read_source(path))
    except OSError:
        return True


def untouched(path: Path) -> FileResult:
    """``migrate_file``'s result for a file that ``needs_work`` rules out."""
    return FileResult(str(path), note=f"via symlink to {path.resolve()}" if path.is_symlink() else None)


def migrate_file(
    path: Path, target: str, write: bool, imported: Mapping[Path, frozenset[str]] | None = None,
) -> FileResult:
    """Migrate one file; with ``write``, write it back. Without, the result keeps ``new_bytes``
    for ``write_back`` (the CLI writes in its main process, so a worker killed mid-file has
    never written anything). ``imported``: what the run's other files import from each file
    (``project.imported_names``), by path as discovered."""
    shown = str(path)
    try:
        real = path.resolve(strict=True)
        data = read_source(real)
    except OSError as error:
        return FileResult(shown, error=f"cannot read: {error.strerror or error}")
    result = migrate_bytes(data, shown, target, (imported or {}).get(path, frozenset()))
    if path.is_symlink():
        result.note = f"via symlink to {real}"
    return write_back(path, result) if write else result


def write_back(path: Path, result: FileResult) -> FileResult:
    """Write a changed result over ``path`` (its real file, atomically) and drop its bytes."""
    if result.changed and result.new_bytes is not None:
        try:
            atomic_write(path.resolve(strict=True), result.new_bytes)
        except OSError as error:
            result.error = f"cannot write: {error.strerror or error}"
            result.changed = False
    result.new_bytes = None
    return result


def atomic_write(path: Path, data: bytes) -> None:
    """Write beside the file, keep its mode, then rename over it (the link, if any, stays)."""
    mode = stat.S_IMODE(path.stat().st_mode)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def discover(paths: Iterable[Path]) -> Iterator[tuple[Path, str | None]]:
    """Python files and notebooks under the given paths, sorted, each real file once.

    Yields ``(path, problem)``; ``problem`` is set for a named path that does not exist and
    for one that is not a regular file (a FIFO named ``x.py`` would block the run forever).
    A file reached twice (two links, or a link and its target) is migrated once.
    """
    seen: set[Path] = set()
    for root in paths:
        if not root.exists() and not root.is_symlink():
            yield root, "no such file or directory"
            continue
        candidates = [root] if not root.is_dir() else sorted(_walk(root))
        for candidate in candidates:
            try:
                real = candidate.resolve(strict=True)
                mode = real.stat().st_mode
            except OSError:
                yield candidate, "broken symlink"
                continue
            reason = not_regular(mode)
            if reason:
                via = f", via symlink to {real}" if candidate.is_symlink() else ""
                yield candidate, f"{reason[:-1]}{via})"
                continue
            if real in seen:
                continue
            seen.add(real)
            yield candidate, None


def _walk(root: Path) -> Iterator[Path]:
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = [
            d
            for d in dirnames
            if not d.startswith(".")
            and d not in SKIP_DIRS
            and not (Path(directory, d) / "pyvenv.cfg").exists()
        ]
        for name in filenames:
            if name.endswith(SUFFIXES):
                yield Path(directory, name)
