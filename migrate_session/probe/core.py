"""Probe core: wrap every Keras ``clear_session``, snapshot cleared state, run a script as __main__.

Python 3.6+ and standard library only.  Nothing in here may raise into the program: every
piece of probe logic runs under ``try/except Exception`` and failures are collected in
``probe_errors``.

How ``clear_session`` is found
------------------------------
A *defining module* is a module under ``keras``/``tensorflow``/``tf_keras`` whose last
dotted component contains ``backend`` or is ``global_state`` and whose ``clear_session`` was
defined there (``fn.__module__ == module name``)::

    keras.backend.tensorflow_backend          standalone Keras 2.2        api "keras"
    tensorflow.python.keras.backend           tf.keras of TF 1.x (and TF 2's legacy copy)
    keras.src.backend / keras.backend         Keras 2.6-2.15 shipped as tf.keras
    tf_keras.src.backend                      tf-keras (legacy Keras 2 for TF >= 2.16)
    keras.src.backend.common.global_state     Keras 3                     api "keras3"

Each original gets one wrapper.  When an original is discovered, every module in
``sys.modules`` is swept and any attribute that *is* the original is replaced by its wrapper
(this catches ``keras.backend``, ``tf.keras.backend``, ``tf.compat.v1.keras.backend``,
``keras.utils``, TF's ``keras_deps`` registry, ...).  Defining modules imported later are
caught by a meta-path finder that patches *only their* loader's ``exec_module`` (an instance
attribute on that one loader, removed right after) so discovery + sweep run the moment the
module finishes executing -- before any ``from ... import clear_session`` can bind the
original.  Re-exports made afterwards pick up the wrapper by themselves.
"""

# The probe must never raise into the program it runs: broad ``except Exception`` (and
# ignoring what fails) is the point here, not an accident.
# ruff: noqa: BLE001, S110, S112



import atexit
import functools
import json
import os
import sys
import threading
import time
import traceback
import types
import weakref

try:  # pragma: no cover - always present on CPython 3.6+
    from importlib.machinery import SourceFileLoader, SourcelessFileLoader
    _PATCHABLE_LOADERS = (SourceFileLoader, SourcelessFileLoader)
except Exception:  # pragma: no cover
    SourceFileLoader = None
    _PATCHABLE_LOADERS = ()

PROBE_FORMAT = 1
STDOUT_LIMIT = 2 * 1024 * 1024  # characters of program stdout kept in the trace
_PKG = __name__.rsplit(".", 1)[0]  # "migrate_session.probe"
_TOPS = ("keras", "tensorflow", "tf_keras")
_real_os_exit = os._exit
_tls = threading.local()


class _State:
    def __init__(self):
        self.installed = False
        self.finder = None
        self.originals = {}  # id(original) -> (original, wrapper)
        self.wrapper_ids = set()
        self.errors = []
        # per run
        self.active = False
        self.pid = None
        self.out = None
        self.trace = None
        self.tee = None
        self.written_state = None
        self.t0 = None
        self.old_main = None


_S = _State()


def _err(where, exc=None):
    """Remember a probe failure (never raises)."""
    try:
        if exc is None:
            exc = sys.exc_info()[1]
        msg = f"{where}: {_exc_text(exc)}"
        if len(_S.errors) < 200 and msg not in _S.errors:
            _S.errors.append(msg)
    except Exception:
        pass


def _exc_text(exc):
    """'Type: message' (just 'Type' when the message is empty)."""
    name = type(exc).__name__
    try:
        msg = str(exc)
    except Exception:
        msg = "<exception str() failed>"
    return f"{name}: {msg}" if msg else name


# --------------------------------------------------------------------------- discovery


def _candidate(name):
    """Could module `name` define a Keras clear_session?"""
    if name.split(".", 1)[0] not in _TOPS:
        return False
    last = name.rsplit(".", 1)[-1]
    return "backend" in last or last == "global_state"


def _version(modname, attr="__version__"):
    mod = sys.modules.get(modname)
    if mod is None:
        return None
    try:
        v = mod.__dict__.get(attr)
        return v if isinstance(v, str) else None
    except Exception:
        return None


