"""Sessions for migrate-session: `nox` runs lint, codemod (at both ends of the libcst range),
verify, realcode and tests; `nox --list` shows all.

The three TensorFlow environments (`migrate_session/envs.py`) are venvs `.nox/env-<id>`, made
by the sessions `env-tf112`, `env-tf215` and `env-tf2` of the package's own noxfile
(`migrate_session/verify/noxfile.py`, imported below: the same sessions make them for
`migrate-session verify` in its per-user cache). `verify` and `api` require them. They are
not part of `verify` because one step, in one process, must see the before-run (tf112) and
every after-run together to compare them. An env venv is installed once and then reused as
long as its stamp (Python version, requirements, constraints file) matches; a stale one is
reinstalled, except under `nox -R`, which skips installs.
`MIGRATE_SESSION_PYTHON_<ID>=/path/to/python` uses an env you already have instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))  # this checkout's migrate_session, whichever Python runs nox

from migrate_session.envs import ENVS
from migrate_session.verify import environments
from migrate_session.verify import noxfile as _env_sessions  # noqa: F401 (env-<id>)

nox.needs_version = ">=2025.2.9"  # requires=
# verify first: it makes the env venvs, so realcode and the real-TensorFlow unit tests run in
# the same `nox`.
nox.options.sessions = ["lint", "codemod", "verify", "realcode", "stress", "tests"]

DUMP_API = ROOT / "migrate_session" / "data" / "dump_api.py"
RUFF = "ruff==0.17.6"
MYPY = "mypy==2.4.1"
ENV_SESSIONS = [environments.session_name(env) for env in ENVS.values()]


def env_pythons(session: nox.Session, *, stale_ok: bool = False) -> dict[str, str]:
    """{env id: Python} of the envs made in nox's env dir (or named by MIGRATE_SESSION_PYTHON_<ID>);
    with `stale_ok`, also those `nox -R` kept out of date."""
    envdir = Path(session.cache_dir).parent  # nox's --envdir, where the env sessions made them
    return environments.available(ENVS, envdir, stale_ok=stale_ok)


@nox.session
def tests(session: nox.Session) -> None:
    """Unit tests (pytest). Tests that need real TensorFlow use the env venvs that are current."""
    session.install("-e", ".[test]")
    extra = {ENVS[env_id].variable: python for env_id, python in env_pythons(session).items()}
    session.run("pytest", *session.posargs, env=extra)


LIBCST_RANGE = ("1.1.0", "1.9.0")  # the oldest and newest libcst pyproject.toml allows
CODEMOD_TESTS = (
    "tests/test_rules.py", "tests/test_corpora.py", "tests/test_real_code_regressions.py",
    "tests/test_targets.py", "tests/test_scopes.py", "tests/test_positions.py", "tests/test_import_edits.py",
    "tests/test_module_facts.py", "tests/test_engine.py", "tests/test_notebook.py",
)


@nox.session
@nox.parametrize("libcst", LIBCST_RANGE)
def codemod(session: nox.Session, libcst: str) -> None:
    """The codemod's tests at each end of the libcst range pyproject.toml allows."""
    session.install("-e", ".[test]", f"libcst=={libcst}")
    session.run("pytest", "-q", *CODEMOD_TESTS, *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check over the repository, then mypy --strict over the package and tools/
    (pyproject.toml's [tool.mypy]). The package is installed with nox (``[verify]``) so that
    mypy sees the types of what it imports."""
    session.install(RUFF, MYPY, "-e", ".[verify]")
    session.run("ruff", "check", ".", *session.posargs)
    session.run("mypy")


@nox.session(requires=ENV_SESSIONS)
def verify(session: nox.Session) -> None:
    """Run each corpus case before/after migration in tf112, tf215 and tf2 and compare.

    `nox -s verify -- PATH...` does the same for your own scripts (files or folders), as
    `migrate-session verify PATH...` does from an install.
    `nox -s verify -- --update-golden` rewrites corpora/*/after_<target>.py.
    `nox -s verify -- --case NAME` runs one case. Reports: build/verify/report.{md,json}.
    """
    started = time.perf_counter()
    session.install("-e", ".")
    pythons = env_pythons(session, stale_ok=True)
    posargs, user_paths = _absolute_paths(session.posargs, Path(session.invoked_from))
    api_checks = [] if user_paths else _start_api_checks(pythons)
    args = [f"--env={env_id}={python}" for env_id, python in pythons.items()]
    if not user_paths:
        args += ["--corpus", "corpora"]
    try:
        session.run("migrate-session", "verify", *args, *posargs)
    finally:
        _finish_api_checks(session, api_checks)
    session.log(f"verify session: {time.perf_counter() - started:.1f} s in all")


@nox.session(requires=ENV_SESSIONS)
def realcode(session: nox.Session) -> None:
    """Migrate corpora/real for tf1 and tf2; resolve every TF/Keras name, keyword and method of
    the outputs in the envs of the target; fail on an unwarned failure or a false MS102/MS107.

    `nox -s realcode -- --report-only` prints without failing. Report: build/realcode/report.json;
    docs/real-code.md explains it.
    """
    started = time.perf_counter()
    session.install("-e", ".")
    pythons = env_pythons(session, stale_ok=True)
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


@nox.session(python=False, default=False, requires=ENV_SESSIONS)
def api(session: nox.Session) -> None:
    """Regenerate migrate_session/data/{api,calls}_<env>.json in each env; `-- --check` fails on drift.

    tf112 goes first: the other envs' keyword trials read its table (Keras 2.2.4's signatures).
    """
    check = "--check" in session.posargs
    envs = [a for a in session.posargs if a in ENVS] or list(ENVS)
    pythons = env_pythons(session, stale_ok=True)
    for env_id in sorted(envs, key=list(ENVS).index):
        python = pythons[env_id]
        mode = ["--check"] if check else []
        started = time.perf_counter()
        session.run(python, str(DUMP_API), "--env", env_id, *mode,
                    external=True, env={"TF_CPP_MIN_LOG_LEVEL": "2"})
        session.log(f"api {env_id}: {time.perf_counter() - started:.1f} s")


@nox.session(python=False, default=False)
def lock(session: nox.Session) -> None:
    """Re-resolve migrate_session/constraints/<env>.txt for tf215 / tf2 (`-- tf2`).

    What pip picks today. For tf2 this is how "newest TensorFlow" moves: the file pins
    today's newest tensorflow-cpu with its dependencies; re-lock, then run `nox -s api verify`.
    constraints/tf112.txt is kept by hand (see its header).
    """
    envs = [a for a in session.posargs if a in ENVS] or ["tf215", "tf2"]
    for env_id in envs:
        env = ENVS[env_id]
        if env_id == "tf112":
            session.error("constraints/tf112.txt is pinned by hand; edit it directly")
        interpreter = environments.find_interpreter(env.python)
        if interpreter is None:
            session.error(f"Python {env.python} not found: pyenv install {env.pyenv}")
        scratch = Path(session.create_tmp()) / f"lock-{env_id}"
        shutil.rmtree(scratch, ignore_errors=True)
        session.run(interpreter, "-m", "venv", str(scratch), external=True)
        python = shutil.which("python", path=scratch / ("Scripts" if os.name == "nt" else "bin"))
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
    session.run("python", "-m", "migrate_session.rule_docs", "docs/rules.md")
    session.run("python", "-m", "migrate_session.verify.matrix", "--report",
                "build/verify/report.json", "--doc", "docs/matrix.md", "--svg", "docs/matrix.svg",
                "--corpus", "corpora")


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Speed and memory next to bare libcst (benchmarks/README.md); `-- --repeat 5 --json OUT`."""
    session.install("-e", ".")
    session.run("python", "benchmarks/bench.py", *session.posargs)


@nox.session(requires=[environments.session_name(ENVS[env_id]) for env_id in ("tf112", "tf215")])
def stress(session: nox.Session) -> None:
    """Both targets over big real trees and generated modules; fails on a missed goal.

    In `nox` (and CI) the generated modules go up to 1.6 MB (about 3 minutes in all) and the
    cost-per-MB goals are printed, not failed on (a shared machine's timings are no test). Any
    arguments replace that: `nox -s stress -- --sizes 0.1,0.4,1.6,3.4` (all goals, about 5
    minutes, 2.2 GB peak); `--report-only`, `--json OUT` (benchmarks/stress.py --help).
    The tf112 and tf215 trees are TensorFlow's own sources in the env venvs.
    """
    session.install("-e", ".")
    pythons = [f"--python={env_id}={python}" for env_id, python in env_pythons(session).items()
               if env_id in ("tf112", "tf215")]
    # What `nox` (CI) runs; arguments of your own replace it.
    default = ["--sizes", "0.1,0.4,1.6", "--timing-report-only"]
    session.run("python", "benchmarks/stress.py", *pythons, *(session.posargs or default))
