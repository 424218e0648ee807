"""MS112 (warning): a third-party library built on standalone Keras, imported by a module that
moves to tf.keras.

The module's own Keras moves; the library's does not. Under ``tf1`` the library keeps building
on Keras 2.2.4, which TF 1.12 runs beside tf.keras with a session of its own (a value set
through one is not seen by the other), and whose optimizers and layers tf.keras models refuse
(measured: the ``standalone keras`` probes). Under ``tf2`` the ``keras`` package is Keras 2.15 or
Keras 3, not the Keras 2.2 the library's standalone-Keras code was written for. Most of these
libraries have a tf.keras route of their own: the warning, at the import, names it. Each library
is reported once per module, at its first import; a module that already takes the route
(``SM_FRAMEWORK``, ``TF_KERAS`` written in it) is not reported, nor a module the tool does not
move.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from migrate_session.rule import WARNING, Context, Example, Rule
from migrate_session.rules.keras_imports import moved_module, moved_name
from migrate_session.syntax import module_name
from migrate_session.targets import is_standalone

TF_KERAS_1 = "set `TF_KERAS=1` in the environment before it is imported (it then builds on tf.keras)"


@dataclass(frozen=True)
class Library:
    module: str  # the import that means the standalone-Keras side of the library
    tf1: str  # its own tf.keras route, for TF 1.12
    tf2: str  # ... for TF 2
    routed_by: tuple[str, ...] = ()  # text in a module that takes the route already (both targets)
    routed_by_tf1: tuple[str, ...] = ()  # ... under tf1 only
    also: tuple[str, ...] = ()  # other imports that mean the same library
    before: str = ""  # the release from which the library is on tf.keras only ("" : none is)

    def holds(self, module: str) -> bool:
        return any(module == name or module.startswith(name + ".") for name in (self.module, *self.also))


LIBRARIES = (
    # horovod/horovod horovod/keras/__init__.py (`import keras`), horovod/tensorflow/keras/__init__.py
    Library("horovod.keras", "`import horovod.tensorflow.keras as hvd` (the same API on tf.keras)",
            "`import horovod.tensorflow.keras as hvd` (the same API on tf.keras)"),
    # CyberZHG/keras-radam keras_radam/backend.py reads TF_KERAS; 0.20.0 (commit e80f88d, "Only use tf.keras")
    Library("keras_radam", TF_KERAS_1, "`keras-rectified-adam>=0.20`, which uses tf.keras only",
            routed_by_tf1=("TF_KERAS",), before="0.20"),
    # qubvel/segmentation_models segmentation_models/__init__.py (commit 72fc5c3): SM_FRAMEWORK, set_framework
    Library("segmentation_models",
            "set `SM_FRAMEWORK=tf.keras` before it is imported, or call `sm.set_framework('tf.keras')`",
            "set `SM_FRAMEWORK=tf.keras` before it is imported, or call `sm.set_framework('tf.keras')`",
            routed_by=("SM_FRAMEWORK", "set_framework")),
    # qubvel/classification_models classification_models/tfkeras.py
    Library("classification_models.keras", "`from classification_models.tfkeras import Classifiers`",
            "`from classification_models.tfkeras import Classifiers`"),
    # qubvel/efficientnet efficientnet/tfkeras.py
    Library("efficientnet.keras", "`import efficientnet.tfkeras`", "`import efficientnet.tfkeras`"),
    # fizyr/keras-retinanet#1445 (2020, "Partially migration from keras to tf.keras"): TF >= 2.3
    Library("keras_retinanet", "none for TF 1.12: keras-retinanet moved to tf.keras for TF >= 2.3 (fizyr/keras-retinanet#1445)",
            "a keras-retinanet release from after fizyr/keras-retinanet#1445 (tf.keras, TF >= 2.3)"),
    # fizyr/keras-maskrcnn#119 ("we switched to pytorch internally")
    Library("keras_maskrcnn", "none: keras-maskrcnn has no tf.keras port (fizyr/keras-maskrcnn#119)",
            "none: keras-maskrcnn has no tf.keras port (fizyr/keras-maskrcnn#119)"),
    # onnx/keras-onnx keras2onnx/proto/__init__.py (TF_KERAS), README (frozen at TF 2.3, points to tf2onnx)
    Library("keras2onnx", TF_KERAS_1, "`tf2onnx.convert.from_keras` (keras2onnx stopped at TF 2.3)",
            routed_by_tf1=("TF_KERAS",)),
    # keras-team/keras-contrib README.md ("deprecated. Use TensorFlow Addons"); tensorflow/addons#2807, #2858
    Library("keras_contrib", "none: keras-contrib is deprecated for TensorFlow Addons, which needs TF 2",
            "none: keras-contrib is deprecated for TensorFlow Addons, itself ended (tensorflow/addons#2807) "
            "and broken by Keras 3 (tensorflow/addons#2858)"),
    # CyberZHG/keras-bert keras_bert/backend.py reads TF_KERAS; 0.89.0 (commit d8ac42c, "Only use tf.keras")
    Library("keras_bert", TF_KERAS_1, "`keras-bert>=0.89`, which uses tf.keras only", routed_by_tf1=("TF_KERAS",),
            before="0.89"),
    # CyberZHG/keras-self-attention backend.py read TF_KERAS up to 0.50.0; 0.51.0 (commit d9e6710, "Only use tf.keras")
    Library("keras_self_attention", TF_KERAS_1, "`keras-self-attention>=0.51`, which uses tf.keras only",
            routed_by_tf1=("TF_KERAS",), before="0.51"),
    # keras-rl/keras-rl rl/core.py, rl/util.py (`from keras...`); keras-rl2 on PyPI ("Deep Reinforcement
    # Learning for Tensorflow 2 Keras", the same `rl` package). Its modules, not a bare `rl`, which is a common name.
    Library("rl.agents", "none for TF 1.12: keras-rl's tf.keras port, keras-rl2, needs TF 2",
            "`keras-rl2` (the same `rl` package on tf.keras)",
            also=("rl.callbacks", "rl.core", "rl.memory", "rl.policy", "rl.processors", "rl.random", "rl.util")),
    # bstriner/keras-adversarial keras_adversarial/adversarial_model.py (`from keras import backend as K`)
    Library("keras_adversarial", "none: keras-adversarial has no tf.keras port", "none: keras-adversarial has no tf.keras port"),
    # broadinstitute/keras-resnet 0.2.0 keras_resnet/blocks/_2d.py (`import keras`)
    Library("keras_resnet", "none: keras-resnet has no tf.keras port", "none: keras-resnet has no tf.keras port"),
    # divamgupta/image-segmentation-keras 0.3.0 keras_segmentation/models/_pspnet_2.py (`from keras import layers`)
    Library("keras_segmentation", "none: keras-segmentation 0.3.0 builds on standalone Keras",
            "none: keras-segmentation 0.3.0 builds on standalone Keras"),
    # keunwoochoi/kapre: kapre/time_frequency.py had `import keras` in 0.1.4 and earlier; keunwoochoi/kapre#58
    # (commit 8aaf4fc, 2020-02-20, "Migrated functions to tf.keras", tensorflow >= 1.15) set the version
    # to 0.1.6, and 0.1.7 (tag v0.1.7) followed that day; 0.3.0 (tag 0.3.0) replaced Spectrogram and
    # Melspectrogram with STFT and kapre.composed's layers.
    Library("kapre", "none for TF 1.12: kapre moved to tf.keras after 0.1.4 and then needs TF >= 1.15 (keunwoochoi/kapre#58)",
            "`kapre>=0.1.7` (tf.keras since keunwoochoi/kapre#58; `Spectrogram` and `Melspectrogram` stay "
            "until 0.3, which replaced them with `kapre.composed.get_melspectrogram_layer`)", before="0.1.6"),
    # rcmalli/keras-vggface keras_vggface/models.py (`from keras.layers import ...`)
    Library("keras_vggface", "none: keras-vggface has no tf.keras port", "none: keras-vggface has no tf.keras port"),
)

TF1_WHY = (
    "after the move this module runs on tf.keras and the library on Keras 2.2.4, which TF 1.12 keeps "
    "apart (its own session: a value set through one Keras is not seen by the other; tf.keras models "
    "refuse its optimizers and layers)"
)
TF2_WHY = (
    "in TF 2 the `keras` package is Keras 2.15 or Keras 3, not the Keras 2.2 its standalone-Keras code "
    "was written for"
)

EXAMPLES = (
    Example(
        title="a library on standalone Keras, and its own tf.keras route",
        before="""
            import keras
            import horovod.keras as hvd
            from keras_contrib.layers import CRF
            from keras_contrib.losses import crf_loss
            hvd.init()
        """,
        after="""
            from tensorflow import keras
            import horovod.keras as hvd
            from keras_contrib.layers import CRF
            from keras_contrib.losses import crf_loss
            hvd.init()
        """,
        findings="1:MS001 2:MS112 3:MS112",
    ),
    Example(
        title="keras-rl: any of its modules, once",
        before="""
            from keras.models import Sequential
            from rl.memory import SequentialMemory
            from rl.agents.dqn import DQNAgent
            import rl
        """,
        after="""
            from tensorflow.keras.models import Sequential
            from rl.memory import SequentialMemory
            from rl.agents.dqn import DQNAgent
            import rl
        """,
        findings="1:MS001 2:MS112",
    ),
    Example(
        title="the route already taken",
        before="""
            import os
            os.environ['SM_FRAMEWORK'] = 'tf.keras'
            import segmentation_models as sm
            import keras
        """,
        after="""
            import os
            os.environ['SM_FRAMEWORK'] = 'tf.keras'
            import segmentation_models as sm
            from tensorflow import keras
        """,
        findings="4:MS001",
    ),
    Example(
        title="a module without standalone Keras does not move: nothing to say",
        before="""
            import tensorflow as tf
            import horovod.keras as hvd
            hvd.init()
        """,
    ),
    Example(
        title="`TF_KERAS=1` is tf.keras in TF 1.12 only",
        before="""
            import os
            os.environ["TF_KERAS"] = "1"
            from keras_radam import RAdam
            from keras.models import Sequential
        """,
        after="""
            import os
            os.environ["TF_KERAS"] = "1"
            from keras_radam import RAdam
            from tensorflow.keras.models import Sequential
        """,
        findings_tf1="4:MS001",
        findings_tf2="3:MS112 4:MS001",
    ),
)


def library_of(module: str) -> Library | None:
    return next((lib for lib in LIBRARIES if lib.holds(module)), None)


class StandaloneLibrary(Rule):
    id = "MS112"
    name = "standalone-library"
    severity = WARNING
    summary = "a library built on standalone Keras (horovod.keras, keras_contrib, ...) in a moved module: its tf.keras route"
    examples = EXAMPLES

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self._moves = False
        self._module: cst.Module | None = None
        self._found: list[tuple[cst.CSTNode, Library, str]] = []

    def visit_Module(self, node: cst.Module) -> None:
        self._module = node

    def visit_Import(self, node: cst.Import) -> None:
        target = self.context.target
        for alias in node.names:
            path = module_name(alias.name)
            self._moves |= is_standalone(path) and moved_module(target, path)
            self._library(node, path)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None:
            return
        module, target = module_name(node.module), self.context.target
        if is_standalone(module):
            if isinstance(node.names, cst.ImportStar):
                self._moves |= moved_module(target, module)
            else:
                self._moves |= any(moved_name(target, module, alias.evaluated_name) for alias in node.names)
        elif library_of(module) is not None:
            self._library(node, module)
        elif not isinstance(node.names, cst.ImportStar):  # from horovod import keras as hvd
            for alias in node.names:
                if self._library(node, f"{module}.{alias.evaluated_name}"):
                    break

    def _library(self, node: cst.CSTNode, path: str) -> bool:
        library = library_of(path)
        if library is not None:
            self._found.append((node, library, path))
        return library is not None

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        if not self._moves:
            return updated
        tf1 = not self.context.target.eager
        said: set[Library] = set()
        for node, library, path in self._found:  # at the first import of each library
            if library in said or self._routed(library.routed_by + (library.routed_by_tf1 if tf1 else ())):
                continue
            said.add(library)
            why, route = (TF1_WHY, library.tf1) if tf1 else (TF2_WHY, library.tf2)
            releases = f" (before {library.before})" if library.before else ""
            self.report(node, f"`{path}`{releases} builds on standalone Keras: {why}; its tf.keras route: {route}")
        return updated

    def _routed(self, marks: tuple[str, ...]) -> bool:
        if not marks or self._module is None:
            return False
        code = self._module.code  # only for a module importing such a library
        return any(re.search(rf"\b{re.escape(mark)}\b", code) for mark in marks)
