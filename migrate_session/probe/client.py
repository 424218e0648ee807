"""Host-side helpers to run the probe in another Python environment.

Runs on the host Python (3.9+) but lives in the probe package, so it stays 3.6-safe and
standard library only.  The environment's interpreter must import the probe without seeing
the host's site-packages: the probe sources (``migrate_session/__init__.py`` and
``migrate_session/probe/*.py``) are copied into a private temporary directory and only that
directory is put on ``PYTHONPATH`` (any ``PYTHONPATH`` inherited from the host is dropped).
The probe is started with that directory as its working directory, so ``-m`` cannot pick up
a ``migrate_session`` from the caller's directory either; the program's own ``cwd`` is passed
explicitly.

    with ProbeServer("/envs/tf112/bin/python", {"TF_CPP_MIN_LOG_LEVEL": "3"}) as srv:
        code, seconds = srv.run("before.py", [], cwd=case_dir, out="trace.json",
                                stdout="out.txt", stderr="err.txt")

    code, seconds = run_once("/envs/tf112/bin/python", "before.py", cwd=case_dir, ...)

Relative ``out``/``stdout``/``stderr``/``script`` paths are relative to ``cwd``.
"""

# The probe must never raise into the program it runs: broad ``except Exception`` (and
# ignoring what fails) is the point here, not an accident.
# ruff: noqa: BLE001, S110



import atexit
import json
import os
import select
import shutil
import subprocess
import tempfile
import threading
import time

_HERE = os.path.dirname(os.path.abspath(__file__))
_PKG_ROOT = os.path.dirname(_HERE)


class ProbeServerError(RuntimeError):
    """The fork server died, did not start, or did not answer."""


def stage_probe(dest=None):
    """Copy the probe package into `dest` (a new temporary directory by default).

    Returns the directory to put on PYTHONPATH (it contains only ``migrate_session``)."""
    if dest is None:
        dest = tempfile.mkdtemp(prefix="migrate-session-probe-")
    pkg = os.path.join(dest, "migrate_session")
    probe = os.path.join(pkg, "probe")
    if not os.path.isdir(probe):
        os.makedirs(probe)
    shutil.copyfile(os.path.join(_PKG_ROOT, "__init__.py"), os.path.join(pkg, "__init__.py"))
    for name in sorted(os.listdir(_HERE)):
        if name.endswith(".py"):
            shutil.copyfile(os.path.join(_HERE, name), os.path.join(probe, name))
    return dest


_staged = {}
_staged_lock = threading.Lock()


def _shared_stage():
    with _staged_lock:
        d = _staged.get("dir")
        if d is None or not os.path.isdir(d):
            d = stage_probe()
            _staged["dir"] = d
            atexit.register(shutil.rmtree, d, True)
        return d


def probe_env(stage_dir, env_vars=None, base=None):
    """The environment for a probe process: `base` (os.environ) + `env_vars`, PYTHONPATH =
    the staged directory (followed by an explicit PYTHONPATH from `env_vars`, if any)."""
    env = dict(os.environ if base is None else base)
    env.pop("PYTHONPATH", None)
    extra = dict(env_vars or {})
    explicit = extra.pop("PYTHONPATH", None)
    env.update({str(k): str(v) for k, v in extra.items()})
    env["PYTHONPATH"] = stage_dir + (os.pathsep + explicit if explicit else "")
    return env


def _abs(path, cwd):
    if path is None:
        return None
    return path if os.path.isabs(path) else os.path.join(cwd, path)


