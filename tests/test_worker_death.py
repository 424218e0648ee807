"""Worker processes die with the run: `kill -9` of the main process (or the OOM killer choosing
it) must not leave workers behind, asleep and holding their memory. Real processes only."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")

START_METHODS = [m for m in ("fork", "spawn", "forkserver") if m in multiprocessing.get_all_start_methods()]
GRACE = 5.0  # seconds the workers get to notice


def parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def is_alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits to be collected


def descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            parent = parent_of(int(entry.name))
            if parent is not None:
                children.setdefault(parent, []).append(int(entry.name))
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def kill_and_check_workers(main: subprocess.Popen, workers_expected: int) -> None:
    try:
        assert wait_for(lambda: len(descendants(main.pid)) >= workers_expected, 60), (
            f"the run never started {workers_expected} worker processes"
        )
        workers = descendants(main.pid)
        os.kill(main.pid, signal.SIGKILL)
        main.wait()
        wait_for(lambda: not any(map(is_alive, workers)), GRACE)
        survivors = sorted(pid for pid in workers if is_alive(pid))
    finally:
        if main.poll() is None:
            main.kill()
            main.wait()
    for pid in survivors:  # do not leave them to the next test either
        os.kill(pid, signal.SIGKILL)
    assert not survivors, f"worker processes {survivors} outlived the killed run by {GRACE} s"


def big_module(functions: int) -> str:
    body = "".join(f"def trial_{i}():\n    K.clear_session()\n    return {i}\n" for i in range(functions))
    return "from keras import backend as K\n\n\n" + body


def test_apply_workers_die_with_a_killed_run(tmp_path):
    text = big_module(3000)  # about 2 s of work each: the workers are busy when the run is killed
    for index in range(12):
        (tmp_path / f"m{index:02}.py").write_text(text)
    main = subprocess.Popen(
        [sys.executable, "-m", "migrate_session", "apply", "--jobs", "2", "--quiet", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
    )
    kill_and_check_workers(main, workers_expected=2)


SCHEDULER_RUN = textwrap.dedent("""\
    import multiprocessing, os, sys, time
    from migrate_session import scheduler
    from migrate_session.scheduler import run_ordered

    if __name__ == "__main__":
        context = multiprocessing.get_context(sys.argv[1])
        if "--portable" in sys.argv:  # what other systems get: no prctl, no pidfd (fork copies this)
            scheduler._kernel_signals_parent_death = lambda: False
            del os.pidfd_open
        for done in run_ordered(time.sleep, [60.0] * 20, jobs=2, mp_context=context):
            pass
""")


@pytest.mark.parametrize("method", START_METHODS)
def test_scheduler_workers_die_with_their_parent(tmp_path, method):
    script = tmp_path / "run.py"
    script.write_text(SCHEDULER_RUN)
    main = subprocess.Popen([sys.executable, str(script), method], stdin=subprocess.DEVNULL)
    # forkserver: the fork server is the workers' parent and a child of the run itself
    kill_and_check_workers(main, workers_expected=3 if method == "forkserver" else 2)


def test_without_prctl_and_pidfd_a_thread_polls_for_the_run(tmp_path):
    script = tmp_path / "run.py"
    script.write_text(SCHEDULER_RUN)
    main = subprocess.Popen([sys.executable, str(script), "fork", "--portable"], stdin=subprocess.DEVNULL)
    kill_and_check_workers(main, workers_expected=2)


def test_a_file_run_alone_dies_with_its_parent_too(tmp_path):
    """After a pool breaks, the files in flight run one process each (scheduler._alone)."""
    script = tmp_path / "alone.py"
    script.write_text(textwrap.dedent("""\
        import time
        from migrate_session.scheduler import _alone

        if __name__ == "__main__":
            _alone(time.sleep, 60.0, None)
    """))
    main = subprocess.Popen([sys.executable, str(script)], stdin=subprocess.DEVNULL)
    kill_and_check_workers(main, workers_expected=1)
