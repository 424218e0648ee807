"""Keras 1 arguments converted the way Keras 2.2.4 converted them at run time.

Keras 2.2.4 wrapped many constructors and methods in a legacy interface
(``keras/legacy/interfaces.py``) that took Keras 1 spellings and converted them on every call:
a *preprocessor* first (``Convolution2D(32, 3, 3)`` -> kernel size ``(3, 3)``), then *value
conversions* (``dim_ordering='tf'`` -> ``'channels_last'``), then *renames* (``border_mode=``
-> ``padding=``). No tf.keras does: it raises, or reads ``Conv2D(4, 3, 3)``'s third number as
strides (measured: the ``Conv2D(4, 3, 3).strides`` probes). The conversions come from the
wrappers themselves (``api_tables.legacy_interface``); the preprocessors are code, and those
known here are rewritten by name (``PREPROCESSORS``): a callable whose preprocessor is unknown
is left as written. ``plan`` is shared by MS013, which rewrites, and MS113, which reports what
could not be converted.

Several preprocessors act only on values of a type (two ``int`` positional arguments, a
``dict`` padding) and leave anything else to fail a check further on (``TypeError``: too many
positional arguments, a keyword not understood). Where every other value made Keras 2.2.4
raise, a program that ran had a value of that type, so the conversion is applied whatever the
expression (``Convolution2D(f, rows, cols)``); ``tests/test_keras1_args.py`` holds each such
claim to the real Keras 2.2.4 (and the rewrites to each target's tf.keras).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import libcst as cst

from migrate_session import api_tables

Args = list[cst.Arg]
Op = Callable[[Args], Args]  # one step of a rewrite, on the call's arguments as migrated so far

KERNEL_KEYWORDS_2D = ("nb_row", "nb_col")
KERNEL_KEYWORDS_3D = ("kernel_dim1", "kernel_dim2", "kernel_dim3")
KERAS2_CONV_KEYWORDS = ("padding", "strides", "data_format")  # next to two int kernel sizes: ValueError
ZERO_PADDING_KEYS = ("top_pad", "bottom_pad", "left_pad", "right_pad")


@dataclass
class Plan:
    """What converting one call takes: the steps of the rewrite, each said in ``notes``, and
    the Keras 1 arguments that cannot be converted (why, for a warning)."""

    ops: list[Op] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unconverted: list[str] = field(default_factory=list)
    consumed: set[str] = field(default_factory=set)  # keywords a preprocessor took
    renames: dict[str, str] = field(default_factory=dict)  # Keras 1 keyword -> the Keras 2 one it becomes

    def do(self, op: Op, note: str) -> None:
        self.ops.append(op)
        self.notes.append(note)

    def rewrite(self, call: cst.Call) -> cst.Call:
        args = list(call.args)
        for op in self.ops:
            args = op(args)
        return call.with_changes(args=args)


def plan(call: cst.Call, interface: api_tables.LegacyInterface, skip: frozenset[str] = frozenset()) -> Plan:
    """How Keras 2.2.4's wrapper converted ``call``'s arguments; ``skip``: Keras 1 keywords
    another rule converts (MS008's ``Model(input=)``)."""
    found = Plan()
    if interface.preprocessor is not None:
        preprocess = PREPROCESSORS.get(interface.preprocessor)
        if preprocess is None:
            old = [name for name, _ in interface.conversions if keyword(call.args, name) is not None]
            if old:
                found.unconverted.append(
                    f"Keras 2.2.4 converted {_listed(old)} after `{interface.preprocessor}`, which this tool does not reproduce"
                )
            return found
        preprocess(call.args, found)
    _convert_keywords(call.args, interface, found, skip)
    return found


def _convert_keywords(args: Sequence[cst.Arg], interface: api_tables.LegacyInterface, found: Plan,
                      skip: frozenset[str]) -> None:
    for old, new in interface.conversions:
        arg = keyword(args, old)
        if arg is None or old in found.consumed or old in skip:
            continue
        if keyword(args, new) is not None:
            continue  # Keras 2.2.4 raised TypeError: both the Keras 1 and the Keras 2 keyword
        value = None
        if old in interface.value_conversions:
            known, literal = literal_value(arg.value)
            if not known:
                found.unconverted.append(
                    f"`{old}=` is converted by value ({_mapping(interface.value_conversions[old])}) "
                    f"and this one is not a literal: write it as `{new}=` by hand"
                )
                continue
            mapping = dict(interface.value_conversions[old])
            if literal in mapping:
                value = written_like(arg.value, mapping[literal])
        note = f"`{old}=` -> `{new}=`" + (f" {value}" if value is not None else "")
        found.do(renamed(old, new, value), note)
        found.renames[old] = new


# ---- the preprocessors Keras 2.2.4 ran before its renames ---------------------------------


def _conv2d(args: Sequence[cst.Arg], found: Plan) -> None:
    """``conv2d_args_preprocessor``: Keras 1's ``(filters, nb_row, nb_col)``."""
    _kernel(args, found, KERNEL_KEYWORDS_2D)


def _conv3d(args: Sequence[cst.Arg], found: Plan) -> None:
    """``conv3d_args_preprocessor``: Keras 1's ``(filters, kernel_dim1, kernel_dim2, kernel_dim3)``."""
    _kernel(args, found, KERNEL_KEYWORDS_3D)


def _kernel(args: Sequence[cst.Arg], found: Plan, names: tuple[str, ...]) -> None:
    """The kernel size given as one number per dimension after the filters: by position, then
    by the Keras 1 keywords ``names`` for the rest.

    Keras 2.2.4 joined them into the kernel size when the positional ones were ints; anything
    else left more positional arguments than ``(filters, kernel_size)``, or a keyword no layer
    takes, and it raised TypeError."""
    if any(arg.star for arg in args):
        return
    positional = [arg for arg in args if arg.keyword is None][1:]  # after the filters
    by_keyword = names[len(positional):]
    if len(positional) > len(names) or any(keyword(args, name) is None for name in by_keyword):
        return  # not the Keras 1 form (Conv2D(32, (3, 3)), Conv2D(32, kernel_size=3))
    literals = [literal_value(arg.value) for arg in positional]
    if any(known and not isinstance(value, int) for known, value in literals):
        found.unconverted.append(
            f"{len(positional) + 1} positional arguments that are not the filters and int kernel sizes: "
            "Keras 2.2.4 raised TypeError here, tf.keras reads them as kernel size and strides"
        )
        return
    if len(positional) == 2 and any(keyword(args, name) is not None for name in KERAS2_CONV_KEYWORDS):
        found.unconverted.append(
            "kernel sizes by position next to Keras 2 keywords: Keras 2.2.4 raised ValueError here, "
            "tf.keras reads the third argument as strides"
        )
        return
    found.consumed.update(by_keyword)
    if positional:
        found.do(_joined_positional(1, len(positional), by_keyword), _kernel_note(positional, by_keyword))
    else:
        found.do(_joined_keywords(by_keyword, "kernel_size"), _kernel_note([], by_keyword))


def _kernel_note(positional: Sequence[cst.Arg], keywords: Sequence[str]) -> str:
    if not positional:
        return f"{_listed(keywords)} -> `kernel_size=`"
    sizes = ", ".join([_code(arg.value) for arg in positional] + [f"{name}=" for name in keywords])
    return f"`{sizes}` -> one kernel size `({sizes})` (Keras 1's size per dimension; tf.keras reads a third positional number as strides)"


def _deconv2d(args: Sequence[cst.Arg], found: Plan) -> None:
    """``deconv2d_args_preprocessor``: Keras 1's ``output_shape`` (a 4th positional tuple, or
    by keyword) dropped, then the 2D kernel."""
    positional = [arg for arg in args if arg.keyword is None]
    if not any(arg.star for arg in args) and len(positional) == 4:
        # a non-tuple there left four positional arguments, and Keras 2.2.4 raised TypeError
        found.do(_dropped_positional(3), f"{_code(positional[3].value)} (Keras 1's output_shape) dropped, as Keras 2.2.4 did")
        args = [arg for arg in args if arg is not positional[3]]
    if keyword(args, "output_shape") is not None:
        found.consumed.add("output_shape")
        found.do(_dropped("output_shape"), "`output_shape=` dropped, as Keras 2.2.4 did")
    _conv2d(args, found)


def _separable_conv2d(args: Sequence[cst.Arg], found: Plan) -> None:
    """``separable_conv2d_args_preprocessor``: ``init=`` given to both initializers."""
    init = keyword(args, "init")
    if init is not None:
        if _simple(init.value):
            found.consumed.add("init")
            found.do(_replaced("init", ("depthwise_initializer", "pointwise_initializer")),
                     "`init=` -> `depthwise_initializer=` and `pointwise_initializer=`")
        else:
            found.unconverted.append("`init=` went to both initializers as one object: write them by hand")
    _conv2d(args, found)


def _forget_bias_init(args: Sequence[cst.Arg], found: Plan) -> None:
    arg = keyword(args, "forget_bias_init")
    if arg is None:
        return
    known, value = literal_value(arg.value)
    if not known:
        found.unconverted.append("`forget_bias_init=` is not a literal: Keras 2.2.4 read 'one' as "
                                 "`unit_forget_bias=True` and ignored anything else")
        return
    found.consumed.add("forget_bias_init")
    if value == "one":
        found.do(_replaced("forget_bias_init", ("unit_forget_bias",), "True"), "`forget_bias_init='one'` -> `unit_forget_bias=True`")
    else:
        found.do(_dropped("forget_bias_init"), "`forget_bias_init=` dropped: Keras 2.2.4 ignored it")


def _input_dim(args: Sequence[cst.Arg], found: Plan) -> None:
    """``input_dim=`` (and ``input_length=``) -> ``input_shape=(input_length, input_dim)``."""
    dim, length = keyword(args, "input_dim"), keyword(args, "input_length")
    if dim is None or keyword(args, "input_shape") is not None:
        return
    found.consumed.update(("input_dim", "input_length"))
    found.do(_input_shape, "`input_dim=`" + (", `input_length=`" if length is not None else "") + " -> `input_shape=`")


def _recurrent(args: Sequence[cst.Arg], found: Plan) -> None:
    """``recurrent_args_preprocessor``."""
    _forget_bias_init(args, found)
    _input_dim(args, found)


def _convlstm2d(args: Sequence[cst.Arg], found: Plan) -> None:
    """``convlstm2d_args_preprocessor``."""
    _forget_bias_init(args, found)
    _conv2d(args, found)


def _batchnorm(args: Sequence[cst.Arg], found: Plan) -> None:
    """``batchnorm_args_preprocessor``: ``mode=0`` dropped; any other mode raised TypeError."""
    arg = keyword(args, "mode")
    if arg is None:
        return
    known, value = literal_value(arg.value)
    if not known or value == 0:  # a program that ran had 0 there
        found.consumed.add("mode")
        found.do(_dropped("mode"), "`mode=` dropped: Keras 2.2.4 took only 0 (the default) and dropped it")
    else:
        found.unconverted.append(
            f"`mode={value!r}`: Keras 2.2.4 raised TypeError here too (it took only mode=0); Keras 1's "
            "per-sample (1) and per-batch (2) normalization have no tf.keras argument: port by hand"
        )


def _embedding(args: Sequence[cst.Arg], found: Plan) -> None:
    """``embedding_kwargs_preprocessor``: ``dropout=`` dropped (Keras 2.2.4 ignored it)."""
    arg = keyword(args, "dropout")
    if arg is not None:
        found.consumed.add("dropout")
        found.do(_dropped("dropout"), "`dropout=` dropped: Keras 2.2.4 ignored it (a SpatialDropout1D after the Embedding does it)")


def _zeropadding2d(args: Sequence[cst.Arg], found: Plan) -> None:
    """``zeropadding2d_args_preprocessor``: Keras 1's padding dict as two (before, after) pairs."""
    positional = [arg for arg in args if arg.keyword is None]
    arg = keyword(args, "padding") or (positional[0] if len(positional) == 1 else None)
    value = arg.value if arg is not None else None
    if not isinstance(value, cst.Dict) or not all(
        isinstance(element, cst.DictElement) and literal_value(element.key)[1] in ZERO_PADDING_KEYS
        for element in value.elements
    ):
        return
    found.do(_padding_pairs(value), "padding dict -> ((top_pad, bottom_pad), (left_pad, right_pad))")


def _generator_methods(args: Sequence[cst.Arg], found: Plan) -> None:
    """``generator_methods_args_preprocessor``: ``samples_per_epoch`` became
    ``samples_per_epoch // generator.batch_size`` steps (when the generator has one)."""
    if keyword(args, "samples_per_epoch") is not None:
        found.consumed.add("samples_per_epoch")
        found.unconverted.append(
            "`samples_per_epoch=` counts samples: Keras 2.2.4 divided it by the generator's batch_size "
            "(when it has one); write `steps_per_epoch=` by hand"
        )


PREPROCESSORS: dict[str, Callable[[Sequence[cst.Arg], Plan], None]] = {
    "batchnorm_args_preprocessor": _batchnorm,
    "conv1d_args_preprocessor": _input_dim,
    "conv2d_args_preprocessor": _conv2d,
    "conv3d_args_preprocessor": _conv3d,
    "convlstm2d_args_preprocessor": _convlstm2d,
    "deconv2d_args_preprocessor": _deconv2d,
    "embedding_kwargs_preprocessor": _embedding,
    "generator_methods_args_preprocessor": _generator_methods,
    "recurrent_args_preprocessor": _recurrent,
    "separable_conv2d_args_preprocessor": _separable_conv2d,
    "zeropadding2d_args_preprocessor": _zeropadding2d,
}


# ---- reading and writing arguments --------------------------------------------------------


def keyword(args: Sequence[cst.Arg], name: str) -> cst.Arg | None:
    return next((arg for arg in args if arg.keyword is not None and arg.keyword.value == name), None)


def literal_value(node: cst.BaseExpression) -> tuple[bool, object]:
    """(True, value) for a literal, else (False, None)."""
    if not isinstance(node, (cst.SimpleString, cst.Integer, cst.Float, cst.Name, cst.UnaryOperation, cst.Tuple, cst.List)):
        return False, None
    try:
        return True, ast.literal_eval(_code(node))
    except (ValueError, SyntaxError):
        return False, None


def written_like(original: cst.BaseExpression, value: object) -> str:
    """``value`` as code, a string in the quotes of ``original``."""
    if isinstance(value, str) and isinstance(original, cst.SimpleString) and not set(value) & {"'", '"', "\\"}:
        return f"{original.prefix}{original.quote}{value}{original.quote}"
    return repr(value)


def _simple(node: cst.BaseExpression) -> bool:
    """Evaluating it has no effect: it may be moved, repeated or dropped."""
    if isinstance(node, (cst.SimpleString, cst.Integer, cst.Float, cst.Name)):
        return True
    if isinstance(node, cst.Attribute):
        return _simple(node.value)
    if isinstance(node, cst.UnaryOperation):
        return _simple(node.expression)
    if isinstance(node, (cst.Tuple, cst.List)):
        return all(_simple(element.value) for element in node.elements)
    return False


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def _listed(names: Sequence[str]) -> str:
    return ", ".join(f"`{name}=`" for name in names)


def _mapping(pairs: Sequence[tuple[object, object]]) -> str:
    return ", ".join(f"{old!r} -> {new!r}" for old, new in pairs)


def _index(args: Args, name: str) -> int | None:
    return next((i for i, arg in enumerate(args) if arg.keyword is not None and arg.keyword.value == name), None)


def _index_of(args: Args, name: str) -> int:
    """The index of ``name=``, which the caller knows ``args`` passes."""
    index = _index(args, name)
    if index is None:
        raise LookupError(f"no {name}= argument")
    return index


def _positions(args: Args) -> list[int]:
    return [i for i, arg in enumerate(args) if arg.keyword is None and not arg.star]


def _without(args: Args, index: int) -> Args:
    """``args`` without one; the last keeps the closing layout (``f(a, b)`` -> ``f(a)``)."""
    kept = args[:index] + args[index + 1:]
    if index == len(args) - 1 and kept:
        kept[-1] = kept[-1].with_changes(comma=args[index].comma)
    return kept


def _making_room(args: Args, names: Sequence[str]) -> Args:
    """``args`` without the keywords ``names``: a converted keyword the call did not pass was
    written by a rule before this one (MS008 writes out Keras 2.2.4's defaults), and the call's
    own Keras 1 value is what Keras 2.2.4 used."""
    for name in names:
        index = _index(args, name)
        if index is not None:
            args = _without(args, index)
    return args


def _tuple(values: Sequence[cst.BaseExpression]) -> cst.Tuple:
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    elements = [cst.Element(value, comma=comma if i < len(values) - 1 else cst.MaybeSentinel.DEFAULT)
                for i, value in enumerate(values)]
    return cst.Tuple(elements)


def _named(arg: cst.Arg, name: str) -> cst.Arg:
    if arg.keyword is not None:
        return arg.with_changes(keyword=cst.Name(name))
    return arg.with_changes(keyword=cst.Name(name), equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))


