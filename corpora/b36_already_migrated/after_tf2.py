"""Code somebody already moved to tf.keras by hand; the codemod must leave it alone.

It runs on TF 1.12 (no ``tf.compat.v1`` there, no ``tf.config``) and on
later TF: the v1 API and memory growth are picked by feature checks.
"""
import numpy as np
import tensorflow as tf
from tensorflow import keras

# TF >= 2.16 ships Keras 3, which has no graph mode to go back to
KERAS_2 = tuple(int(part) for part in tf.__version__.split('.')[:2]) < (2, 16)

if hasattr(tf, 'compat') and hasattr(tf.compat, 'v1'):
    v1 = tf.compat.v1
    if KERAS_2:
        v1.disable_v2_behavior()
else:
    v1 = tf

if hasattr(tf, 'config') and hasattr(tf.config, 'experimental') and hasattr(tf.config.experimental, 'set_memory_growth'):
    for gpu in tf.config.experimental.list_physical_devices('GPU'):
        tf.config.experimental.set_memory_growth(gpu, True)
else:
    config = v1.ConfigProto()
    config.gpu_options.allow_growth = True
    keras.backend.set_session(v1.Session(config=config))


def build(units):
    model = keras.models.Sequential([
        keras.layers.Dense(units, activation='relu', input_shape=(3,)),
        keras.layers.Dense(1),
    ])
    model.compile(optimizer='adam', loss='mse')
    points = np.linspace(0.0, 1.0, 48, dtype='float32').reshape(16, 3)
    model.fit(points, points[:, :1], epochs=1, batch_size=8, verbose=0)
    return model


first = build(2)
print('first:', [layer.name for layer in first.layers])
keras.backend.clear_session()
v1.reset_default_graph()
second = build(4)
print('second:', [layer.name for layer in second.layers], second.count_params())
