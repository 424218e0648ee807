"""A ``keras_test`` decorator, as older Keras test suites had.

After the wrapped test returns, the TensorFlow backend is cleared; other
backends (Theano, CNTK) are left alone.
"""
import functools

import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense, Dropout
from tensorflow.keras.models import Sequential


def keras_test(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        output = func(*args, **kwargs)
        K.clear_session()
        return output
    return wrapper


@keras_test
def test_dropout_model():
    model = Sequential([Dense(4, input_shape=(2,)), Dropout(0.5), Dense(1)])
    model.compile(optimizer='sgd', loss='mse')
    inputs = np.zeros((16, 2), dtype='float32')
    model.fit(inputs, inputs[:, :1], epochs=1, verbose=0)
    return [layer.name for layer in model.layers]


@keras_test
def test_two_models():
    first = Sequential([Dense(1, input_shape=(2,))])
    second = Sequential([Dense(1, input_shape=(2,))])
    return first.layers[0].name, second.layers[0].name


def test_undecorated():
    return Dense(5).name


print(test_dropout_model.__name__, test_dropout_model())
print(test_two_models.__name__, test_two_models())
print('undecorated', test_undecorated(), test_undecorated())
print('backend:', K.backend())
