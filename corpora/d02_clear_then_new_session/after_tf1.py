"""Repeated experiments: each run clears Keras and installs a fresh plain session.

The pair `K.clear_session(); K.set_session(tf.Session())` opens every run, so
each model starts from an empty graph in a session of its own.
"""
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

X = np.linspace(-1.0, 1.0, 30, dtype='float32').reshape(10, 3)
Y = (X[:, :1] > 0).astype('float32')

for run, units in enumerate((2, 3, 4)):
    K.clear_session()
    K.set_session(tf.Session())
    model = Sequential([Dense(units, activation='tanh', input_shape=(3,)), Dense(1, activation='sigmoid')])
    model.compile(optimizer='sgd', loss='binary_crossentropy')
    model.fit(X, Y, epochs=1, batch_size=5, verbose=0)
    print('run', run, [layer.name for layer in model.layers], model.predict(X, verbose=0).shape)
