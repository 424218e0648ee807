"""Fork server: pay for ``import tensorflow`` once, run every case in a fresh forked child.

    python -m migrate_session.probe serve [--preload auto|none|NAME,NAME...]

Protocol (one JSON document per line):

* on start the server answers ``{"ready": true, "preloaded": [...], "failed": {...},
  "threads": n, "seconds": s, "python": "...", "pid": n}`` once its imports are done;
* then it reads jobs on stdin::

      {"script": "before.py", "args": [], "out": "trace.json", "cwd": "/case",
       "stdout": "/case/out.txt", "stderr": "/case/err.txt", "timeout": 600}

  (``args``, ``timeout``, ``env`` -- extra environment variables -- are optional; relative
  ``script``/``out``/``stdout``/``stderr`` are relative to ``cwd``, exactly as if
  ``python -m migrate_session.probe --out OUT SCRIPT ARGS`` had been started in ``cwd``);
* for each job it forks; the child points fd 0 at /dev/null and fd 1/2 at the given files,
  chdirs, runs the probe exactly as the CLI does, runs atexit handlers, flushes and
  ``os._exit``\\ s with the program's exit status;
* the server answers ``{"exit_code": n, "seconds": s}`` (``exit_code`` is ``-SIGNAL`` when the
  child was killed by a signal; ``"timed_out": true`` when it was killed for ``timeout``).

Jobs run one at a time; start several servers for parallelism.  EOF on stdin stops it.

What is pre-imported ("auto"), measured on this project's environments -- forking after these
imports works in all three (no threads exist yet: importing TF starts no thread pools, those
start with the first op, which the server never runs):

* ``tensorflow`` everywhere (TF 1.12 ~0.6 s, TF 2.15 ~1.6 s, TF 2.21 ~1.9 s of import);
* ``keras``: standalone Keras 2.2.4 next to TF 1.x (prints "Using TensorFlow backend." on the
  server's stderr), Keras 2.15 (= tf.keras) on TF 2.15, Keras 3 on TF >= 2.16;
* ``tf.keras``: touches ``tf.keras.layers``/``tf.keras.models``/``tf.keras.backend`` so lazy
  loaders are resolved.

A preload that fails to import would leave half-imported modules behind, so the server then
re-executes itself without it (reported in ``failed``).  If some future environment cannot
fork safely after a preload, drop it there with ``--preload``.
"""

# The probe must never raise into the program it runs: broad ``except Exception`` (and
# ignoring what fails) is the point here, not an accident.
# ruff: noqa: BLE001, S110



import gc
import importlib
import importlib.util
import json
import os
import signal
import sys
import time
import traceback

from migrate_session.probe import core

AUTO = ("tensorflow", "keras", "tf.keras")


def _preload_one(name):
    """Import one preload group; False when it does not exist in this environment."""
    if name == "tensorflow":
        importlib.import_module("tensorflow")
    elif name == "keras":
        if importlib.util.find_spec("keras") is None:
            return False
        importlib.import_module("keras")
    elif name == "tf.keras":
        k = getattr(importlib.import_module("tensorflow"), "keras", None)
        if k is None:
            return False
        for attr in ("layers", "models", "backend"):  # resolve TF 2's lazy loaders
            getattr(k, attr, None)
    else:
        importlib.import_module(name)
    return True


def _threads():
    try:
        return len(os.listdir("/proc/self/task"))
    except Exception:
        return None


class _LineReader:
    def __init__(self, fd):
        self.fd = fd
        self.buf = b""

    def readline(self):
        while b"\n" not in self.buf:
            chunk = os.read(self.fd, 65536)
            if not chunk:
                line, self.buf = self.buf, b""
                return line or None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line


def _reply(fd, obj):
    data = (json.dumps(obj) + "\n").encode("utf-8")
    while data:
        n = os.write(fd, data)
        data = data[n:]


def _open_out(path):
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)


def _reseed():
    """Forked children would share the parent's random state; a fresh process would not."""
    try:
        r = sys.modules.get("random")
        if r is not None:
            r.seed()
    except Exception:
        pass
    try:
        npr = sys.modules.get("numpy.random")
        if npr is not None:
            npr.seed()
    except Exception:
        pass


