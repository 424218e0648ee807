"""Facts the rules need, each a named snippet run in every environment (imported by dump_api.py).

A snippet runs in a namespace holding `tf`, `keras` (standalone, None when not importable),
`np`, `x`/`y` (four samples, two features, one target), `batches` (an endless generator of
(x, y)), `functional(k)` and `sequential(k)` (a compiled two-feature, one-unit model of the
Keras namespace `k`). Its outcome is `{"ok": true}` (plus `"value"` when its last expression is
a plain literal, `"warnings"` when it warned) or `{"ok": false, "error": "Type: first line"}`.
A probe's `setup` runs first, outside the measurement; if it fails, that is the outcome.

Stdlib only and Python-3.6-safe; numpy is the one TensorFlow already imports.
"""

import ast
import importlib
import logging
import math
import re
import warnings

LITERAL_TYPES = (type(None), bool, int, float, str)


def is_literal(value):
    if isinstance(value, tuple):
        return all(is_literal(item) for item in value)
    if type(value) is float:
        return math.isfinite(value)  # repr(nan) is no literal
    return type(value) in LITERAL_TYPES


def first_line(text):
    text = str(text).strip()
    return scrub(text.splitlines()[0] if text else "")


def scrub(text):
    """No machine paths or addresses in a table: they differ between machines and runs."""
    text = re.sub(r" \(/[^)]*\)", "", text)
    text = re.sub(r"(?<![\w:/])(?:/[\w.+-]+)+/([\w.+-]+)", r"\1", text)  # not URLs
    return re.sub(r"0x[0-9a-fA-F]+", "0x?", text)


def describe(exc):
    return first_line(f"{type(exc).__name__}: {exc}")


class _LogRecords(logging.Handler):
    def __init__(self):
        logging.Handler.__init__(self, logging.WARNING)
        self.lines = []

    def emit(self, record):
        self.lines.append(f"log {record.levelname}: {first_line(record.getMessage())}")


def attempt(action, *args, ignore=()):
    """Run `action(*args)` and record how it went. Warnings whose line is in `ignore` (those of a
    baseline run) are left out: they are not caused by what is being measured."""
    log = _LogRecords()
    root = logging.getLogger()
    root.addHandler(log)  # tensorflow and absl loggers propagate to the root
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                value = action(*args)
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # noqa: BLE001 - a measured failure, whatever it is
                return {"ok": False, "error": describe(exc)}
    finally:
        root.removeHandler(log)
    outcome = {"ok": True}
    if is_literal(value) and value is not None:
        outcome["value"] = value
    lines = [f"{w.category.__name__}: {first_line(w.message)}" for w in caught] + log.lines
    fresh = []
    for line in lines:
        if line not in ignore and line not in fresh:
            fresh.append(line)
    if fresh:
        outcome["warnings"] = fresh
    return outcome


def warning_lines(outcome):
    return tuple(outcome.get("warnings", ()))


class Probe:
    def __init__(self, name, code, setup=""):
        self.name = name
        self.code = code
        self.setup = setup


def run_code(code, namespace):
    """exec `code`; the value of its last line when that line is an expression (as a REPL)."""
    tree = ast.parse(code)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<probe>", "exec"), namespace)  # noqa: S102 - the snippet under test
    if last is None:
        return None
    return eval(compile(ast.Expression(last.value), "<probe>", "eval"), namespace)


