"""The environments verification runs in, one nox session each (``env-tf112``, ...).

``migrate-session verify`` runs this file with ``--envdir`` set to its per-user cache for the
envs it lacks (``environments.ensure``); the repository's noxfile imports it, so that
``nox -s verify`` makes the same envs in ``.nox``. A session makes (or reuses) a venv of the
env's Python, installs the requirements under the env's constraints unless the venv's stamp
says they are in already, and records where the env's Python is.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

from migrate_session.envs import ENVS, Env
from migrate_session.verify import environments


def make_env(session: nox.Session, env: Env, interpreter: str | None, override: str | None = None) -> None:
    """The body of session ``env-<id>``: ``interpreter`` made its venv (None: none was found)."""
    if override:
        session.log(f"env {env.id}: ${env.variable} = {override} (not managed)")
        return
    if interpreter is None:
        session.error(environments.missing_interpreter(env))
    venv = Path(session.bin).parent
    wanted = environments.stamp(env)
    if environments.read_stamp(venv) == wanted:
        session.log(f"env {env.id}: up to date in {venv} (installs skipped)")
    elif _install(session, env) is None:
        session.warn(f"env {env.id}: kept as it is (--no-install); run without -R to update")
    else:
        (venv / environments.STAMP).write_text(wanted + "\n", encoding="utf-8")
    environments.record(env, venv.parent, shutil.which("python", path=session.bin))


def _register(env: Env) -> None:
    override = os.environ.get(env.variable)
    interpreter = None if override else environments.find_interpreter(env.python)

    def session_function(session: nox.Session) -> None:
        make_env(session, env, interpreter, override)

    session_function.__doc__ = (
        f"Make or update env {env.id}: Python {env.python}, {' '.join(env.requirements)}.")
    # Without its Python the session still runs (with no venv) to say how to get one.
    nox.session(name=environments.session_name(env), python=interpreter or False,
                venv_backend="venv", reuse_venv=True, default=False)(session_function)


def _install(session: nox.Session, env: Env) -> str | bool | None:
    """None when nox skipped the installs (``-R`` on a reused venv)."""
    if env.pip and session.run_install("python", "-m", "pip", "install", "-q", "-U", env.pip) is None:
        return None
    return session.run_install("python", "-m", "pip", "install", "-q", "-c", str(env.constraints),
                               *env.requirements)


for _env in ENVS.values():
    _register(_env)
