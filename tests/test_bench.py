"""The benchmark's tree builders and floor on tiny sizes: right files, reproducible, no timing."""

from __future__ import annotations

import importlib
from pathlib import Path

import libcst as cst
import pytest

from migrate_session.engine import discover, migrate_code

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture
def bench(monkeypatch):
    """benchmarks/ is a folder of scripts, not a package: import them as the scripts do."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    return {name: importlib.import_module(name) for name in ("trees", "floor", "bench")}


def listing(tree: Path) -> dict[str, bytes]:
    return {p.relative_to(tree).as_posix(): p.read_bytes() for p in sorted(tree.rglob("*.py"))}


def test_mixed_tree_is_stdlib_plus_keras_scripts(bench, tmp_path):
    trees = bench["trees"]
    size = trees.build_mixed_tree(tmp_path, stdlib_files=12, keras_files=5)
    assert (size.files, size.keras_files) == (17, 5)
    files = listing(tmp_path)
    keras = {name for name in files if name.startswith(trees.KERAS_DIR + "/")}
    assert len(keras) == 5 and all(b"keras" in files[name] for name in keras)
    stdlib = trees.stdlib_root()
    for name in set(files) - keras:
        assert files[name] == (stdlib / name).read_bytes()
        assert not {"test", "idlelib", "site-packages"} & set(Path(name).parts)
        cst.parse_module(files[name])
    assert size.bytes == sum(map(len, files.values()))


def test_trees_are_the_same_on_every_build(bench, tmp_path):
    trees = bench["trees"]
    for name in ("one", "two"):
        trees.build_mixed_tree(tmp_path / name / "a", stdlib_files=8, keras_files=3)
        trees.build_keras_tree(tmp_path / name / "b", files=7)
    assert listing(tmp_path / "one") == listing(tmp_path / "two")


def test_keras_tree_cycles_scripts_that_all_change(bench, tmp_path):
    trees = bench["trees"]
    scripts = trees.changing_scripts()
    count = len(scripts) + 3  # goes round the corpus once more
    size = trees.build_keras_tree(tmp_path, files=count)
    files = listing(tmp_path)
    assert size.files == len(files) == count
    assert len({Path(name).parent for name in files}) == 10
    contents = set(files.values())
    assert len(contents) == len(scripts)
    for data in contents:
        assert migrate_code(data.decode("utf-8"), "tf2").changed


def test_stdlib_pick_skips_tests_and_files_libcst_cannot_parse(bench, tmp_path):
    for name, text in {
        "a.py": "x = 1\n",
        "b.py": "def (:\n",  # not Python
        "c.py": "y = 2\n",
        "d.py": "import keras\n",  # would be a Keras file the tree does not count
        "test/t.py": "z = 3\n",
        "lib2to3/tests/data/t.py": "z = 3\n",
        "site-packages/s.py": "z = 3\n",
        "pkg/e.py": "w = 4\n",
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    trees = bench["trees"]
    assert [p.as_posix() for p in trees.stdlib_modules(tmp_path)] == [
        "a.py", "b.py", "c.py", "d.py", "pkg/e.py"]
    assert [p.as_posix() for p in trees.pick_stdlib(3, tmp_path)] == ["a.py", "c.py", "pkg/e.py"]


def test_floor_walks_the_files_discover_finds_and_parses_the_keras_ones(bench, tmp_path):
    tree = tmp_path / "tree"
    size = bench["trees"].build_mixed_tree(tree, stdlib_files=10, keras_files=4)
    (tree / ".hidden").mkdir()
    (tree / ".hidden" / "skipped.py").write_text("import keras\n")
    assert bench["floor"].walk(tree) == [path for path, _ in discover([tree])]
    result = bench["floor"].floor(tree)
    assert (result["files"], result["keras_files"]) == (size.files, size.keras_files)


def test_table_ratios_point_the_right_way(bench):
    seconds = {"startup_cli": 0.5, "startup_libcst": 0.25, "floor_a": 1.0, "apply_a_jobs1": 1.5,
               "floor_b": 8.0, "apply_b_jobs1": 10.0, "apply_b_jobs2": 6.0,
               "apply_b250_jobs1": 3.0}
    peak = dict.fromkeys(seconds, 2048)
    a, b, c = bench["bench"].results(seconds, peak, seconds)[:3]
    assert (a["value"], a["goal"], a["met"]) == (1.5, "<= 2.00", True)
    assert (b["value"], b["goal"], b["met"]) == (0.8, ">= 0.70", True)
    assert (c["value"], c["goal"], c["met"]) == (1.67, ">= 1.70", False)
