"""The repository's noxfile: its sessions, and how `nox -s verify -- PATH` takes paths."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

pytest.importorskip("nox")

NOXFILE = Path(__file__).resolve().parent.parent / "noxfile.py"


@pytest.fixture(scope="module")
def noxfile():
    spec = importlib.util.spec_from_file_location("noxfile_under_test", NOXFILE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


def test_every_session_has_a_docstring(noxfile):
    import nox

    sessions = nox.registry.get()
    assert {"tests", "lint", "verify", "realcode", "api", "lock", "env-tf112", "env-tf215", "env-tf2"} <= set(sessions)
    assert all(func.__doc__ for func in sessions.values())


def test_verify_and_api_require_the_env_sessions(noxfile):
    import nox

    sessions = nox.registry.get()
    assert noxfile.ENV_SESSIONS == ["env-tf112", "env-tf215", "env-tf2"]
    assert sessions["verify"].requires == sessions["api"].requires == noxfile.ENV_SESSIONS
    assert sessions["tests"].requires == []  # unit tests alone never download TensorFlow


def test_user_paths_are_resolved_where_nox_was_started(noxfile, tmp_path):
    (tmp_path / "train.py").write_text("")
    (tmp_path / "b14").mkdir()
    args, paths = noxfile._absolute_paths(
        ["train.py", "--case", "b14", "--update-golden", "missing.py"], tmp_path)
    assert args == [str(tmp_path / "train.py"), "--case", "b14", "--update-golden", "missing.py"]
    assert paths == [str(tmp_path / "train.py")]


def test_plain_nox_runs_realcode_after_verify_which_makes_the_envs(noxfile):
    import nox

    order = nox.options.sessions
    assert "realcode" in order and order.index("verify") < order.index("realcode")


def test_plain_nox_tests_the_codemod_at_both_ends_of_the_libcst_range(noxfile):
    import re

    pyproject = (NOXFILE.parent / "pyproject.toml").read_text(encoding="utf-8")
    low, high = re.search(r'"libcst>=([\d.]+),<([\d.]+)"', pyproject).groups()
    oldest, newest = (tuple(map(int, v.split("."))) for v in noxfile.LIBCST_RANGE)
    assert oldest[:2] == tuple(map(int, low.split("."))) and newest < tuple(map(int, high.split(".")))
    assert "codemod" in noxfile.nox.options.sessions
