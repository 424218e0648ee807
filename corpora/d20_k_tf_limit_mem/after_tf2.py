"""A course notebook's `limit_mem()`: close Keras' session, grow GPU memory, all through `K.tf`.

Called at the start and again before each new model, after a clear.
"""
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential
import tensorflow as tf


def limit_mem():
    for gpu in tf.config.list_physical_devices("GPU"):
        try:
            tf.config.experimental.set_memory_growth(gpu, True)
        except RuntimeError:  # GPU already initialized: growth can no longer change
            pass


limit_mem()
X = np.linspace(-1.0, 1.0, 16, dtype='float32').reshape(8, 2)
Y = X[:, :1] * X[:, 1:]

for units in (2, 4):
    model = Sequential([Dense(units, activation='tanh', input_shape=(2,)), Dense(1)])
    model.compile(optimizer='adam', loss='mse')
    model.fit(X, Y, epochs=1, verbose=0)
    print('units', units, [layer.name for layer in model.layers], model.predict(X, verbose=0).shape)
    K.clear_session()
    limit_mem()
