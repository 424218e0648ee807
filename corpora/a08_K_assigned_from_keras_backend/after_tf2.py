"""The backend bound by assignment rather than by import."""
import numpy as np
from tensorflow import keras

K = keras.backend
backend = keras.backend

xs = np.arange(16, dtype='float32').reshape(16, 1) / 16.0
ys = np.concatenate([xs, 1.0 - xs], axis=1)


def two_output_net():
    m = keras.models.Sequential([keras.layers.Dense(2, input_shape=(1,))])
    m.compile(optimizer='adam', loss='mse')
    m.fit(xs, ys, epochs=1, verbose=0)
    return m


names = [two_output_net().layers[0].name for _ in range(2)]
print('no clear:', names)
K.clear_session()
print('after K.clear_session():', two_output_net().layers[0].name)
two_output_net()
backend.clear_session()
print('after backend.clear_session():', two_output_net().layers[0].name)
print('same module object:', K is backend)
