"""The invariant checker on hand-made before/after pairs, and its place in the engine."""

from __future__ import annotations

import textwrap

import pytest

from migrate_session import engine, invariants
from migrate_session.invariants import InputDoesNotCompile, InvariantViolation, check


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


VIOLATIONS = [
    pytest.param(
        "from keras.backend import tensorflow_backend as KTF\nKTF.clear_session()\n",
        "KTF.clear_session()\n",
        "names-bound", "`KTF` in the module still used but no longer bound",
        id="import-deleted-use-kept",
    ),
    pytest.param(
        dedent("""
            from keras import backend as K
            def reset():
                K.clear_session()
        """),
        dedent("""
            def reset():
                K.clear_session()
        """),
        "names-bound", "`K` in function `reset` (line 1 of the output) still used but no longer bound",
        id="module-import-deleted-use-in-function",
    ),
    pytest.param(
        dedent("""
            def reset():
                from keras import backend as K
                K.clear_session()
        """),
        dedent("""
            def reset():
                K.clear_session()
        """),
        "names-bound", "`K` in function `reset` (line 1 of the output) still used but no longer bound",
        id="local-import-deleted",
    ),
    pytest.param(
        "import keras  # the old one\nkeras.backend.clear_session()\n",
        "from tensorflow import keras\nkeras.backend.clear_session()\n",
        "comments-kept", "`# the old one` dropped",
        id="comment-dropped",
    ),
    pytest.param(
        "# a\n# a\nx = 1\n",
        "# a\nx = 1\n",
        "comments-kept", "`# a` dropped",
        id="one-of-two-equal-comments-dropped",
    ),
    pytest.param(  # a '#' in a string starts the line's tail early: the comment still counts
        "x = '#'  # the note\n",
        "x = '#'\n",
        "comments-kept", "`# the note` dropped",
        id="comment-after-a-hash-in-a-string-dropped",
    ),
    pytest.param(
        "x = 1\n",
        "x = (1\n",
        "compiles", "'(' was never closed (line 1)",
        id="output-does-not-compile",
    ),
    pytest.param(  # parses and has a symbol table: only compiling finds it
        "Adadelta(learning_rate=1.0)\n",
        "Adadelta(learning_rate=1.0, learning_rate=1.0)\n",
        "compiles", "keyword argument repeated: learning_rate (line 1)",
        id="repeated-keyword",
    ),
]


@pytest.mark.parametrize(("before", "after", "name", "detail"), VIOLATIONS)
def test_a_violation_is_named_with_what_was_lost(before, after, name, detail):
    with pytest.raises(InvariantViolation) as raised:
        check(before, after)
    assert (raised.value.name, raised.value.detail) == (name, detail)


KEPT = [
    pytest.param(
        "from keras import backend as K\nK.clear_session()\n",
        "from tensorflow.keras import backend as K\nK.clear_session()\n",
        id="rewritten-import-still-binds",
    ),
    pytest.param(
        "from keras.backend import tensorflow_backend as KTF\nKTF.clear_session()\n",
        "import tensorflow as tf\ntf.keras.backend.clear_session()\n",
        id="use-rewritten-with-its-import",
    ),
    pytest.param(
        "import keras  # old\nx = 1  # note\n",
        "x = 1  # note\nfrom tensorflow import keras  # old\n",
        id="comments-kept-elsewhere",
    ),
    pytest.param(
        "from keras.layers import *\nDense(1)\nundefined_before()\n",
        "from tensorflow.keras.layers import *\nDense(1)\nundefined_before()\n",
        id="unbound-in-both-is-not-ours",
    ),
    pytest.param(
        dedent("""
            def setup():
                global K
                from keras import backend as K
            def reset():
                K.clear_session()
        """),
        dedent("""
            def setup():
                global K
                from tensorflow.keras import backend as K
            def reset():
                K.clear_session()
        """),
        id="bound-through-global",
    ),
    pytest.param(
        dedent("""
            def outer():
                import keras
                def inner():
                    return keras, len
                class C:
                    k = keras
                return [keras for _ in ()]
        """),
        dedent("""
            def outer():
                from tensorflow import keras
                def inner():
                    return keras, len
                class C:
                    k = keras
                return [keras for _ in ()]
        """),
        id="enclosing-scopes-and-builtins",
    ),
    pytest.param("# '#' in a comment\ns = '# not a comment'\n", "# '#' in a comment\ns = ''\n",
                 id="hash-in-a-string-is-no-comment"),
]


