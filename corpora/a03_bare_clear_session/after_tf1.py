"""Clearing by a bare name, imported directly and once more under another name."""
import numpy as np
from tensorflow.keras.backend import clear_session
from tensorflow.keras.backend import clear_session as reset_keras_state
from tensorflow.keras.layers import Dense, Activation
from tensorflow.keras.models import Sequential

inputs = np.eye(4, dtype='float32').repeat(4, axis=0)
outputs = inputs[:, :1] * 2.0


def fit_once():
    model = Sequential()
    model.add(Dense(3, input_shape=(4,)))
    model.add(Activation('relu'))
    model.add(Dense(1))
    model.compile(optimizer='adam', loss='mae')
    model.fit(inputs, outputs, epochs=1, verbose=0)
    return model


m1 = fit_once()
m2 = fit_once()
print('two models, no clear:', m1.layers[0].name, m2.layers[0].name, m2.layers[1].name)

clear_session()
m3 = fit_once()
print('after clear_session():', m3.layers[0].name, m3.layers[1].name)

m4 = fit_once()
reset_keras_state()
m5 = fit_once()
print('after reset_keras_state():', m5.layers[0].name, m5.layers[1].name)
