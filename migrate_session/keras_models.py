"""Which names hold a Keras model: a method name alone (``predict``, ``save_weights``) is not
enough to change a call, so rules that rewrite one ask whether the module binds its receiver,
once, to what a Keras model maker returns."""

from __future__ import annotations

import libcst as cst

from migrate_session.rule import Context
from migrate_session.syntax import last_name
from migrate_session.targets import aliases

MODEL_MAKERS = frozenset({
    "keras.models.Sequential", "keras.models.Model", "keras.Sequential", "keras.Model",
    "keras.models.load_model", "keras.models.model_from_json", "keras.models.model_from_yaml",
    "keras.models.clone_model",
})


def is_model(context: Context, receiver: cst.BaseExpression) -> bool:
    """``receiver`` is a name the module binds once to ``Sequential(...)``, ``load_model(...)``,
    ``Model(...)`` or an application such as ``ResNet50(weights='imagenet')``."""
    if not isinstance(receiver, cst.Name):
        return False
    value = context.assigned_value(receiver)
    maker = context.canonical(value.func) if isinstance(value, cst.Call) else None
    return maker is not None and bool(MODEL_MAKERS & set(aliases(maker)) or _is_application(maker))


def made_by_another(context: Context, receiver: cst.BaseExpression) -> bool:
    """``receiver`` is a name the module binds only to calls of something that is not Keras
    (``agent = DQNAgent(...)``): its methods are that library's."""
    if not isinstance(receiver, cst.Name):
        return False
    values = context.assigned_values(receiver)
    return bool(values) and all(
        isinstance(v, cst.Call) and context.canonical(v.func) is None for v in values  # type: ignore[union-attr]
    )


def named_as(receiver: cst.BaseExpression, owner: str) -> bool:
    """``receiver``'s (last) name says it holds an ``owner`` (``self.model``, ``actor_model``,
    ``self.optimizer``)."""
    name = last_name(receiver)
    return name is not None and owner in name.lower()


def _is_application(maker: str) -> bool:
    """``keras.applications.ResNet50``, ``keras.applications.vgg16.VGG16``: a model's constructor."""
    return maker.startswith("keras.applications.") and maker.rpartition(".")[2][:1].isupper()
