"""The command line on real temporary trees: what is written, what is printed, exit codes."""

from __future__ import annotations

import fcntl
import io
import json
import os
import pty
import re
import select
import stat
import struct
import subprocess
import sys
import termios
from functools import partial
from pathlib import Path

import pytest

from migrate_session import progress
from migrate_session.cli import EXIT_FAILED, EXIT_OK, EXIT_PENDING, EXIT_USAGE, main
from migrate_session.engine import migrate_file

LEGACY = "from keras import backend as K\nK.clear_session()\nsess = K.get_session()\nprint(sess.list_devices())\n"
MIGRATED_TF2 = (
    "from tensorflow.keras import backend as K\n"
    "import tensorflow as tf\n"
    "\n"
    "K.clear_session()\n"
    "sess = tf.compat.v1.keras.backend.get_session()\n"
    "print(sess.list_devices())\n"
)
ALREADY_TF_KERAS = "from tensorflow import keras\nkeras.backend.clear_session()\n"


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_bytes(text.encode())
    return path


def test_apply_rewrites_in_place(tmp_path, capsys):
    script = write(tmp_path / "train.py", LEGACY)
    assert main(["apply", str(tmp_path), "--target", "tf2"]) == EXIT_OK
    assert script.read_text() == MIGRATED_TF2
    err = capsys.readouterr().err
    assert f"{script}:3:8 MS101 " in err  # positions are those of the file as it was
    assert f"{script}:2:1 MS002 " in err


def test_target_tf1_never_spells_compat(tmp_path):
    script = write(tmp_path / "train.py", LEGACY)
    main(["apply", str(script), "--target", "tf1"])
    assert "compat" not in script.read_text()
    assert script.read_text().startswith("from tensorflow.keras import backend as K\n")


def test_dry_run_prints_a_diff_and_writes_nothing(tmp_path, capsys):
    script = write(tmp_path / "train.py", LEGACY)
    before = script.stat().st_mtime_ns
    assert main(["apply", str(script), "--dry-run"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith(f"--- {script}\n+++ {script}\n")
    assert "-from keras import backend as K\n+from tensorflow.keras import backend as K\n" in out
    assert script.read_text() == LEGACY and script.stat().st_mtime_ns == before


def test_check_exit_codes(tmp_path):
    legacy = write(tmp_path / "a" / "legacy.py", LEGACY)
    done = write(tmp_path / "b" / "done.py", ALREADY_TF_KERAS)
    assert main(["apply", str(legacy), "--check"]) == EXIT_PENDING
    assert legacy.read_text() == LEGACY
    assert main(["apply", str(done), "--check"]) == EXIT_OK


def test_second_apply_changes_nothing(tmp_path):
    script = write(tmp_path / "train.py", LEGACY)
    main(["apply", str(script)])
    once = script.read_bytes()
    assert main(["apply", str(script), "--check"]) == EXIT_OK
    assert script.read_bytes() == once


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("py2.py", 'import keras\nprint "cleared"\n', "cannot parse as Python 3"),
        ("binary.py", b"keras\x00\x01\x02", "binary file"),
        ("latin.py", b"import keras\nname = '\xe9'\n", "cannot decode"),
        ("badcookie.py", b"# -*- coding: no-such-codec -*-\nimport keras\n", "cannot decode"),
    ],
)
def test_bad_input_is_reported_and_left_untouched(tmp_path, capsys, name, content, reason):
    bad = write(tmp_path / name, content)
    good = write(tmp_path / "zz_good.py", LEGACY)
    original = bad.read_bytes()
    assert main(["apply", str(tmp_path)]) == EXIT_FAILED
    assert bad.read_bytes() == original
    assert good.read_text() == MIGRATED_TF2, "the run goes on after a bad file"
    err = capsys.readouterr().err
    assert f"{bad}: error: {reason}" in err


def test_missing_path_fails_but_the_rest_runs(tmp_path, capsys):
    good = write(tmp_path / "good.py", LEGACY)
    assert main(["apply", str(tmp_path / "nope.py"), str(good)]) == EXIT_FAILED
    assert good.read_text() == MIGRATED_TF2
    assert "nope.py: error: no such file or directory" in capsys.readouterr().err