def renamed(old: str, new: str, value: str | None = None) -> Op:
    def op(args: Args) -> Args:
        if _index(args, old) is None:
            return args
        args = _making_room(args, [new])
        index = _index_of(args, old)
        arg = _named(args[index], new)
        if value is not None:
            arg = arg.with_changes(value=cst.parse_expression(value))
        return [*args[:index], arg, *args[index + 1:]]
    return op


def _dropped(name: str) -> Op:
    def op(args: Args) -> Args:
        index = _index(args, name)
        return args if index is None else _without(args, index)
    return op


def _dropped_positional(position: int) -> Op:
    def op(args: Args) -> Args:
        positions = _positions(args)
        return _without(args, positions[position]) if len(positions) > position else args
    return op


def _replaced(name: str, new_names: Sequence[str], code: str | None = None) -> Op:
    """``name=v`` -> ``new1=v, new2=v`` (or ``=code``)."""
    def op(args: Args) -> Args:
        if _index(args, name) is None:
            return args
        args = _making_room(args, new_names)
        index = _index_of(args, name)
        arg = args[index]
        if code is not None:
            arg = arg.with_changes(value=cst.parse_expression(code))
        comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        new = [_named(arg, n).with_changes(comma=comma) for n in new_names[:-1]] + [_named(arg, new_names[-1])]
        return [*args[:index], *new, *args[index + 1:]]
    return op