# Keras 2.2.4's optimizers: what user code constructs.
OPTIMIZERS = ("SGD", "RMSprop", "Adagrad", "Adadelta", "Adam", "Adamax", "Nadam")
OPTIMIZER_MODULES = ("keras.optimizers", "tf.keras.optimizers", "tf.keras.optimizers.legacy")
OPTIMIZER_KEYWORDS = ("lr=0.01", "learning_rate=0.01", "decay=0.0", "decay=0.1", "lr=0.01, decay=0.0")
KERASES = ("keras", "tf.keras")
MODEL_METHODS = ("fit_generator", "evaluate_generator", "predict_generator")
SEQUENTIAL_METHODS = ("predict_classes", "predict_proba")
# TF 1 APIs TF 2 keeps only under tf.compat.v1: do they run as TF 2 runs (eagerly)?
TF1_COMPAT_CALLS = (
    "tf.compat.v1.placeholder(tf.float32)",
    "tf.compat.v1.summary.FileWriter('logs')",
    "tf.compat.v1.summary.merge_all()",
    "tf.compat.v1.train.Saver()",
    "tf.compat.v1.train.start_queue_runners()",
)
BACKEND_FUNCTIONS = ("function", "in_train_phase", "learning_phase", "placeholder", "set_learning_phase")
# Backend and TensorFlow functions applied to a symbolic tensor (a layer's output), as Keras
# 2.2.4 code does outside layers (a VAE's KL loss, the mean of a model's output to take
# gradients of): (function after `tf.`, its arguments; `s` is Input((2,)), `s3` Input((2, 1))).
SYMBOLIC_SETUP = "s = tf.keras.layers.Input((2,))\ns3 = tf.keras.layers.Input((2, 1))\n"
SYMBOLIC_CALLS = tuple(("keras.backend." + name, arguments) for name, arguments in (
    ("abs", "s"), ("all", "s"), ("any", "s"), ("argmax", "s"), ("argmin", "s"),
    ("batch_dot", "s, s, axes=1"), ("batch_flatten", "s"), ("bias_add", "s, tf.zeros((2,))"),
    ("binary_crossentropy", "s, s"), ("cast", "s, 'float16'"), ("categorical_crossentropy", "s, s"),
    ("clip", "s, 0.0, 1.0"), ("concatenate", "[s, s]"), ("cumsum", "s"), ("dot", "s, tf.ones((2, 2))"),
    ("dtype", "s"), ("elu", "s"), ("equal", "s, s"), ("exp", "s"), ("expand_dims", "s"), ("flatten", "s"),
    ("gather", "s, [0]"), ("greater", "s, s"), ("hard_sigmoid", "s"), ("int_shape", "s"),
    ("l2_normalize", "s, axis=-1"), ("log", "s"), ("max", "s, axis=1"), ("maximum", "s, s"),
    ("mean", "s, axis=1"), ("min", "s, axis=1"), ("minimum", "s, s"), ("ndim", "s"), ("ones_like", "s"),
    ("permute_dimensions", "s, (1, 0)"), ("pow", "s, 2"), ("prod", "s"), ("relu", "s"),
    ("repeat_elements", "s, 2, axis=1"), ("reshape", "s, (-1, 1, 2)"), ("round", "s"), ("shape", "s"),
    ("sigmoid", "s"), ("sign", "s"), ("softmax", "s"), ("softplus", "s"),
    ("sparse_categorical_crossentropy", "s, s"), ("sqrt", "s"), ("square", "s"), ("squeeze", "s3, -1"),
    ("stack", "[s, s]"), ("std", "s"), ("stop_gradient", "s"), ("sum", "s, axis=1"), ("switch", "s, s, s"),
    ("tanh", "s"), ("tile", "s, (1, 2)"), ("transpose", "s"), ("var", "s"), ("zeros_like", "s"),
)) + (
    ("abs", "s"), ("add", "s, s"), ("argmax", "s, axis=1"), ("boolean_mask", "s, s > 0"), ("cast", "s, tf.float16"),
    ("clip_by_value", "s, 0.0, 1.0"), ("concat", "[s, s], axis=1"), ("exp", "s"), ("expand_dims", "s, 1"),
    ("gather", "s, [0], axis=1"), ("identity", "s"), ("image.resize", "tf.reshape(s, (-1, 1, 2, 1)), (2, 4)"),
    ("log", "s"), ("math.log", "s"), ("matmul", "s, tf.ones((2, 2))"), ("maximum", "s, s"), ("multiply", "s, s"),
    ("nn.dropout", "s, 0.5"), ("nn.l2_normalize", "s, axis=-1"), ("nn.relu", "s"), ("nn.sigmoid", "s"),
    ("nn.softmax", "s"), ("one_hot", "tf.cast(s, tf.int32), 3"), ("ones_like", "s"), ("pad", "s, [[0, 0], [1, 1]]"),
    ("reduce_max", "s"), ("reduce_mean", "s"), ("reduce_min", "s"), ("reduce_sum", "s"), ("reshape", "s, (-1, 1, 2)"),
    ("shape", "s"), ("sigmoid", "s"), ("size", "s"), ("split", "s, 2, axis=1"), ("sqrt", "s"), ("square", "s"),
    ("squeeze", "s3"), ("stack", "[s, s]"), ("tanh", "s"), ("tile", "s, (1, 2)"), ("transpose", "s"),
    ("unstack", "s, axis=1"), ("where", "s > 0, s, s"), ("zeros_like", "s"),
)