def test_encoding_bom_line_endings_and_mode_are_kept(tmp_path):
    latin = write(tmp_path / "latin.py", b"# -*- coding: latin-1 -*-\n" + LEGACY.encode() + "x = 'é'\n".encode("latin-1"))
    bom = write(tmp_path / "bom.py", b"\xef\xbb\xbf" + LEGACY.encode())
    crlf = write(tmp_path / "crlf.py", LEGACY.replace("\n", "\r\n"))
    os.chmod(crlf, 0o751)
    assert main(["apply", str(tmp_path)]) == EXIT_OK
    assert latin.read_bytes().endswith("x = 'é'\n".encode("latin-1"))
    assert b"tensorflow.keras" in latin.read_bytes()
    assert bom.read_bytes().startswith(b"\xef\xbb\xbffrom tensorflow.keras import backend as K\n")
    data = crlf.read_bytes()
    assert b"tensorflow.keras" in data and data.count(b"\r\n") == data.count(b"\n")
    assert stat.S_IMODE(crlf.stat().st_mode) == 0o751


def test_symlink_target_rewritten_once_and_link_kept(tmp_path):
    real = write(tmp_path / "real" / "train.py", LEGACY)
    link = tmp_path / "tree" / "link.py"
    link.parent.mkdir()
    link.symlink_to(real)
    assert main(["apply", str(tmp_path / "tree"), str(tmp_path / "real")]) == EXIT_OK
    assert link.is_symlink()
    assert real.read_text() == MIGRATED_TF2


def test_no_temp_files_left_behind(tmp_path):
    write(tmp_path / "train.py", LEGACY)
    main(["apply", str(tmp_path)])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["train.py"]


def test_not_keras_files_stay_byte_identical(tmp_path):
    files = {
        "plain.py": "import os\nprint(os.sep)\n",
        "tfkeras.py": ALREADY_TF_KERAS,
        "own.py": "def clear_session():\n    pass\n\nclear_session()\nrun(clear_session=True)\n",
        "strings.py": "# K.clear_session()\ncode = 'from keras import backend as K'\n",
    }
    for name, text in files.items():
        write(tmp_path / name, text)
    assert main(["apply", str(tmp_path), "--check"]) == EXIT_OK
    for name, text in files.items():
        assert (tmp_path / name).read_text() == text


def test_json_report(tmp_path, capsys):
    script = write(tmp_path / "train.py", LEGACY)
    write(tmp_path / "broken.py", "import keras\nprint 'x'\n")
    assert main(["apply", str(tmp_path), "--format", "json", "--dry-run"]) == EXIT_FAILED
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["schema"] == "migrate-session/report" and report["version"] == 1
    assert report["mode"] == "dry-run" and report["target"] == "tf2"
    by_path = {f["path"]: f for f in report["files"]}
    assert by_path[str(script)]["changed"] is True
    assert by_path[str(script)]["diff"].startswith("---")
    assert {"path", "line", "col", "rule_id", "severity", "message"} <= set(by_path[str(script)]["findings"][0])
    assert by_path[str(tmp_path / "broken.py")]["error"].startswith("cannot parse")
    assert report["summary"]["failed"] == 1 and report["summary"]["changed"] == 1


def test_parallel_jobs_give_the_same_results_in_path_order(tmp_path, capsys):
    for index in range(12):
        write(tmp_path / f"m{index:02}.py", LEGACY if index % 3 else ALREADY_TF_KERAS)
    main(["apply", str(tmp_path), "--dry-run", "--jobs", "1"])
    serial = capsys.readouterr()
    main(["apply", str(tmp_path), "--dry-run", "--jobs", "2"])
    parallel = capsys.readouterr()
    assert parallel.out == serial.out
    strip = lambda text: text.rsplit("\n", 2)[0]
    assert strip(parallel.err) == strip(serial.err)


def test_usage_errors_exit_2(tmp_path):
    with pytest.raises(SystemExit) as raised:
        main(["apply", str(tmp_path), "--target", "tf3"])
    assert raised.value.code == 2