def _tf_major():
    v = _version("tensorflow")
    if v is None:
        v = _version("tensorflow.python.framework.versions", "VERSION")
    try:
        return int(v.split(".")[0])
    except Exception:
        return None


def _api_of(modname):
    """Which Keras a defining module belongs to: "keras", "tf.keras" or "keras3"."""
    if modname.startswith("tensorflow.") or modname.split(".")[0] == "tf_keras":
        return "tf.keras"
    if modname.endswith("global_state"):
        return "keras3"
    if modname.startswith("keras.backend.") and modname.endswith("_backend"):
        return "keras"  # multi-backend Keras 2.2/2.3
    kv = _version("keras") or ""
    if kv.startswith("3"):
        return "keras3"
    return "tf.keras"  # Keras 2.4+ is tf.keras


def _discover_in(name, mod):
    """Register mod.clear_session if `mod` defines it. True when something new was found."""
    try:
        d = mod.__dict__
    except Exception:
        return False
    fn = d.get("clear_session")
    if not isinstance(fn, types.FunctionType):
        return False
    key = id(fn)
    if key in _S.originals or key in _S.wrapper_ids:
        return False
    if getattr(fn, "__module__", None) != name:
        return False
    wrapper = _make_wrapper(fn, _api_of(name), name + ".clear_session")
    _S.originals[key] = (fn, wrapper)
    _S.wrapper_ids.add(id(wrapper))
    return True


def _discover_all():
    found = False
    for name, mod in list(sys.modules.items()):
        if mod is not None and _candidate(name):
            try:
                found = _discover_in(name, mod) or found
            except Exception:
                _err("discover " + name)
    return found


def _sweep():
    """Replace, in every module, each attribute that is an original clear_session."""
    table = _S.originals
    if not table:
        return 0
    n = 0
    for name, mod in list(sys.modules.items()):
        try:
            d = object.__getattribute__(mod, "__dict__")
        except Exception:
            continue
        if type(d) is not dict:
            continue
        for attempt in (0, 1):
            try:
                hits = []
                for k, v in (d.items() if attempt == 0 else list(d.items())):
                    entry = table.get(id(v))
                    if entry is not None and entry[0] is v:
                        hits.append((k, entry[1]))
                for k, w in hits:
                    d[k] = w
                    n += 1
                break
            except RuntimeError:  # dict changed size during iteration (another thread)
                continue
            except Exception:
                _err("sweep " + str(name))
                break
    return n


def _after_import(name):
    try:
        mod = sys.modules.get(name)
        if mod is not None and _discover_in(name, mod):
            _sweep()
    except Exception:
        _err("after import " + name)


def _patch_loader(loader, fullname):
    real = loader.exec_module

    def exec_module(module):
        try:
            real(module)
        finally:
            try:
                loader.__dict__.pop("exec_module", None)
            except Exception:
                pass
        _after_import(fullname)

    loader.exec_module = exec_module


class _PostImportFinder:
    """First on sys.meta_path; for candidate modules only, asks the other finders for the
    spec and patches that one loader so discovery runs right after the module executes."""

    _migrate_session_probe = True

    def find_spec(self, fullname, path=None, target=None):
        if not _candidate(fullname) or getattr(_tls, "finding", False):
            return None
        _tls.finding = True
        try:
            for finder in list(sys.meta_path):
                if getattr(finder, "_migrate_session_probe", False):
                    continue
                find_spec = getattr(finder, "find_spec", None)
                if find_spec is None:
                    return None  # legacy finder ahead: let the import system proceed alone
                spec = find_spec(fullname, path, target)
                if spec is None:
                    continue
                loader = spec.loader
                if (_PATCHABLE_LOADERS and isinstance(loader, _PATCHABLE_LOADERS)
                        and "exec_module" not in getattr(loader, "__dict__", {"exec_module": 1})):
                    _patch_loader(loader, fullname)
                return spec
            return None
        except Exception:
            return None  # the import system asks the real finders again and raises properly
        finally:
            _tls.finding = False


def install():
    """Wrap every clear_session already loaded and hook future imports. Idempotent."""
    try:
        if not _S.installed:
            _S.finder = _PostImportFinder()
            sys.meta_path.insert(0, _S.finder)
            _S.installed = True
        elif _S.finder not in sys.meta_path:
            sys.meta_path.insert(0, _S.finder)
        if _discover_all():
            _sweep()
    except Exception:
        _err("install")


