"""Where the TensorFlow envs live, how they are found, and the nox session that makes them
(``migrate_session/verify/noxfile.py``), driven here by a fake session: nothing is installed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from migrate_session.envs import ENVS, SOURCE_ENV, TARGET_ENVS
from migrate_session.verify import environments
from migrate_session.verify.environments import EnvError

pytest.importorskip("nox")
from migrate_session.verify import noxfile as env_sessions

TF112 = ENVS["tf112"]


def test_the_table_says_which_envs_each_target_claims():
    assert TARGET_ENVS == {"tf1": ("tf112",), "tf2": ("tf215", "tf2")}
    assert SOURCE_ENV in ENVS
    assert all(env.constraints.is_file() for env in ENVS.values())
    assert [env.id for env in ENVS.values() if env.keras3] == ["tf2"]


@pytest.mark.parametrize(("environ", "expected"), [
    ({"MIGRATE_SESSION_HOME": "/m", "XDG_CACHE_HOME": "/x"}, Path("/m")),
    ({"XDG_CACHE_HOME": "/x"}, Path("/x/migrate-session")),
    ({}, Path.home() / ".cache" / "migrate-session"),
], ids=["home", "xdg", "default"])
def test_home_is_chosen_as_pre_commit_chooses_its_own(environ, expected):
    assert environments.home(environ) == expected


def fake_python(path: Path, version: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho {version}\n")
    path.chmod(0o755)
    return str(path)


def test_a_pyenv_python_is_found_even_when_pyenv_has_it_inactive(tmp_path):
    root = tmp_path / "pyenv"
    fake_python(root / "versions" / "3.6.9" / "bin" / "python3.6", "3.6")
    newest = fake_python(root / "versions" / "3.6.15" / "bin" / "python3.6", "3.6")
    # an inactive version's shim only prints an error: it must not be taken
    fake_python(root / "shims" / "python3.6", "pyenv: python3.6: command not found")
    environ = {"PYENV_ROOT": str(root), "PATH": str(root / "shims")}
    assert environments.find_interpreter("3.6", environ) == newest
    assert environments.find_interpreter("3.7", environ) is None


def test_a_python_on_path_comes_first_and_is_checked(tmp_path):
    on_path = fake_python(tmp_path / "bin" / "python3.6", "3.6")
    environ = {"PYENV_ROOT": str(tmp_path / "none"), "PATH": str(tmp_path / "bin")}
    assert environments.find_interpreter("3.6", environ) == on_path
    fake_python(tmp_path / "bin" / "python3.6", "2.7")  # lies about its name
    assert environments.find_interpreter("3.6", environ) is None


class FakeSession:
    """What `make_env` uses of a nox session; `bin` is a venv whose python is this one."""

    class Stop(Exception):
        pass

    def __init__(self, venv: Path, skip_installs: bool = False):
        self.bin = str(venv / "bin")
        if not (venv / "bin" / "python").exists():
            (venv / "bin").mkdir(parents=True)
            (venv / "bin" / "python").symlink_to(sys.executable)
        self.skip_installs = skip_installs
        self.installs, self.logs = [], []

    def log(self, text):
        self.logs.append(text)

    warn = log

    def error(self, text):
        raise self.Stop(text)

    def run_install(self, *args, **kwargs):
        if self.skip_installs:  # as under `nox -R` in a reused venv
            return None
        self.installs.append(args)
        return True


def test_env_is_made_once_then_reused(tmp_path):
    session = FakeSession(tmp_path / "env-tf112")
    env_sessions.make_env(session, TF112, "/usr/bin/python3.6")
    assert [args[-2:] for args in session.installs] == [
        ("-U", "pip<22"), ("tensorflow==1.12.0", "keras==2.2.4")]
    constraints = session.installs[1][session.installs[1].index("-c") + 1]
    assert Path(constraints) == TF112.constraints
    python = environments.recorded(TF112, tmp_path)
    assert python == str(tmp_path / "env-tf112" / "bin" / "python")

    again = FakeSession(tmp_path / "env-tf112")
    env_sessions.make_env(again, TF112, "/usr/bin/python3.6")
    assert again.installs == [] and "installs skipped" in again.logs[0]
    assert environments.recorded(TF112, tmp_path) == python


def test_a_stale_env_is_updated_or_kept_under_reuse(tmp_path):
    env_sessions.make_env(FakeSession(tmp_path / "env-tf112"), TF112, "/usr/bin/python3.6")
    stamp = tmp_path / "env-tf112" / environments.STAMP
    stamp.write_text("old\n")
    assert environments.recorded(TF112, tmp_path) is None

    kept = FakeSession(tmp_path / "env-tf112", skip_installs=True)
    env_sessions.make_env(kept, TF112, "/usr/bin/python3.6")
    assert stamp.read_text() == "old\n" and any("run without -R" in line for line in kept.logs)
    assert environments.recorded(TF112, tmp_path, stale_ok=True) is not None

    updated = FakeSession(tmp_path / "env-tf112")
    env_sessions.make_env(updated, TF112, "/usr/bin/python3.6")
    assert len(updated.installs) == 2 and environments.recorded(TF112, tmp_path) is not None


def test_missing_interpreter_says_how_to_get_it(tmp_path):
    with pytest.raises(FakeSession.Stop) as stop:
        env_sessions.make_env(FakeSession(tmp_path / "env-tf112"), TF112, None)
    message = str(stop.value)
    assert "pyenv install 3.6.15" in message and "Python 3.6" in message
    assert "MIGRATE_SESSION_PYTHON_TF112" in message


def test_an_env_given_by_variable_is_not_managed(tmp_path):
    session = FakeSession(tmp_path / "env-tf112")
    env_sessions.make_env(session, TF112, None, override="/somewhere/python")
    assert session.installs == [] and "not managed" in session.logs[0]
    assert environments.recorded(TF112, tmp_path) is None


def test_every_env_has_a_session_with_a_docstring():
    import nox

    sessions = nox.registry.get()
    for env in ENVS.values():
        func = sessions[environments.session_name(env)]
        assert func.__doc__ and not func.default and func.venv_backend == "venv"


# --- ensure: what `migrate-session verify` does before it runs anything -----------------------
@pytest.fixture
def no_nox(monkeypatch):
    """Fails the test if nox is run."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"nox was run: {args}")
    monkeypatch.setattr(environments.subprocess, "run", refuse)