def test_module_entry_point(tmp_path):
    script = write(tmp_path / "train.py", LEGACY)
    done = subprocess.run(
        [sys.executable, "-m", "migrate_session", "apply", str(script), "--check"],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == EXIT_PENDING, done.stderr
    assert "MS001" in done.stderr


def test_json_report_fields_are_the_documented_ones(tmp_path, capsys):
    write(tmp_path / "train.py", LEGACY)
    main(["apply", str(tmp_path), "--format", "json", "--dry-run"])
    report = json.loads(capsys.readouterr().out)
    documented = (Path(__file__).resolve().parent.parent / "docs" / "report-format.md").read_text()
    for key in [*report, *report["files"][0], *report["summary"]]:
        assert f"`{key}`" in documented or f'"{key}"' in documented, f"{key} is not documented"


# --- parallel runs, a dying worker, streaming -------------------------------------------------


def migrate_or_die(culprit: str, path: Path, target: str, write: bool):
    """migrate_file, except that the worker process dies on the file named ``culprit``."""
    if path.name == culprit:
        os._exit(9)
    return migrate_file(path, target, write)


def test_a_worker_that_dies_costs_its_file_only(tmp_path, capsys):
    for index in range(12):
        write(tmp_path / f"m{index:02}.py", LEGACY)
    assert main(["apply", str(tmp_path), "--jobs", "2"], work=partial(migrate_or_die, "m05.py")) == EXIT_FAILED
    err = capsys.readouterr().err
    culprit = tmp_path / "m05.py"
    assert f"{culprit}: error: worker process died while migrating this file (exit status 9)" in err
    assert culprit.read_text() == LEGACY
    others = [tmp_path / f"m{index:02}.py" for index in range(12) if index != 5]
    assert all(path.read_text() == MIGRATED_TF2 for path in others)
    assert err.count("worker process died") == 1
    assert "12 files scanned, 12 candidates, 11 rewritten, 22 warnings, 1 failed" in err


def test_files_without_keras_never_reach_a_worker(tmp_path, capsys):
    """The prefilter runs before the pool: a worker given a file without `keras` would die."""
    for index in range(10):
        write(tmp_path / f"plain{index}.py", "import os\nprint(os.sep)\n")
    for index in range(9):
        write(tmp_path / f"k{index}.py", LEGACY)
    work = partial(migrate_or_die_unless_keras)
    assert main(["apply", str(tmp_path), "--jobs", "2", "--format", "json", "--check"], work=work) == EXIT_PENDING
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert (summary["files"], summary["candidates"], summary["changed"], summary["failed"]) == (19, 9, 9, 0)


def migrate_or_die_unless_keras(path: Path, target: str, write: bool):
    if path.is_file() and b"keras" not in path.read_bytes():
        os._exit(9)
    return migrate_file(path, target, write)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_each_file_is_reported_before_the_next_is_migrated(tmp_path, monkeypatch, fmt):
    """Output streams: when a file is migrated, the files before it are already printed."""
    for index in range(4):
        write(tmp_path / f"m{index}.py", LEGACY)
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    printed_before: dict[str, str] = {}

    def observe(path, target, write):
        printed_before[path.name] = out.getvalue() + err.getvalue()
        return migrate_file(path, target, write)

    main(["apply", str(tmp_path), "--dry-run", "--jobs", "1", "--format", fmt], work=observe)
    for index in range(1, 4):
        assert f"m{index - 1}.py" in printed_before[f"m{index}.py"]
        assert f"m{index}.py" not in printed_before[f"m{index}.py"]


def test_json_report_is_laid_out_like_json_dumps(tmp_path, capsys):
    write(tmp_path / "a.py", LEGACY)
    write(tmp_path / "b.py", "import keras\nprint 'x'\n")
    write(tmp_path / "c.py", "import os\n")
    main(["apply", str(tmp_path), "--format", "json", "--check"])
    out = capsys.readouterr().out
    report = json.loads(out)
    assert out == json.dumps(report, indent=2) + "\n"
    assert [f["path"] for f in report["files"]] == [str(tmp_path / "a.py"), str(tmp_path / "b.py")]
    assert report["summary"]["candidates"] == 2 and report["summary"]["files"] == 3


def test_json_report_with_no_file_to_report_is_valid(tmp_path, capsys):
    write(tmp_path / "c.py", "import os\n")
    main(["apply", str(tmp_path), "--format", "json"])
    out = capsys.readouterr().out
    assert json.loads(out)["files"] == [] and out == json.dumps(json.loads(out), indent=2) + "\n"


# --- the text report ---------------------------------------------------------------------------


def test_text_report_groups_findings_errors_and_notes_under_each_file(tmp_path, capsys):
    real = write(tmp_path / "real" / "x.txt", LEGACY)
    link = tmp_path / "a" / "linked.py"
    link.parent.mkdir()
    link.symlink_to(real)
    broken = write(tmp_path / "a" / "broken.py", "import keras\nprint 'x'\n")
    legacy = write(tmp_path / "a" / "legacy.py", LEGACY)
    assert main(["apply", str(tmp_path / "a"), "--check"]) == EXIT_FAILED
    lines = capsys.readouterr().err.splitlines()
    heading = lines.index(f"{broken} (failed)")
    assert lines[heading + 1].startswith(f"  {broken}: error: cannot parse as Python 3")
    heading = lines.index(f"{legacy} (would rewrite: 3 rewrites, 2 warnings)")
    assert lines[heading + 1:heading + 6] == [
        f"  {legacy}:1:1 MS001 moved to `tensorflow.keras`: backend as K",
        *[line for line in lines[heading + 2:heading + 6] if line.startswith(f"  {legacy}:")],
    ]
    heading = lines.index(f"{link} (would rewrite: 3 rewrites, 2 warnings)")
    assert lines[heading + 6] == f"  {link}: note: via symlink to {real}"
    assert lines[-1].startswith("3 files scanned, 3 candidates, 2 would rewrite, 4 warnings, 1 failed in ")


def test_concise_format_is_one_line_per_finding(tmp_path, capsys):
    legacy = write(tmp_path / "legacy.py", LEGACY)
    broken = write(tmp_path / "broken.py", "import keras\nprint 'x'\n")
    main(["apply", str(tmp_path), "--check", "--format", "concise", "--quiet"])
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith(f"{broken}: error: cannot parse")
    assert [line.split(" ")[0] for line in lines[1:]] == [
        f"{legacy}:1:1", f"{legacy}:2:1", f"{legacy}:3:8", f"{legacy}:3:8", f"{legacy}:3:8",
    ]


def test_quiet_drops_the_summary_line(tmp_path, capsys):
    write(tmp_path / "c.py", "import os\n")
    main(["apply", str(tmp_path), "--quiet"])
    assert capsys.readouterr().err == ""


# --- colors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env", "colored"),
    [
        ([], {}, False),  # capsys is no terminal
        (["--color", "always"], {}, True),
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        (["--color", "always"], {"NO_COLOR": "1"}, True),
    ],
)
def test_diff_colors(tmp_path, capsys, monkeypatch, args, env, colored):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    script = write(tmp_path / "train.py", LEGACY)
    main(["apply", str(script), "--dry-run", *args])
    out = capsys.readouterr().out
    if colored:
        assert f"\033[1m--- {script}\033[0m\n" in out
        assert "\033[31m-from keras import backend as K\033[0m\n" in out
        assert "\033[32m+from tensorflow.keras import backend as K\033[0m\n" in out
        assert "\033[36m@@ -1,4 +1,6 @@\033[0m\n" in out
    else:
        assert "\033[" not in out and out.startswith(f"--- {script}\n")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_color_auto_on_a_terminal(tmp_path, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    out = Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    main(["apply", str(write(tmp_path / "train.py", LEGACY)), "--dry-run"])
    assert "\033[31m-from keras" in out.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    out.seek(0)
    out.truncate()
    main(["apply", str(tmp_path / "train.py"), "--dry-run"])
    assert "\033[" not in out.getvalue() and "-from keras" in out.getvalue()


# --- the progress bar --------------------------------------------------------------------------


def test_progress_bar_on_a_terminal_stream(tmp_path, monkeypatch):
    for index in range(5):
        write(tmp_path / f"m{index}.py", LEGACY)
    monkeypatch.setattr(progress, "DELAY", 0)
    err = Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    main(["apply", str(tmp_path), "--check", "--jobs", "1"])
    text = err.getvalue()
    assert "\r" in text and "5/5" in text and "5 would rewrite, 0 failed" in text
    assert f"{tmp_path / 'm4.py'}:3:8 MS101 " in text, "findings are printed around the bar"
    assert text.splitlines()[-1].startswith("5 files scanned")


def test_no_progress_bar_with_quiet_even_on_a_terminal(tmp_path, monkeypatch):
    for index in range(5):
        write(tmp_path / f"m{index}.py", LEGACY)
    monkeypatch.setattr(progress, "DELAY", 0)
    err = Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    main(["apply", str(tmp_path), "--check", "--jobs", "1", "--quiet"])
    assert "\r" not in err.getvalue() and "5/5" not in err.getvalue()


@pytest.fixture(scope="module")
def slow_tree(tmp_path_factory):
    """Keras files big enough that a serial --check lasts well over the bar's delay (1 s)."""
    root = tmp_path_factory.mktemp("slow")
    body = LEGACY + "".join(f"value_{i} = {i} * 2\n" for i in range(500))
    for index in range(30):
        write(root / f"m{index:02}.py", body)
    return root


def seconds_of(summary_text: str) -> float:
    return float(re.search(r" in ([0-9.]+) s \(target", summary_text).group(1))


def _run_with_stderr(args: list[str], stderr_fd: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "migrate_session", "apply", *args],
        stdout=subprocess.DEVNULL, stderr=stderr_fd, stdin=subprocess.DEVNULL,
    )


