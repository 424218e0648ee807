"""Tests of the probe (migrate_session/probe).

Without TensorFlow (run everywhere): the CLI runs plain scripts like ``python script.py``
would, the trace records stdout / status / exit codes, the trace survives crashes, the fork
server and the client work, ``clear_session`` wrapping works on a fake standalone Keras,
and the probe sources compile and run under Python 3.6.

With real TensorFlow: set ``MIGRATE_SESSION_PYTHON_TF112`` / ``MIGRATE_SESSION_PYTHON_TF215``
/ ``MIGRATE_SESSION_PYTHON_TF2`` to the interpreters of the tf112 / tf215 / tf2 environments
(see docs/internals.md); otherwise those tests are skipped (``nox -s verify`` exercises real
TF anyway).
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap

import pytest

from migrate_session.probe import client

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROBE_DIR = os.path.join(REPO, "migrate_session", "probe")
TF_ENV = {"TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore"}


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="session")
def stage(tmp_path_factory):
    return client.stage_probe(str(tmp_path_factory.mktemp("probe-stage")))


def _python36():
    exe = os.environ.get("MIGRATE_SESSION_PY36")
    if exe:
        return exe
    roots = []
    if shutil.which("pyenv"):
        try:
            roots.append(subprocess.check_output(["pyenv", "root"], text=True).strip())
        except (OSError, subprocess.CalledProcessError):
            roots.append(os.path.expanduser("~/.pyenv"))
    roots.append(os.path.expanduser("~/.pyenv"))
    for root in roots:
        exe = os.path.join(root, "versions", "3.6.15", "bin", "python")
        if os.path.exists(exe):
            return exe
    return None


PY36 = _python36()
INTERPRETERS = [pytest.param(sys.executable, id="host")] + (
    [pytest.param(PY36, id="py36")] if PY36 else [])


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def run_probe(python, stage, cwd, script, args=(), env=None, out="trace.json"):
    """Run the CLI; return (CompletedProcess, trace dict or None)."""
    e = client.probe_env(stage, dict(env or {}))
    cmd = [python, "-m", "migrate_session.probe", "--out", os.path.join(str(cwd), out),
           "--cwd", str(cwd), script] + list(args)
    proc = subprocess.run(cmd, cwd=stage, env=e, stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=600, check=False)
    path = os.path.join(str(cwd), out)
    trace = None
    if os.path.exists(path):
        with open(path) as f:
            trace = json.load(f)
    return proc, trace


def run_plain(python, cwd, script, args=(), env=None):
    e = dict(os.environ)
    e.pop("PYTHONPATH", None)
    e.update(env or {})
    return subprocess.run([python, script, *args], cwd=str(cwd), env=e,
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=600,
                          check=False)


def exit_snapshot(trace):
    ev = trace["events"][-1]
    assert ev["event"] == "exit"
    return ev["snapshot"]


def clears(trace):
    return [e for e in trace["events"] if e["event"] == "clear"]


SNAPSHOT_FIELDS = ["graph_replaced", "ops", "variables", "session_replaced", "names_reset",
                   "learning_phase", "rss_kb"]
TRACE_FIELDS = ["probe", "python", "tensorflow", "kerases", "script", "argv", "events",
                "status", "exit_code", "exception", "stdout"]

PLAIN = """\
    import os, sys
    import helper
    print("argv", sys.argv)
    print("name", __name__, os.path.basename(__file__))
    print("path0", sys.path[0] == os.path.dirname(os.path.realpath(__file__)))
    print("helper", helper.VALUE)
    sys.stderr.write("to stderr\\n")
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    def fail():
        raise ValueError("boom")
    if mode == "raise":
        fail()
    if mode == "exit":
        sys.exit(int(sys.argv[2]))
    if mode == "exitnone":
        sys.exit()
    if mode == "exitmsg":
        sys.exit("bye message")
    if mode == "osexit":
        sys.stdout.flush()
        os._exit(9)
    if mode == "kill":
        sys.stdout.flush()
        os.kill(os.getpid(), 9)
    """


@pytest.fixture
def plain_case(tmp_path):
    write(tmp_path / "sub" / "prog.py", PLAIN)
    write(tmp_path / "sub" / "helper.py", "VALUE = 42\n")
    return tmp_path


# --------------------------------------------------------------------------- no TF needed


@pytest.mark.parametrize("python", INTERPRETERS)
def test_plain_script_runs_like_python(python, stage, plain_case):
    proc, trace = run_probe(python, stage, plain_case, "sub/prog.py", ["a", "--out", "b"])
    plain = run_plain(python, plain_case, "sub/prog.py", ["a", "--out", "b"])
    assert proc.returncode == plain.returncode == 0
    assert proc.stdout == plain.stdout
    assert proc.stderr == plain.stderr
    assert b"argv ['sub/prog.py', 'a', '--out', 'b']" in proc.stdout
    assert b"name __main__ prog.py" in proc.stdout
    assert b"path0 True" in proc.stdout
    for field in TRACE_FIELDS:
        assert field in trace
    assert trace["probe"] == 1
    assert trace["script"] == "sub/prog.py"
    assert trace["argv"] == ["a", "--out", "b"]
    assert trace["status"] == "ok" and trace["exit_code"] == 0 and trace["exception"] is None
    assert trace["stdout"] == proc.stdout.decode()
    assert trace["tensorflow"] is None and trace["kerases"] == {}
    assert [e["event"] for e in trace["events"]] == ["exit"]
    snap = exit_snapshot(trace)
    for field in SNAPSHOT_FIELDS:
        assert field in snap
    assert snap["graph_replaced"] is None and snap["ops"] is None
    assert snap["rss_kb"] > 0
    assert trace["probe_errors"] == []


@pytest.mark.parametrize("python", INTERPRETERS)
def test_exception_status_traceback_and_exit_code(python, stage, plain_case):
    proc, trace = run_probe(python, stage, plain_case, "sub/prog.py", ["raise"])
    plain = run_plain(python, plain_case, "sub/prog.py", ["raise"])
    assert proc.returncode == plain.returncode == 1
    assert proc.stderr == plain.stderr  # same traceback, no probe frames
    assert b"ValueError: boom" in proc.stderr
    assert trace["status"] == "exception"
    assert trace["exit_code"] == 1
    assert trace["exception"] == "ValueError: boom"
    assert "argv" in trace["stdout"]
    assert trace["events"][-1]["event"] == "exit"


@pytest.mark.parametrize("python", INTERPRETERS)
@pytest.mark.parametrize("args,code", [(["exit", "3"], 3), (["exit", "0"], 0),
                                       (["exitnone"], 0), (["exitmsg"], 1)])
def test_sys_exit_codes(python, stage, plain_case, args, code):
    proc, trace = run_probe(python, stage, plain_case, "sub/prog.py", args)
    plain = run_plain(python, plain_case, "sub/prog.py", args)
    assert proc.returncode == plain.returncode == code
    assert proc.stderr == plain.stderr  # "bye message" printed by Python itself
    assert trace["status"] == "exit"
    assert trace["exit_code"] == code
    assert trace["exception"] is None


@pytest.mark.parametrize("python", INTERPRETERS)
def test_trace_written_when_program_crashes(python, stage, plain_case):
    # os._exit: the probe still finalizes the trace
    proc, trace = run_probe(python, stage, plain_case, "sub/prog.py", ["osexit"])
    assert proc.returncode == 9
    assert trace["status"] == "exit" and trace["exit_code"] == 9 and trace.get("os_exit")
    assert "argv" in trace["stdout"]
    # killed by a signal: the trace written at start survives, status stays "running"
    proc, trace = run_probe(python, stage, plain_case, "sub/prog.py", ["kill"])
    assert proc.returncode == -signal.SIGKILL
    assert trace is not None and trace["status"] == "running"


@pytest.mark.parametrize("python", INTERPRETERS)
def test_missing_script_and_syntax_error(python, stage, tmp_path):
    proc, trace = run_probe(python, stage, tmp_path, "nope.py")
    assert proc.returncode == 2
    assert trace["status"] == "exception" and trace["exit_code"] == 2
    assert trace["exception"].startswith("FileNotFoundError")
    write(tmp_path / "syn.py", "x = (\n")
    proc, trace = run_probe(python, stage, tmp_path, "syn.py")
    assert proc.returncode == 1
    assert trace["status"] == "exception" and trace["exception"].startswith("SyntaxError")
    assert b"SyntaxError" in proc.stderr


def test_atexit_output_and_threads(stage, tmp_path):
    write(tmp_path / "p.py", """\
        import atexit, threading
        atexit.register(lambda: print("atexit bye"))
        t = threading.Thread(target=lambda: print("thread hi"))
        t.start()
        t.join()
        print("main done")
        """)
    proc, trace = run_probe(sys.executable, stage, tmp_path, "p.py")
    assert proc.returncode == 0
    assert proc.stdout.decode().splitlines() == ["thread hi", "main done", "atexit bye"]
    assert trace["stdout"] == proc.stdout.decode()  # rewritten after atexit handlers


def test_probe_sources_are_python36_syntax():
    if not PY36:
        pytest.skip("Python 3.6.15 not found (set MIGRATE_SESSION_PY36)")
    files = [os.path.join(PROBE_DIR, n) for n in sorted(os.listdir(PROBE_DIR)) if n.endswith(".py")]
    files.append(os.path.join(REPO, "migrate_session", "__init__.py"))
    for f in files:
        code = "import sys; compile(open(sys.argv[1]).read(), sys.argv[1], 'exec')"
        subprocess.run([PY36, "-c", code, f], check=True)


def test_probe_sources_are_stdlib_only():
    import ast
    stdlib = getattr(sys, "stdlib_module_names", None)
    for name in os.listdir(PROBE_DIR):
        if not name.endswith(".py"):
            continue
        with open(os.path.join(PROBE_DIR, name)) as f:
            tree = ast.parse(f.read())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                mods = [node.module or ""]
                if node.module == "__future__":
                    assert "annotations" not in [a.name for a in node.names], name
            elif isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            else:
                continue
            for mod in mods:
                top = mod.split(".")[0]
                if top == "migrate_session":
                    assert mod.startswith("migrate_session.probe"), (name, mod)
                elif stdlib is not None and getattr(node, "level", 0) == 0:
                    assert top in stdlib, (name, mod)


FAKE_KERAS = {
    # just enough of TensorFlow and standalone Keras 2.2 for the probe to work on
    "tensorflow/__init__.py": "__version__ = '0.0-fake'\n",
    "tensorflow/python/__init__.py": "",
    "tensorflow/python/framework/__init__.py": "",
    "tensorflow/python/framework/ops.py": """\
        class Graph(object):
            def __init__(self):
                self.ops = []
            def get_operations(self):
                return list(self.ops)
            def get_collection(self, name):
                return []
        _default = Graph()
        def get_default_graph():
            return _default
        def reset_default_graph():
            global _default
            _default = Graph()
        """,
    "keras/__init__.py": "__version__ = '2.2.4'\nfrom . import backend\n",
    "keras/backend/__init__.py": "from .tensorflow_backend import *\n",
    "keras/backend/tensorflow_backend.py": """\
        from tensorflow.python.framework import ops
        _SESSION = None
        _GRAPH_UID_DICTS = {}
        _GRAPH_LEARNING_PHASES = {}
        CALLS = []

        def get_uid(prefix=''):
            d = _GRAPH_UID_DICTS.setdefault(ops.get_default_graph(), {})
            d[prefix] = d.get(prefix, 0) + 1
            return d[prefix]

        def get_session():
            global _SESSION
            if _SESSION is None:
                _SESSION = object.__new__(type('Session', (), {}))
            return _SESSION

        def reset_uids():
            global _GRAPH_UID_DICTS
            _GRAPH_UID_DICTS = {}

        def clear_session(fail=False):
            global _SESSION
            CALLS.append(1)
            if fail:
                raise RuntimeError('clear failed')
            ops.reset_default_graph()
            reset_uids()
            _SESSION = None
            return 'cleared'
        """,
}


def _fake_keras(root):
    for rel, text in FAKE_KERAS.items():
        write(root / rel, text)


@pytest.mark.parametrize("python", INTERPRETERS)
def test_wraps_clear_session_imported_after_start(python, stage, tmp_path):
    _fake_keras(tmp_path)
    write(tmp_path / "prog.py", """\
        from keras.backend import clear_session          # bound after probe start
        from keras import backend as K
        import keras.backend.tensorflow_backend as tfb
        print(K.get_uid('dense'), K.get_uid('dense'))
        K.get_session()
        assert clear_session() == 'cleared'               # return value passes through
        print(K.get_uid('dense'))
        try:
            K.clear_session(fail=True)
        except RuntimeError as e:
            print('caught', e)                           # exception passes through
        tfb.clear_session()
        print('calls', len(tfb.CALLS))
        """)
    proc, trace = run_probe(python, stage, tmp_path, "prog.py")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode().splitlines() == ["1 2", "1", "caught clear failed", "calls 3"]
    cl = clears(trace)
    assert len(cl) == 3
    assert all(c["api"] == "keras" for c in cl)
    assert cl[0]["function"] == "keras.backend.tensorflow_backend.clear_session"
    assert cl[0]["caller"].endswith("prog.py:6")
    first = cl[0]["snapshot"]
    assert first["names_reset"] is True
    assert first["graph_replaced"] is True
    assert first["ops"] == 0
    assert first["session_replaced"] is True
    assert first["names_reset_by_keras"] == {"keras": True}
    assert cl[1]["exception"] == "RuntimeError: clear failed"
    assert cl[1]["snapshot"]["names_reset"] is False  # the failed clear reset nothing
    assert cl[1]["snapshot"]["graph_replaced"] is False
    assert exit_snapshot(trace)["names_reset"] is True
    assert trace["kerases"] == {"keras": "2.2.4"}
    assert trace["tensorflow"] == "0.0-fake"
    assert trace["probe_errors"] == []


def test_clear_in_atexit_handler_is_recorded(stage, tmp_path):
    _fake_keras(tmp_path)
    write(tmp_path / "prog.py", """\
        import atexit
        from keras import backend as K
        atexit.register(K.clear_session)
        K.clear_session()
        """)
    proc, trace = run_probe(sys.executable, stage, tmp_path, "prog.py")
    assert proc.returncode == 0, proc.stderr
    assert [e["event"] for e in trace["events"]] == ["clear", "exit", "clear"]
    assert trace["events"][-1]["api"] == "keras"


def test_fork_server_and_run_once(plain_case, tmp_path):
    write(plain_case / "state.py", """\
        import json, sys
        print('fresh', not hasattr(json, '_probe_test_marker'))
        json._probe_test_marker = 1
        print('stdin', repr(sys.stdin.read()))
        """)
    with client.ProbeServer(sys.executable, {}, preload="none") as srv:
        assert srv.info["ready"] is True
        for _ in range(2):  # each job is a fresh process: no state leaks between jobs
            code, secs = srv.run("state.py", [], cwd=str(plain_case), out="s.json",
                                 stdout="s.out", stderr="s.err")
            assert code == 0 and secs >= 0
            out = (plain_case / "s.out").read_text()
            assert out == "fresh True\nstdin ''\n"
            trace = json.loads((plain_case / "s.json").read_text())
            assert trace["mode"] == "server" and trace["stdout"] == out
        code, _ = srv.run("sub/prog.py", ["exit", "4"], cwd=str(plain_case), out="e.json",
                          stdout="e.out", stderr="e.err")
        assert code == 4
        assert json.loads((plain_case / "e.json").read_text())["status"] == "exit"
        code, _ = srv.run("sub/prog.py", ["raise"], cwd=str(plain_case), out="r.json",
                          stdout="r.out", stderr="r.err")
        assert code == 1
        plain = run_plain(sys.executable, plain_case, "sub/prog.py", ["raise"])
        assert (plain_case / "r.err").read_bytes() == plain.stderr
        assert (plain_case / "r.out").read_bytes() == plain.stdout
        code, _ = srv.run("sub/prog.py", ["kill"], cwd=str(plain_case), out="k.json",
                          stdout="k.out", stderr="k.err")
        assert code == -signal.SIGKILL
    code, secs = client.run_once(sys.executable, "sub/prog.py", ["exit", "5"], cwd=str(plain_case),
                                 out="o.json", stdout="o.out", stderr="o.err")
    assert code == 5
    trace = json.loads((plain_case / "o.json").read_text())
    assert trace["mode"] == "cli" and trace["exit_code"] == 5


@pytest.mark.parametrize("python", INTERPRETERS)
def test_fork_server_runs_on_each_interpreter(python, plain_case):
    with client.ProbeServer(python, {}, preload="none") as srv:
        code, _ = srv.run("sub/prog.py", ["exit", "6"], cwd=str(plain_case), out="t.json",
                          stdout="o.txt", stderr="e.txt")
    assert code == 6
    trace = json.loads((plain_case / "t.json").read_text())
    assert trace["status"] == "exit" and trace["exit_code"] == 6
    assert trace["python"].split(".")[:2] == subprocess.check_output(
        [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        universal_newlines=True).strip().split(".")


def test_fork_server_drops_a_preload_that_fails(plain_case):
    with client.ProbeServer(sys.executable, {}, preload="json,no_such_module_xyz") as srv:
        assert "no_such_module_xyz" in srv.info["failed"]
        assert srv.info["preloaded"] == ["json"]
        code, _ = srv.run("sub/prog.py", [], cwd=str(plain_case), out="t.json")
    assert code == 0
    assert json.loads((plain_case / "t.json").read_text())["preloaded"] == ["json"]


def test_client_stages_only_the_probe(tmp_path):
    d = client.stage_probe(str(tmp_path))
    assert sorted(os.listdir(d)) == ["migrate_session"]
    assert sorted(os.listdir(os.path.join(d, "migrate_session"))) == ["__init__.py", "probe"]
    env = client.probe_env(d, {"X": "1"}, base={"PYTHONPATH": "/host/site-packages"})
    assert env["PYTHONPATH"] == d and env["X"] == "1"


# --------------------------------------------------------------------------- real TensorFlow


def _tf_python(var):
    exe = os.environ.get(var)
    if not exe:
        pytest.skip(f"set {var} to the environment's python to run real-TensorFlow probe tests")
    return exe


@pytest.fixture
def tf112():
    return _tf_python("MIGRATE_SESSION_PYTHON_TF112")


@pytest.fixture
def tf215():
    return _tf_python("MIGRATE_SESSION_PYTHON_TF215")


@pytest.fixture
def tf2():
    return _tf_python("MIGRATE_SESSION_PYTHON_TF2")


STANDALONE = """\
    import tensorflow as tf
    from keras.models import Sequential
    from keras.layers import Dense
    from keras import backend as K
    def build():
        m = Sequential([Dense(4, input_shape=(3,)), Dense(1)])
        m.compile('sgd', 'mse')
        return m
    print([l.name for l in build().layers])
    K.get_session()
    CLEAR
    print([l.name for l in build().layers])
    """


def test_tf112_standalone_clear_resets_names(tf112, stage, tmp_path):
    body = STANDALONE.replace("CLEAR", "K.clear_session()\n    K.set_learning_phase(1)")
    write(tmp_path / "p.py", body)
    proc, trace = run_probe(tf112, stage, tmp_path, "p.py", env=TF_ENV)
    assert proc.returncode == 0, proc.stderr
    assert trace["tensorflow"] == "1.12.0"
    assert trace["kerases"]["keras"] == "2.2.4"
    (c,) = clears(trace)
    assert c["api"] == "keras"
    s = c["snapshot"]
    assert s["graph_replaced"] is True
    assert s["ops"] == 0
    assert s["variables"] == 0
    assert s["session_replaced"] is True
    assert s["names_reset"] is True
    assert s["uid_tables_cleared"] is True
    assert s["learning_phase"] is None
    end = exit_snapshot(trace)
    assert end["names_reset"] is False and end["ops"] > 0 and end["variables"] > 0
    assert end["learning_phase"] == 1
    assert trace["stdout"] == "['dense_1', 'dense_2']\n['dense_1', 'dense_2']\n"


def test_tf112_half_migration_is_detected(tf112, stage, tmp_path):
    """Models built with standalone keras, cleared via tf.keras (TF 1.12).

    Measured: the tf.keras clear replaces the default graph, and standalone Keras 2.2.4 keys
    its name counters by graph, so the *next* standalone auto-name restarts at dense_1
    (names_reset is true: it means exactly "next auto-name equals a fresh process's").
    What is not cleared is the standalone Keras state itself: its session stays bound to the
    dead graph (session_replaced false) and its uid table keeps the old graph's counters
    (uid_tables_cleared false).  Proper standalone clearing shows all three true (above)."""
    write(tmp_path / "p.py", STANDALONE.replace("CLEAR", "tf.keras.backend.clear_session()"))
    proc, trace = run_probe(tf112, stage, tmp_path, "p.py", env=TF_ENV)
    assert proc.returncode == 0, proc.stderr
    (c,) = clears(trace)
    assert c["api"] == "tf.keras"
    s = c["snapshot"]
    assert s["graph_replaced"] is True and s["ops"] == 0
    assert s["session_replaced"] is False
    assert s["session_replaced_by_keras"] == {"keras": False, "tf.keras": True}
    assert s["uid_tables_cleared"] is False
    assert s["uid_tables_cleared_by_keras"] == {"keras": False, "tf.keras": True}
    assert s["names_reset"] is True
    assert trace["stdout"] == "['dense_1', 'dense_2']\n['dense_1', 'dense_2']\n"


def test_tf112_fork_server_matches_cli(tf112, tmp_path):
    write(tmp_path / "p.py", STANDALONE.replace("CLEAR", "K.clear_session()"))
    code, _ = client.run_once(tf112, "p.py", cwd=str(tmp_path), out="cli.json", env_vars=TF_ENV)
    assert code == 0
    with client.ProbeServer(tf112, TF_ENV) as srv:
        assert "tensorflow" in srv.info["preloaded"]
        code, _ = srv.run("p.py", cwd=str(tmp_path), out="srv.json", stdout="o.txt", stderr="e.txt")
    assert code == 0
    cli = json.loads((tmp_path / "cli.json").read_text())
    srv = json.loads((tmp_path / "srv.json").read_text())
    for a, b in zip(cli["events"], srv["events"]):
        for f in SNAPSHOT_FIELDS:
            if f != "rss_kb":
                assert a["snapshot"][f] == b["snapshot"][f], f
    assert cli["stdout"] == srv["stdout"]


SPELLINGS = """\
    import importlib
    import tensorflow as tf
    def api(path):
        mod, _, attr = path.rpartition('.')
        try:
            f = getattr(importlib.import_module(mod), attr)
        except (ImportError, AttributeError):
            return None
        return getattr(f, '_migrate_session_api', 'NOT WRAPPED')
    from tensorflow.keras.backend import clear_session
    print('from-import', getattr(clear_session, '_migrate_session_api', 'NOT WRAPPED'))
    for p in ['keras.backend.clear_session', 'keras.backend.tensorflow_backend.clear_session',
              'tensorflow.python.keras.backend.clear_session', 'keras.src.backend.clear_session',
              'keras.utils.clear_session', 'keras.src.backend.common.global_state.clear_session']:
        print(p, api(p))
    print('tf.keras', tf.keras.backend.clear_session._migrate_session_api)
    """


def _spellings(python, stage, tmp_path, body):
    write(tmp_path / "s.py", textwrap.dedent(SPELLINGS) + textwrap.dedent(body))
    proc, trace = run_probe(python, stage, tmp_path, "s.py", env=TF_ENV)
    assert proc.returncode == 0, proc.stderr
    found = dict(line.rsplit(" ", 1) for line in proc.stdout.decode().splitlines() if " " in line)
    return found, trace


def test_tf112_spellings_wrapped(tf112, stage, tmp_path):
    found, _trace = _spellings(tf112, stage, tmp_path, "")
    assert found["from-import"] == "tf.keras"
    assert found["tf.keras"] == "tf.keras"
    assert found["keras.backend.clear_session"] == "keras"
    assert found["keras.backend.tensorflow_backend.clear_session"] == "keras"
    assert found["tensorflow.python.keras.backend.clear_session"] == "tf.keras"


def test_tf215_tf_keras_clear(tf215, stage, tmp_path):
    found, trace = _spellings(tf215, stage, tmp_path, """\
        layers = tf.keras.layers
        m = tf.keras.Sequential([layers.Dense(4, input_shape=(3,)), layers.Dense(1)])
        tf.compat.v1.keras.backend.clear_session()
        """)
    assert found["from-import"] == "tf.keras"
    assert found["keras.backend.clear_session"] == "tf.keras"
    assert found["keras.src.backend.clear_session"] == "tf.keras"
    (c,) = clears(trace)
    assert c["api"] == "tf.keras"
    s = c["snapshot"]
    assert s["names_reset"] is True and s["graph_replaced"] is True
    assert s["variables"] is None and s["session_replaced"] is None  # eager
    assert trace["kerases"]["tf.keras"].startswith("2.15")


def test_tf2_keras3_clear_is_wrapped(tf2, stage, tmp_path):
    found, trace = _spellings(tf2, stage, tmp_path, """\
        import keras
        m = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])
        m.build((None, 3))
        print('names', [l.name for l in m.layers])
        keras.backend.clear_session()
        print('after', m.layers[0].name, keras.layers.Dense(2).name)
        """)
    for p in ["from-import", "tf.keras", "keras.backend.clear_session", "keras.utils.clear_session",
              "keras.src.backend.common.global_state.clear_session"]:
        assert found[p] == "keras3", p
    (c,) = clears(trace)
    assert c["api"] == "keras3"
    s = c["snapshot"]
    assert s["names_reset"] is True
    assert s["session_replaced"] is None and s["variables"] is None and s["learning_phase"] is None
    assert "after dense dense" in trace["stdout"]
    assert exit_snapshot(trace)["names_reset"] is False
    assert trace["kerases"]["keras3"].startswith("3.")


@pytest.mark.parametrize("var", ["MIGRATE_SESSION_PYTHON_TF112", "MIGRATE_SESSION_PYTHON_TF215",
                                 "MIGRATE_SESSION_PYTHON_TF2"])
def test_fork_server_in_tf_env(var, tmp_path):
    python = _tf_python(var)
    write(tmp_path / "p.py", """\
        import tensorflow as tf
        layers = tf.keras.layers
        m = tf.keras.Sequential([layers.Dense(4, input_shape=(3,)), layers.Dense(1)])
        m.compile('sgd', 'mse')
        tf.keras.backend.clear_session()
        print('ok')
        """)
    with client.ProbeServer(python, TF_ENV) as srv:
        assert srv.info["failed"] == {}
        for i in range(2):
            code, _ = srv.run("p.py", cwd=str(tmp_path), out="t.json", stdout="o.txt",
                              stderr="e.txt", timeout=300)
            assert code == 0, (tmp_path / "e.txt").read_text()
            trace = json.loads((tmp_path / "t.json").read_text())
            assert trace["stdout"] == "ok\n"
            (c,) = clears(trace)
            assert c["snapshot"]["names_reset"] is True