def originals():
    """[(qualified name, api)] of the clear_session functions wrapped so far."""
    out = []
    for fn, w in _S.originals.values():
        out.append((fn.__module__ + ".clear_session", w._migrate_session_api))
    return sorted(out)


# --------------------------------------------------------------------------- wrapper


def _make_wrapper(orig, api, qualname):
    @functools.wraps(orig)
    def clear_session(*args, **kwargs):
        if not _S.active or getattr(_tls, "depth", 0) or _S.pid != os.getpid():
            return orig(*args, **kwargs)
        before = _before()
        caller = None
        try:
            f = sys._getframe(1)
            caller = f"{f.f_code.co_filename}:{f.f_lineno}"
        except Exception:
            pass
        _tls.depth = 1
        try:
            result = orig(*args, **kwargs)
        except BaseException as exc:
            _tls.depth = 0
            _record_clear(api, qualname, before, caller, exc)
            raise
        _tls.depth = 0
        _record_clear(api, qualname, before, caller, None)
        return result

    clear_session._migrate_session_api = api
    clear_session._migrate_session_original = orig
    return clear_session


def _record_clear(api, qualname, before, caller, exc):
    try:
        ev = {"event": "clear", "api": api, "function": qualname, "caller": caller}
        if exc is not None:
            ev["exception"] = _exc_text(exc)
        ev["snapshot"] = snapshot(before)
        _S.trace["events"].append(ev)
        write_trace()
    except Exception:
        _err("record clear")


# --------------------------------------------------------------------------- snapshot


def _weak(obj):
    if obj is None:
        return lambda: None
    try:
        return weakref.ref(obj)
    except TypeError:
        return lambda: obj


def _tf_state():
    """(default graph or None, executing eagerly or None) without creating anything new."""
    graph = eager = None
    ctx = sys.modules.get("tensorflow.python.eager.context")
    if ctx is not None:
        try:
            eager = bool(ctx.executing_eagerly())
        except Exception:
            _err("executing_eagerly")
    ops = sys.modules.get("tensorflow.python.framework.ops")
    if ops is not None:
        try:
            graph = ops.get_default_graph()
        except Exception:
            _err("get_default_graph")
    return graph, eager


def _kerases():
    """[(label, kind, module)] for every Keras backend loaded in this process."""
    out = []
    seen = set()
    labels = set()

    def add(label, kind, mod):
        if id(mod) in seen:
            return
        seen.add(id(mod))
        if label in labels:
            label = f"{label}[{mod.__name__}]"
        labels.add(label)
        out.append((label, kind, mod))

    mods = sys.modules
    m = mods.get("keras.backend.tensorflow_backend")
    if m is not None:
        add("keras", "standalone", m)
    m = mods.get("tensorflow.python.keras.backend")
    if m is not None and "clear_session" in m.__dict__:
        if (_tf_major() or 1) >= 2:
            add("tf.keras[tensorflow.python.keras]", "tfk", m)
        else:
            add("tf.keras", "tfk", m)
    for name in ("keras.src.backend", "keras.backend", "tf_keras.src.backend", "tf_keras.backend"):
        m = mods.get(name)
        if m is not None and ("PER_GRAPH_OBJECT_NAME_UIDS" in m.__dict__
                              or "PER_GRAPH_LAYER_NAME_UIDS" in m.__dict__):
            add("tf.keras", "tfk", m)
    m = mods.get("keras.src.backend.common.global_state")
    if m is not None:
        add("keras3", "k3", m)
    # TF 1.x tf.keras sorts after standalone; TF 2's legacy copy goes last.
    out.sort(key=lambda t: ("[" in t[0], ["keras", "tf.keras", "keras3"].index(t[0].split("[")[0])))
    return out


def keras_versions():
    vers = {}
    for label, kind, mod in _kerases():
        name = mod.__name__
        v = None
        if kind == "standalone" or kind == "k3" or name.startswith("keras."):
            v = _version("keras")
        elif name.startswith("tensorflow."):
            v = _version("tensorflow.python.keras")
        elif name.startswith("tf_keras"):
            v = _version("tf_keras")
        vers[label] = v
    return vers


