"""Run env_side.py in each real environment (all at once), surviving crashes and hangs."""

from __future__ import annotations

import json
import os
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypedDict

ENV_SIDE = Path(__file__).resolve().parent / "env_side.py"
TARGET_ENVS = {"tf1": ("tf112",), "tf2": ("tf215", "tf2")}
ATTEMPTS = 3  # a check that kills the process is marked, the rest run again


Check = dict[str, Any]  # what env_side.py resolves: its "kind" and the fields of that kind


class Result(TypedDict, total=False):
    """What env_side.py says of a check (see its docstring)."""

    key: str
    status: str  # ok | fail | inconclusive | unresolved
    error: str
    failures: list[list[str]]  # [what, error]: the parts of a call that fail
    unsure: list[list[str]]


class CheckerError(Exception):
    """The checker itself could not do its job (exit status 2)."""


def run_all(pythons: dict[str, str], checks: dict[str, list[Check]], workdir: Path,
            timeout: float, per_check: int) -> dict[str, dict[str, Result]]:
    """Per env, ``{key: result}`` for every check given to it."""
    with ThreadPoolExecutor(max_workers=len(checks) or 1) as pool:
        futures = {
            env: pool.submit(run_env, env, pythons[env], env_checks, workdir, timeout, per_check)
            for env, env_checks in checks.items()
        }
        return {env: future.result() for env, future in futures.items()}


def run_env(env: str, python: str, checks: list[Check], workdir: Path,
            timeout: float, per_check: int) -> dict[str, Result]:
    workdir.mkdir(parents=True, exist_ok=True)
    results: dict[str, Result] = {}
    deadline = time.monotonic() + timeout
    remaining = checks
    for attempt in range(1, ATTEMPTS + 1):
        if not remaining:
            break
        left = deadline - time.monotonic()
        if left <= 0:
            break
        started, finished, ending = _attempt(env, python, remaining, workdir, attempt, left, per_check)
        if attempt == 1 and not started:
            log = workdir / f"{env}.log"
            raise CheckerError(f"env {env} ({python}) ran no check: {ending}; see {log}")
        results.update(finished)
        culprits = [key for key in started if key not in finished]
        for key in culprits:
            results[key] = {"status": "inconclusive", "error": f"the env process {ending} during this check"}
        remaining = [check for check in remaining if check["key"] not in results]
    for check in remaining:
        results[check["key"]] = {"status": "inconclusive", "error": "not run: the env run's time was up"}
    return results


def _attempt(
    env: str, python: str, checks: list[Check], workdir: Path, attempt: int, seconds: float, per_check: int
) -> tuple[list[str], dict[str, Result], str]:
    """One process over ``checks``: (keys started, {key: result}, how the process ended)."""
    checks_file = workdir / f"{env}.checks.json"
    results_file = workdir / f"{env}.results.{attempt}.jsonl"
    checks_file.write_text(json.dumps({"checks": checks}), encoding="utf-8")
    results_file.unlink(missing_ok=True)
    environment = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", PYTHONWARNINGS="ignore",
                       CUDA_VISIBLE_DEVICES="")
    scratch = workdir / f"scratch-{env}"  # the env side runs here: what a constructor writes
    scratch.mkdir(exist_ok=True)
    mode = "w" if attempt == 1 else "a"
    with open(workdir / f"{env}.log", mode, encoding="utf-8") as log:
        try:
            process = subprocess.run(
                [python, str(ENV_SIDE), str(checks_file), str(results_file), str(per_check)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, timeout=seconds,
                env=environment, cwd=scratch, check=False,
            )
            ending = "ended" if process.returncode == 0 else f"exited with status {process.returncode}"
        except subprocess.TimeoutExpired:
            ending = f"timed out after {seconds:.0f} s"
        except OSError as error:
            raise CheckerError(f"env {env}: cannot run {python}: {error}") from None
    started: list[str] = []
    finished: dict[str, Result] = {}
    if results_file.exists():
        for line in results_file.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue  # the last line of a killed process may be cut short
            if record.get("start"):
                started.append(record["key"])
            else:
                finished[record["key"]] = record
    return started, finished, ending
