"""Sessions for migrate-session: `nox` runs tests, lint and verify; `nox --list` shows all.

The three TensorFlow environments (tf112, tf215, tf2; see docs/internals.md) are plain
venvs under `.nox/env-<id>`, made by `env_python()` below and shared by `verify`, `api`
and `tests`. They are not nox sessions of their own because one step, in one process,
must see the before-run (tf112) and every after-run together to compare them; that
process drives all three envs at once. An env venv is installed once and then reused
as long as its stamp (Python version, requirements, constraints file) matches; a stale
one is reinstalled, except under `nox -R`, which skips installs.
`MIGRATE_SESSION_PYTHON_<ID>=/path/to/python` uses an env you already have instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nox

# verify first: it makes the env venvs, so realcode and the real-TensorFlow unit tests run in
# the same `nox`.
nox.options.sessions = ["lint", "verify", "realcode", "tests"]

ROOT = Path(__file__).resolve().parent
ENV_DIR = ROOT / ".nox"
DUMP_API = ROOT / "migrate_session" / "data" / "dump_api.py"
RUFF = "ruff==0.17.6"


@dataclass(frozen=True)
class Env:
    id: str
    python: str  # major.minor
    pyenv: str  # what to `pyenv install` when it is missing
    requirements: tuple[str, ...]
    why: str
    pip: str = ""  # pip to install first ("" = keep the venv's)

    @property
    def constraints(self) -> Path:
        return ROOT / "constraints" / f"{self.id}.txt"

    @property
    def location(self) -> Path:
        return ENV_DIR / f"env-{self.id}"

    @property
    def variable(self) -> str:
        return f"MIGRATE_SESSION_PYTHON_{self.id.upper()}"


ENVS = {
    env.id: env
    for env in (
        Env("tf112", "3.6", "3.6.15", ("tensorflow==1.12.0", "keras==2.2.4"),
            "TF 1.12 has wheels only up to Python 3.6",
            # pip 18 from the 3.6 venv mis-resolves; pip 22 dropped Python 3.6
            pip="pip<22"),
        Env("tf215", "3.11", "3.11.7", ("tensorflow-cpu==2.15.1",),
            "TF 2.15 (Keras 2) supports Python 3.9 to 3.11"),
        Env("tf2", "3.12", "3.12.1", ("tensorflow-cpu",),
            "the newest TF 2 (Keras 3); constraints/tf2.txt pins today's newest"),
    )
}


def find_interpreter(version: str) -> str | None:
    """`python<version>` on PATH, else under pyenv's versions folder; checked by running it."""
    candidates = [shutil.which(f"python{version}")]
    pyenv_root = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
    versions = Path(pyenv_root) / "versions"
    if versions.is_dir():
        found = versions.glob(f"{version}.*/bin/python{version}")
        candidates += sorted(map(str, found), key=_version_key, reverse=True)
    for candidate in filter(None, candidates):
        try:
            out = subprocess.run(
                [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                capture_output=True, text=True, timeout=30, check=False,
            ).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            continue
        if out == version:  # a pyenv shim for an uninstalled version prints an error instead
            return candidate
    return None


def _version_key(path: str) -> tuple[int, ...]:
    name = Path(path).parent.parent.name
    return tuple(int(p) if p.isdigit() else -1 for p in name.split("."))


def _stamp(env: Env, interpreter_version: str) -> str:
    data = {
        "python": interpreter_version,
        "pip": env.pip,
        "requirements": env.requirements,
        "constraints": env.constraints.read_text(encoding="utf-8"),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _venv_python(location: Path) -> Path:
    return location / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def env_python(session: nox.Session, env_id: str, *, create: bool = True) -> str | None:
    """The Python of env `env_id`, making or updating its venv when needed.

    With `create=False`, an existing up-to-date env or None (never installs).
    """
    env = ENVS[env_id]
    if os.environ.get(env.variable):
        session.log(f"env {env.id}: ${env.variable} = {os.environ[env.variable]} (not managed)")
        return os.environ[env.variable]
    python = _venv_python(env.location)
    stamp_file = env.location / "migrate-session-stamp"
    stamp = _stamp(env, env.python)
    current = stamp_file.read_text().strip() if stamp_file.is_file() else None
    if python.exists() and current == stamp:
        session.log(f"env {env.id}: reusing {env.location} (installs skipped)")
        return str(python)
    if not create:
        return None

    if python.exists():  # stale: honour `nox -R` (skips installs) like session.install does
        session.log(f"env {env.id}: {env.location} is out of date with {env.constraints.name}")
        if _install(session, env, python, session.run_install) is None:
            session.warn(f"env {env.id}: kept as it is (--no-install); run without -R to update")
            return str(python)
    else:
        interpreter = find_interpreter(env.python)
        if interpreter is None:
            session.error(
                f"env {env.id} needs Python {env.python} ({env.why}); none found as "
                f"python{env.python} on PATH or under $(pyenv root)/versions. Get it with:\n"
                f"    pyenv install {env.pyenv}\n"
                f"(or install python{env.python} from your OS), then run nox again. "
                f"Or point ${env.variable} at the Python of an env you already have."
            )
        shutil.rmtree(env.location, ignore_errors=True)
        session.run(interpreter, "-m", "venv", str(env.location), external=True)
        _install(session, env, python, session.run)
    stamp_file.write_text(stamp + "\n")
    return str(python)


def _install(session: nox.Session, env: Env, python: Path, run):
    if env.pip:
        result = run(str(python), "-m", "pip", "install", "-q", "-U", env.pip, external=True)
        if result is None:
            return None
    return run(str(python), "-m", "pip", "install", "-q", "-c", str(env.constraints),
               *env.requirements, external=True)


@nox.session
def tests(session: nox.Session) -> None:
    """Unit tests (pytest). Tests that need real TensorFlow use env venvs that already exist."""
    session.install("-e", ".[test]")
    extra = {}
    for env_id, env in ENVS.items():
        python = env_python(session, env_id, create=False)
        if python:
            extra[env.variable] = python
    session.run("pytest", *session.posargs, env=extra)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check over the repository."""
    session.install(RUFF)
    session.run("ruff", "check", ".", *session.posargs)


@nox.session
def verify(session: nox.Session) -> None:
    """Run each corpus case before/after migration in tf112, tf215 and tf2 and compare.

    `nox -s verify -- PATH...` does the same for your own scripts (files or folders).
    `nox -s verify -- --update-golden` rewrites corpora/*/after_<target>.py.
    `nox -s verify -- --case NAME` runs one case. Reports: build/verify/report.{md,json}.
    """
    started = time.perf_counter()
    session.install("-e", ".")
    pythons = {env_id: env_python(session, env_id) for env_id in ENVS}
    session.log(f"envs ready in {time.perf_counter() - started:.1f} s")
    posargs, user_paths = _absolute_paths(session.posargs, Path(session.invoked_from))
    api_checks = [] if user_paths else _start_api_checks(pythons)
    args = [f"--env={env_id}={python}" for env_id, python in pythons.items()]
    try:
        session.run("python", "-m", "migrate_session.verify", *args, *posargs)
    finally:
        _finish_api_checks(session, api_checks)
    session.log(f"verify session: {time.perf_counter() - started:.1f} s in all")


@nox.session
def realcode(session: nox.Session) -> None:
    """Migrate corpora/real for tf1 and tf2; resolve every TF/Keras name, keyword and method of
    the outputs in the envs of the target; fail on an unwarned failure or a false MS102.

    `nox -s realcode -- --report-only` prints without failing. Report: build/realcode/report.json;
    docs/real-code.md explains it.
    """
    started = time.perf_counter()
    session.install("-e", ".")
    pythons = {env_id: env_python(session, env_id) for env_id in ENVS}
    args = [f"--env={env_id}={python}" for env_id, python in pythons.items()]
    session.run("python", "-m", "tools.realcode", *args, *session.posargs)
    session.log(f"realcode session: {time.perf_counter() - started:.1f} s in all")


VALUE_OPTIONS = frozenset({"--env", "--corpus", "--case", "--out", "--timeout"})


def _absolute_paths(posargs, invoked_from: Path) -> tuple[list[str], list[str]]:
    """PATH arguments made absolute against the directory nox was started in (nox itself
    runs sessions from the noxfile's directory); option values are left alone."""
    out, paths = [], []
    for i, arg in enumerate(posargs):
        if not arg.startswith("-") and (i == 0 or posargs[i - 1] not in VALUE_OPTIONS):
            path = invoked_from / arg
            if path.exists():
                arg = str(path.resolve())
                paths.append(arg)
        out.append(arg)
    return out, paths


def _start_api_checks(pythons: dict[str, str]) -> list:
    """`dump_api.py --check` in every env, in the background while the cases run."""
    checks = []
    for env_id, python in pythons.items():
        process = subprocess.Popen(
            [python, str(DUMP_API), "--env", env_id, "--check"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2"),
        )
        checks.append((env_id, process))
    return checks


def _finish_api_checks(session: nox.Session, checks: list) -> None:
    stale = []
    for env_id, process in checks:
        _, err = process.communicate()
        if process.returncode != 0:
            stale.append(env_id)
            session.warn(f"api table {env_id}: " + (err.strip().splitlines() or ["failed"])[-1])
    if stale:
        session.error(f"API tables out of date for {', '.join(stale)}: run `nox -s api`")
    if checks:
        session.log("api tables: current in " + ", ".join(env_id for env_id, _ in checks))


@nox.session(python=False, default=False)
def api(session: nox.Session) -> None:
    """Regenerate migrate_session/data/{api,calls}_<env>.json in each env; `-- --check` fails on drift.

    tf112 goes first: the other envs' keyword trials read its table (Keras 2.2.4's signatures).
    """
    check = "--check" in session.posargs
    envs = [a for a in session.posargs if a in ENVS] or list(ENVS)
    for env_id in sorted(envs, key=list(ENVS).index):
        python = env_python(session, env_id)
        mode = ["--check"] if check else []
        started = time.perf_counter()
        session.run(python, str(DUMP_API), "--env", env_id, *mode,
                    external=True, env={"TF_CPP_MIN_LOG_LEVEL": "2"})
        session.log(f"api {env_id}: {time.perf_counter() - started:.1f} s")


@nox.session(python=False, default=False)
def lock(session: nox.Session) -> None:
    """Re-resolve constraints/<env>.txt for tf215 / tf2 (`-- tf2`): what pip picks today.

    For tf2 this is how "newest TensorFlow" moves: the file pins today's newest
    tensorflow-cpu with its dependencies; re-lock, then run `nox -s api verify`.
    constraints/tf112.txt is kept by hand (see its header).
    """
    envs = [a for a in session.posargs if a in ENVS] or ["tf215", "tf2"]
    for env_id in envs:
        env = ENVS[env_id]
        if env_id == "tf112":
            session.error("constraints/tf112.txt is pinned by hand; edit it directly")
        interpreter = find_interpreter(env.python)
        if interpreter is None:
            session.error(f"Python {env.python} not found: pyenv install {env.pyenv}")
        scratch = Path(session.create_tmp()) / f"lock-{env_id}"
        shutil.rmtree(scratch, ignore_errors=True)
        session.run(interpreter, "-m", "venv", str(scratch), external=True)
        python = str(_venv_python(scratch))
        session.run(python, "-m", "pip", "install", "-q", *env.requirements, external=True)
        frozen = session.run(python, "-m", "pip", "freeze", "--all", external=True, silent=True)
        pins = sorted(
            (line for line in frozen.splitlines() if "==" in line and not line.startswith("pip==")),
            key=str.lower,
        )
        header = [
            f"# {env.id}: Python {env.python}, {' '.join(env.requirements)}",
            (f"# Resolved by `nox -s lock -- {env.id}` on {time.strftime('%Y-%m-%d')}; "
             "re-run it to move on."),
        ]
        env.constraints.write_text("\n".join(header + pins) + "\n", encoding="utf-8")
        shutil.rmtree(scratch, ignore_errors=True)
        session.log(f"wrote {env.constraints} ({len(pins)} pins)")


@nox.session(default=False)
def docs(session: nox.Session) -> None:
    """Regenerate docs/rules.md, and docs/matrix.md + matrix.svg from the last `nox -s verify`."""
    session.install("-e", ".")
    session.run("python", "-m", "migrate_session.rule_docs")
    session.run("python", "-m", "migrate_session.verify.matrix")


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Speed and memory next to bare libcst (benchmarks/README.md); `-- --repeat 5 --json OUT`."""
    session.install("-e", ".")
    session.run("python", "benchmarks/bench.py", *session.posargs)
