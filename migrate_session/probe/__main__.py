"""Command line of the probe (Python 3.6+, standard library only).

    python -m migrate_session.probe --out TRACE.json [--cwd DIR] script.py [script args...]
    python -m migrate_session.probe serve [--preload auto|none|NAME,NAME...]

The first form runs ``script.py`` like ``python script.py`` would (``__main__``, ``sys.argv``,
``sys.path[0]`` = the script's directory, ``__file__``) and exits with the program's own exit
status.  ``--cwd`` changes directory first (the script path is then relative to DIR; ``--out``
is relative to the directory the probe was started in).  Probe options stop at the first
non-option argument (or ``--``); everything after the script belongs to the program.
"""


import os
import sys

from migrate_session.probe import core

USAGE = ("usage: python -m migrate_session.probe --out TRACE.json [--cwd DIR] "
         "script.py [args...]\n"
         "       python -m migrate_session.probe serve [--preload auto|none|NAME,...]\n")


def _parse(argv):
    out = cwd = None
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--":
            i += 1
            break
        if a in ("-h", "--help"):
            sys.stdout.write(USAGE)
            sys.exit(0)
        if a in ("--out", "-o", "--cwd"):
            if i + 1 >= len(argv):
                raise ValueError(f"{a} needs a value")
            if a == "--cwd":
                cwd = argv[i + 1]
            else:
                out = argv[i + 1]
            i += 2
            continue
        if a.startswith("--out="):
            out = a[len("--out="):]
        elif a.startswith("--cwd="):
            cwd = a[len("--cwd="):]
        elif a.startswith("-") and a != "-":
            raise ValueError(f"unknown option {a}")
        else:
            break
        i += 1
    if i >= len(argv):
        raise ValueError("no script given")
    if not out:
        raise ValueError("--out is required")
    return out, cwd, argv[i], argv[i + 1:]


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] == "serve":
        from migrate_session.probe import server
        return server.main(argv[1:])
    try:
        out, cwd, script, args = _parse(argv)
    except ValueError as e:
        sys.stderr.write(f"migrate_session.probe: {e}\n{USAGE}")
        return 2
    out = os.path.abspath(out)
    if cwd:
        os.chdir(cwd)
    kind, code, exit_obj, _exc = core.run_script(script, args, out, mode="cli")
    if kind == "exit":
        raise SystemExit(exit_obj)  # Python prints non-int codes and maps None to 0 itself
    return code


if __name__ == "__main__":
    sys.exit(main())
