from migrate_session.rule_docs import DOC, render


def test_rule_reference_is_current():
    assert DOC.read_text(encoding="utf-8") == render(), "docs/rules.md is stale: run `nox -s docs`"
