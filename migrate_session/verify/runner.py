"""Prepare working copies, migrate them in this process, and run them under the probe.

Layout under the output folder (``build/verify`` by default)::

    work/<case>/<target>/...        the migrated copy (checked against the golden file)
    work/<case>/<role>.<env>/...    the files one run sees (role: before, tf1, tf2); every
                                    run has its own copy, so runs in parallel never share files
    runs/<case>/<role>.<env>.json   the probe trace (+ .out / .err: the raw streams)

Runs are grouped by env: one lane (thread) per env, all envs at once. A lane keeps one
probe fork server (TensorFlow imported once; every run is still a fresh forked process)
and falls back to a fresh process per run when the server is unavailable or breaks.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import queue
import shutil
import threading
import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Callable

import migrate_session
from migrate_session import notebook
from migrate_session.envs import ENVS
from migrate_session.envs import SOURCE_ENV as BEFORE_ENV
from migrate_session.findings import Finding
from migrate_session.notebook import Migrate, MigratedCode
from migrate_session.verify.cases import Case
from migrate_session.verify.compare import Trace

if TYPE_CHECKING:  # pragma: no cover
    from migrate_session.probe.client import ProbeServer

PACKAGE = Path(migrate_session.__file__).resolve().parent
RUN_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "CUDA_VISIBLE_DEVICES": "",
    "PYTHONHASHSEED": "0",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONUNBUFFERED": "1",
}


@dataclass
class Migration:
    """What migrating one case for one target produced."""

    target: str
    workdir: Path
    findings: list[Finding] = field(default_factory=list)
    findings_by_file: dict[str, list[Finding]] = field(default_factory=dict)
    code: str | None = None  # the migrated script (compared with the golden file)
    error: str | None = None
    seconds: float = 0.0


@dataclass
class Run:
    """One program run under the probe in one env."""

    case: Case
    role: str  # "before" or a target
    env: str
    workdir: Path
    trace_path: Path
    exit_code: int | None = None
    seconds: float = 0.0
    error: str | None = None  # why there is no trace
    trace: Trace | None = None

    @property
    def stdout_path(self) -> Path:
        return self.trace_path.with_suffix(".out")

    @property
    def stderr_path(self) -> Path:
        return self.trace_path.with_suffix(".err")

    def load(self) -> None:
        try:
            self.trace = json.loads(self.trace_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            self.trace = None
            tail = _tail(self.stderr_path)
            self.error = (
                self.error
                or f"no usable trace (exit code {self.exit_code}): {type(exc).__name__}"
                + (f"; stderr ends with: {tail}" if tail else "")
            )


@dataclass
class EnvStats:
    env: str
    python: str
    runs: int = 0
    run_seconds: float = 0.0
    wall_seconds: float = 0.0
    server: bool = False
    fallbacks: int = 0
    note: str = ""
    lanes: int = 0

    def merge(self, lane: EnvStats, wall: float) -> None:
        """Add one finished lane's numbers (wall time: the env's first submit to its end)."""
        self.runs += lane.runs
        self.run_seconds += lane.run_seconds
        self.wall_seconds = max(self.wall_seconds, wall)
        self.server = self.server or lane.server
        self.fallbacks += lane.fallbacks
        self.note = self.note or lane.note
        self.lanes += 1


def slug(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name).strip("_") or "case"


def identity_migrate(source: str, target: str, path: str = "") -> MigratedCode:
    """A migration that changes nothing: tests the harness without the codemod."""
    return SimpleNamespace(code=source, changed=False, findings=[])


def load_migrate(identity: bool = False) -> Migrate:
    if identity:
        return identity_migrate
    from migrate_session.engine import migrate_code

    return migrate_code


class MigrationCache:
    """Remembers what ``migrate`` returned, keyed by the tool's own source and the input.

    The key hashes every file of the codemod (``migrate_session/**/*.py`` and ``data/*.json``,
    except ``verify/`` and ``probe/``), the libcst version, the target, the path and the
    source text: change any of them and the case is migrated again. Saves the codemod's CPU
    time on a repeated run while the TF runs compete for the same two cores.
    """

    def __init__(self, path: Path, migrate: Migrate) -> None:
        self.path, self.migrate = Path(path), migrate
        self.hits = self.misses = 0
        self.tool = self._fingerprint()
        self.entries: dict[str, dict[str, Any]]  # key -> {"code", "findings"}
        try:
            self.entries = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}
        self._used: dict[str, dict[str, Any]] = {}

    @staticmethod
    def _fingerprint() -> str:
        digest = hashlib.sha256()
        for path in sorted(PACKAGE.rglob("*")):
            rel = path.relative_to(PACKAGE)
            if (path.suffix in (".py", ".json") and path.is_file()
                    and rel.parts[0] not in ("verify", "probe", "__pycache__")):
                digest.update(rel.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
        try:
            from importlib.metadata import version

            digest.update(version("libcst").encode())
        except Exception:  # noqa: BLE001 - an unknown version only makes the key stricter
            digest.update(b"libcst ?")
        return digest.hexdigest()

    def __call__(self, source: str, target: str, path: str) -> MigratedCode:
        key = hashlib.sha256(f"{self.tool}\0{target}\0{path}\0{source}".encode()).hexdigest()
        entry = self.entries.get(key)
        if entry is None:
            self.misses += 1
            result = self.migrate(source, target=target, path=path)
            entry = {"code": result.code, "findings": [f.to_json() for f in result.findings]}
        else:
            self.hits += 1
        self._used[key] = entry
        return SimpleNamespace(code=entry["code"], changed=entry["code"] != source,
                               findings=[Finding.from_json(f) for f in entry["findings"]])

    def save(self) -> None:
        """Keep only what this run used (the file never grows past one corpus)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self._used), encoding="utf-8")


def copy_case(case: Case, dest: Path, source: Path | None = None) -> None:
    """Copy the case's files from its folder (or from ``source``, a prepared copy); for a
    notebook, write the script that runs it from the copied notebook."""
    if dest.exists():
        shutil.rmtree(dest)
    for rel in case.files:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile((source or case.folder) / rel, target)
    if case.notebook is not None:
        write_notebook_script(case, dest)


def write_notebook_script(case: Case, dest: Path) -> str:
    assert case.notebook is not None  # a notebook's case
    text = (dest / case.notebook).read_bytes().decode("utf-8")
    code = notebook.script(text, Path(case.notebook).name)
    (dest / case.script).write_bytes(code.encode("utf-8"))
    return code


def migrate_case(case: Case, target: str, dest: Path, migrate: Migrate) -> Migration:
    """Copy the case to ``dest`` and migrate every .py file of it for ``target``."""
    started = time.perf_counter()
    result = Migration(target, dest)
    copy_case(case, dest)
    if case.fixed_after is not None:
        shutil.copyfile(case.fixed_after, dest / case.script)
        result.code = case.fixed_after.read_text(encoding="utf-8")
        result.seconds = time.perf_counter() - started
        return result
    for rel in case.files:
        is_notebook = rel.endswith(notebook.SUFFIX)
        if not rel.endswith(".py") and not is_notebook:
            continue
        path = dest / rel
        migrated: notebook.NotebookMigration | MigratedCode
        try:
            source = path.read_bytes().decode("utf-8")
            if is_notebook:
                migrated = notebook.migrate_notebook(source, target, f"{case.name}/{rel}", migrate)
                new = migrated.text
            else:
                migrated = migrate(source, target=target, path=f"{case.name}/{rel}")
                new = migrated.code
        except Exception as exc:  # noqa: BLE001 - a codemod bug must not stop the other cases
            result.error = f"migrating {rel} for {target} failed: {type(exc).__name__}: {exc}"
            result.error += "\n" + traceback.format_exc(limit=-3)
            break
        result.findings.extend(migrated.findings)
        result.findings_by_file[rel] = list(migrated.findings)
        if is_notebook:  # what runs is the notebook's script
            result.findings_by_file[notebook.script_name(rel)] = list(migrated.findings)
        if new != source:
            path.write_bytes(new.encode("utf-8"))
        if rel == case.script:
            result.code = new
    if case.notebook is not None and result.error is None:
        result.code = write_notebook_script(case, dest)
    result.seconds = time.perf_counter() - started
    return result


def check_golden(case: Case, migration: Migration, update: bool) -> tuple[str, str]:
    """(state, diff): state is ok / drift / missing / updated / none (no golden for this case)."""
    if not case.golden or migration.code is None:
        return "none", ""
    path = case.golden_path(migration.target)
    current = path.read_bytes().decode("utf-8") if path.is_file() else None
    if current == migration.code:
        return "ok", ""
    if update:
        path.write_bytes(migration.code.encode("utf-8"))
        return "updated", ""
    if current is None:
        return "missing", f"{path}: missing (`nox -s verify -- --update-golden` writes it)\n"
    diff = difflib.unified_diff(
        current.splitlines(keepends=True),
        migration.code.splitlines(keepends=True),
        str(path),
        f"{case.name}/{case.script} migrated for {migration.target}",
    )
    return "drift", "".join(diff)


def run_vars(python: str) -> dict[str, str]:
    """Extra environment variables for every run (the probe client adds them to ours)."""
    extra = dict(RUN_ENV)
    extra["PATH"] = os.pathsep.join([str(Path(python).parent), os.environ.get("PATH", "")])
    return extra


def _fresh_process(python: str, env_vars: dict[str, str], run: Run, timeout: float) -> tuple[int, float]:
    """Run one program in a new interpreter under the probe (slow, but always works)."""
    from migrate_session.probe.client import run_once

    code_and_seconds: tuple[int, float] = run_once(
        python, run.case.script, list(run.case.argv), cwd=str(run.workdir),
        out=str(run.trace_path), stdout=str(run.stdout_path),
        stderr=str(run.stderr_path), env_vars=env_vars, timeout=timeout,
    )
    return code_and_seconds


class Lane:
    """Runs one env's programs one after another, through a fork server when it can."""

    def __init__(self, env_id: str, python: str, use_server: bool, timeout: float) -> None:
        self.stats = EnvStats(env_id, python)
        self.python = python
        self.env = run_vars(python)
        self.preload = ENVS[env_id].preload
        self.use_server = use_server
        self.timeout = timeout
        self.server: ProbeServer | None = None

    def _server(self) -> ProbeServer | None:
        if self.server is None and self.use_server:
            try:
                from migrate_session.probe.client import ProbeServer

                self.server = ProbeServer(self.python, self.env, preload=self.preload)
                self.stats.server = True
            except Exception as exc:  # noqa: BLE001 - fresh processes still work
                self.use_server = False
                self.stats.note = f"fork server unavailable ({type(exc).__name__}: {exc})"
        return self.server

    def run(self, run: Run) -> None:
        run.trace_path.parent.mkdir(parents=True, exist_ok=True)
        for path in (run.trace_path, run.stdout_path, run.stderr_path):
            path.unlink(missing_ok=True)
        server = self._server()
        if server is not None:
            try:
                run.exit_code, run.seconds = server.run(
                    run.case.script, list(run.case.argv), cwd=str(run.workdir),
                    out=str(run.trace_path), stdout=str(run.stdout_path),
                    stderr=str(run.stderr_path), timeout=self.timeout,
                )
            except Exception as exc:  # noqa: BLE001 - retried in a fresh process
                self.stats.fallbacks += 1
                self.stats.note = f"fork server failed once ({type(exc).__name__}: {exc})"
                self.close()
                server = None
        if server is None:
            run.exit_code, run.seconds = _fresh_process(self.python, self.env, run, self.timeout)
        if run.exit_code == -9 and run.seconds >= self.timeout:
            run.error = f"killed after the {self.timeout:.0f} s timeout"
        run.load()
        self.stats.runs += 1
        self.stats.run_seconds += run.seconds or 0.0

    def close(self) -> None:
        if self.server is not None:
            try:
                self.server.close()
            except Exception as exc:  # noqa: BLE001 - closing must not hide the results
                self.stats.note = f"closing the fork server failed ({type(exc).__name__}: {exc})"
            self.server = None


class Scheduler:
    """Lanes (threads, each with its own fork server) per env, all envs at once.

    Runs are submitted while others already run: TensorFlow starts on the before-runs while
    this process is still migrating the remaining cases. The lanes of one env share a queue.
    """

    _DONE = None

    def __init__(self, pythons: dict[str, str], *, use_server: bool = True,
                 timeout: float = 300.0, progress: Callable[[Run], None] | None = None,
                 lanes: dict[str, int] | None = None) -> None:
        self.pythons = pythons
        self.use_server = use_server
        self.timeout = timeout
        self.progress = progress
        self.lanes = {env.id: env.lanes for env in ENVS.values()} if lanes is None else lanes
        self.stats: dict[str, EnvStats] = {}
        self._started: dict[str, float] = {}
        self._queues: dict[str, queue.Queue[Run | None]] = {}  # None: _DONE
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def submit(self, run: Run) -> None:
        if run.env not in self._queues:
            self._queues[run.env] = queue.Queue()
            self._started[run.env] = time.perf_counter()
            self.stats[run.env] = EnvStats(run.env, self.pythons[run.env])
            for number in range(max(1, self.lanes.get(run.env, 1))):
                thread = threading.Thread(target=self._lane, args=(run.env,), daemon=True,
                                          name=f"lane-{run.env}-{number}")
                self._threads.append(thread)
                thread.start()
        self._queues[run.env].put(run)

    def finish(self) -> dict[str, EnvStats]:
        for env, todo in self._queues.items():
            for _ in range(max(1, self.lanes.get(env, 1))):
                todo.put(self._DONE)
        for thread in self._threads:
            thread.join()
        return self.stats

    def _lane(self, env_id: str) -> None:
        lane = Lane(env_id, self.pythons[env_id], self.use_server, self.timeout)
        todo = self._queues[env_id]
        try:
            while True:
                run = todo.get()
                if run is self._DONE:
                    break
                try:
                    lane.run(run)
                except Exception as exc:  # noqa: BLE001 - the harness broke on this run only
                    run.error = f"harness error: {type(exc).__name__}: {exc}"
                if self.progress is not None:
                    with self._lock:
                        self.progress(run)
        finally:
            lane.close()
            with self._lock:
                self.stats[env_id].merge(lane.stats,
                                         time.perf_counter() - self._started[env_id])


def plan_runs(
    case: Case, out: Path, migrations: dict[str, Migration], pythons: Mapping[str, str]
) -> list[Run]:
    """The before run (when ``migrations`` is empty) or one run per target x claimed env
    that we have an env for; each run gets its own working copy."""
    work, base = out / "work" / slug(case.name), out / "runs" / slug(case.name)
    runs = []
    if not migrations and BEFORE_ENV in pythons:
        runs.append(Run(case, "before", BEFORE_ENV, work / f"before.{BEFORE_ENV}",
                        base / f"before.{BEFORE_ENV}.json"))
    for target, migration in migrations.items():
        if migration.error:
            continue
        for env in case.envs(target):
            if env in pythons:
                runs.append(Run(case, target, env, work / f"{target}.{env}",
                                base / f"{target}.{env}.json"))
    return runs


def _tail(path: Path, lines: int = 3) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(text[-lines:])
