"""A reset helper called after every experiment pins TF's thread pools again.

`K.clear_session()`, `tf.reset_default_graph()`, then a session whose
ConfigProto sets inter/intra op threads from the environment, and
`K.get_session()` returned to the caller (who ignores it).
"""
import os

import numpy as np
import tensorflow as tf
import keras.backend as K
from keras.layers import Dense
from keras.models import Sequential


def reset_tf_session(pin_threads=True):
    K.clear_session()
    tf.reset_default_graph()
    if pin_threads:
        config = tf.ConfigProto(inter_op_parallelism_threads=int(os.environ.get('NUM_INTER_THREADS', '1')),
                                intra_op_parallelism_threads=int(os.environ.get('NUM_INTRA_THREADS', '2')))
        K.set_session(tf.Session(config=config))
    s = K.get_session()
    return s


X = np.linspace(0.0, 1.0, 20, dtype='float32').reshape(10, 2)
Y = X[:, 1:] - X[:, :1]

for units in (2, 3):
    model = Sequential([Dense(units, activation='relu', input_shape=(2,)), Dense(1)])
    model.compile(optimizer='sgd', loss='mse')
    model.fit(X, Y, epochs=1, verbose=0)
    print('units', units, [layer.name for layer in model.layers])
    reset_tf_session()
print('after resets:', Dense(1).name)