def _child(job, job_fd, reply_fd, devnull, preloaded):
    code = 1
    try:
        os.close(job_fd)
        os.close(reply_fd)
        cwd = job.get("cwd") or os.getcwd()
        os.chdir(cwd)
        fd1 = _open_out(job["stdout"]) if job.get("stdout") else devnull
        fd2 = _open_out(job["stderr"]) if job.get("stderr") else devnull
        os.dup2(devnull, 0)
        os.dup2(fd1, 1)
        os.dup2(fd2, 2)
        for env_k, env_v in (job.get("env") or {}).items():
            os.environ[str(env_k)] = str(env_v)
        _reseed()
        kind, code, exit_obj, _exc = core.run_script(
            job["script"], job.get("args") or [], job.get("out") or "trace.json",
            mode="server", preloaded=preloaded)
        core.finish_process(kind, code, exit_obj)  # does not return
    except BaseException:
        try:
            traceback.print_exc()
            sys.stderr.flush()
        except BaseException:
            pass
    os._exit(code if isinstance(code, int) else 1)


def _wait(pid, timeout):
    if not timeout:
        return os.waitpid(pid, 0)[1], False
    deadline = time.time() + float(timeout)
    delay = 0.001
    while True:
        p, status = os.waitpid(pid, os.WNOHANG)
        if p == pid:
            return status, False
        if time.time() >= deadline:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
            return os.waitpid(pid, 0)[1], True
        time.sleep(delay)
        delay = min(delay * 2, 0.05)


def _run_job(job, job_fd, reply_fd, devnull, preloaded):
    t0 = time.time()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    pid = os.fork()
    if pid == 0:
        _child(job, job_fd, reply_fd, devnull, preloaded)  # never returns
        os._exit(1)
    status, timed_out = _wait(pid, job.get("timeout"))
    if os.WIFSIGNALED(status):
        code = -os.WTERMSIG(status)
    else:
        code = os.WEXITSTATUS(status)
    reply = {"exit_code": code, "seconds": round(time.time() - t0, 4)}
    if timed_out:
        reply["timed_out"] = True
    return reply


def serve(preload="auto"):
    t0 = time.time()
    job_fd = os.dup(0)
    reply_fd = os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)  # the program must never read our job stream
    os.dup2(2, 1)  # stray prints while importing must not corrupt the protocol

    if preload == "auto":
        names = list(AUTO)
    elif preload in ("", "none"):
        names = []
    else:
        names = [n for n in preload.split(",") if n]
    preloaded, failed = [], {}
    for name in names:
        try:
            if _preload_one(name):
                preloaded.append(name)
        except BaseException as e:
            failed[name] = core._exc_text(e)
            break
    if failed:
        # Never serve from a half-imported state: restart without what failed.
        bad = list(failed)
        rest = [n for n in names if n not in bad]
        failed.update(_PREV_FAILED)
        sys.stderr.write(f"migrate_session.probe serve: preload {bad[0]} failed "
                         f"({failed[bad[0]]}); restarting with --preload "
                         f"{','.join(rest) or 'none'}\n")
        sys.stderr.flush()
        os.dup2(job_fd, 0)
        os.dup2(reply_fd, 1)
        os.execv(sys.executable, [sys.executable, "-m", "migrate_session.probe", "serve",
                                  "--preload", ",".join(rest) or "none",
                                  "--failed", json.dumps(failed)])
        return 1  # not reached
    core.install()  # wrappers are installed once here; children only switch recording on
    try:
        # Children must not pay for collecting (and copy-on-write faulting) the objects of
        # the preloaded modules: collect once now and, where possible (3.7+), freeze them.
        gc.collect()
        if hasattr(gc, "freeze"):
            gc.freeze()
    except Exception:
        pass
    _reply(reply_fd, {"ready": True, "preloaded": preloaded, "failed": _PREV_FAILED,
                      "threads": _threads(), "wrapped": [q for q, a in core.originals()],
                      "seconds": round(time.time() - t0, 4),
                      "python": ".".join(str(n) for n in sys.version_info[:3]),
                      "pid": os.getpid()})
    reader = _LineReader(job_fd)
    while True:
        line = reader.readline()
        if line is None:
            return 0
        line = line.strip()
        if not line:
            continue
        try:
            job = json.loads(line.decode("utf-8"))
            reply = _run_job(job, job_fd, reply_fd, devnull, preloaded)
        except Exception as e:
            reply = {"exit_code": None, "seconds": 0.0, "error": core._exc_text(e)}
        _reply(reply_fd, reply)


_PREV_FAILED = {}


def main(argv):
    global _PREV_FAILED
    preload = "auto"
    i = 0
    while i < len(argv):
        if argv[i] == "--preload" and i + 1 < len(argv):
            preload = argv[i + 1]
            i += 2
        elif argv[i].startswith("--preload="):
            preload = argv[i].split("=", 1)[1]
            i += 1
        elif argv[i] == "--failed" and i + 1 < len(argv):
            try:
                _PREV_FAILED = json.loads(argv[i + 1])
            except ValueError:
                pass
            i += 2
        else:
            sys.stderr.write(f"migrate_session.probe serve: unknown argument {argv[i]}\n")
            return 2
    return serve(preload)