def _name_graphs(kind, mod, graph, eager):
    """Graphs this Keras keys auto-name counters on right now.

    TF 1.x: the default graph.  TF 2 Keras 2 (eager): ``get_uid`` keys on Keras' own
    workspace graph ``_GRAPH.graph`` while layer names (``unique_object_name``) key on the
    default graph, so both count.  A workspace graph not created yet is a fresh one."""
    graphs = []
    if graph is not None:
        graphs.append(graph)
    if kind == "tfk" and eager and "_GRAPH" in mod.__dict__:
        g = mod.__dict__["_GRAPH"]
        if isinstance(g, threading.local):
            g = getattr(g, "graph", None)
        if g is not None and g is not graph:
            graphs.append(g)
    return graphs


def _uid_table(kind, mod):
    d = mod.__dict__
    if kind == "standalone":
        return d.get("_GRAPH_UID_DICTS")
    if kind == "tfk":
        t = d.get("PER_GRAPH_OBJECT_NAME_UIDS")
        return t if t is not None else d.get("PER_GRAPH_LAYER_NAME_UIDS")
    return None


def _names_reset(kind, mod, graph, eager):
    if kind == "k3":
        tracker = mod.__dict__.get("GLOBAL_STATE_TRACKER")
        return not getattr(tracker, "object_name_uids", None)
    table = _uid_table(kind, mod)
    if table is None:
        raise LookupError("no uid table in " + mod.__name__)
    for g in _name_graphs(kind, mod, graph, eager):
        if table.get(g):
            return False
    return True


def _uid_tables_cleared(kind, mod, graph, eager):
    """No auto-name counters are kept anywhere.

    Like ``names_reset``, and in addition a table that holds its graphs *strongly* (the
    plain dict of standalone Keras 2.2) must have no counters for any graph: counters kept
    for an old graph are state that was not cleared (they also keep that graph alive).
    Weakly keyed tables (tf.keras) are only judged on the current graph(s): their entries
    for dead graphs vanish at some garbage collection, which would make the field flaky."""
    if kind == "k3":
        return _names_reset(kind, mod, graph, eager)
    table = _uid_table(kind, mod)
    if table is None:
        raise LookupError("no uid table in " + mod.__name__)
    if isinstance(table, weakref.WeakKeyDictionary):
        return _names_reset(kind, mod, graph, eager)
    for v in list(table.values()):
        if v:
            return False
    return True


def _session_of(kind, mod, eager):
    """(has_session, session object or None)."""
    if kind == "k3":
        return False, None
    if kind == "tfk" and eager:
        return False, None
    s = mod.__dict__.get("_SESSION")
    if isinstance(s, threading.local):
        s = getattr(s, "session", None)
    return True, s


def _learning_phase(kind, mod, graph, eager):
    if kind == "k3":
        return None
    d = mod.__dict__
    table = d.get("_GRAPH_LEARNING_PHASES")
    if table is None:
        return None
    if kind == "tfk" and eager:
        dummy = d.get("_DUMMY_EAGER_GRAPH")
        if dummy is None:
            return None
        if hasattr(dummy, "learning_phase_is_set") and not dummy.learning_phase_is_set:
            return None
        v = table.get(getattr(dummy, "key", dummy))
    else:
        if graph is None:
            return None
        v = table.get(graph)
    if isinstance(v, int):  # bool included; tensors / weakrefs are the default phase
        return int(v)
    return None


def _rss_kb():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except Exception:
        pass
    try:
        import resource
        return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    except Exception:
        return None


def _before():
    """State needed to tell, after a clear, what was replaced."""
    b = {"graph": None, "sessions": {}}
    try:
        graph, eager = _tf_state()
        b["graph"] = _weak(graph) if graph is not None else None
        for label, kind, mod in _kerases():
            try:
                has, sess = _session_of(kind, mod, eager)
                if has:
                    b["sessions"][label] = (sess is None, _weak(sess))
            except Exception:
                _err("session before " + label)
    except Exception:
        _err("before")
    return b


def _all(values):
    """True/False/None over a dict of per-Keras booleans (None = unknown)."""
    vals = list(values.values())
    if not vals:
        return None
    if any(v is False for v in vals):
        return False
    if any(v is None for v in vals):
        return None
    return True


