"""The TensorFlow environments that verification runs in: the one table every other place reads.

Each environment is a virtual environment of its own Python, with ``requirements`` installed
under the pins of ``migrate_session/constraints/<id>.txt`` (shipped with the package). The
codemod reads ``TARGET_ENVS`` (which environments a target must work in) and ``ENV_NAMES``;
verification makes the environments (``verify/environments.py``) and runs programs in them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CONSTRAINTS = Path(__file__).resolve().parent / "constraints"


@dataclass(frozen=True)
class Env:
    id: str
    name: str  # how reports and warnings name it
    python: str  # major.minor
    requirements: tuple[str, ...]
    targets: tuple[str, ...]  # the targets that must work here
    pyenv: str  # what to `pyenv install` when no Python `python` is found
    why: str  # why this Python: said when it is missing
    pip: str = ""  # pip to install first ("" = keep the venv's)
    # What the probe's fork server imports before forking ("auto": tensorflow and every Keras).
    preload: str = "auto"
    lanes: int = 1  # fork servers (threads) running this env's programs side by side
    keras3: bool = False  # Keras 3: no session API, so a script the tool warned MS101 for is n/a

    @property
    def constraints(self) -> Path:
        return CONSTRAINTS / f"{self.id}.txt"

    @property
    def variable(self) -> str:
        """The environment variable that points at an env you already have."""
        return f"MIGRATE_SESSION_PYTHON_{self.id.upper()}"


ENVS = {
    env.id: env
    for env in (
        Env("tf112", "TF 1.12", "3.6", ("tensorflow==1.12.0", "keras==2.2.4"), ("tf1",),
            pyenv="3.6.15", why="TF 1.12 has wheels only up to Python 3.6",
            # pip 18 from the 3.6 venv mis-resolves; pip 22 dropped Python 3.6
            pip="pip<22",
            # Standalone Keras stays out: a trace's `kerases` lists every Keras loaded in the
            # process, and that decides the 1-based-names normalization.
            preload="tensorflow,tf.keras",
            lanes=2),  # it runs the before-runs and the tf1 runs: twice the others' share
        Env("tf215", "TF 2.15 (Keras 2)", "3.11", ("tensorflow-cpu==2.15.1",), ("tf2",),
            pyenv="3.11.7", why="TF 2.15 (Keras 2) supports Python 3.9 to 3.11"),
        Env("tf2", "TF >= 2.16 (Keras 3)", "3.12", ("tensorflow-cpu",), ("tf2",),
            pyenv="3.12.1", why="the newest TF 2 (Keras 3); its constraints file pins today's newest",
            keras3=True),
    )
}
ENV_IDS = tuple(ENVS)
SOURCE_ENV = "tf112"  # where the original (before) program runs
TARGET_ENVS = {
    target: tuple(env.id for env in ENVS.values() if target in env.targets)
    for target in dict.fromkeys(t for env in ENVS.values() for t in env.targets)
}
ENV_NAMES = {env.id: env.name for env in ENVS.values()}
