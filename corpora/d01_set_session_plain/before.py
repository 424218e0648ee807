"""An analysis script installs a plain session for Keras at import, no config.

`set_session(tf.Session())` is imported from keras.backend.tensorflow_backend;
the script then trains a small model, clears, and trains a second one.
"""
import numpy as np
import tensorflow as tf
from keras import backend as K
from keras.backend.tensorflow_backend import set_session
from keras.layers import Dense
from keras.models import Sequential

set_session(tf.Session())

X = np.linspace(0.0, 1.0, 24, dtype='float32').reshape(8, 3)
Y = X.sum(axis=1, keepdims=True)


def train(units):
    net = Sequential([Dense(units, activation='relu', input_shape=(3,)), Dense(1)])
    net.compile(optimizer='sgd', loss='mse')
    net.fit(X, Y, epochs=1, batch_size=4, verbose=0)
    return net


first = train(4)
print('first:', [layer.name for layer in first.layers], first.predict(X, verbose=0).shape)
K.clear_session()
second = train(5)
print('second:', [layer.name for layer in second.layers], second.predict(X, verbose=0).shape)
