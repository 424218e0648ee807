"""The generated docs are current, the matrix renders what the report says, and every corpus
case the docs cite exists."""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from migrate_session.rule_docs import render
from migrate_session.rules import all_rules
from migrate_session.verify import matrix
from migrate_session.verify.compare import CRASHED, DIFFERS, EQUAL, NOT_APPLICABLE

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CORPUS_CASES = sorted(p.parent.name for p in (ROOT / "corpora").glob("*/case.json"))
SVG_NS = {"svg": "http://www.w3.org/2000/svg"}


def test_rule_reference_is_current():
    doc = (DOCS / "rules.md").read_text(encoding="utf-8")
    assert doc == render(), "docs/rules.md is stale: run `nox -s docs`"


def test_each_rule_is_explained_by_its_own_module_docstring():
    doc = render()
    for rule in all_rules():
        module_doc = sys.modules[rule.__module__].__doc__
        assert module_doc and module_doc.startswith(rule.id), f"{rule.__module__} starts without its id"
        section = doc.split(f"\n## {rule.id} {rule.name}\n", 1)[1]
        assert section.lstrip().startswith(module_doc.strip().splitlines()[0]), rule.id


def env(verdict, expected=EQUAL, differences=(), warning=None):
    return {
        "verdict": verdict, "expected": expected, "unexpected": verdict != (
            NOT_APPLICABLE if isinstance(expected, dict) else expected),
        "differences": [{"field": f, "before": True, "after": False} for f in differences],
        "error": None, "warning": warning, "compared": None, "notes": [], "info": [],
    }


NA_MS101 = {NOT_APPLICABLE: "MS101"}
REPORT = {
    "mode": "corpus", "ok": False, "unexpected": 1, "golden_failures": 0,
    "envs": {"tf112": {"tensorflow": "1.12.0", "python": "3.6.15"},
             "tf215": {"tensorflow": "2.15.1", "python": "3.11.7"},
             "tf2": {"tensorflow": "2.21.0", "python": "3.12.1"}},
    "cases": [
        {"name": "k01_plain", "kind": "corpus", "targets": {
            "tf1": {"envs": {"tf112": env(EQUAL)}},
            "tf2": {"envs": {"tf215": env(EQUAL),
                             "tf2": env(NOT_APPLICABLE, NA_MS101, warning=["MS101", "gone"])}}}},
        {"name": "k02_<broken & odd>", "kind": "corpus", "targets": {
            "tf1": {"envs": {"tf112": env(DIFFERS, differences=["clear 1: names_reset",
                                                                 "clear 2: names_reset",
                                                                 "stdout"])}},
            "tf2": {"envs": {"tf215": env(CRASHED, CRASHED), "tf2": env(EQUAL)}}}},
        {"name": "selfcheck_wrong_migration", "kind": "selfcheck", "targets": {
            "tf1": {"envs": {"tf112": env(DIFFERS, DIFFERS, differences=["stdout"])}}}},
    ],
}


def svg_rows(svg: str) -> dict[str, list[tuple[str, str, str]]]:
    """case -> [(verdict, fill, text)] per cell, read back from the SVG."""
    root = ET.fromstring(svg)
    rows = {}
    for group in root.iter(f"{{{SVG_NS['svg']}}}g"):
        rects = group.findall("svg:rect[@data-verdict]", SVG_NS)
        texts = [t.text for t in group.findall("svg:text", SVG_NS)][1:]  # [0] is the name
        rows[group.get("data-case")] = [
            (r.get("data-verdict"), r.get("fill"), text) for r, text in zip(rects, texts)
        ]
    return rows