def _joined_positional(start: int, count: int, keywords: Sequence[str]) -> Op:
    """The ``count`` positional arguments from ``start`` and the ``keywords`` as one tuple."""
    def op(args: Args) -> Args:
        positions = _positions(args)
        if len(positions) != start + count or any(_index(args, name) is None for name in keywords):
            return args
        values = [args[i].value for i in positions[start:]]
        values += [args[_index_of(args, n)].value for n in keywords]
        last = args[positions[-1]]
        args = [*args[:positions[start]], args[positions[start]].with_changes(value=_tuple(values), comma=last.comma),
                *args[positions[-1] + 1:]]
        for name in keywords:
            args = _without(args, _index_of(args, name))
        return args
    return op


def _joined_keywords(names: Sequence[str], into: str) -> Op:
    """``a=x, b=y`` -> ``into=(x, y)`` where ``a`` was."""
    def op(args: Args) -> Args:
        if any(_index(args, name) is None for name in names):
            return args
        args = _making_room(args, [into])
        values = [args[_index_of(args, name)].value for name in names]
        first = _index_of(args, names[0])
        args = [*args[:first], _named(args[first], into).with_changes(value=_tuple(values)), *args[first + 1:]]
        for name in names[1:]:
            args = _without(args, _index_of(args, name))
        return args
    return op


def _input_shape(args: Args) -> Args:
    if _index(args, "input_dim") is None:
        return args
    args = _making_room(args, ["input_shape"])
    dim = _index_of(args, "input_dim")
    length = _index(args, "input_length")
    first = args[length].value if length is not None else cst.Name("None")
    shape = _named(args[dim], "input_shape").with_changes(value=_tuple([first, args[dim].value]))
    args = [*args[:dim], shape, *args[dim + 1:]]
    return args if length is None else _without(args, length)


def _padding_pairs(padding: cst.Dict) -> Op:
    """``padding`` (its elements are ``key: value``) as two pairs, in the argument that passes it."""
    def op(args: Args) -> Args:
        index = next((i for i, arg in enumerate(args) if arg.value is padding), None)
        if index is None:
            return args
        given = {literal_value(e.key)[1]: e.value for e in padding.elements if isinstance(e, cst.DictElement)}
        side = [given.get(key, cst.Integer("0")) for key in ZERO_PADDING_KEYS]
        pairs = _tuple([_tuple(side[:2]), _tuple(side[2:])])
        return [*args[:index], args[index].with_changes(value=pairs), *args[index + 1:]]
    return op
