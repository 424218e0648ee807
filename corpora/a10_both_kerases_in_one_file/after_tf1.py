"""Standalone Keras and tf.keras side by side: each half is cleared by its own Keras."""
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential
from tensorflow.keras.backend import set_session

config = tf.ConfigProto()
config.gpu_options.allow_growth = True
set_session(tf.Session(config=config))

inputs = np.linspace(0.0, 1.0, 32, dtype='float32').reshape(16, 2)
labels = (inputs[:, 0] > 0.5).astype('float32')


def keras_model():
    m = Sequential([Dense(3, activation='relu', input_shape=(2,)), Dense(1, activation='sigmoid')])
    m.compile(optimizer='adam', loss='binary_crossentropy')
    m.fit(inputs, labels, epochs=1, verbose=0)
    return m


def tf_keras_model():
    m = tf.keras.Sequential([
        tf.keras.layers.Dense(3, activation='relu', input_shape=(2,)),
        tf.keras.layers.Dense(1, activation='sigmoid'),
    ])
    m.compile(optimizer='adam', loss='binary_crossentropy')
    m.fit(inputs, labels, epochs=1, verbose=0)
    return m


a = keras_model()
b = tf_keras_model()
print('first round, Keras model:', a.layers[0].name)

K.clear_session()
tf.keras.backend.clear_session()

c = keras_model()
d = tf_keras_model()
print('after both clears, Keras model:', c.layers[0].name)
# the two Kerases keep separate name counters, so only compare each with itself
print('Keras names repeat:', c.layers[0].name == a.layers[0].name)
print('tf.keras names repeat:', d.layers[0].name == b.layers[0].name)