@pytest.mark.parametrize(("before", "after"), KEPT)
def test_what_keeps_the_invariants_passes(before, after):
    check(before, after)


BACKEND_IF = dedent("""
    from keras import backend as K
    if K.backend() == 'theano':
        # theano only
        x = 1
    else:
        # the one that runs
        x = 2
    # after
""")


def test_comments_a_rule_drops_on_purpose_may_go():
    after = "# the one that runs\nx = 2\n# after\n"
    check(BACKEND_IF, after, ["# theano only"])
    with pytest.raises(InvariantViolation, match="`# theano only` dropped"):
        check(BACKEND_IF, after)  # not named as dropped on purpose: a loss
    with pytest.raises(InvariantViolation, match="`# after` dropped"):
        check(BACKEND_IF, "x = 2\n# the one that runs\n", ["# theano only"])  # only those named


def test_the_engine_keeps_comments_through_a_decided_branch():
    result = engine.migrate_code(BACKEND_IF, "tf2")
    assert "# the one that runs" in result.code and "# theano only" not in result.code


def test_top_level_await_compiles_as_in_a_notebook_cell():
    check("x = await f()\n", "x = await g()\n")


def test_an_input_error_only_the_compiler_finds_is_the_inputs_too():
    with pytest.raises(InputDoesNotCompile, match="'return' outside function"):
        check("import keras\nreturn 1\n", "from tensorflow import keras\nreturn 1\n")


def test_an_input_that_does_not_compile_is_the_inputs_fault():
    deep = "x = " + "(" * 201 + "1" + ")" * 201 + "\n"
    with pytest.raises(InputDoesNotCompile) as raised:
        check(deep, deep.replace("x", "y"))
    assert str(raised.value) == (
        f"input does not compile with {invariants.PYTHON}: too many nested parentheses (line 1)"
    )


LEGACY = "from keras import backend as K\nK.clear_session()\n"


def test_the_engine_never_returns_a_module_that_breaks_one(monkeypatch):
    def lose_the_import(source, target, path, imported=frozenset()):
        return engine.CodeResult("K.clear_session()\n", True, [])

    monkeypatch.setattr(engine, "_migrate_text", lose_the_import)
    result = engine.migrate_bytes(LEGACY.encode(), "x.py", "tf2")
    assert result.error == (
        "internal error: invariant names-bound violated: `K` in the module still used but no "
        "longer bound; file left untouched, please report it"
    )
    assert not result.changed and result.new_bytes is None and not result.findings
    with pytest.raises(InvariantViolation):
        engine.migrate_code(LEGACY, "tf2")


def test_a_module_python_cannot_compile_is_reported_as_such():
    deep = LEGACY + "x = " + "(" * 201 + "1" + ")" * 201 + "\n"
    result = engine.migrate_bytes(deep.encode(), "x.py", "tf2")
    assert result.error == (
        f"input does not compile with {invariants.PYTHON}: too many nested parentheses "
        "(line 3); left untouched"
    )
    assert not result.changed and not result.findings


def test_the_compile_check_prints_no_syntax_warning_of_the_user_s_code(capfd):
    from migrate_session.engine import migrate_code

    migrate_code("from keras import backend as K\nif K is 1:\n    K.clear_session()\n", "tf2")
    assert "SyntaxWarning" not in capfd.readouterr().err
