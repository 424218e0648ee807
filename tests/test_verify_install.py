"""`migrate-session verify` from a wheel installed in a fresh venv, run outside the checkout.

The wheel is built from a copy of the package (the checkout gets no `build/`), installed with
its dependencies into a new venv in a temporary folder, and run there on scripts of that
folder, in the real TensorFlow envs named by ``MIGRATE_SESSION_PYTHON_TF112`` / ``_TF215`` /
``_TF2`` (the test is skipped without them, saying so; `nox` sets them for `nox -s tests`
once `nox -s verify` has made the envs, so CI always runs it). About 40 s.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from migrate_session.envs import ENVS

ROOT = Path(__file__).resolve().parent.parent
PYTHONS = {env.id: os.environ.get(env.variable) for env in ENVS.values()}
pytestmark = pytest.mark.skipif(
    not all(PYTHONS.values()),
    reason="needs the real TF envs: set " + ", ".join(env.variable for env in ENVS.values())
    + " (`nox -s tests` does once `nox -s verify` has made them)",
)

NOISE = "import random\nprint(random.random())\n"  # unseeded: differs between any two runs


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A folder outside the checkout with `venv/`, made from a freshly built wheel."""
    place = tmp_path_factory.mktemp("install")
    source = place / "source"
    shutil.copytree(ROOT / "migrate_session", source / "migrate_session",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w",
                    str(place / "dist"), str(source)], check=True)
    (wheel,) = (place / "dist").glob("migrate_session-*.whl")
    subprocess.run([sys.executable, "-m", "venv", str(place / "venv")], check=True)
    subprocess.run([str(place / "venv" / "bin" / "python"), "-m", "pip", "install", "-q",
                    str(wheel)], check=True)
    shutil.rmtree(source)
    return place


def verify(place: Path, *args: str, environ: dict | None = None) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items()
           if key != "PYTHONPATH" and not key.startswith("MIGRATE_SESSION_")}
    env.update({"MIGRATE_SESSION_HOME": str(place / "home"), "TF_CPP_MIN_LOG_LEVEL": "2"})
    env.update(environ if environ is not None else
               {ENVS[env_id].variable: python for env_id, python in PYTHONS.items()})
    return subprocess.run([str(place / "venv" / "bin" / "migrate-session"), "verify", *args],
                          cwd=place, env=env, capture_output=True, text=True, timeout=900,
                          check=False)


def test_the_installed_package_is_not_the_checkout(installed):
    where = subprocess.run(
        [str(installed / "venv" / "bin" / "python"), "-c",
         "import migrate_session.verify.noxfile as m; print(m.__file__)"],
        cwd=installed, capture_output=True, text=True, check=False)
    # nox is not installed without the [verify] extra, and the package is the venv's own
    assert "ModuleNotFoundError: No module named 'nox'" in where.stderr
    package = subprocess.run(
        [str(installed / "venv" / "bin" / "python"), "-c",
         "import migrate_session; print(migrate_session.__file__)"],
        cwd=installed, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(package).is_relative_to(installed / "venv") and ROOT not in Path(package).parents


def test_a_script_is_verified_from_the_install(installed):
    shutil.copyfile(ROOT / "corpora" / "b28_reset_keras_recipe" / "before.py",
                    installed / "train.py")
    done = verify(installed, "train.py")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "verify (paths): 1 case(s): 2 equal, 1 n/a; 0 unexpected" in done.stdout
    report = installed / "build" / "verify" / "paths"
    table = (report / "report.md").read_text(encoding="utf-8")
    assert "| train.py | equal |" in table and "| train.py | equal | n/a (MS101) |" in table
    data = json.loads((report / "report.json").read_text(encoding="utf-8"))
    assert data["ok"] and data["mode"] == "paths"
    assert {env: info["tensorflow"][:4] for env, info in data["envs"].items()} == {
        "tf112": "1.12", "tf215": "2.15", "tf2": "2.21"}
    assert not (installed / "home").exists()  # every env was given: nothing was made


def test_an_unexpected_outcome_exits_1(installed):
    (installed / "noise.py").write_text(NOISE)
    done = verify(installed, "noise.py")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "UNEXPECTED noise.py tf1 on tf112: differs: stdout (expected equal)" in done.stdout


def test_no_run_without_a_python_for_an_env(installed):
    """Only tf112's Python is missing (no pyenv, not on PATH): the message says how to get it."""
    given = {ENVS[env_id].variable: PYTHONS[env_id] for env_id in ("tf215", "tf2")}
    given.update(PYENV_ROOT=str(installed / "no-pyenv"), PATH=str(installed / "venv" / "bin"))
    (installed / "noise.py").write_text(NOISE)
    done = verify(installed, "noise.py", environ=given)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "env tf112 needs Python 3.6" in done.stderr and "pyenv install 3.6.15" in done.stderr
    assert "MIGRATE_SESSION_PYTHON_TF112" in done.stderr


def test_making_an_env_needs_the_verify_extra(installed):
    """A Python 3.6 is there (a stand-in) but nox is not: the message names the extra."""
    fake = installed / "pyenv" / "versions" / "3.6.15" / "bin" / "python3.6"
    fake.parent.mkdir(parents=True)
    fake.write_text("#!/bin/sh\necho 3.6\n")
    fake.chmod(0o755)
    given = {ENVS[env_id].variable: PYTHONS[env_id] for env_id in ("tf215", "tf2")}
    given.update(PYENV_ROOT=str(installed / "pyenv"), PATH=str(installed / "venv" / "bin"))
    done = verify(installed, "noise.py", environ=given)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "pip install 'migrate-session[verify]'" in done.stderr