def _read_all(fd: int, process: subprocess.Popen) -> bytes:
    data = b""
    while True:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the pty's other end closed
                break
            if not chunk:
                break
            data += chunk
        elif process.poll() is not None:
            break
    return data


def run_on_a_terminal(args: list[str]) -> tuple[int, str]:
    """Run the command with stderr on a pseudo-terminal of 24 x 100; its exit status and stderr."""
    main_fd, other_fd = pty.openpty()
    fcntl.ioctl(other_fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # rows, columns
    process = _run_with_stderr(args, other_fd)
    os.close(other_fd)
    text = _read_all(main_fd, process).decode()
    os.close(main_fd)
    return process.wait(), text


def test_progress_bar_on_a_pseudo_terminal(slow_tree):
    code, text = run_on_a_terminal([str(slow_tree), "--check", "--jobs", "1"])
    assert code == EXIT_PENDING
    assert seconds_of(text) > 1.5 * progress.DELAY, "slow_tree ran too fast to show the bar: enlarge it"
    assert "/30 [" in text and "\r" in text, text[-2000:]
    assert "would rewrite, 0 failed]" in text
    assert re.search(r"\r +\r30 files scanned, 30 candidates, 30 would rewrite", text), \
        "the bar is cleared before the summary line"
    findings = [line for line in text.splitlines() if ":3:8 MS101 " in line]
    assert len(findings) == 30 and all("/30 [" not in line for line in findings), "no line shared with the bar"


def test_no_progress_bar_for_a_quick_run_on_a_terminal(tmp_path):
    for index in range(3):
        write(tmp_path / f"m{index}.py", LEGACY)
    code, text = run_on_a_terminal([str(tmp_path), "--check", "--jobs", "1"])
    assert code == EXIT_PENDING and seconds_of(text) < progress.DELAY
    assert "/3 [" not in text and "\r\n" in text  # a terminal, but no bar
    assert "3 files scanned" in text


def test_no_progress_bar_on_a_pipe(slow_tree):
    done = subprocess.run(
        [sys.executable, "-m", "migrate_session", "apply", str(slow_tree), "--check", "--jobs", "1"],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == EXIT_PENDING and seconds_of(done.stderr) > progress.DELAY
    assert "\r" not in done.stderr and "/30 [" not in done.stderr
    assert "30 files scanned, 30 candidates, 30 would rewrite" in done.stderr


# --- stdin -------------------------------------------------------------------------------------


def run_stdin(monkeypatch, args: list[str], data: bytes) -> tuple[int, bytes, str]:
    stdin = io.TextIOWrapper(io.BytesIO(data))
    stdout = io.TextIOWrapper(io.BytesIO(), write_through=True)
    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stdin", stdin)
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(sys, "stderr", stderr)
    code = main(["apply", "-", *args])
    stdout.flush()
    return code, stdout.buffer.getvalue(), stderr.getvalue()


def test_stdin_to_stdout(monkeypatch):
    code, out, err = run_stdin(monkeypatch, [], LEGACY.encode())
    assert code == EXIT_OK and out == MIGRATED_TF2.encode()
    assert "<stdin>:3:8 MS101 " in err


def test_stdin_filename_names_the_findings_and_the_diff(monkeypatch):
    code, out, err = run_stdin(monkeypatch, ["--stdin-filename", "src/train.py", "--dry-run"], LEGACY.encode())
    assert code == EXIT_OK
    assert out.decode().startswith("--- src/train.py\n+++ src/train.py\n")
    assert "src/train.py:3:8 MS101 " in err and "<stdin>" not in err


@pytest.mark.parametrize(
    "data",
    [
        b"import os\r\nprint(1)\r\n",
        ALREADY_TF_KERAS.replace("\n", "\r\n").encode(),
        b"\xef\xbb\xbf" + ALREADY_TF_KERAS.encode(),
        b"# -*- coding: latin-1 -*-\n" + ALREADY_TF_KERAS.encode() + "x = 'é'\n".encode("latin-1"),
    ],
    ids=["crlf", "crlf-keras", "bom", "latin-1"],
)
def test_stdin_unchanged_is_byte_identical(monkeypatch, data):
    code, out, _ = run_stdin(monkeypatch, [], data)
    assert code == EXIT_OK and out == data


def test_stdin_keeps_bom_and_crlf_when_it_changes(monkeypatch):
    data = b"\xef\xbb\xbf" + LEGACY.replace("\n", "\r\n").encode()
    code, out, _ = run_stdin(monkeypatch, [], data)
    assert code == EXIT_OK
    assert out == b"\xef\xbb\xbf" + MIGRATED_TF2.replace("\n", "\r\n").encode()


def test_stdin_check(monkeypatch):
    assert run_stdin(monkeypatch, ["--check"], LEGACY.encode())[:2] == (EXIT_PENDING, b"")
    assert run_stdin(monkeypatch, ["--check"], ALREADY_TF_KERAS.encode())[:2] == (EXIT_OK, b"")


@pytest.mark.parametrize(
    ("args", "expected_out"),
    [([], "input"), (["--check"], b""), (["--dry-run"], b"")],
    ids=["apply-echoes", "check-silent", "dry-run-silent"],
)
def test_stdin_that_does_not_parse(monkeypatch, args, expected_out):
    data = b"import keras\nprint 'x'\n"
    code, out, err = run_stdin(monkeypatch, ["--stdin-filename", "nb/x.py", *args], data)
    assert code == EXIT_FAILED
    assert out == (data if expected_out == "input" else expected_out)
    assert "nb/x.py: error: cannot parse as Python 3" in err


def test_stdin_that_does_not_decode(monkeypatch):
    data = b"import keras\nname = '\xe9'\n"
    code, out, err = run_stdin(monkeypatch, [], data)
    assert (code, out) == (EXIT_FAILED, data)
    assert "<stdin>: error: cannot decode" in err


def test_stdin_json_report_with_dry_run(monkeypatch):
    code, out, _ = run_stdin(monkeypatch, ["--format", "json", "--dry-run"], LEGACY.encode())
    report = json.loads(out)
    assert code == EXIT_OK and report["files"][0]["path"] == "<stdin>"
    assert report["files"][0]["diff"].startswith("--- <stdin>\n")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["apply", "-", "other.py"], "cannot be mixed"),
        (["apply", "x.py", "--stdin-filename", "y.py"], "only for PATH `-`"),
        (["apply", "-", "--format", "json"], "with --check or --dry-run"),
    ],
)
def test_stdin_usage_errors(capsys, argv, message):
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == EXIT_USAGE
    assert message in capsys.readouterr().err


def test_stdin_through_a_real_pipe():
    data = LEGACY.replace("\n", "\r\n").encode()
    done = subprocess.run(
        [sys.executable, "-m", "migrate_session", "apply", "-", "--quiet"],
        input=data, capture_output=True, check=False,
    )
    assert done.returncode == EXIT_OK, done.stderr
    assert done.stdout == MIGRATED_TF2.replace("\n", "\r\n").encode()
    assert b"<stdin>:2:1 MS002 " in done.stderr


def test_help_documents_stdin_colors_and_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["apply", "--help"])
    text = capsys.readouterr().out
    for phrase in ["`-` reads one module on stdin", "echoes the input unchanged", "Exit status: 0 done",
                   "NO_COLOR", "--stdin-filename", "SARIF 2.1.0", "concise"]:
        assert phrase in text, phrase
