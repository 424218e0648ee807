"""The noxfile's env helper: interpreter discovery, reuse by stamp, the missing-Python message."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

pytest.importorskip("nox")

NOXFILE = Path(__file__).resolve().parent.parent / "noxfile.py"


@pytest.fixture(scope="module")
def loaded():
    spec = importlib.util.spec_from_file_location("noxfile_under_test", NOXFILE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


@pytest.fixture
def noxfile(loaded, tmp_path, monkeypatch):
    module = loaded
    monkeypatch.setattr(module, "ENV_DIR", tmp_path / ".nox")
    for env in module.ENVS.values():
        monkeypatch.delenv(env.variable, raising=False)
    return module


class FakeSession:
    class Stop(Exception):
        pass

    def __init__(self):
        self.commands, self.logs = [], []

    def log(self, text):
        self.logs.append(text)

    warn = log

    def error(self, text):
        raise self.Stop(text)

    def run(self, *args, **kwargs):
        self.commands.append(args)
        if args[1:3] == ("-m", "venv"):
            python = Path(args[3]) / "bin" / "python"
            python.parent.mkdir(parents=True)
            python.symlink_to(sys.executable)
        return True

    def run_install(self, *args, **kwargs):
        return None  # as under `nox -R`: installs skipped


def test_missing_interpreter_says_how_to_get_it(noxfile, monkeypatch):
    monkeypatch.setattr(noxfile, "find_interpreter", lambda version: None)
    with pytest.raises(FakeSession.Stop) as stop:
        noxfile.env_python(FakeSession(), "tf112")
    message = str(stop.value)
    assert "pyenv install 3.6.15" in message and "Python 3.6" in message
    assert "MIGRATE_SESSION_PYTHON_TF112" in message


def test_env_is_made_once_then_reused(noxfile, monkeypatch):
    monkeypatch.setattr(noxfile, "find_interpreter", lambda version: "/usr/bin/python3.6")
    session = FakeSession()
    python = noxfile.env_python(session, "tf112")
    installs = [c for c in session.commands if "install" in c]
    assert [c[-2:] for c in installs] == [("-U", "pip<22"), ("tensorflow==1.12.0", "keras==2.2.4")]
    assert "-c" in installs[1] and installs[1][installs[1].index("-c") + 1].endswith("tf112.txt")

    again = FakeSession()
    assert noxfile.env_python(again, "tf112") == python
    assert again.commands == [] and "installs skipped" in again.logs[0]


def test_stale_env_is_kept_under_reuse(noxfile, monkeypatch):
    monkeypatch.setattr(noxfile, "find_interpreter", lambda version: "/usr/bin/python3.11")
    noxfile.env_python(FakeSession(), "tf215")
    stamp = noxfile.ENVS["tf215"].location / "migrate-session-stamp"
    stamp.write_text("old\n")
    session = FakeSession()
    noxfile.env_python(session, "tf215")
    assert session.commands == [] and stamp.read_text() == "old\n"
    assert any("run without -R" in line for line in session.logs)


def test_existing_env_variable_wins(noxfile, monkeypatch):
    monkeypatch.setenv("MIGRATE_SESSION_PYTHON_TF2", "/somewhere/python")
    assert noxfile.env_python(FakeSession(), "tf2") == "/somewhere/python"


def test_no_create_returns_none_for_a_missing_env(noxfile):
    assert noxfile.env_python(FakeSession(), "tf2", create=False) is None


def test_find_interpreter_checks_the_version(noxfile):
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    found = noxfile.find_interpreter(version)
    assert found is None or Path(found).name.startswith("python")
    assert noxfile.find_interpreter("2.1") is None


def test_every_session_has_a_docstring(noxfile):
    import nox

    sessions = nox.registry.get()
    assert {"tests", "lint", "verify", "realcode", "api", "lock"} <= set(sessions)
    assert all(func.__doc__ for func in sessions.values())


def test_plain_nox_runs_realcode_after_verify_which_makes_the_envs(noxfile):
    import nox

    order = nox.options.sessions
    assert "realcode" in order and order.index("verify") < order.index("realcode")


def test_user_paths_are_resolved_where_nox_was_started(noxfile, tmp_path):
    (tmp_path / "train.py").write_text("")
    (tmp_path / "b14").mkdir()
    args, paths = noxfile._absolute_paths(
        ["train.py", "--case", "b14", "--update-golden", "missing.py"], tmp_path)
    assert args == [str(tmp_path / "train.py"), "--case", "b14", "--update-golden", "missing.py"]
    assert paths == [str(tmp_path / "train.py")]
