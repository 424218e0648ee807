"""Clearing Keras and resetting the TensorFlow default graph together.

A settings class resets the graph in its body, which runs once at import
time; the experiment loop then pairs every clear with a graph reset.
"""
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential


class Settings(object):
    tf.compat.v1.reset_default_graph()
    hidden_sizes = (2, 5)
    inputs = 3


def train(hidden):
    model = Sequential([Dense(hidden, activation='relu', input_shape=(Settings.inputs,)), Dense(1)])
    model.compile(optimizer='sgd', loss='mse')
    data = np.arange(16 * Settings.inputs, dtype='float32').reshape(16, Settings.inputs) / 48.0
    model.fit(data, data[:, :1], epochs=1, verbose=0)
    return [layer.name for layer in model.layers]


for hidden in Settings.hidden_sizes:
    print('hidden', hidden, train(hidden))
    K.clear_session()
    tf.compat.v1.reset_default_graph()

print('after both resets:', train(7))
tf.compat.v1.reset_default_graph()
K.clear_session()
print('reverse order:', train(1))
