"""A helper builds GPU options first, then the ConfigProto around them.

`gpu_options = tf.GPUOptions(allow_growth=True)` then
`tf.ConfigProto(gpu_options=gpu_options)`; the helper runs before each model.
"""
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential


def allow_growth_session():
    for gpu in tf.config.list_physical_devices("GPU"):
        try:
            tf.config.experimental.set_memory_growth(gpu, True)
        except RuntimeError:  # GPU already initialized: growth can no longer change
            pass


X = np.linspace(-2.0, 2.0, 24, dtype='float32').reshape(12, 2)
Y = np.abs(X).sum(axis=1, keepdims=True)

for depth in (1, 2):
    K.clear_session()
    allow_growth_session()
    model = Sequential([Dense(4, activation='relu', input_shape=(2,))])
    for _ in range(depth):
        model.add(Dense(2, activation='relu'))
    model.add(Dense(1))
    model.compile(optimizer='adam', loss='mse')
    model.fit(X, Y, epochs=1, batch_size=6, verbose=0)
    print('depth', depth, [layer.name for layer in model.layers])