def test_given_and_current_envs_need_no_nox(tmp_path, no_nox):
    env_sessions.make_env(FakeSession(tmp_path / "env-tf112"), TF112, "/usr/bin/python3.6")
    environ = {"MIGRATE_SESSION_PYTHON_TF215": "/a/python", "MIGRATE_SESSION_PYTHON_TF2": "/b/python"}
    assert environments.ensure(list(ENVS), tmp_path, environ) == {
        "tf112": str(tmp_path / "env-tf112" / "bin" / "python"),
        "tf215": "/a/python", "tf2": "/b/python",
    }


def test_ensure_runs_the_env_sessions_it_lacks_with_nox(tmp_path, monkeypatch):
    commands = []

    def nox_makes_them(command, **kwargs):
        commands.append(command)
        for name in command[command.index("--sessions") + 1:]:
            env = ENVS[name.removeprefix("env-")]
            env_sessions.make_env(FakeSession(tmp_path / name), env, "/usr/bin/python")
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(environments.subprocess, "run", nox_makes_them)
    monkeypatch.setattr(environments, "find_interpreter", lambda version, environ=None: "/py")
    logs = []
    pythons = environments.ensure(["tf215", "tf2"], tmp_path, {}, log=logs.append)
    assert pythons == {"tf215": str(tmp_path / "env-tf215" / "bin" / "python"),
                       "tf2": str(tmp_path / "env-tf2" / "bin" / "python")}
    (command,) = commands
    assert command[:3] == [sys.executable, "-m", "nox"]
    assert command[command.index("--noxfile") + 1] == str(environments.NOXFILE)
    assert command[command.index("--envdir") + 1] == str(tmp_path)
    assert "once: later runs reuse them" in logs[0]
    assert environments.ensure(["tf215", "tf2"], tmp_path, {}) == pythons  # no second nox run
    assert len(commands) == 1


def test_ensure_says_when_nox_could_not_make_an_env(tmp_path, monkeypatch):
    monkeypatch.setattr(environments.subprocess, "run",
                        lambda command, **kwargs: subprocess.CompletedProcess(command, 1))
    monkeypatch.setattr(environments, "find_interpreter", lambda version, environ=None: "/py")
    with pytest.raises(EnvError, match="nox could not make env tf2 .*exit status 1"):
        environments.ensure(["tf2"], tmp_path, {})


def test_ensure_says_how_to_get_a_missing_python(tmp_path, monkeypatch, no_nox):
    monkeypatch.setattr(environments, "find_interpreter", lambda version, environ=None: None)
    with pytest.raises(EnvError, match=r"pyenv install 3\.6\.15"):
        environments.ensure(["tf112"], tmp_path, {})


def test_ensure_says_how_to_get_nox(tmp_path, monkeypatch, no_nox):
    monkeypatch.setattr(environments, "find_interpreter", lambda version, environ=None: "/py")
    monkeypatch.setattr(environments.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(EnvError, match=r"needs nox: pip install 'migrate-session\[verify\]'"):
        environments.ensure(["tf2"], tmp_path, {})
