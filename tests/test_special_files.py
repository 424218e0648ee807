"""Files named `*.py` that are not regular files: reported and skipped, never opened blocking.

Each run is a real `migrate-session` process with a timeout: the failure these tests guard
against is a run that never ends (a FIFO blocks `open`) or that reads forever (`/dev/zero`).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from migrate_session.cli import EXIT_FAILED, EXIT_OK

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")

LEGACY = "from keras import backend as K\nK.clear_session()\n"
TIMEOUT = 30  # seconds; a healthy run over these trees takes well under 2


def run_apply(*args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            [sys.executable, "-m", "migrate_session", "apply", "--dry-run", *args],
            capture_output=True, text=True, timeout=TIMEOUT, check=False, stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as expired:
        pytest.fail(f"apply {' '.join(args)} still running after {TIMEOUT} s: {expired.stderr!r}")


def make_fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def make_socket(path: Path) -> Path:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()  # the socket file stays
    return path


def make_dev_zero_link(path: Path) -> Path:
    path.symlink_to("/dev/zero")
    return path


SPECIAL = {
    "fifo": (make_fifo, "not a regular file (FIFO)"),
    "socket": (make_socket, "not a regular file (socket)"),
    "dev_zero_link": (make_dev_zero_link, "not a regular file (character device, via symlink to /dev/zero)"),
}


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("kind", sorted(SPECIAL))
def test_a_special_file_in_a_tree_is_named_and_skipped(tmp_path, kind, jobs):
    make, reason = SPECIAL[kind]
    for index in range(10):  # enough files for worker processes with --jobs 2
        (tmp_path / f"good{index}.py").write_text(LEGACY)
    special = make(tmp_path / "x.py")
    done = run_apply(str(tmp_path), "--jobs", jobs)
    assert done.returncode == EXIT_FAILED, done.stderr
    assert f"{special}: error: {reason}" in done.stderr
    assert done.stdout.count("+from tensorflow.keras import backend as K") == 10, "the run goes on"


@pytest.mark.parametrize("kind", sorted(SPECIAL))
def test_a_special_file_named_on_the_command_line_is_named_and_skipped(tmp_path, kind):
    make, reason = SPECIAL[kind]
    special = make(tmp_path / "x.py")
    good = tmp_path / "good.py"
    good.write_text(LEGACY)
    done = run_apply(str(special), str(good))
    assert done.returncode == EXIT_FAILED, done.stderr
    assert f"{special}: error: {reason}" in done.stderr
    assert f"+++ {good}" in done.stdout


def test_a_directory_named_like_a_module_is_walked_not_read(tmp_path):
    package = tmp_path / "x.py"
    package.mkdir()
    (package / "inner.py").write_text(LEGACY)
    for root in (tmp_path, package):
        done = run_apply(str(root))
        assert done.returncode == EXIT_OK, done.stderr
        assert f"+++ {package / 'inner.py'}" in done.stdout


def test_read_source_refuses_a_fifo_without_blocking(tmp_path):
    from migrate_session.engine import NotARegularFile, read_source

    fifo = make_fifo(tmp_path / "x.py")
    with pytest.raises(NotARegularFile) as raised:
        read_source(fifo)  # would block forever in open() without O_NONBLOCK
    assert raised.value.strerror == "not a regular file (FIFO)"
