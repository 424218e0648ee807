"""Look-alikes: `keras` here is tf.keras and `K` is a string. Nothing in this file is standalone Keras."""
import numpy as np
import tensorflow as tf
from tensorflow import keras

K = keras.backend.backend()          # 'tensorflow': a str, not a module
KB = keras.backend                   # tf.keras's backend module, bound by assignment
print('K is a string:', isinstance(K, str), K)


class Workbench(object):
    def __init__(self):
        self.keras = keras
        self.K = K

    def reset(self):
        self.keras.backend.clear_session()

    def model(self):
        m = self.keras.Sequential([self.keras.layers.Dense(2, input_shape=(2,)), self.keras.layers.Dense(1)])
        m.compile(optimizer='sgd', loss='mse')
        return m


bench = Workbench()
first = bench.model()
second = bench.model()
print('two models:', first.layers[0].name, second.layers[0].name)

if K == 'tensorflow':
    keras.backend.clear_session()
print('after keras.backend.clear_session():', bench.model().layers[0].name)

bench.model()
bench.reset()
third = bench.model()
third.fit(np.ones((16, 2), 'float32'), np.ones((16, 1), 'float32'), epochs=1, verbose=0)
print('after bench.reset():', third.layers[0].name)

bench.model()
KB.clear_session()
print('after KB.clear_session():', bench.model().layers[0].name)

tf.keras.backend.clear_session()
print('after tf.keras.backend.clear_session():', bench.model().layers[0].name, bench.K.upper())
