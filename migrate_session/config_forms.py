"""A TF 1 ``ConfigProto`` as the ``tf.config`` calls that ask eager TensorFlow for the same.

Under TF 2 eager, Keras runs nothing in the session handed to ``set_session``: its config
only matters through what ``tf.config`` can set for the whole process. Each setting below
was measured in the real environments (``research/eager`` on branch ``eager``): the call it
becomes, and whether that call raises ``RuntimeError`` once TensorFlow has run anything
(thread pools, logical and visible devices do; soft placement and placement logs do not;
memory growth is always written guarded, as MS005 always did). A setting with no exact eager
form (a GPU memory *fraction*: ``tf.config`` caps memory in MB per device) or a value whose
form depends on a value that is not a literal makes the whole config a :class:`Refusal`.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

THREADS = "TF already initialized: thread pools can no longer change"
VISIBLE = "TF already initialized: visible devices can no longer change"
LOGICAL = "TF already initialized: logical devices can no longer change"
GROWTH = """\
for {gpu} in {tf}.config.list_physical_devices("GPU"):
    try:
        {tf}.config.experimental.set_memory_growth({gpu}, True)
    except RuntimeError:  # GPU already initialized: growth can no longer change
        pass
"""
WHAT = {THREADS: "thread pools", VISIBLE: "visible devices", LOGICAL: "logical devices"}


@dataclass(frozen=True)
class Setting:
    key: str  # as the ConfigProto spells it: "allow_soft_placement", "gpu_options.allow_growth"
    value: cst.BaseExpression


@dataclass(frozen=True)
class Form:
    """The code for one setting; ``raises`` names why it may fail once TF runs (None: never)."""

    what: str
    code: str  # with {tf}, {gpu}, {gpus} to fill in
    raises: str | None = None


@dataclass(frozen=True)
class Refusal:
    reason: str


def forms(settings: list[Setting]) -> list[Form] | Refusal:
    """The forms of ``settings``, in their order, or why there is no eager form for them."""
    written: list[Form] = []
    for setting in settings:
        form = _form(setting)
        if isinstance(form, Refusal):
            return form
        written += form
    return written


def _form(setting: Setting) -> list[Form] | Refusal:
    key, value = setting.key, setting.value
    text = _code(value)
    if key in ("intra_op_parallelism_threads", "inter_op_parallelism_threads"):
        return [Form("thread pools", f"{{tf}}.config.threading.set_{key}({text})", THREADS)]
    if key == "allow_soft_placement":
        return [Form("soft placement", f"{{tf}}.config.set_soft_device_placement({text})")]
    if key == "log_device_placement":
        if _literal(value) is False:
            return []
        return [Form("placement log", f"{{tf}}.debugging.set_log_device_placement({text})")]
    if key == "device_count":
        return _device_count(value)
    if key == "gpu_options.allow_growth":
        growth = _literal(value)
        if not isinstance(growth, bool):
            return Refusal(f"`allow_growth = {text}` is not a literal True or False")
        return [Form("memory growth", GROWTH)] if growth else []
    if key == "gpu_options.per_process_gpu_memory_fraction":
        if _literal(value) == 1:
            return []  # the whole GPU: no cap
        return Refusal(
            f"`per_process_gpu_memory_fraction = {text}` has no exact eager form "
            "(tf.config caps GPU memory in MB per device, not as a fraction)"
        )
    if key == "gpu_options.visible_device_list":
        return _visible_device_list(value)
    return Refusal(f"`{key}` has no tf.config form here")


def _device_count(value: cst.BaseExpression) -> list[Form] | Refusal:
    if not isinstance(value, cst.Dict):
        return Refusal(f"`device_count={_code(value)}` is not a literal dict")
    found = []
    for element in value.elements:
        key = element.key if isinstance(element, cst.DictElement) else None
        device = key.evaluated_value if isinstance(key, cst.SimpleString) else None
        count = _literal(element.value)
        if device == "GPU" and count == 0:
            found.append(Form("no GPU", '{tf}.config.set_visible_devices([], "GPU")', VISIBLE))
        elif device == "GPU" and isinstance(count, int) and not isinstance(count, bool):
            found.append(Form(
                f"{count} GPU(s)",
                f'{{tf}}.config.set_visible_devices({{tf}}.config.list_physical_devices("GPU")[:{count}], "GPU")',
                VISIBLE,
            ))
        elif device == "CPU" and count == 1:
            continue  # one CPU device is the default
        elif device == "CPU":
            found.append(Form(
                "CPU devices",
                "{tf}.config.set_logical_device_configuration(\n"
                '    {tf}.config.list_physical_devices("CPU")[0],\n'
                f"    [{{tf}}.config.LogicalDeviceConfiguration()] * {_code(element.value)})\n",
                LOGICAL,
            ))
        else:
            return Refusal(f"`device_count` entry `{_code(element)}` has no tf.config form here")
    return found


def _visible_device_list(value: cst.BaseExpression) -> list[Form] | Refusal:
    if isinstance(value, cst.SimpleString) and isinstance(value.evaluated_value, str):
        indexes = [part.strip() for part in value.evaluated_value.split(",") if part.strip()]
        if not all(part.isdigit() for part in indexes):
            return Refusal(f"`visible_device_list = {_code(value)}` is not a list of GPU indexes")
        if not indexes:
            return []  # every GPU: the default
        chosen = ", ".join(f"{{gpus}}[{part}]" for part in indexes)
        chosen = chosen if len(indexes) == 1 else f"[{chosen}]"
    elif (
        isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value == "str"
        and len(value.args) == 1 and value.args[0].keyword is None and not value.args[0].star
    ):
        chosen = f"{{gpus}}[{_code(value.args[0].value)}]"
    else:
        return Refusal(f"`visible_device_list = {_code(value)}` is neither a literal nor `str(index)`")
    code = '{gpus} = {tf}.config.list_physical_devices("GPU")\nif {gpus}:\n    {tf}.config.set_visible_devices(' + chosen + ', "GPU")\n'
    return [Form("visible GPU", code, VISIBLE)]


def write(found: list[Form], guarded: bool) -> str:
    """The code of ``found`` (still with {tf}, {gpu}, {gpus}); calls that may raise are guarded,
    consecutive ones with the same reason in one ``try``."""
    chunks: list[str] = []
    index = 0
    while index < len(found):
        form = found[index]
        if not (guarded and form.raises):
            chunks.append(form.code.rstrip("\n") + "\n")
            index += 1
            continue
        group = [form]
        while index + len(group) < len(found) and found[index + len(group)].raises == form.raises:
            group.append(found[index + len(group)])
        body = "".join(_indent(f.code.rstrip("\n") + "\n") for f in group)
        chunks.append(f"try:\n{body}except RuntimeError:  # {form.raises}\n    pass\n")
        index += len(group)
    return "".join(chunks)


def fill(code: str, tf: str, gpu: str = "gpu", gpus: str = "gpus") -> str:
    """``code`` from :func:`write` with the names it uses (``str.format`` would trip on braces
    in the user's values)."""
    return code.replace("{tf}", tf).replace("{gpus}", gpus).replace("{gpu}", gpu)


def may_be_skipped(found: list[Form]) -> list[str]:
    """What a guarded ``found`` may silently skip: "thread pools", "visible devices", ..."""
    return list(dict.fromkeys(WHAT[form.raises] for form in found if form.raises))


def _indent(code: str) -> str:
    return "".join(f"    {line}" if line.strip() else line for line in code.splitlines(True))


def _literal(value: cst.BaseExpression) -> object:
    """The value of a literal True / False / int / float; None for anything else."""
    if isinstance(value, cst.Name) and value.value in ("True", "False"):
        return value.value == "True"
    if isinstance(value, cst.Integer):
        return int(value.value, 0)
    if isinstance(value, cst.Float):
        return float(value.value)
    return None


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)
