"""Which uses the code itself guards against a missing name (migrate_session.guards)."""

from __future__ import annotations

import libcst as cst
import pytest

from migrate_session.guards import catches, names_proved_present
from migrate_session.resolve import walk


def _path_to_use(source: str) -> tuple[list[cst.CSTNode], cst.CSTNode]:
    """The ancestors of the one ``use`` name in ``source``, outermost first, and the name."""
    module = cst.parse_module(source)
    parents: dict[int, cst.CSTNode] = {}
    use = next(n for n in walk(module, parents) if isinstance(n, cst.Name) and n.value == "use")
    ancestors: list[cst.CSTNode] = []
    node = parents.get(id(use))
    while node is not None:
        ancestors.insert(0, node)
        node = parents.get(id(node))
    return ancestors, use


@pytest.mark.parametrize(("source", "tested"), [
    ("if hasattr(tf, 'select'):\n    use\n", ["tf.select"]),
    ("if hasattr(tf.compat.v1, 'x') and ready:\n    use\n", ["tf.compat.v1.x"]),
    ("if getattr(tf, 'select', None):\n    use\n", ["tf.select"]),
    ("if getattr(tf, 'select', None) is not None:\n    use\n", ["tf.select"]),
    ("if getattr(tf, 'select', None) is None:\n    pass\nelse:\n    use\n", ["tf.select"]),
    ("if not hasattr(tf, 'select'):\n    pass\nelse:\n    use\n", ["tf.select"]),
    ("if not hasattr(tf, 'select') or old:\n    pass\nelif new:\n    use\n", ["tf.select"]),
    ("x = use if hasattr(tf, 'select') else other\n", ["tf.select"]),
    # not proved: the branch runs whether or not the name exists
    ("if hasattr(tf, 'select'):\n    pass\nelse:\n    use\n", []),
    ("if hasattr(tf, 'select') or old:\n    use\n", []),
    ("if getattr(tf, 'select', default):\n    use\n", []),
    ("if hasattr(tf, name):\n    use\n", []),
    ("if use:\n    pass\n", []),
])
def test_names_proved_present_by_the_branches_around(source, tested):
    assert names_proved_present(*_path_to_use(source)) == tested


@pytest.mark.parametrize(("source", "caught"), [
    ("try:\n    use\nexcept AttributeError:\n    pass\n", True),
    ("try:\n    use\nexcept (ValueError, AttributeError) as e:\n    pass\n", True),
    ("try:\n    use\nexcept ValueError:\n    pass\n", False),
    ("try:\n    use\nexcept:\n    pass\n", False),  # catches it, but does not expect it
    ("try:\n    pass\nexcept AttributeError:\n    use\n", False),
])
def test_catches(source, caught):
    assert catches(*_path_to_use(source), frozenset({"AttributeError"})) is caught
