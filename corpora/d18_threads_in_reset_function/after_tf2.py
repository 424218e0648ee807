"""A reset helper called after every experiment pins TF's thread pools again.

`K.clear_session()`, `tf.reset_default_graph()`, then a session whose
ConfigProto sets inter/intra op threads from the environment, and
`K.get_session()` returned to the caller (who ignores it).
"""
import os

import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential


def reset_tf_session(pin_threads=True):
    K.clear_session()
    tf.compat.v1.reset_default_graph()
    if pin_threads:
        try:
            tf.config.threading.set_inter_op_parallelism_threads(int(os.environ.get('NUM_INTER_THREADS', '1')))
            tf.config.threading.set_intra_op_parallelism_threads(int(os.environ.get('NUM_INTRA_THREADS', '2')))
        except RuntimeError:  # TF already initialized: thread pools can no longer change
            pass


X = np.linspace(0.0, 1.0, 20, dtype='float32').reshape(10, 2)
Y = X[:, 1:] - X[:, :1]

for units in (2, 3):
    model = Sequential([Dense(units, activation='relu', input_shape=(2,)), Dense(1)])
    model.compile(optimizer='sgd', loss='mse')
    model.fit(X, Y, epochs=1, verbose=0)
    print('units', units, [layer.name for layer in model.layers])
    reset_tf_session()
print('after resets:', Dense(1).name)
