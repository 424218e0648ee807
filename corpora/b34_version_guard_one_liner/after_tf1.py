"""One-line clears: a TensorFlow-version guard and ';'-joined statements.

The guarded clear was written so the same file could run on TF 2, where the
author believed clearing was unnecessary; on TF 1.x it always runs.
"""
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as k
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

ROWS = np.tile(np.array([[1.0, 0.0, 0.5]], dtype='float32'), (16, 1))


def fit_small(units):
    model = Sequential([Dense(units, input_shape=(3,)), Dense(1)]); model.compile(optimizer='sgd', loss='mse')
    model.fit(ROWS, ROWS[:, :1], epochs=1, verbose=0); return [layer.name for layer in model.layers]


print('run 1:', fit_small(2))
if not tf.__version__.startswith('2'): k.clear_session()
print('run 2:', fit_small(3))
k.clear_session(); tf.reset_default_graph(); print('run 3:', fit_small(4))
for units in (5, 6): k.clear_session(); print('loop run:', fit_small(units))
