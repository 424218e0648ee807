"""Notebooks: code cells migrated as one module, the JSON edited only where a source changed.

Every notebook here is a real file written by nbformat or by json.dumps in another layout.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from migrate_session import notebook, notebook_json
from migrate_session.engine import discover, migrate_bytes, migrate_code, migrate_file

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "corpora" / "notebooks" / "keras_trials.ipynb"


def make(*sources, minor=5, outputs=True):
    """A notebook: a markdown cell, then one code cell per source (str: code; tuple: kind, text)."""
    nb = new_notebook()
    nb.nbformat_minor = minor
    nb.metadata = {"kernelspec": {"name": "python3", "language": "python", "display_name": "Py"}}
    nb.cells = [new_markdown_cell("# Trials with `keras`")]
    for number, source in enumerate(sources, start=2):
        cell = new_code_cell(source, execution_count=number)
        if outputs:
            cell.outputs = [new_output("stream", name="stdout", text=f"out {number}\n")]
            cell.metadata = {"tags": [f"t{number}"]}
        nb.cells.append(cell)
    if minor < 5:
        for cell in nb.cells:
            del cell["id"]
    return nb


def as_lists(nb):
    """Sources as lists of lines, the way Jupyter writes them."""
    nb = copy.deepcopy(nb)
    for cell in nb["cells"]:
        cell["source"] = cell["source"].splitlines(True) if isinstance(cell["source"], str) else cell["source"]
    return nb


STYLES = {
    "nbformat.write": lambda nb: nbformat.writes(nbformat.from_dict(nb)) + "\n",
    "indent 2, ascii, insertion order": lambda nb: json.dumps(as_lists(nb), indent=2, ensure_ascii=True),
    "tabs": lambda nb: json.dumps(as_lists(nb), indent="\t", ensure_ascii=False) + "\n",
    "one line": lambda nb: json.dumps(as_lists(nb), separators=(",", ":"), ensure_ascii=False),
    "one line, spaced": lambda nb: json.dumps(as_lists(nb)),
    "string sources": lambda nb: json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
    "odd spacing": lambda nb: json.dumps(as_lists(nb), indent=3, separators=(" ,", " :  ")),
}

LEGACY_CELLS = (
    "from keras import backend as K",
    "%%bash\necho 'from keras import backend as K'",
    "%matplotlib inline\nK.clear_session()\nsess = K.get_session()  # é\nprint(sess.list_devices())",
    "print('keras ü')",
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def sources(text: str) -> list[str]:
    cells = json.loads(text)["cells"]
    return [c["source"] if isinstance(c["source"], str) else "".join(c["source"]) for c in cells]


def migrate(text: str, target: str = "tf2", path: str = "nb.ipynb"):
    return notebook.migrate_notebook(text, target, path, migrate_code)


# --- the JSON is kept ----------------------------------------------------------------------
@pytest.mark.parametrize("style", STYLES)
def test_a_changed_notebook_differs_only_in_the_changed_sources(style):
    nb = make(*LEGACY_CELLS)
    text = STYLES[style](nb)
    result = migrate(text)
    assert result.changed
    assert [c.number for c in result.cells] == [2, 4]
    expected = copy.deepcopy(nb)
    for cell in result.cells:
        expected["cells"][cell.number - 1]["source"] = cell.after
    # Byte for byte what the same writer makes of the migrated notebook: key order, indent,
    # escapes, list-or-string sources, the final newline, and the spacing of added lines.
    assert result.text == STYLES[style](expected)
    nbformat.validate(nbformat.reads(result.text, as_version=nbformat.NO_CONVERT))


def test_what_the_migration_writes_into_the_cells():
    result = migrate(STYLES["nbformat.write"](make(*LEGACY_CELLS)))
    after = sources(result.text)
    assert after[1] == "from tensorflow.keras import backend as K\nimport tensorflow as tf"
    assert after[2] == LEGACY_CELLS[1]  # a %%bash cell is not Python: untouched
    assert after[3] == (
        "%matplotlib inline\n"
        "K.clear_session()\n"
        "sess = tf.compat.v1.keras.backend.get_session()  # é\n"
        "print(sess.list_devices())"
    )
    assert after[4] == LEGACY_CELLS[3]


def test_outputs_metadata_ids_and_counts_are_kept():
    nb = make(*LEGACY_CELLS)
    before = json.loads(STYLES["nbformat.write"](nb))
    after = json.loads(migrate(json.dumps(before)).text)
    for old, new in zip(before["cells"], after["cells"]):
        assert {k: v for k, v in old.items() if k != "source"} == {
            k: v for k, v in new.items() if k != "source"
        }
    assert after["metadata"] == before["metadata"]


@pytest.mark.parametrize("style", STYLES)
def test_writing_the_same_sources_back_is_byte_identical(style):
    text = STYLES[style](make(*LEGACY_CELLS))
    data = json.loads(text)
    same = {number: src for number, src in enumerate(sources(text), start=1)}
    assert notebook_json.replace_sources(text, data, same) == text


def test_a_notebook_that_needs_no_change_is_not_written(tmp_path):
    text = STYLES["odd spacing"](make("from tensorflow import keras\nkeras.backend.clear_session()"))
    path = write(tmp_path / "nb.ipynb", text)
    result = migrate_file(path, "tf2", write=True)
    assert result.candidate and not result.changed and result.error is None
    assert path.read_bytes() == text.encode()


def test_nbformat_4_2_without_cell_ids():
    text = STYLES["nbformat.write"](make(*LEGACY_CELLS, minor=2))
    result = migrate(text)
    assert result.changed and '"id"' not in result.text
    assert result.text == STYLES["nbformat.write"](
        _with_sources(json.loads(text), {c.number: c.after for c in result.cells})
    )


def _with_sources(data, new):
    for number, source in new.items():
        data["cells"][number - 1]["source"] = source
    return data


def test_ascii_only_files_stay_ascii_and_others_keep_their_characters():
    nb = make("from keras import backend as K\nK.clear_session()  # é", "print('ü')")
    escaped = migrate(json.dumps(as_lists(nb), indent=1) + "\n").text
    raw = migrate(nbformat.writes(nb)).text
    assert escaped.isascii() and "\\u00e9" in escaped
    assert "é" in raw and "\\u00e9" not in raw


def test_trailing_newlines_of_a_cell_are_kept_and_none_are_added():
    nb = make("from keras import backend as K\n\n", "K.clear_session()\nK.get_session()")
    result = migrate(nbformat.writes(nb))
    assert sources(result.text)[1:] == [
        "from tensorflow.keras import backend as K\nimport tensorflow as tf\n\n",
        "K.clear_session()\ntf.compat.v1.keras.backend.get_session()",
    ]


# --- one module across cells ---------------------------------------------------------------
@pytest.mark.parametrize("target", ["tf1", "tf2"])
def test_a_name_imported_in_one_cell_resolves_in_another(target):
    nb = make(
        "import numpy as np\nfrom keras import backend as K",
        "x = np.zeros(3)",
        "for trial in range(3):\n    K.clear_session()\n    K.set_session(K.get_session())",
    )
    result = migrate(nbformat.writes(nb), target)
    after = sources(result.text)
    assert after[1].startswith("import numpy as np\nfrom tensorflow.keras import backend as K")
    assert after[2] == "x = np.zeros(3)"
    if target == "tf2":
        assert after[1].endswith("\nimport tensorflow as tf")  # added where the imports are
        assert "tf.compat.v1.keras.backend.set_session(tf.compat.v1.keras.backend.get_session())" in after[3]
    else:
        assert after[3] == nb.cells[3].source  # tf.keras 1.12 has the session API as spelled


def test_added_imports_go_to_the_first_cell_with_python_in_it():
    nb = make("!pip install keras==2.2.4", "%%time", "# setup", "from keras import backend as K",
              "K.clear_session()\nK.get_session()")
    after = sources(migrate(nbformat.writes(nb)).text)
    assert after[1:4] == ["!pip install keras==2.2.4", "%%time", "# setup"]
    assert after[4] == "from tensorflow.keras import backend as K\nimport tensorflow as tf"


def test_an_import_repeated_in_a_later_cell_stays_there():
    nb = make(
        "import numpy as np\nfrom keras import backend as K\nK.clear_session()",
        "# runs on its own too\nimport numpy as np\nfrom keras import backend as K  # again\nK.clear_session()",
    )
    after = sources(migrate(nbformat.writes(nb)).text)
    assert after[2] == (
        "# runs on its own too\nimport numpy as np\n"
        "from tensorflow.keras import backend as K  # again\nK.clear_session()"
    )


def test_findings_name_the_cell_and_the_line_in_it():
    nb = make("import numpy as np", "from keras import backend as K", "\n\nK.clear_session()")
    result = migrate_bytes(STYLES["nbformat.write"](nb).encode(), "nb.ipynb", "tf2")
    assert [(f.cell, f.line, f.col, f.rule_id) for f in result.findings] == [
        (3, 1, 1, "MS001"),
        (4, 3, 1, "MS002"),
    ]
    assert result.findings[1].location == "nb.ipynb:cell 4:line 3:col 1"


def test_the_diff_names_the_cell_and_shows_its_source():
    nb = make("import numpy as np", "from keras import backend as K\nK.clear_session()")
    result = migrate_bytes(STYLES["nbformat.write"](nb).encode(), "nb.ipynb", "tf2")
    assert result.diff == (
        "--- nb.ipynb:cell 3\n"
        "+++ nb.ipynb:cell 3\n"
        "@@ -1,2 +1,2 @@\n"
        "-from keras import backend as K\n"
        "+from tensorflow.keras import backend as K\n"
        " K.clear_session()\n"
    )


# --- IPython syntax ------------------------------------------------------------------------
MAGICS = (
    "%load_ext autoreload\n"
    "!pip install keras==2.2.4 \\\n"
    "    tensorflow==1.12.0\n"
    "files = !ls\n"
    "from keras import backend as K\n"
    "K.clear_session?\n"
    "for units in (4, 8):\n"
    "    %time K.clear_session()\n"
    "    !echo {units}\n"
    "    devices = K.get_session().list_devices()\n"
    "msg = ('%d trials'\n"
    "       % 2)\n"
    "doc = \'\'\'\n"
    "%not a magic, a string\n"
    "!neither\n"
    "\'\'\'\n"
    "%env A=1"
)


def test_magic_and_shell_lines_are_kept_exactly_and_the_rest_is_migrated():
    after = sources(migrate(nbformat.writes(make(MAGICS))).text)[1]
    assert after == (
        "%load_ext autoreload\n"
        "!pip install keras==2.2.4 \\\n"
        "    tensorflow==1.12.0\n"
        "files = !ls\n"
        "from tensorflow.keras import backend as K\n"
        "import tensorflow as tf\n"
        "\n"
        "K.clear_session?\n"
        "for units in (4, 8):\n"
        "    %time K.clear_session()\n"
        "    !echo {units}\n"
        "    devices = tf.compat.v1.keras.backend.get_session().list_devices()\n"
        "msg = ('%d trials'\n"
        "       % 2)\n"
        "doc = \'\'\'\n"
        "%not a magic, a string\n"
        "!neither\n"
        "\'\'\'\n"
        "%env A=1"
    )


def test_an_import_that_only_a_magic_still_uses_is_kept():
    nb = make("from keras import backend as K", "K.clear_session?\nK.get_session()")
    after = sources(migrate(nbformat.writes(nb)).text)
    assert after[1] == "from tensorflow.keras import backend as K\nimport tensorflow as tf"
    assert after[2] == "K.clear_session?\ntf.compat.v1.keras.backend.get_session()"


@pytest.mark.parametrize(
    ("imports", "line"),
    [
        ("from keras import backend as K", "%timeit K.get_session()"),
        ("from keras import backend as K", "    %time sess = K.get_session()"),
        ("from keras.backend import get_session", "x = %time get_session()"),
    ],
)
def test_code_in_a_magic_that_would_need_migrating_refuses_the_notebook(imports, line):
    nb = make(f"{imports}\nfrom keras.backend import clear_session",
              f"for i in range(2):\n    clear_session()\n{line}")
    with pytest.raises(notebook.NotebookError) as error:
        migrate(nbformat.writes(nb))
    assert str(error.value).startswith(f"cell 3, line 3: `{line.strip()}` would need migrating")


def test_only_the_python_parts_of_a_shell_line_are_uses():
    imports = "from keras import backend as K\nfrom keras.backend import get_session"
    plain = make(imports, "!echo get_session\nK.clear_session()\nget_session()")
    after = sources(migrate(nbformat.writes(plain)).text)
    assert after[2] == "!echo get_session\nK.clear_session()\ntf.compat.v1.keras.backend.get_session()"
    interpolated = make(imports, "!echo {get_session}\nK.clear_session()\nget_session()")
    with pytest.raises(notebook.NotebookError, match=r"cell 3, line 1: `!echo \{get_session\}` would"):
        migrate(nbformat.writes(interpolated))


def test_findings_in_a_timed_statement_point_into_the_original_line():
    nb = make("from keras import backend as K", "%time  K.clear_session()")
    result = migrate(nbformat.writes(nb), "tf1")
    (finding,) = [f for f in result.findings if f.cell == 3]
    assert (finding.line, finding.col) == (1, 8)  # K of K.clear_session, after "%time  "


@pytest.mark.parametrize("magic", ["%%time", "%%timeit -n 1", "%%capture captured", "%%prun"])
def test_a_python_cell_magic_body_is_migrated(magic):
    nb = make("from keras import backend as K", f"{magic}\nK.clear_session()\nK.get_session()")
    after = sources(migrate(nbformat.writes(nb)).text)[2]
    assert after == f"{magic}\nK.clear_session()\ntf.compat.v1.keras.backend.get_session()"


@pytest.mark.parametrize("magic", ["%%bash", "%%writefile train.py", "%%html", "%%script python2"])
def test_a_cell_in_another_language_is_left_exactly(magic):
    body = f"{magic}\nfrom keras import backend as K\nK.get_session()"
    nb = make("from keras import backend as K\nK.get_session()", body)
    after = sources(migrate(nbformat.writes(nb)).text)
    assert after[1] != nb.cells[1].source and after[2] == body


def test_top_level_await_parses():
    nb = make("from keras import backend as K\nawait something()\nK.get_session()")
    assert "tf.compat.v1.keras.backend.get_session()" in sources(migrate(nbformat.writes(nb)).text)[1]


# --- errors --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"cells": [], "keras": ', "not valid JSON: Expecting value: line 1 column 24 (char 23)"),
        ('["keras"]', "not a notebook: no 'nbformat' field"),
        ('{"nbformat": 3, "nbformat_minor": 0, "worksheets": [], "metadata": {"keras": 1}}',
         "nbformat 3 is not supported (only nbformat 4; open and save the notebook in Jupyter"),
        (('{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": '
          '[{"cell_type": "code", "id": "a", "source": "import keras"}]}'),
         "not a valid notebook: 'metadata' is a required property (cell 1)"),
    ],
    ids=["invalid JSON", "not an object", "nbformat 3", "schema"],
)
def test_a_file_that_is_not_a_notebook_is_a_per_file_error(tmp_path, text, message):
    path = write(tmp_path / "nb.ipynb", text)
    result = migrate_file(path, "tf2", write=True)
    assert result.error.startswith(message), result.error
    assert not result.changed and path.read_text() == text


def test_a_cell_that_does_not_parse_is_named(tmp_path):
    nb = make("from keras import backend as K", "x = 1\nK.clear_session(")
    path = write(tmp_path / "nb.ipynb", nbformat.writes(nb))
    result = migrate_file(path, "tf2", write=True)
    assert result.error.startswith("cell 3: cannot parse as Python 3: ")
    assert "(line 2, column 16)" in result.error


def test_not_utf8_is_an_error():
    result = migrate_bytes(b'{"keras": "\xff"}', "nb.ipynb", "tf2")
    assert result.error.startswith("cannot decode as UTF-8")


def test_the_reserved_placeholder_name_is_refused():
    nb = make("from keras import backend as K\n__migrate_session_cell_3__ = 1")
    with pytest.raises(notebook.NotebookError, match="cell 2: uses the reserved name"):
        migrate(nbformat.writes(nb))


def test_without_keras_bytes_a_notebook_is_not_even_read():
    result = migrate_bytes(b"not json at all", "nb.ipynb", "tf2")
    assert not result.candidate and result.error is None


def test_a_notebook_of_another_language_is_left_alone():
    nb = make("library(keras)\nk_clear_session()")
    nb.metadata = {"kernelspec": {"name": "ir", "language": "R", "display_name": "R"}}
    result = migrate(nbformat.writes(nb))
    assert not result.changed and result.findings == []


# --- the safety nets: a wrong migration is never written -----------------------------------
def _breaking(change):
    def fake(code, target, path):
        result = migrate_code(code, target, path)
        result.code = change(result.code)
        return result

    return fake


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda code: code.replace("__migrate_session_cell_3__\n", ""), "cell boundaries did not survive"),
        (lambda code: code.replace("import __migrate_session_magic_3_0__", "pass"), "cell 3: its IPython lines"),
        (lambda code: code.replace("K.clear_session()", "K.clear_session("), "migrated cell 3: cannot parse"),
    ],
    ids=["separator lost", "magic lost", "cell broken"],
)
def test_a_broken_migration_is_an_error_not_a_notebook(change, message):
    nb = make("from keras import backend as K", "%env A=1\nK.clear_session()")
    with pytest.raises(notebook.NotebookError, match=message):
        notebook.migrate_notebook(nbformat.writes(nb), "tf2", "nb.ipynb", _breaking(change))


# --- files and trees -----------------------------------------------------------------------
def test_discover_finds_notebooks_but_not_checkpoints(tmp_path):
    write(tmp_path / "a.py", "")
    write(tmp_path / "nb.ipynb", "{}")
    write(tmp_path / ".ipynb_checkpoints" / "nb-checkpoint.ipynb", "{}")
    write(tmp_path / "notes.txt", "")
    found = [path.relative_to(tmp_path).as_posix() for path, _ in discover([tmp_path])]
    assert found == ["a.py", "nb.ipynb"]


def test_the_cli_over_a_tree_with_scripts_and_notebooks(tmp_path):
    tree = tmp_path / "project"
    script = write(tree / "train.py", "from keras import backend as K\nK.clear_session()\n")
    nb_text = STYLES["nbformat.write"](make(*LEGACY_CELLS))
    nb = write(tree / "nb.ipynb", nb_text)
    checkpoint = write(tree / ".ipynb_checkpoints" / "nb-checkpoint.ipynb", nb_text)
    broken = write(tree / "broken.ipynb", '{"keras": ')

    def run(*args):
        return subprocess.run([sys.executable, "-m", "migrate_session", "apply", *args, str(tree)],
                              capture_output=True, text=True, cwd=tmp_path, check=False)

    dry = run("--dry-run")
    assert dry.returncode == 3, dry.stderr  # broken.ipynb: a per-file error, the rest goes on
    assert f"--- {nb}:cell 2\n+++ {nb}:cell 2\n" in dry.stdout
    assert f"--- {script}\n" in dry.stdout
    assert f"{nb}:cell 4:line 3:col 8 MS003" in dry.stderr
    assert f"{broken}" in dry.stderr and "not valid JSON" in dry.stderr
    assert nb.read_text() == nb_text  # dry run: nothing written

    applied = run()
    assert applied.returncode == 3
    assert "tensorflow.keras" in script.read_text()
    assert sources(nb.read_text())[1] == "from tensorflow.keras import backend as K\nimport tensorflow as tf"
    assert checkpoint.read_text() == nb_text and broken.read_text() == '{"keras": '
    broken.unlink()

    again = run("--check")
    assert again.returncode == 0, again.stdout + again.stderr  # a second run changes nothing


def test_the_example_notebook_migrates_for_both_targets():
    text = EXAMPLE.read_text(encoding="utf-8")
    for target in ("tf1", "tf2"):
        result = migrate(text, target, str(EXAMPLE))
        assert result.changed
        after = sources(result.text)
        assert after[6] == sources(text)[6]  # the %%bash cell
        assert "from tensorflow.keras import backend as K" in after[7]  # kept in its own cell
        assert not migrate(result.text, target).changed  # a second run changes nothing