# get_updates: tf.keras's order, then Keras 2.2.4's legacy one (params, constraints, loss).
GET_UPDATES_SETUP = """\
opt = {module}.SGD()
p = {k}.backend.variable(np.zeros((2,)))
loss = {k}.backend.sum(p)
"""


# What the advice for a name the target lacks claims of its replacement (MS102's KERAS_ADVICE,
# MS107's TF2_ADVICE): (name, code, setup). Each ends in the default state it found.
EVALUATE = "def evaluate(t):\n    return t.numpy() if hasattr(t, 'numpy') else tf.Session().run(t)\n"
IMAGENET_SAMPLE = (
    "iu = __import__('keras.applications.imagenet_utils', fromlist=['preprocess_input'])\n"
    "a = np.random.RandomState(0).uniform(0, 255, (1, 4, 4, 3)).astype('float32')\n"
)
IS_TENSOR_SAMPLES = (
    "samples = lambda k: [tf.constant(1.0), k.backend.variable(1.0), tf.Variable(1.0), np.ones(1), 1.0,"
    " tf.SparseTensor([[0]], [1.0], [1])]\n"
)
LOGSUMEXP_CASES = "(1, True), (None, False), (-1, False)"
LOGSUMEXP_SAMPLE = EVALUATE + "t = tf.constant([[1.0, 2.0], [3.0, 5.0]])\ncases = (" + LOGSUMEXP_CASES + ")\n"


def logsumexp_probe(function):
    """The probe of `function(t, axis, keepdims)` over LOGSUMEXP_CASES, each answer's shape and
    values: (name, code, setup)."""
    values = f"(evaluate({function}(t, a, k)) for a, k in cases)"
    code = f"tuple((np.shape(v), tuple(np.round(v, 5).ravel().tolist())) for v in {values})"
    return (f"{function}(t, axis, keepdims) for {LOGSUMEXP_CASES}", code, LOGSUMEXP_SAMPLE)