def test_svg_has_one_row_per_case_with_the_verdicts_colors():
    svg = matrix.to_svg(REPORT)
    assert svg.startswith("<svg xmlns=\"http://www.w3.org/2000/svg\"")
    rows = svg_rows(svg)
    assert list(rows) == ["k01_plain", "k02_<broken & odd>", "selfcheck_wrong_migration"]
    c = matrix.COLORS
    assert rows["k01_plain"] == [
        (EQUAL, c[EQUAL], "equal"), (EQUAL, c[EQUAL], "equal"),
        (NOT_APPLICABLE, c[NOT_APPLICABLE], "n/a (MS101)")]
    assert rows["k02_<broken & odd>"] == [
        (DIFFERS, c[DIFFERS], "differs: names_reset, stdout"),
        (CRASHED, c[CRASHED], "crashed"), (EQUAL, c[EQUAL], "equal")]
    assert rows["selfcheck_wrong_migration"][0] == (DIFFERS, c[DIFFERS], "differs: stdout")
    assert [v for v, _, _ in rows["selfcheck_wrong_migration"][1:]] == [matrix.NOT_VERIFIED] * 2
    assert len(set(c.values())) == len(c), "two verdicts share a color"


def test_svg_marks_unexpected_cells_and_is_deterministic():
    svg = matrix.to_svg(REPORT)
    root = ET.fromstring(svg)
    outlined = [r for r in root.iter(f"{{{SVG_NS['svg']}}}rect") if r.get("stroke-width")]
    # the unexpected `differs` of k02 (expected equal), and the legend's sample
    assert [r.get("data-verdict") for r in outlined] == [DIFFERS, None]
    assert matrix.to_svg(json.loads(json.dumps(REPORT))) == svg


def test_markdown_table_matches_the_svg():
    table = matrix.to_markdown_table(REPORT)
    assert table.splitlines()[0] == (
        "| case | `tf1` on TF 1.12.0 | `tf2` on TF 2.15.1 | `tf2` on TF 2.21.0 |")
    assert ("| [k02_<broken & odd>](../corpora/k02_<broken & odd>/) | "
            "**differs: names_reset, stdout** (expected equal) | crashed | equal |") in table
    assert "| [selfcheck_wrong_migration](../migrate_session/verify/selfcheck/) (self-check) | "\
        "differs: stdout | - | - |" in table


def test_doc_keeps_the_reading_section():
    reading = f"{matrix.READING_START}\nhand-written words\n{matrix.READING_END}"
    doc = matrix.to_doc(REPORT, f"# old\n\nold table\n\n{reading}\n\nold rows\n")
    assert reading in doc
    assert "old table" not in doc and "old rows" not in doc
    assert "- `tf2` on TF 2.21.0: 1 equal, 1 n/a" in doc
    with pytest.raises(matrix.MatrixError, match="hand-written part"):
        matrix.to_doc(REPORT, "# no markers\n")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param({"mode": "paths"}, "not a corpus run", id="paths"),
        pytest.param({"cases": REPORT["cases"][:1]}, r"covers 1 of the 2 corpus cases "
                     r"\(missing: k02_<broken & odd>\); a `--case` run\?", id="partial"),
        pytest.param({"envs": {"tf112": {}}}, "no runs in tf215, tf2", id="envs"),
        pytest.param({}, r"the run failed \(1 unexpected", id="failed"),
    ],
)
def test_only_a_passing_run_of_the_whole_corpus_is_published(tmp_path, change, message):
    corpus = tmp_path / "corpora"
    for name in ("k01_plain", "k02_<broken & odd>"):
        (corpus / name).mkdir(parents=True)
        (corpus / name / "case.json").write_text("{}")
    with pytest.raises(matrix.MatrixError, match=message):
        matrix.publishable(dict(REPORT, **change), corpus)
    matrix.publishable(dict(REPORT, ok=True), corpus)


