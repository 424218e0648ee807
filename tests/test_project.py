"""What the other modules of a run import from a module: names in use there (project.py)."""

from __future__ import annotations

from pathlib import Path

from migrate_session.cli import main
from migrate_session.project import imported_names

SETUP = "import tensorflow as tf\nfrom keras import backend as K\nsess = tf.Session()\nK.set_session(sess)\ngraph = tf.get_default_graph()\n"


def _tree(root: Path, files: dict[str, str]) -> list[Path]:
    paths = []
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        paths.append(path)
    return paths


def test_relative_absolute_and_parenthesized_imports_name_the_module_they_come_from(tmp_path):
    paths = _tree(tmp_path, {
        "app/__init__.py": "",
        "app/apps.py": SETUP,
        "app/views.py": "from .apps import graph, sess as session\n",
        "app/tasks.py": "from app.apps import (\n    model,\n    graph,\n)\n",
        "app/sub/deep.py": "from ..apps import predictor  # served\nfrom ..apps import *\n",
        "scripts/run.py": "from apps import loader\nfrom os.path import join\n",
    })
    found = imported_names(paths, lambda path: path.read_bytes())
    # the star import means every public name
    assert found == {tmp_path / "app/apps.py": frozenset({"graph", "sess", "model", "predictor", "loader", "*"})}


def test_a_module_imported_whole_may_have_any_of_its_names_used(tmp_path):
    paths = _tree(tmp_path, {
        "classify/settings.py": SETUP,
        "classify/views.py": "from classify import settings\nsettings.SESS\n",
        "other/models.py": SETUP,
        "other/run.py": "import other.models as m, os\n",
    })
    found = imported_names(paths, lambda path: path.read_bytes())
    assert found == {tmp_path / "classify/settings.py": frozenset({"*"}), tmp_path / "other/models.py": frozenset({"*"})}


def test_a_module_s_own_import_of_itself_and_unknown_modules_count_for_nothing(tmp_path):
    paths = _tree(tmp_path, {"a.py": "from a import x\nfrom numpy import array\n"})
    assert imported_names(paths, lambda path: path.read_bytes()) == {}


def test_a_session_and_graph_another_module_imports_are_kept_under_tf2(tmp_path, capsys):
    _tree(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/model_setup.py": SETUP,
        "pkg/serve.py": "from .model_setup import graph, sess\nprint(graph, sess)\n",
    })
    assert main(["apply", str(tmp_path), "--target", "tf2", "--quiet"]) == 0
    code = (tmp_path / "pkg/model_setup.py").read_text()
    assert "sess = tf.compat.v1.Session()" in code and "graph = tf.compat.v1.get_default_graph()" in code
    err = capsys.readouterr().err
    assert "another module of the run imports `sess`" in err
    assert "another module of the run imports `graph` (or this whole module): the capture stays" in err


def test_a_session_a_module_reaches_through_the_module_is_kept(tmp_path):
    # lethalazo/vgg16-django-image-classification (trial B): views.py runs set_session(settings.SESS)
    _tree(tmp_path, {
        "classify/settings.py": "import tensorflow as tf\nfrom keras.backend import set_session\n"
                                "SESS = tf.Session()\nset_session(SESS)\n",
        "classify/views.py": "from classify import settings\nfrom keras.backend import set_session\n"
                             "set_session(settings.SESS)\n",
    })
    assert main(["apply", str(tmp_path), "--target", "tf2", "--quiet"]) == 0
    assert "SESS = tf.compat.v1.Session()" in (tmp_path / "classify/settings.py").read_text()


def test_alone_the_same_module_loses_them(tmp_path):
    _tree(tmp_path, {"pkg/model_setup.py": SETUP})
    assert main(["apply", str(tmp_path), "--target", "tf2", "--quiet"]) == 0
    code = (tmp_path / "pkg/model_setup.py").read_text()
    assert "sess" not in code and "graph" not in code


def test_paths_given_relative_to_the_working_folder_work_the_same(tmp_path, monkeypatch):
    _tree(tmp_path, {
        "pkg/model_setup.py": SETUP,
        "pkg/serve.py": "from pkg.model_setup import graph\n",
        "pkg/views.py": "from .model_setup import sess\n",
    })
    monkeypatch.chdir(tmp_path)
    found = imported_names([Path("pkg/model_setup.py"), Path("pkg/serve.py"), Path("pkg/views.py")], Path.read_bytes)
    assert found == {Path("pkg/model_setup.py"): frozenset({"graph", "sess"})}