ADVICE_PROBES = (
    ("keras.backend.image_dim_ordering() under channels_first, channels_last",
     ("orders = []\nfor f in ('channels_first', 'channels_last'):\n"
      "    keras.backend.set_image_data_format(f)\n    orders.append(keras.backend.image_dim_ordering())\n"
      "tuple(orders)"),
     ""),
    ("keras.backend.image_data_format() after set_image_dim_ordering('th'), ('tf')",
     ("formats = []\nfor o in ('th', 'tf'):\n"
      "    keras.backend.set_image_dim_ordering(o)\n    formats.append(keras.backend.image_data_format())\n"
      "tuple(formats)"),
     ""),
    ("keras.backend.get_variable_shape(v) == keras.backend.int_shape(v)",
     "keras.backend.get_variable_shape(v) == keras.backend.int_shape(v) == (2, 3)",
     "v = keras.backend.variable(np.zeros((2, 3)))\n"),
    ("keras.backend.tile(t, 2) == tf.tile(t, [2])",
     "tuple(evaluate(keras.backend.tile(t, 2)).tolist()) == tuple(evaluate(tf.tile(t, [2])).tolist()) == (1.0, 2.0, 1.0, 2.0)",
     EVALUATE + "t = tf.constant([1.0, 2.0])\n"),
    ("tf.tile(t, 2)", "tf.tile(tf.constant([1.0, 2.0]), 2)", ""),
    logsumexp_probe("keras.backend.logsumexp"),
    logsumexp_probe("tf.math.reduce_logsumexp"),
    ("keras.backend.is_tensor of a tensor, variable, tf.Variable, array, float, sparse tensor",
     "tuple(keras.backend.is_tensor(s) for s in samples(keras))", IS_TENSOR_SAMPLES),
    ("tf.contrib.framework.is_tensor of a tensor, variable, tf.Variable, array, float, sparse tensor",
     "tuple(tf.contrib.framework.is_tensor(s) for s in samples(tf.keras))", IS_TENSOR_SAMPLES),
    ("tf.is_tensor of a tensor, variable, tf.Variable, array, float, sparse tensor",
     "tuple(tf.is_tensor(s) for s in samples(tf.keras))", IS_TENSOR_SAMPLES),
) + tuple(
    (f"keras imagenet_utils.preprocess_input(a, mode={mode!r}) == tf.keras.applications.{app}.preprocess_input(a)",
     (f"bool(np.allclose(iu.preprocess_input(a.copy(), mode={mode!r}), "
      f"tf.keras.applications.{app}.preprocess_input(a.copy())))"),
     IMAGENET_SAMPLE)
    for mode, app in (("caffe", "resnet50"), ("caffe", "vgg16"), ("tf", "mobilenet"), ("tf", "inception_v3"),
                      ("torch", "densenet"))
) + (
    ("tf.where(rank-1 condition, x, y)",
     "tuple(map(tuple, evaluate(tf.where([True, False], [[1.0, 2.0], [3.0, 4.0]], [[-1.0, -2.0], [-3.0, -4.0]])).tolist()))",
     EVALUATE),
)


# Weights file names, one per way the envs tell them apart (the end of the name; MS122).
WEIGHTS_NAMES = ("w.h5", "w.hdf5", "w.weights.h5", "w.keras", "w")
# `written(save, name)`: what `save(path)` wrote at <a new folder>/name: "HDF5", "TF checkpoint"
# (name.index beside it), "Keras zip" (the .keras format) or "other".
WRITTEN = """
import os as _os, tempfile as _tempfile
def written(save, name):
    path = _os.path.join(_tempfile.mkdtemp(), name)
    save(path)
    if _os.path.isfile(path):
        with open(path, 'rb') as f:
            head = f.read(8)
        return 'HDF5' if head.startswith(b'\\x89HDF') else 'Keras zip' if head.startswith(b'PK') else 'other'
    return 'TF checkpoint' if _os.path.exists(path + '.index') else 'other'
"""


# How a TF 1 variables initializer runs in a session of its own (MS121).
INITIALIZER_RUNS = tuple(
    f"tf.compat.v1.Session().run({fetch})" for fetch in (
        "tf.compat.v1.global_variables_initializer()",
        "tf.compat.v1.local_variables_initializer()",
        "tf.compat.v1.tables_initializer()",
        "tf.compat.v1.variables_initializer([])",
        "[tf.compat.v1.global_variables_initializer(), tf.compat.v1.local_variables_initializer()]",
    )
)


def symbolic_probe(dotted):
    """The name of the probe of `dotted` (`tensorflow.keras.backend.mean`) on a symbolic tensor."""
    return "on a symbolic tensor: " + dotted