def snapshot(before=None):
    """The snapshot dict of docs/internals.md. `before` is None at exit."""
    snap = {"graph_replaced": None, "ops": None, "variables": None, "session_replaced": None,
            "names_reset": None, "learning_phase": None, "rss_kb": None}
    try:
        graph, eager = _tf_state()
        if before is not None and before.get("graph") is not None and graph is not None:
            snap["graph_replaced"] = before["graph"]() is not graph
        if graph is not None:
            try:
                n = 0
                for op in graph.get_operations():
                    if not op.name.startswith("keras_learning_phase"):
                        n += 1
                snap["ops"] = n
            except Exception:
                _err("ops")
            if eager is False:
                try:
                    snap["variables"] = len(graph.get_collection("variables"))
                except Exception:
                    _err("variables")
        names, cleared, sessions, phases = {}, {}, {}, {}
        for label, kind, mod in _kerases():
            try:
                names[label] = _names_reset(kind, mod, graph, eager)
            except Exception:
                names[label] = None
                _err("names_reset " + label)
            try:
                cleared[label] = _uid_tables_cleared(kind, mod, graph, eager)
            except Exception:
                cleared[label] = None
                _err("uid_tables_cleared " + label)
            try:
                phases[label] = _learning_phase(kind, mod, graph, eager)
            except Exception:
                phases[label] = None
                _err("learning_phase " + label)
            if before is not None:
                try:
                    has, sess = _session_of(kind, mod, eager)
                    prev = before["sessions"].get(label)
                    if has and prev is not None:
                        was_none, ref = prev
                        sessions[label] = (sess is None or was_none or ref() is not sess)
                    elif has:
                        sessions[label] = None
                except Exception:
                    sessions[label] = None
                    _err("session_replaced " + label)
        snap["session_replaced"] = _all(sessions)
        snap["names_reset"] = _all(names)
        for v in phases.values():
            if v is not None:
                snap["learning_phase"] = v
                break
        snap["rss_kb"] = _rss_kb()
        snap["uid_tables_cleared"] = _all(cleared)
        snap["eager"] = eager
        snap["names_reset_by_keras"] = names
        snap["uid_tables_cleared_by_keras"] = cleared
        snap["session_replaced_by_keras"] = sessions if before is not None else None
        snap["learning_phase_by_keras"] = phases
    except Exception:
        _err("snapshot")
    return snap


# --------------------------------------------------------------------------- stdout tee


class _Tee:
    """sys.stdout replacement: writes go to the real stream and into a bounded copy."""

    def __init__(self, real, limit=STDOUT_LIMIT):
        self._real = real
        self._chunks = []
        self._size = 0
        self._limit = limit
        self.truncated = False

    def write(self, s):
        n = self._real.write(s)
        try:
            if isinstance(s, str) and s:
                room = self._limit - self._size
                if room <= 0:
                    self.truncated = True
                else:
                    if len(s) > room:
                        s = s[:room]
                        self.truncated = True
                    self._chunks.append(s)
                    self._size += len(s)
        except Exception:
            pass
        return n

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        return self._real.flush()

    def getvalue(self):
        return "".join(self._chunks)

    def __getattr__(self, name):
        if name == "_real":
            raise AttributeError(name)
        return getattr(self._real, name)


# --------------------------------------------------------------------------- trace


def _new_trace(script, args, mode, preloaded):
    return {
        "probe": PROBE_FORMAT,
        "python": ".".join(str(n) for n in sys.version_info[:3]),
        "tensorflow": None,
        "kerases": {},
        "script": script,
        "argv": list(args),
        "events": [],
        "status": "running",
        "exit_code": None,
        "exception": None,
        "stdout": "",
        "stdout_truncated": False,
        "probe_errors": _S.errors,
        "mode": mode,
        "preloaded": list(preloaded or []),
        "wrapped": [],
        "seconds": None,
        "pid": os.getpid(),
    }


