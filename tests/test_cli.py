"""The command line on real temporary trees: what is written, what is printed, exit codes."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from migrate_session.cli import EXIT_FAILED, EXIT_OK, EXIT_PENDING, main

LEGACY = "from keras import backend as K\nK.clear_session()\nsess = K.get_session()\n"
MIGRATED_TF2 = (
    "from tensorflow.keras import backend as K\n"
    "import tensorflow as tf\n"
    "\n"
    "K.clear_session()\n"
    "sess = tf.compat.v1.keras.backend.get_session()\n"
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
