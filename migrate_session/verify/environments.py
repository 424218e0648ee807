"""Where the environments of ``envs.ENVS`` live, and making them with nox.

An env is a venv that nox makes in an env directory: the per-user cache (``home()``) for
``migrate-session verify``, the repository's ``.nox`` for its own noxfile. Both run the same
session of the shipped ``verify/noxfile.py``, ``env-<id>``: it installs the requirements under
the env's constraints, stamps the venv with a hash of what it installed (``stamp``), and
records where the env's Python is (``<envdir>/env-<id>.json``, since nox may shorten a long
venv path to a hash). An env whose record and stamp are current is used without running nox.
``MIGRATE_SESSION_PYTHON_<ID>`` names an env you already have; nothing is installed into it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from migrate_session.envs import ENVS, Env

HOME_VARIABLE = "MIGRATE_SESSION_HOME"
NOXFILE = Path(__file__).resolve().with_name("noxfile.py")
STAMP = "migrate-session-stamp"  # in the venv: nox deletes it with the venv


class EnvError(Exception):
    """An env cannot be had; the message says what to do."""


def home(environ: Mapping[str, str] = os.environ) -> Path:
    """The per-user env directory, as pre-commit chooses its own: ``$MIGRATE_SESSION_HOME``,
    else ``$XDG_CACHE_HOME/migrate-session``, else ``~/.cache/migrate-session``."""
    if environ.get(HOME_VARIABLE):
        return Path(environ[HOME_VARIABLE]).expanduser()
    if environ.get("XDG_CACHE_HOME"):
        return Path(environ["XDG_CACHE_HOME"]).expanduser() / "migrate-session"
    return Path.home() / ".cache" / "migrate-session"


def session_name(env: Env) -> str:
    return f"env-{env.id}"


def stamp(env: Env) -> str:
    """What an env was installed from; a venv stamped otherwise is out of date."""
    data = {
        "python": env.python,
        "pip": env.pip,
        "requirements": env.requirements,
        "constraints": env.constraints.read_text(encoding="utf-8"),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def record(env: Env, envdir: Path, python: str | None) -> None:
    """Say where env's Python is (the env session calls this once the venv is ready; None, as
    ``recorded`` reads it: there is none)."""
    _record_path(env, envdir).write_text(json.dumps({"python": python}) + "\n", encoding="utf-8")


def recorded(env: Env, envdir: Path, *, stale_ok: bool = False) -> str | None:
    """The Python of the env made in ``envdir``: None when there is none, or when its stamp
    is out of date unless ``stale_ok`` (what ``nox -R`` kept on purpose)."""
    try:
        python = json.loads(_record_path(env, envdir).read_text(encoding="utf-8"))["python"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(python, str) or not Path(python).exists():
        return None
    if stale_ok or read_stamp(Path(python).parent.parent) == stamp(env):
        return python
    return None


def read_stamp(venv: Path) -> str | None:
    try:
        return (venv / STAMP).read_text(encoding="utf-8").strip()
    except OSError:
        return None


def _record_path(env: Env, envdir: Path) -> Path:
    return Path(envdir) / f"{session_name(env)}.json"


def available(env_ids: Iterable[str], envdir: Path, environ: Mapping[str, str] = os.environ,
              *, stale_ok: bool = False) -> dict[str, str]:
    """The Pythons of the envs one can run now: the ``MIGRATE_SESSION_PYTHON_<ID>`` ones,
    then those made in ``envdir``; an env that is neither is left out."""
    found = {}
    for env_id in env_ids:
        env = ENVS[env_id]
        python = environ.get(env.variable) or recorded(env, envdir, stale_ok=stale_ok)
        if python:
            found[env_id] = python
    return found


def ensure(env_ids: Iterable[str], envdir: Path, environ: Mapping[str, str] = os.environ,
           log: Callable[[str], None] = print) -> dict[str, str]:
    """The Python of every env in ``env_ids``, running nox first for those not made yet or
    out of date. Raises EnvError (saying what to do) when one cannot be had."""
    env_ids = list(env_ids)
    found = available(env_ids, envdir, environ)
    todo = [ENVS[env_id] for env_id in env_ids if env_id not in found]
    if not todo:
        return found
    for env in todo:
        if find_interpreter(env.python) is None:
            raise EnvError(missing_interpreter(env))
    if importlib.util.find_spec("nox") is None:
        raise EnvError(
            f"making the {', '.join(env.id for env in todo)} environment(s) needs nox: "
            "pip install 'migrate-session[verify]' (or point "
            f"{', '.join('$' + env.variable for env in todo)} at envs you already have)"
        )
    log(f"making or updating {', '.join(env.id for env in todo)} in {envdir} with nox "
        "(once: later runs reuse them)")
    command = [sys.executable, "-m", "nox", "--noxfile", str(NOXFILE), "--envdir", str(envdir),
               "--sessions", *(session_name(env) for env in todo)]
    finished = subprocess.run(command, env=dict(environ), check=False)
    for env in todo:
        python = recorded(env, envdir)
        if python is None:
            raise EnvError(f"nox could not make env {env.id} in {envdir} (exit status "
                           f"{finished.returncode}; its output above says why)")
        found[env.id] = python
    return {env_id: found[env_id] for env_id in env_ids}


def missing_interpreter(env: Env) -> str:
    return (
        f"env {env.id} needs Python {env.python} ({env.why}); none found as "
        f"python{env.python} on PATH or under $(pyenv root)/versions. Get it with:\n"
        f"    pyenv install {env.pyenv}\n"
        f"(or install python{env.python} from your OS), then run again. "
        f"Or point ${env.variable} at the Python of an env you already have."
    )


def find_interpreter(version: str, environ: Mapping[str, str] = os.environ) -> str | None:
    """``python<version>`` (major.minor) on PATH, else the newest such Python installed under
    pyenv; checked by running it. pyenv's versions are looked at directly, whether or not
    pyenv has them active (its shims answer only for active ones, and slowly)."""
    pyenv_root = Path(environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    candidates = []
    on_path = shutil.which(f"python{version}", path=environ.get("PATH"))
    if on_path and Path(on_path).parent != pyenv_root / "shims":
        candidates.append(on_path)
    versions = pyenv_root / "versions"
    if versions.is_dir():
        found = versions.glob(f"{version}.*/bin/python{version}")
        candidates += sorted(map(str, found), key=_version_key, reverse=True)
    for candidate in candidates:
        try:
            out = subprocess.run(
                [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                capture_output=True, text=True, timeout=30, check=False,
            ).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            continue
        if out == version:
            return candidate
    return None


def _version_key(path: str) -> tuple[int, ...]:
    name = Path(path).parent.parent.name
    return tuple(int(p) if p.isdigit() else -1 for p in name.split("."))
