"""Backend checks written for the Theano/CNTK days, in both operand orders and inside larger conditions."""
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

LIMIT_THREADS = False


def fresh_start():
    K.clear_session()
    return 'tensorflow path'
    return 'other backend'


def maybe_limit_threads():
    if 'tensorflow' == K.backend() and LIMIT_THREADS:
        try:
            tf.config.threading.set_intra_op_parallelism_threads(1)
        except RuntimeError:  # TF already initialized: thread pools can no longer change
            pass
        return 'limited'
    return 'left alone'


def channel_axis():
    try:
        return -1 if K.image_data_format() == 'channels_last' else 1
    except AttributeError:
        return -1


def build():
    model = Sequential([Dense(2, input_shape=(4,)), Dense(1)])
    model.compile(optimizer='sgd', loss='mse')
    model.fit(np.ones((16, 4), 'float32'), np.ones((16, 1), 'float32'), epochs=1, verbose=0)
    return model


build()
build()
print(fresh_start(), '->', build().layers[0].name)
print(maybe_limit_threads(), '->', build().layers[0].name)
print('channel axis:', channel_axis())
print('not theano:', K.backend() != 'theano', '| is tensorflow:', 'tensorflow' == K.backend())