def _probes():
    probes = []
    for module in OPTIMIZER_MODULES:
        for name in OPTIMIZERS:
            for keywords in OPTIMIZER_KEYWORDS:
                code = f"{module}.{name}({keywords})"
                probes.append(Probe(code, code))
    for module, k in (
        ("keras.optimizers", "keras"),
        ("tf.keras.optimizers", "tf.keras"),
        ("tf.keras.optimizers.legacy", "tf.keras"),
    ):
        setup = GET_UPDATES_SETUP.format(module=module, k=k)
        for call in ("opt.get_updates(loss, [p])", "opt.get_updates([p], [], loss)"):
            probes.append(Probe(f"{module}.SGD().{call.split('.', 1)[1]}", call, setup))
    for k in KERASES:
        tensors = f"inp = {k}.layers.Input((2,))\nout = {k}.layers.Dense(1)(inp)\n"
        for keywords in ("input=inp, output=out", "input=inp, outputs=out", "inputs=inp, output=out",
                         "inputs=inp, outputs=out"):
            probes.append(Probe(f"{k}.models.Model({keywords})",
                                f"{k}.models.Model({keywords})", tensors))
        model = f"model = functional({k})\n"
        for method in MODEL_METHODS:
            probes.append(Probe(f"hasattr({k} Model, {method!r})",
                                f"hasattr(model, {method!r})", model))
        for method in SEQUENTIAL_METHODS:
            probes.append(Probe(f"hasattr({k} Sequential, {method!r})",
                                f"hasattr(model, {method!r})", f"model = sequential({k})\n"))
        for name, code, setup in (
            ("fit_generator(batches, steps_per_epoch=1)",
             "model.fit_generator(batches(), steps_per_epoch=1, verbose=0)", model),
            ("evaluate_generator(batches, steps=1)",
             "model.evaluate_generator(batches(), steps=1, verbose=0)", model),
            ("predict_generator(inputs, steps=1)",
             "model.predict_generator((x for _ in iter(int, 1)), steps=1, verbose=0)", model),
            ("fit(batches, steps_per_epoch=1)",
             "model.fit(batches(), steps_per_epoch=1, verbose=0)", model),
            ("fit(x, y, workers=1, use_multiprocessing=False, max_queue_size=10)",
             "model.fit(x, y, workers=1, use_multiprocessing=False, max_queue_size=10, verbose=0)",
             model),
            ("predict_classes(x)", "model.predict_classes(x, verbose=0)",
             f"model = sequential({k})\n"),
            ("predict_proba(x)", "model.predict_proba(x, verbose=0)",
             f"model = sequential({k})\n"),
        ):
            probes.append(Probe(f"{k} model.{name}", code, setup))
        for code in (
            f"{k}.callbacks.ModelCheckpoint('w.h5', period=3)",
            f"{k}.callbacks.TensorBoard(batch_size=32)",
            f"{k}.callbacks.TensorBoard(write_grads=True)",
            f"{k}.callbacks.TensorBoard(embeddings_freq=1)",
        ):
            probes.append(Probe(code, code))
        probes.append(Probe(f"{k}.activations.hard_sigmoid(1.0)",
                            f"v = {k}.activations.hard_sigmoid(tf.constant([1.0]))\n"
                            "round(float(v.numpy()[0] if hasattr(v, 'numpy') else tf.Session().run(v)[0]), 4)"))
        probes.append(Probe(f"{k}.backend.function([inp], [out])([x])",
                            f"{k}.backend.function([inp], [out])([x])[0].shape == (4, 1)",
                            f"inp = {k}.layers.Input((2,))\nout = {k}.layers.Dense(1)(inp)\n"))
    for name in BACKEND_FUNCTIONS:
        code = f"tf.keras.backend.{name} is tf.compat.v1.keras.backend.{name}"
        probes.append(Probe(code, code))
    probes.append(Probe("keras.backend.get_session() is tf.keras.backend.get_session()",
                        "keras.backend.get_session() is tf.keras.backend.get_session()"))
    probes.append(Probe("keras.backend is tf.keras.backend", "keras.backend is tf.keras.backend"))
    for k in KERASES:  # Keras 1 spellings Keras 2.2.4 converted at run time (keras.legacy)
        for code in (
            f"{k}.layers.Conv2D(4, 3, 3).strides",
            f"{k}.layers.Conv2D(4, (3, 3), border_mode='same')",
            f"{k}.layers.Dense(output_dim=3)",
            f"{k}.layers.Dropout(p=0.5)",
        ):
            probes.append(Probe(code, code))
        for keyword in ("nb_epoch", "epochs"):
            probes.append(Probe(f"{k} model.fit(x, y, {keyword}=2): epochs run",
                                f"len(model.fit(x, y, {keyword}=2, verbose=0).history['loss'])",
                                f"model = functional({k})\n"))
    # A keyword Keras 3 takes with a deprecation warning: honoured or not (MS108)?
    for k in KERASES:
        probes.append(Probe(f"{k}.layers.LeakyReLU(alpha=0.2)(-1.0)",
                            f"v = {k}.layers.LeakyReLU(alpha=0.2)(tf.constant([-1.0]))\n"
                            "round(float(v.numpy()[0] if hasattr(v, 'numpy') else tf.Session().run(v)[0]), 4)"))
    # An optimizer written the Keras 2.2.4 way: its constructor passes **kwargs on (MS116).
    for k in KERASES:
        setup = (f"class Custom({k}.optimizers.Optimizer):\n"
                 "    def __init__(self, lr=0.01, **kwargs):\n"
                 "        super(Custom, self).__init__(**kwargs)\n"
                 "        self.lr = lr\n")
        probes.append(Probe(f"{k}: a Keras 2.2.4-style Optimizer subclass()", "Custom() is not None", setup))
    # The class of a functional model, which code compares with `type(x) == Model` (MS117).
    for k in KERASES:
        probes.append(Probe(f"type({k} functional model).__name__", "type(model).__name__", f"model = functional({k})\n"))
    # A name with `/` (Keras 2 scoped weights by it; MS115).
    for code in ("tf.keras.layers.Dense(1, name='fc6/relu')", "tf.keras.layers.Input((2,), name='in/put')",
                 "tf.keras.models.Sequential(name='s/q')"):
        probes.append(Probe(code, code))
    # The learning rate as an attribute (callbacks that read or set it while training; MS017).
    lr_setup = "opt = tf.keras.optimizers.SGD(0.01)\nK = tf.keras.backend\n"
    for code in (
        "round(float(K.get_value(opt.lr)), 4)",
        "round(float(K.get_value(opt.learning_rate)), 4)",
        "K.set_value(opt.lr, 0.5)",
        "K.set_value(opt.learning_rate, 0.5)",
        "opt.learning_rate.assign(0.5) is None or round(float(K.get_value(opt.learning_rate)), 4)",
    ):
        probes.append(Probe("tf.keras optimizer: " + code, code, lr_setup))
    for function, arguments in SYMBOLIC_CALLS:
        probes.append(Probe(symbolic_probe("tensorflow." + function), f"tf.{function}({arguments})", SYMBOLIC_SETUP))
    probes.append(Probe("tf.VERSION == tf.__version__", "tf.VERSION == tf.__version__"))
    probes.append(Probe("isinstance(tf.__version__, str)", "isinstance(tf.__version__, str)"))
    for code in TF1_COMPAT_CALLS:
        probes.append(Probe(code, code, "v = tf.Variable(1.0)\n"))
    for code in (
        "tf.data.Dataset.from_tensors(1).make_one_shot_iterator()",
        "tf.compat.v1.data.make_one_shot_iterator(tf.data.Dataset.from_tensors(1))",
        "tf.compat.v1.data.Dataset.from_tensors(1).make_one_shot_iterator()",
    ):
        probes.append(Probe(code, code))
    # A variables initializer run in a session the tool keeps (MS121): an op in graph mode, None
    # under eager. Spelled the way each env has it (TF 1.12 has no tf.compat.v1).
    v1 = "v1 = tf.compat.v1 if hasattr(tf.compat, 'v1') else tf\n"
    for code in INITIALIZER_RUNS:
        probes.append(Probe(code, code.replace("tf.compat.v1.", "v1."), v1))
    # What a weights file becomes by its name (MS122): Keras 2.2.4 wrote HDF5 whatever the name.
    for k in KERASES:
        for name in WEIGHTS_NAMES:
            probes.append(Probe(f"{k} model.save_weights({name!r}): format",
                                f"written(lambda path: model.save_weights(path), {name!r})",
                                f"model = functional({k})\n" + WRITTEN))
            for weights_only in (True, False):
                probes.append(Probe(
                    f"{k} ModelCheckpoint({name!r}, save_weights_only={weights_only}): format",
                    f"written(lambda path: model.fit(x, y, verbose=0, callbacks=["
                    f"{k}.callbacks.ModelCheckpoint(path, save_weights_only={weights_only})]), {name!r})",
                    f"model = functional({k})\n" + WRITTEN))
    for name in WEIGHTS_NAMES:
        probes.append(Probe(f"tf.keras model.save_weights({name!r}, save_format='h5'): format",
                            f"written(lambda path: model.save_weights(path, save_format='h5'), {name!r})",
                            "model = functional(tf.keras)\n" + WRITTEN))
    # A library built on standalone Keras next to a module moved to tf.keras (MS112).
    probes.append(Probe("tf.keras model.compile(standalone keras optimizer)", "model.compile(keras.optimizers.SGD(), 'mse')",
                        "model = tf.keras.models.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])\n"))
    probes.append(Probe("tf.keras Sequential().add(standalone keras layer)",
                        "tf.keras.models.Sequential().add(keras.layers.Dense(1, input_shape=(2,)))"))
    for name, code, setup in ADVICE_PROBES:
        probes.append(Probe(name, code, setup))
    # Last: it imports a private module, which could change what `tf` holds for the probes after it.
    code = "__import__('tensorflow.python.keras.layers', fromlist=['Dense']).Dense is tf.keras.layers.Dense"
    probes.append(Probe("tensorflow.python.keras.layers.Dense is tf.keras.layers.Dense", code))
    return tuple(probes)


