"""The tf2 eager plan (MS005, MS020, MS021, MS120): what it must keep, and that it never
schedules an edit the engine does not reach (a creation dropped but a use kept would be a
NameError in the user's program)."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import libcst as cst
import pytest

from migrate_session import scopes, transform
from migrate_session.engine import migrate_code
from migrate_session.resolve import ModuleFacts
from migrate_session.rules import all_rules
from migrate_session.targets import target as target_named

CORPORA = Path(__file__).resolve().parent.parent / "corpora"
SOURCES = [
    pytest.param(example.source(), id=f"{rule.id}-{index}")
    for rule in all_rules()
    for index, example in enumerate(rule.examples)
] + [pytest.param(path.read_text(encoding="utf-8"), id=path.parent.name) for path in sorted(CORPORA.glob("*/before.py"))]


@pytest.mark.parametrize("source", SOURCES)
def test_every_scheduled_edit_is_applied(source):
    module = cst.parse_module(source)
    facts = ModuleFacts.of(module, transform._attribute_names())
    if not facts.in_scope:
        return
    migration = transform.Migration("x.py", target_named("tf2"), facts, scopes.scopes(module), module.config_for_parsing)
    module.visit(migration)
    assert not migration.edits, [(type(node).__name__, migration.editors[node].id) for node in migration.edits]


KEPT = {
    "a session read in a closure": """
        from keras import backend as K
        sess = K.get_session()
        def run(x):
            return sess.run(x)
        sess.close()
    """,
    "a config changed in a branch": """
        import tensorflow as tf
        from keras import backend as K
        config = tf.ConfigProto()
        if gpu:
            config.gpu_options.allow_growth = True
        K.set_session(tf.Session(config=config))
    """,
    "a config changed after the session was made": """
        import tensorflow as tf
        from keras import backend as K
        config = tf.ConfigProto()
        sess = tf.Session(config=config)
        config.gpu_options.allow_growth = True
        K.set_session(sess)
    """,
    "a session context bound to a name": """
        from keras import backend as K
        sess = K.get_session()
        with sess.as_default() as default:
            print(default)
    """,
    "a returned session that a caller uses": """
        from keras import backend as K
        def reset():
            s = K.get_session()
            return s
        sess = reset()
    """,
    "a session returned before the end of its function": """
        from keras import backend as K
        def reset(again):
            s = K.get_session()
            if again:
                return s
            K.clear_session()
        reset(True)
    """,
    "a set_session sharing its line": """
        import tensorflow as tf
        from keras import backend as K
        K.set_session(tf.Session()); x = 1
    """,
    "a config used twice": """
        import tensorflow as tf
        from keras import backend as K
        config = tf.ConfigProto(intra_op_parallelism_threads=2)
        K.set_session(tf.Session(config=config))
        other = tf.Session(config=config)
    """,
    "a close that matters to a session read later": """
        from keras import backend as K
        K.get_session().close()
        print(K.get_session().list_devices())
    """,
    "an initializer run next to TF 1 variables": """
        import tensorflow as tf
        from keras import backend as K
        value = tf.metrics.auc(y, p)[1]
        K.get_session().run(tf.local_variables_initializer())
    """,
    "a graph used for more than entering it": """
        import tensorflow as tf
        from keras import backend as K
        graph = tf.get_default_graph()
        with graph.as_default():
            out = graph.get_tensor_by_name('out:0')
        K.clear_session()
    """,
    "a learning phase 0 with a session kept": """
        import tensorflow as tf
        from keras import backend as K
        K.set_learning_phase(0)
        sess = tf.Session()
        K.set_session(sess)
        sess.run(model.output)
    """,
}


@pytest.mark.parametrize("source", KEPT.values(), ids=list(KEPT))
def test_kept_as_today_where_no_eager_meaning_is_known(source):
    source = dedent(source).lstrip("\n")
    findings = {f.rule_id for f in migrate_code(source, "tf2", "x.py").findings}
    assert not findings & {"MS005", "MS020", "MS021"}, findings


def test_a_growth_loop_does_not_take_a_name_the_module_uses():
    source = dedent("""
        import tensorflow as tf
        from keras import backend as K
        gpu = 3
        config = tf.ConfigProto()
        config.gpu_options.allow_growth = True
        K.set_session(tf.Session(config=config))
        print(gpu)
    """).lstrip("\n")
    code = migrate_code(source, "tf2", "x.py").code
    assert 'for gpu_ in tf.config.list_physical_devices("GPU"):' in code and code.endswith("print(gpu)\n")
