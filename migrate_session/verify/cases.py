"""What to verify: corpus cases (``corpora/<case>/case.json``) or a user's own scripts."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from migrate_session import notebook, notebook_json
from migrate_session.engine import discover
from migrate_session.envs import ENVS, TARGET_ENVS
from migrate_session.findings import WARNING, Finding
from migrate_session.verify.compare import EQUAL, NOT_APPLICABLE, Expectation

NOT_SCRIPTS = frozenset({"__init__.py", "setup.py", "conftest.py", "noxfile.py"})


class CaseError(ValueError):
    """A case folder or case.json that cannot be used; the message names the file."""


@dataclass
class Case:
    """One program to run before and after migration.

    ``files`` are the paths (relative to ``folder``) copied into every working copy;
    the ``.py`` ones are migrated too. ``script`` is one of them and is what runs.
    ``expect`` is None for user scripts: every env is expected equal, except n/a on
    Keras 3 when the tool warned MS101 (see ``expectation``). For a notebook, ``notebook``
    is its path among ``files`` and ``script`` is written from it into every working copy
    (``notebook.script``: its code cells in order).
    """

    name: str
    folder: Path
    script: str = "before.py"
    files: list[str] = field(default_factory=lambda: ["before.py"])
    argv: list[str] = field(default_factory=list)
    summary: str = ""
    expect: dict[str, dict[str, Expectation]] | None = None
    golden: bool = False
    kind: str = "corpus"  # corpus | user | selfcheck
    # selfcheck only: a hand-written after module used instead of migrating
    fixed_after: Path | None = None
    notebook: str | None = None

    @property
    def targets(self) -> list[str]:
        return list(self.expect) if self.expect is not None else list(TARGET_ENVS)

    def envs(self, target: str) -> tuple[str, ...]:
        if self.expect is not None:
            return tuple(self.expect[target])
        return TARGET_ENVS[target]

    def expectation(self, target: str, env: str, findings: Iterable[Finding] = ()) -> Expectation:
        if self.expect is not None:
            return self.expect[target][env]
        if ENVS[env].keras3 and any(f.rule_id == "MS101" and f.severity == WARNING for f in findings):
            return Expectation(NOT_APPLICABLE, "MS101")
        return Expectation(EQUAL)

    def golden_path(self, target: str) -> Path:
        return self.folder / f"after_{target}.py"


def load_case(folder: Path) -> Case:
    folder = Path(folder)
    meta_path = folder / "case.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CaseError(f"{meta_path}: {exc}") from exc
    if not isinstance(meta, dict):
        raise CaseError(f"{meta_path}: expected a JSON object")
    if not (folder / "before.py").is_file():
        raise CaseError(f"{folder}: no before.py")

    expect_raw = meta.get("expect")
    if not isinstance(expect_raw, dict) or not expect_raw:
        raise CaseError(f"{meta_path}: 'expect' must map targets to envs")
    expect: dict[str, dict[str, Expectation]] = {}
    for target, per_env in expect_raw.items():
        if target not in TARGET_ENVS:
            raise CaseError(f"{meta_path}: unknown target {target!r} (known: tf1, tf2)")
        if not isinstance(per_env, dict) or set(per_env) != set(TARGET_ENVS[target]):
            raise CaseError(
                f"{meta_path}: expect.{target} must name exactly the envs "
                f"{', '.join(TARGET_ENVS[target])}"
            )
        expect[target] = {}
        for env in TARGET_ENVS[target]:
            try:
                expect[target][env] = Expectation.parse(per_env[env])
            except ValueError as exc:
                raise CaseError(f"{meta_path}: expect.{target}.{env}: {exc}") from None

    extra = meta.get("extra_files", [])
    if not isinstance(extra, list) or not all(isinstance(p, str) for p in extra):
        raise CaseError(f"{meta_path}: 'extra_files' must be a list of relative paths")
    for rel in extra:
        path = (folder / rel).resolve()
        if not path.is_relative_to(folder.resolve()) or not path.is_file():
            raise CaseError(f"{meta_path}: extra file {rel!r} is not a file inside the case")
    argv = meta.get("argv", [])
    if not isinstance(argv, list) or not all(isinstance(a, str) for a in argv):
        raise CaseError(f"{meta_path}: 'argv' must be a list of strings")

    return Case(
        name=folder.name,
        folder=folder,
        files=["before.py", *extra],
        argv=list(argv),
        summary=str(meta.get("summary", "")),
        expect=expect,
        golden=True,
    )


def load_corpus(root: Path, names: Iterable[str] | None = None) -> list[Case]:
    """Every ``<root>/*/case.json`` (or only the named ones), sorted by name."""
    root = Path(root)
    folders = sorted(p.parent for p in root.glob("*/case.json"))
    if names:
        wanted = set(names)
        unknown = wanted - {f.name for f in folders}
        if unknown:
            raise CaseError(f"{root}: no such case: {', '.join(sorted(unknown))}")
        folders = [f for f in folders if f.name in wanted]
    return [load_case(f) for f in folders]


def cases_from_paths(paths: Iterable[str | Path]) -> list[Case]:
    """User scripts and notebooks: a file runs alone (its sibling .py files are copied and
    migrated too, so local imports work); a folder runs every .py file and notebook in it,
    with the whole tree copied. A notebook runs as the script of its code cells.
    """
    cases = []
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            folder = path.resolve().parent
            siblings = sorted(p.name for p in folder.glob("*.py") if p.is_file())
            if path.name.endswith(notebook.SUFFIX):
                cases.append(_notebook_case(str(raw), folder, path.name, [*siblings, path.name]))
            else:
                cases.append(
                    Case(name=str(raw), folder=folder, script=path.name, files=siblings, kind="user")
                )
        elif path.is_dir():
            folder = path.resolve()
            files = _files(folder)
            for rel in files:
                if Path(rel).name in NOT_SCRIPTS:
                    continue
                name = str(Path(raw) / rel)
                if rel.endswith(notebook.SUFFIX):
                    cases.append(_notebook_case(name, folder, rel, files))
                    continue
                cases.append(Case(name=name, folder=folder, script=rel, files=files, kind="user"))
        else:
            raise CaseError(f"{raw}: no such file or directory")
    if not cases:
        raise CaseError("no Python scripts or notebooks found in " + ", ".join(map(str, paths)))
    return cases


def _notebook_case(name: str, folder: Path, rel: str, files: list[str]) -> Case:
    """Checked here, so that a broken notebook stops the run before anything starts."""
    try:
        notebook_json.load((folder / rel).read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, notebook_json.NotebookError) as exc:
        raise CaseError(f"{name}: {exc}") from None
    return Case(name=name, folder=folder, script=notebook.script_name(rel), files=list(files),
                kind="user", notebook=rel)


def _files(folder: Path) -> list[str]:
    """The scripts and notebooks under ``folder``, chosen as ``apply`` chooses them."""
    return [path.relative_to(folder).as_posix() for path, problem in discover([folder])
            if problem is None]
