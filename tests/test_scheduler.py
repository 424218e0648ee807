"""The scheduler with real worker processes: order, a bounded window, workers that die."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from functools import partial
from pathlib import Path

import pytest

from migrate_session import scheduler
from migrate_session.scheduler import Done, run_ordered

START_METHODS = [m for m in ("fork", "spawn") if m in multiprocessing.get_all_start_methods()]


def square(number: int) -> int:
    return number * number


def slow_first(number: int) -> tuple[int, float]:
    """Item 0 takes a while; returns when it finished."""
    if number == 0:
        time.sleep(1.0)
    return number, time.monotonic()


def die_on(culprit: int, how: str, number: int) -> int:
    if number == culprit:
        if how == "exit":
            os._exit(7)
        os.kill(os.getpid(), signal.SIGKILL)
    return number * number


def raise_on(culprit: int, number: int) -> int:
    if number == culprit:
        raise ValueError("bad item")
    return number


def record_pid(log: str, number: int) -> int:
    with open(log, "a") as handle:
        handle.write(f"{number} {os.getpid()}\n")
    return number


def test_serial_below_threshold_runs_in_this_process(tmp_path):
    log = tmp_path / "pids"
    items = list(range(scheduler.SERIAL_BELOW - 1))
    assert [d.result for d in run_ordered(partial(record_pid, str(log)), items, jobs=2)] == items
    assert {line.split()[1] for line in log.read_text().splitlines()} == {str(os.getpid())}


@pytest.mark.parametrize("method", START_METHODS)
def test_parallel_results_come_back_in_input_order(tmp_path, method):
    log = tmp_path / "pids"
    items = list(range(40))
    done = list(run_ordered(partial(record_pid, str(log)), items, jobs=2,
                            mp_context=multiprocessing.get_context(method)))
    assert [d.item for d in done] == items and [d.result for d in done] == items
    pids = {line.split()[1] for line in log.read_text().splitlines()}
    assert str(os.getpid()) not in pids and 1 <= len(pids) <= 2  # the pool starts workers on demand


def test_a_slow_item_holds_back_at_most_the_window():
    """While item 0 sleeps, the others finish; no more than the window may start before it ends."""
    jobs = 2
    window = jobs * scheduler.WINDOW_PER_JOB
    done = list(run_ordered(slow_first, list(range(60)), jobs=jobs))
    first_finished = done[0].result[1]
    started_early = [d.item for d in done if d.result[1] < first_finished]
    assert 0 < len(started_early) < window, started_early
    assert [d.item for d in done] == list(range(60))


def test_results_are_streamed_not_collected():
    """The first result is in hand while most items have not been submitted yet."""
    submitted = []

    class Items(list):
        def __iter__(self):
            for item in super().__iter__():
                submitted.append(item)
                yield item

    results = run_ordered(square, Items(range(200)), jobs=2)
    first = next(results)
    assert first == Done(0, 0)
    assert len(submitted) <= 2 * scheduler.WINDOW_PER_JOB + 1
    results.close()


@pytest.mark.parametrize("method", START_METHODS)
@pytest.mark.parametrize("how", ["exit", "sigkill"])
def test_a_dying_worker_costs_only_its_item(method, how):
    items = list(range(30))
    work = partial(die_on, 13, how)
    done = list(run_ordered(work, items, jobs=2, mp_context=multiprocessing.get_context(method)))
    assert [d.item for d in done] == items
    failed = [d for d in done if d.error]
    assert [d.item for d in failed] == [13]
    expected = "exit status 7" if how == "exit" else "killed by SIGKILL, out of memory?"
    assert failed[0].error == f"worker process died while migrating this file ({expected})"
    assert [d.result for d in done if not d.error] == [n * n for n in items if n != 13]


def test_several_culprits_in_one_window_are_each_named():
    items = list(range(40))
    work = partial(die_on_any, (3, 4, 30))
    done = list(run_ordered(work, items, jobs=2))
    assert [d.item for d in done if d.error] == [3, 4, 30]
    assert [d.item for d in done] == items


def die_on_any(culprits: tuple[int, ...], number: int) -> int:
    if number in culprits:
        os._exit(1)
    return number


def test_an_exception_in_the_work_is_that_items_error():
    done = list(run_ordered(partial(raise_on, 5), list(range(20)), jobs=2))
    assert [d.item for d in done if d.error] == [5]
    assert done[5].error == "internal error (ValueError: bad item)"
    serial = list(run_ordered(partial(raise_on, 5), list(range(6)), jobs=1))
    assert serial[5].error == "internal error (ValueError: bad item)"


def test_a_lambda_is_refused_by_the_pool_but_costs_no_hang():
    """An unpicklable work function is every item's error, not a crash or a hang."""
    done = list(run_ordered(lambda n: n, list(range(10)), jobs=2))
    assert all(d.error and "internal error" in d.error for d in done)


def test_paths_work_too(tmp_path):
    paths = [tmp_path / f"{i}.py" for i in range(10)]
    assert [d.result for d in run_ordered(Path.as_posix, paths, jobs=2)] == [p.as_posix() for p in paths]