def test_the_matrix_command_says_to_run_verify_first(tmp_path, capsys):
    doc, svg = tmp_path / "matrix.md", tmp_path / "matrix.svg"
    args = ["--report", str(tmp_path / "none.json"), "--doc", str(doc), "--svg", str(svg),
            "--corpus", str(tmp_path)]
    assert matrix.main(args) == 1
    assert "run `nox -s verify` first" in capsys.readouterr().err
    (tmp_path / "bad.json").write_text("{")
    assert matrix.main(["--report", str(tmp_path / "bad.json"), *args[2:]]) == 1
    assert "bad.json: cannot make the matrix: JSONDecodeError" in capsys.readouterr().err
    assert not doc.exists() and not svg.exists()


def test_every_corpus_case_is_in_the_published_matrix():
    doc = (DOCS / "matrix.md").read_text(encoding="utf-8")
    rows = svg_rows((DOCS / "matrix.svg").read_text(encoding="utf-8"))
    missing = [c for c in CORPUS_CASES if f"[{c}](../corpora/{c}/)" not in doc or c not in rows]
    assert not missing, f"not in docs/matrix.md / matrix.svg: {missing}: run `nox -s verify` " \
        "then `nox -s docs`"
    assert "selfcheck_wrong_migration" in rows


def test_published_table_and_picture_come_from_one_report():
    doc = (DOCS / "matrix.md").read_text(encoding="utf-8")
    rows = svg_rows((DOCS / "matrix.svg").read_text(encoding="utf-8"))
    table = {}
    for line in doc.splitlines():
        match = re.match(r"\| \[([^\]]+)\]\([^)]*\)[^|]* \| (.*) \|$", line)
        if match:
            table[match.group(1)] = [cell.strip().strip("*") for cell in match.group(2).split("|")]
    assert table == {case: [text for _, _, text in cells] for case, cells in rows.items()}


def test_published_matrix_is_current_with_the_last_verify_run():
    try:
        data = json.loads((ROOT / "build" / "verify" / "report.json").read_text(encoding="utf-8"))
        matrix.publishable(data, ROOT / "corpora")
    except (OSError, ValueError, matrix.MatrixError) as exc:
        pytest.skip(f"no full, passing build/verify/report.json to compare with ({exc})")
    doc = (DOCS / "matrix.md").read_text(encoding="utf-8")
    stale = "is stale: run `nox -s docs`"
    assert doc == matrix.to_doc(data, doc), f"docs/matrix.md {stale}"
    assert (DOCS / "matrix.svg").read_text(encoding="utf-8") == matrix.to_svg(data), \
        f"docs/matrix.svg {stale}"


CASE_REFERENCE = re.compile(r"`([abc]\d\d(?:_\w+)?|selfcheck_\w+)`")


@pytest.mark.parametrize("page", ["guide.md", "matrix.md", "internals.md"])
def test_cited_cases_exist(page):
    text = (DOCS / page).read_text(encoding="utf-8")
    known = CORPUS_CASES + ["selfcheck_wrong_migration"]
    for cited in sorted(set(CASE_REFERENCE.findall(text))):
        matches = [c for c in known if c == cited or c.startswith(cited + "_")]
        assert len(matches) == 1, f"docs/{page} cites `{cited}`: matches {matches or 'no case'}"


def test_the_environments_table_of_internals_is_envs_py():
    """docs/internals.md describes the env table; migrate_session/envs.py is the table."""
    from migrate_session.envs import ENVS

    text = (DOCS / "internals.md").read_text(encoding="utf-8")
    rows = {}
    for line in text.split("## Environments", 1)[1].split("\n## ", 1)[0].splitlines():
        match = re.match(r"\| `(\w+)` +\| ([\d.]+) +\| (.+?) +\|", line)
        if match:
            rows[match.group(1)] = (match.group(2), match.group(3))
    assert list(rows) == list(ENVS), "docs/internals.md: the env table lists other envs"
    for env_id, (python, packages) in rows.items():
        assert python == ENVS[env_id].python, f"docs/internals.md: {env_id} is on another Python"
        assert all(f"{r}" in packages for r in ENVS[env_id].requirements), \
            f"docs/internals.md: {env_id} installs {ENVS[env_id].requirements}"
