"""The pre-commit hooks (.pre-commit-hooks.yaml), run by the real `pre-commit` on temporary repos.

The hook repository is a snapshot of the working tree these tests run from (tracked files and
new, not ignored ones), committed in a temporary repo: `pre-commit try-repo` on the checkout
itself would leave out files that are not yet added to git. pre-commit pip-installs the
snapshot into a hook env (PyPI must be reachable); `try-repo` builds that env in a temporary
store every time, `pre-commit run` with a config builds it once in the shared PRE_COMMIT_HOME.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "guide.md"

LEGACY = "from keras import backend as K\nK.clear_session()\n"
MIGRATED_TF2 = "from tensorflow.keras import backend as K\nK.clear_session()\n"
CLEAN = "import tensorflow as tf\n\ntf.keras.backend.clear_session()\n"
SESSION = (
    "import tensorflow as tf\n"
    "from keras import backend as K\n"
    "\n"
    "K.clear_session()\n"
    "K.set_session(tf.Session())\n"
)

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "test@example.com",
}


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE", "SKIP")}
    return dict(env, **GIT_IDENTITY, PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
        cwd=cwd, env=dict(os.environ, **GIT_IDENTITY), check=True, capture_output=True,
        text=True,
    ).stdout


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> tuple[Path, str]:
    """(path, commit) of a git repo holding the working tree as it is now."""
    if not (ROOT / ".git").exists():
        pytest.skip(f"{ROOT} is not a git checkout: nothing to snapshot")
    snapshot = tmp_path_factory.mktemp("hook-repo")
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # deleted-but-tracked files are listed too
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / name)
    git(snapshot, "init", "-q")
    git(snapshot, "add", "-A")
    git(snapshot, "commit", "-q", "-m", "snapshot of the working tree")
    return snapshot, git(snapshot, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="module")
def precommit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def project(root: Path, files: dict[str, str]) -> Path:
    """A git repo with `files` written and staged (not committed, as before a commit)."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    git(root, "add", "-A")
    return root


def pre_commit(cwd: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=_env(home),
        capture_output=True, text=True, timeout=600, check=False,
    )


def config(tmp_path: Path, hook_repo: tuple[Path, str], hooks: list[dict]) -> Path:
    """A .pre-commit-config.yaml outside the project, pinned to the snapshot's commit."""
    path, rev = hook_repo
    file = tmp_path / "pre-commit-config.yaml"
    file.write_text(yaml.safe_dump({"repos": [{"repo": str(path), "rev": rev, "hooks": hooks}]}))
    return file


def run_hooks(tmp_path, hook_repo, home, cwd, hooks) -> subprocess.CompletedProcess:
    cfg = config(tmp_path, hook_repo, hooks)
    return pre_commit(cwd, home, "run", "--all-files", "--config", str(cfg))


def test_try_repo_check_hook_fails_on_standalone_keras(tmp_path, hook_repo, precommit_home):
    repo = project(tmp_path / "repo", {"train.py": LEGACY, "clean.py": CLEAN})
    result = pre_commit(repo, precommit_home, "try-repo", str(hook_repo[0]), "migrate-session",
                        "--all-files")
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert re.search(r"migrate-session \(check\)\.+Failed", out), out
    assert "train.py:1:1 MS001 moved to `tensorflow.keras`: backend" in out
    assert "clean.py" not in out  # no finding for the clean file
    assert re.search(r"\b2 files\b", out), out  # both files were handed to the tool
    assert (repo / "train.py").read_text() == LEGACY  # check mode writes nothing


def test_check_hook_passes_on_migrated_and_clean_files(tmp_path, hook_repo, precommit_home):
    repo = project(tmp_path / "repo", {"train.py": MIGRATED_TF2, "clean.py": CLEAN})
    result = run_hooks(tmp_path, hook_repo, precommit_home, repo, [{"id": "migrate-session"}])
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert re.search(r"migrate-session \(check\)\.+Passed", out), out


def test_apply_hook_rewrites_and_pre_commit_fails_the_commit(tmp_path, hook_repo, precommit_home):
    repo = project(tmp_path / "repo", {"train.py": LEGACY, "clean.py": CLEAN})
    result = run_hooks(tmp_path, hook_repo, precommit_home, repo,
                       [{"id": "migrate-session-apply"}])
    out = result.stdout + result.stderr
    # the tool exits 0 after rewriting; pre-commit fails the hook because files changed
    assert result.returncode == 1, out
    assert "- files were modified by this hook" in out
    assert "exit code" not in out
    assert (repo / "train.py").read_text() == MIGRATED_TF2
    assert (repo / "clean.py").read_text() == CLEAN

    git(repo, "add", "-A")  # what the user does after reviewing the rewrite
    again = run_hooks(tmp_path, hook_repo, precommit_home, repo, [{"id": "migrate-session"}])
    assert again.returncode == 0, again.stdout + again.stderr


def test_target_is_chosen_with_args(tmp_path, hook_repo, precommit_home):
    repo = project(tmp_path / "repo", {"tf1.py": SESSION, "tf2.py": SESSION})
    for target in ("tf1", "tf2"):
        hook = {"id": "migrate-session-apply", "args": ["--target", target],
                "files": rf"^{target}\.py$"}
        result = run_hooks(tmp_path, hook_repo, precommit_home, repo, [hook])
        assert f"target {target}" in result.stdout, result.stdout + result.stderr
    assert (repo / "tf1.py").read_text().endswith("\nK.set_session(tf.Session())\n")
    assert (repo / "tf2.py").read_text() == "from tensorflow.keras import backend as K\n\nK.clear_session()\n"


def test_check_hook_is_given_notebooks(tmp_path, hook_repo, precommit_home):
    cell = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
            "id": "c1", "source": LEGACY.splitlines(keepends=True)}
    notebook = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    repo = project(tmp_path / "repo", {"nb.ipynb": json.dumps(notebook), "notes.txt": LEGACY})
    cfg = config(tmp_path, hook_repo, [{"id": "migrate-session"}])
    result = pre_commit(repo, precommit_home, "run", "--all-files", "--verbose", "--config",
                        str(cfg))
    out = result.stdout + result.stderr
    assert re.search(r"\b1 files?\b", out), out  # the notebook, not notes.txt (types_or)
    if importlib.util.find_spec("migrate_session.notebook") is not None:
        assert result.returncode == 1, out
        assert "nb.ipynb:cell 1:line 1:col 1 MS001" in out


def test_the_guides_config_snippet_runs(tmp_path, hook_repo, precommit_home):
    snippets = re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    documented = [yaml.safe_load(s) for s in snippets if ".pre-commit-config" in s or "rev:" in s]
    assert documented, "docs/guide.md has no .pre-commit-config.yaml snippet"
    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    ids = {hook["id"] for hook in manifest}
    for snippet in documented:
        (entry,) = snippet["repos"]
        assert {"repo", "rev", "hooks"} <= set(entry)
        assert {hook["id"] for hook in entry["hooks"]} <= ids
    entry = documented[0]["repos"][0]
    path, rev = hook_repo
    entry.update(repo=str(path), rev=rev)
    cfg = tmp_path / "pre-commit-config.yaml"
    cfg.write_text(yaml.safe_dump(documented[0]))
    repo = project(tmp_path / "repo", {"train.py": LEGACY})
    result = pre_commit(repo, precommit_home, "run", "--all-files", "--config", str(cfg))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "train.py:1:1 MS001" in result.stdout
    assert (repo / "train.py").read_text() == LEGACY