def write_trace():
    """Atomically (re)write the trace file. Never raises."""
    tr = _S.trace
    if tr is None or _S.out is None or _S.pid != os.getpid():
        return
    try:
        tr["tensorflow"] = _version("tensorflow") or _version(
            "tensorflow.python.framework.versions", "VERSION")
        tr["kerases"] = keras_versions()
        tr["wrapped"] = [q for q, a in originals()]
        if _S.tee is not None:
            tr["stdout"] = _S.tee.getvalue()
            tr["stdout_truncated"] = _S.tee.truncated
        tmp = f"{_S.out}.tmp{os.getpid()}"
        data = json.dumps(tr, indent=1, default=repr)
        with open(tmp, "w") as f:
            f.write(data)
            f.write("\n")
        os.rename(tmp, _S.out)
        _S.written_state = (len(tr["events"]), tr["status"], len(tr["stdout"]), len(_S.errors))
    except Exception:
        _err("write trace")


def _atexit_rewrite():
    """Clears made by atexit handlers (or output printed there) still reach the trace."""
    try:
        if _S.trace is None or _S.pid != os.getpid() or _S.trace["status"] == "running":
            return
        tr = _S.trace
        cur = (len(tr["events"]), tr["status"],
               len(_S.tee.getvalue()) if _S.tee is not None else 0, len(_S.errors))
        if cur != _S.written_state:
            write_trace()
    except Exception:
        pass


def _finish(status, exit_code, exception):
    try:
        tr = _S.trace
        tr["status"] = status
        tr["exit_code"] = exit_code
        tr["exception"] = exception
        tr["seconds"] = round(time.time() - _S.t0, 4)
        tr["events"].append({"event": "exit", "snapshot": snapshot(None)})
        # stdout is not flushed here: Python flushes it at exit, after printing a traceback,
        # and a forked server child flushes in finish_process (same order as plain Python).
        write_trace()
    except Exception:
        _err("finish")


def _os_exit_wrapper(n):
    try:
        if _S.active and _S.pid == os.getpid() and _S.trace["status"] == "running":
            code = n if isinstance(n, int) else 1
            _finish("exit", code, None)
            _S.trace["os_exit"] = True
            write_trace()
    except Exception:
        pass
    _real_os_exit(n)


# --------------------------------------------------------------------------- exceptions


def _is_probe_frame(frame):
    try:
        return str(frame.f_globals.get("__name__", "")).startswith(_PKG)
    except Exception:
        return False


def _strip_tb(tb):
    """Remove probe frames from a traceback chain (relinks tb_next, Python 3.7+)."""
    kept = []
    while tb is not None:
        if not _is_probe_frame(tb.tb_frame):
            kept.append(tb)
        tb = tb.tb_next
    for a, b in zip(kept, kept[1:]):
        if a.tb_next is not b:
            a.tb_next = b
    if kept and kept[-1].tb_next is not None:
        kept[-1].tb_next = None
    return kept[0] if kept else None


def print_exception(exc):
    """Print an uncaught program exception the way Python would (probe frames removed)."""
    try:
        tb = exc.__traceback__
        if sys.version_info >= (3, 7):  # noqa: UP036 - the probe also runs on 3.6
            seen = set()
            todo = [exc]
            while todo:
                e = todo.pop()
                if e is None or id(e) in seen:
                    continue
                seen.add(id(e))
                if e.__traceback__ is not None:
                    e.__traceback__ = _strip_tb(e.__traceback__)
                todo.append(e.__cause__)
                todo.append(e.__context__)
            sys.excepthook(type(exc), exc, exc.__traceback__)
            return
        while tb is not None and _is_probe_frame(tb.tb_frame):
            tb = tb.tb_next
        if sys.excepthook is not sys.__excepthook__:
            sys.excepthook(type(exc), exc, tb)  # the program's own hook decides
            return
        # Python 3.6 cannot relink tracebacks (and its excepthook prints each chained
        # exception's own __traceback__): format with `traceback`, dropping probe entries.
        probe_files = set()
        for mod in list(sys.modules.values()):
            name = getattr(mod, "__name__", "") or ""
            if isinstance(name, str) and name.startswith(_PKG):
                f = getattr(mod, "__file__", None)
                if f:
                    probe_files.add(f)
        te = traceback.TracebackException(type(exc), exc, tb)
        stack = [te]
        seen = set()
        while stack:
            t = stack.pop()
            if t is None or id(t) in seen:
                continue
            seen.add(id(t))
            t.stack[:] = [fs for fs in t.stack if fs.filename not in probe_files]
            stack.append(t.__cause__)
            stack.append(t.__context__)
        sys.stderr.write("".join(te.format()))
    except Exception:
        try:
            traceback.print_exception(type(exc), exc, exc.__traceback__)
        except Exception:
            pass


