"""Run one function over many files in worker processes; results come back in input order.

At most ``window`` files are in flight, so a slow file holds back at most that many finished
results, never the whole run. A worker that dies (a crash, ``os._exit``, the OOM killer) costs
only the file it was working on: the files that were in flight with it are run again one at a
time, each in a process of its own, which names the culprit; then the rest go on in a new pool.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import select
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext, DefaultContext
from typing import Any, cast

SERIAL_BELOW = 8  # files; fewer are not worth starting worker processes for
WINDOW_PER_JOB = 4  # files in flight per worker process
ORPHAN_POLL = 1.0  # seconds between two looks whether the run still exists, without a pidfd
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


Work = Callable[[Any], Any]  # picklable: see run_ordered


@dataclass(frozen=True)
class Done:
    """One item's outcome: ``result``, or ``error`` when the work raised or its process died."""

    item: Any
    result: Any = None
    error: str | None = None


def run_ordered(
    work: Work,
    items: Sequence[Any],
    jobs: int,
    mp_context: BaseContext | None = None,
) -> Iterator[Done]:
    """``work(item)`` for each item, yielded in the order of ``items``.

    ``work`` must be picklable (a module-level function, or a ``functools.partial`` of one)
    whatever the start method, fork or spawn.
    """
    if jobs <= 1 or len(items) < SERIAL_BELOW:
        return (_call(work, item) for item in items)
    return _parallel(work, items, jobs, jobs * WINDOW_PER_JOB, mp_context)


def _call(work: Work, item: Any) -> Done:
    try:
        return Done(item, work(item))
    except Exception as error:  # noqa: BLE001 - one item's failure is that item's, not the run's
        return Done(item, error=f"internal error ({type(error).__name__}: {error})")


def _pool(jobs: int, mp_context: BaseContext | None) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=jobs, mp_context=mp_context,
                               initializer=follow_run, initargs=(os.getpid(),))


def follow_run(run: int) -> None:
    """In a worker: end this process when process ``run`` (the run that started it) ends."""
    if os.getppid() == run and _kernel_signals_parent_death():
        if os.getppid() != run:  # the run ended before we asked to be told
            os._exit(1)
        return
    if sys.platform == "win32":  # there os.kill(pid, 0) would terminate the run, not test it
        return
    threading.Thread(target=_exit_after, args=(run,), daemon=True,
                     name="migrate-session-follow-run").start()


def _kernel_signals_parent_death() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        status: int = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        return status == 0
    except (OSError, AttributeError):  # no libc symbol table, no prctl: a thread instead
        return False


def _exit_after(run: int) -> None:
    try:  # Linux >= 5.3: woken when it ends, whatever process gets its id afterwards
        select.select([os.pidfd_open(run)], [], [])
    except (AttributeError, OSError):
        while _exists(run):
            time.sleep(ORPHAN_POLL)
    os._exit(1)


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _parallel(
    work: Work, items: Iterable[Any], jobs: int, window: int, mp_context: BaseContext | None
) -> Iterator[Done]:
    todo = iter(items)
    in_flight: deque[tuple[Any, Future[Any]]] = deque()
    pool = _pool(jobs, mp_context)

    def fill() -> None:
        while len(in_flight) < window:
            item = next(todo, _END)
            if item is _END:
                return
            try:
                future = pool.submit(work, item)
            except BrokenProcessPool as error:  # it broke since the last check: retried below
                future = Future()
                future.set_exception(error)
            in_flight.append((item, future))

    try:
        fill()
        while in_flight:
            item, future = in_flight[0]
            try:
                result = future.result()
            except BrokenProcessPool:
                lost = list(in_flight)
                in_flight.clear()
                pool.shutdown(wait=True, cancel_futures=True)
                for lost_item, lost_future in lost:
                    yield _finished(lost_item, lost_future) or _alone(work, lost_item, mp_context)
                pool = _pool(jobs, mp_context)
                fill()
                continue
            except Exception as error:  # noqa: BLE001 - raised by work in the worker
                in_flight.popleft()
                yield Done(item, error=f"internal error ({type(error).__name__}: {error})")
            else:
                in_flight.popleft()
                yield Done(item, result)
            fill()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


_END = object()


def _finished(item: Any, future: Future[Any]) -> Done | None:
    """The outcome of a future that completed before its pool broke, else None."""
    if not future.done() or future.cancelled():
        return None
    error = future.exception()
    if error is None:
        return Done(item, future.result())
    if isinstance(error, BrokenProcessPool):
        return None
    return Done(item, error=f"internal error ({type(error).__name__}: {error})")


def _alone(work: Work, item: Any, mp_context: BaseContext | None) -> Done:
    """Run one item in a process of its own, so that if it dies, the item is the culprit."""
    # Every context one gets has Process; only their base class, BaseContext, has none.
    context = cast(DefaultContext, mp_context or multiprocessing.get_context())
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(work, item, sender, os.getpid()), daemon=True)
    process.start()
    sender.close()
    done: Done | None
    try:
        done = receiver.recv()
    except EOFError:
        done = None
    finally:
        receiver.close()
        process.join()
    if done is None:
        return Done(item, error=f"worker process died while migrating this file ({_death(process.exitcode)})")
    return done


def _child(work: Work, item: Any, sender: Connection, run: int) -> None:
    follow_run(run)
    done = _call(work, item)
    try:
        sender.send(done)
    except Exception as error:  # noqa: BLE001 - e.g. a result that cannot be pickled
        sender.send(Done(item, error=f"internal error ({type(error).__name__}: {error})"))
    sender.close()


def _death(exitcode: int | None) -> str:
    if exitcode is None or exitcode >= 0:
        return f"exit status {exitcode}"
    try:
        name = signal.Signals(-exitcode).name
    except ValueError:
        name = f"signal {-exitcode}"
    hint = ", out of memory?" if -exitcode == signal.SIGKILL else ""
    return f"killed by {name}{hint}"
