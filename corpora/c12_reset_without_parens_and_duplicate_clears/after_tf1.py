"""An existing bug (`tf.reset_default_graph` never called) and clears repeated back to back."""
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential


def build(width):
    m = Sequential([Dense(width, activation='relu', input_shape=(3,)), Dense(1)])
    m.compile(optimizer='adam', loss='mse')
    m.fit(np.ones((16, 3), 'float32'), np.zeros((16, 1), 'float32'), epochs=1, verbose=0)
    return m


def reset_everything():
    K.clear_session()
    K.clear_session()
    tf.reset_default_graph  # the parentheses were forgotten: this line does nothing


def reset_twice_differently():
    K.clear_session()
    x = build(1)
    K.clear_session()
    return x.layers[0].name


first = build(2)
second = build(2)
print('two builds:', first.layers[0].name, second.layers[0].name)
reset_everything()
print('after reset_everything:', build(2).layers[0].name)
print('clear, build, clear:', reset_twice_differently(), build(2).layers[0].name)
print('bare attribute is callable:', callable(tf.reset_default_graph))
K.clear_session(); K.clear_session()
print('after two clears on one line:', build(3).layers[0].name)
