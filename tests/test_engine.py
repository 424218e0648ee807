"""Edge cases met by hand-made inputs: each one was a bug once."""

from __future__ import annotations

import ast

import pytest

from migrate_session.engine import migrate_bytes, migrate_code
from migrate_session.targets import TARGETS


@pytest.mark.parametrize("target", TARGETS)
def test_parenthesized_import_keeps_its_comments(target):
    source = "from keras.backend import (\n    clear_session,  # reset\n    get_session,\n)\nclear_session()\nget_session()\n"
    code = migrate_code(source, target).code
    assert "clear_session,  # reset" in code
    ast.parse(code)


@pytest.mark.parametrize("target", TARGETS)
def test_a_name_with_no_equivalent_stays_on_standalone_keras(target):
    source = "from keras.layers import Dense, merge\nx = merge\n"
    result = migrate_code(source, target)
    assert result.code.endswith("from keras.layers import merge\nx = merge\n")
    assert [f.rule_id for f in result.findings if f.rule_id == "MS102"] == ["MS102"]
    assert result.findings[-1].line == 1  # reported at the import, once


def test_an_alias_target_is_never_rewritten():
    source = "import keras\nK = keras.backend\nK.get_session()\n"
    code = migrate_code(source, "tf2").code
    assert "K = keras.backend\n" in code


def test_mixed_import_statement_is_split_one_import_a_line():
    code = migrate_code("import keras, os  # both\nkeras.backend.clear_session()\n", "tf2").code
    assert code.startswith("import os\nfrom tensorflow import keras  # both\n")


def test_a_bug_in_a_rule_costs_one_file_not_the_run(monkeypatch):
    from migrate_session.rules import clear_session

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(clear_session.ClearSession, "visit_Reference", explode)
    result = migrate_bytes(b"from keras import backend as K\nK.clear_session()\n", "x.py", "tf2")
    assert result.error.startswith("internal error (RuntimeError: boom)")
    assert not result.changed


def test_diff_splits_lines_as_python_does_not_at_form_feeds():
    source = b"from keras import backend as K\n\x0c# page two\x1c\nK.clear_session()\n"
    assert migrate_bytes(source, "x.py", "tf2").diff == (
        "--- x.py\n+++ x.py\n@@ -1,3 +1,3 @@\n"
        "-from keras import backend as K\n"
        "+from tensorflow.keras import backend as K\n"
        " \x0c# page two\x1c\n"
        " K.clear_session()\n"
    )