PROBES = _probes()


def _namespace():
    np = importlib.import_module("numpy")
    tf = importlib.import_module("tensorflow")
    try:
        keras = importlib.import_module("keras")
    except Exception:  # noqa: BLE001 - probes on standalone Keras then fail with its name
        keras = None

    def functional(k):
        inp = k.layers.Input((2,))
        model = k.models.Model(inp, k.layers.Dense(1)(inp))
        model.compile("sgd", "mse")
        return model

    def sequential(k):
        model = k.models.Sequential([k.layers.Dense(1, input_shape=(2,))])
        model.compile("sgd", "mse")
        return model

    def batches():
        while True:
            yield x, y

    x = np.zeros((4, 2), dtype="float32")
    y = np.zeros((4, 1), dtype="float32")
    return {
        "tf": tf, "keras": keras, "np": np, "x": x, "y": y, "batches": batches,
        "functional": functional, "sequential": sequential,
    }


def run_probes():
    results = {}
    for probe in PROBES:
        namespace = _namespace()
        prepared = attempt(run_code, probe.setup, namespace)
        if not prepared["ok"]:
            results[probe.name] = {"ok": False, "error": "setup: " + prepared["error"]}
            continue
        results[probe.name] = attempt(
            run_code, probe.code, namespace, ignore=warning_lines(prepared)
        )
    return results