def run_once(python_exe, script, args=(), cwd=None, out="trace.json", stdout=None, stderr=None,
             env_vars=None, timeout=None):
    """Run one script under a fresh ``python -m migrate_session.probe`` process.

    Returns (exit_code, seconds); exit_code is -SIGNAL when killed (e.g. -9 on timeout)."""
    cwd = os.path.abspath(cwd or os.getcwd())
    stage = _shared_stage()
    cmd = [python_exe, "-m", "migrate_session.probe", "--out", _abs(out, cwd), "--cwd", cwd,
           "--", script] + list(args)
    t0 = time.time()
    with open(_abs(stdout, cwd) if stdout else os.devnull, "wb") as fout, \
            open(_abs(stderr, cwd) if stderr else os.devnull, "wb") as ferr, \
            open(os.devnull, "rb") as fin:
        proc = subprocess.Popen(cmd, cwd=stage, env=probe_env(stage, env_vars),
                                stdin=fin, stdout=fout, stderr=ferr)
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()
    return code, round(time.time() - t0, 4)


class ProbeServer:
    """A ``python -m migrate_session.probe serve`` process in another environment.

    One job at a time (``run`` is serialized by a lock); use several servers in parallel.
    ``info`` holds the server's ready message (preloaded modules, startup seconds, ...)."""

    def __init__(self, python_exe, env_vars=None, preload="auto", startup_timeout=600):
        self.python_exe = python_exe
        self._lock = threading.Lock()
        self._dir = stage_probe()
        self._log_path = os.path.join(self._dir, "server-stderr.log")
        self._log = open(self._log_path, "wb")  # noqa: SIM115 - lives as long as the server
        self._proc = subprocess.Popen(
            [python_exe, "-m", "migrate_session.probe", "serve", "--preload", preload],
            cwd=self._dir, env=probe_env(self._dir, env_vars),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log)
        try:
            self.info = self._read_reply(startup_timeout)
        except BaseException:
            self.close()
            raise
        if not self.info.get("ready"):
            self.close()
            raise ProbeServerError(f"probe server did not start: {self.info!r}")

    def _log_tail(self):
        try:
            with open(self._log_path, "rb") as f:
                return f.read()[-4000:].decode("utf-8", "replace")
        except Exception:
            return ""

    def _read_reply(self, timeout):
        out = self._proc.stdout
        if timeout is not None:
            ready, _, _ = select.select([out], [], [], timeout)
            if not ready:
                raise ProbeServerError(
                    f"probe server did not answer within {timeout}s\n{self._log_tail()}")
        line = out.readline()
        if not line:
            code = self._proc.poll()
            raise ProbeServerError(f"probe server exited (code {code})\n{self._log_tail()}")
        return json.loads(line.decode("utf-8"))

    def run(self, script, args=(), cwd=None, out="trace.json", stdout=None, stderr=None,
            timeout=None, env=None):
        """Run `script` in a forked child. Returns (exit_code, seconds)."""
        cwd = os.path.abspath(cwd or os.getcwd())
        job = {"script": script, "args": list(args), "cwd": cwd, "out": _abs(out, cwd),
               "stdout": _abs(stdout, cwd), "stderr": _abs(stderr, cwd)}
        if timeout:
            job["timeout"] = timeout
        if env:
            job["env"] = dict(env)
        with self._lock:
            if self._proc.poll() is not None:
                raise ProbeServerError(f"probe server is not running "
                                       f"(code {self._proc.returncode})\n{self._log_tail()}")
            try:
                self._proc.stdin.write((json.dumps(job) + "\n").encode("utf-8"))
                self._proc.stdin.flush()
            except OSError as e:
                raise ProbeServerError(f"probe server is gone: {e}\n{self._log_tail()}")
            reply = self._read_reply(None if not timeout else float(timeout) + 60)
        if reply.get("exit_code") is None:
            raise ProbeServerError("probe server failed the job: {}".format(reply.get("error")))
        return reply["exit_code"], reply["seconds"]

    def close(self):
        proc = getattr(self, "_proc", None)
        if proc is not None:
            try:
                proc.stdin.close()
            except Exception:
                pass
            try:
                proc.wait(timeout=30)
            except Exception:
                proc.kill()
                proc.wait()
            try:
                proc.stdout.close()
            except Exception:
                pass
        try:
            self._log.close()
        except Exception:
            pass
        shutil.rmtree(self._dir, True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