# --------------------------------------------------------------------------- running


def exit_code_of(code):
    """Python's mapping of SystemExit.code to a process exit status."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    return 1


def _main_module(script):
    mod = types.ModuleType("__main__")
    g = mod.__dict__
    path = os.path.abspath(script) if sys.version_info >= (3, 9) else script
    g["__file__"] = path
    g["__cached__"] = None
    g["__package__"] = None
    g["__spec__"] = None
    g["__builtins__"] = sys.modules["builtins"]
    if sys.version_info < (3, 14):
        g["__annotations__"] = {}
    try:
        g["__loader__"] = SourceFileLoader("__main__", path)
    except Exception:
        g["__loader__"] = None
    return mod, path


def run_script(script, args=(), out="trace.json", mode="cli", preloaded=()):
    """Run `script` as __main__ under the probe and write the trace to `out`.

    Returns (kind, exit_code, exit_obj, exc):
      kind "ok" | "exit" | "exception";  exit_code: int;
      exit_obj: the SystemExit code object (for Python's own printing of non-int codes);
      exc: the uncaught exception (already printed to stderr) or None.
    The caller ends the process (see __main__.py / server.py).
    """
    # --- probe setup; a failure here only loses trace detail
    try:
        _S.out = os.path.abspath(out)
        _S.pid = os.getpid()
        _S.t0 = time.time()
        _S.trace = _new_trace(script, args, mode, preloaded)
        install()
        if sys.stdout is not None and not isinstance(sys.stdout, _Tee):
            _S.tee = _Tee(sys.stdout)
            sys.stdout = _S.tee
        _S.active = True
        os._exit = _os_exit_wrapper
        atexit.register(_atexit_rewrite)
        write_trace()
    except Exception:
        _err("setup")

    # --- the program
    kind, exit_code, exit_obj, exc, exc_text = "ok", 0, None, None, None
    try:
        try:
            with open(script, "rb") as f:
                source = f.read()
        except OSError as e:
            shown = os.path.abspath(script) if sys.version_info >= (3, 9) else script
            sys.stderr.write("{}: can't open file {!r}: [Errno {}] {}\n".format(
                sys.executable or "python", shown, e.errno, e.strerror))
            _finish("exception", 2, _exc_text(e))
            return "exception", 2, None, None
        mod, path = _main_module(script)
        old_main = sys.modules.get("__main__")
        _S.old_main = old_main
        sys.modules["__main__"] = mod
        sys.argv[:] = [script] + list(args)
        try:
            sys.path[0] = os.path.dirname(os.path.realpath(script))
        except IndexError:
            sys.path.insert(0, os.path.dirname(os.path.realpath(script)))
        code = compile(source, path, "exec", dont_inherit=True)
        exec(code, mod.__dict__)  # noqa: S102 - running the program is the job
    except SystemExit as e:
        kind, exit_obj = "exit", e.code
        exit_code = exit_code_of(e.code)
    except BaseException as e:
        kind, exit_code, exc = "exception", 1, e
        exc_text = _exc_text(e)

    _finish(kind, exit_code, exc_text)
    if exc is not None:
        print_exception(exc)
    return kind, exit_code, exit_obj, exc


def finish_process(kind, exit_code, exit_obj):
    """Mimic interpreter shutdown in a forked child, then os._exit (never returns)."""
    code = exit_code
    try:
        if kind == "exit" and exit_obj is not None and not isinstance(exit_obj, int):
            try:
                sys.stderr.write(f"{exit_obj}\n")
            except Exception:
                pass
        try:
            threading._shutdown()  # wait for non-daemon threads, as Py_Finalize does
        except Exception:
            pass
        try:
            atexit._run_exitfuncs()
        except Exception:
            pass
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
    except BaseException:
        pass
    try:
        code = int(code) & 0xFF
    except Exception:
        code = 1
    _real_os_exit(code)
