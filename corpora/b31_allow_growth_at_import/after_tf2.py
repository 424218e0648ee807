"""GPU memory growth configured once at import, guarded by the backend check.

This is the exact three-line allow_growth idiom; later the script clears the
session between two models (which, in TF 1.x, also drops the configured
session — the next one is a default session).
"""
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

for gpu in tf.config.list_physical_devices("GPU"):
    try:
        tf.config.experimental.set_memory_growth(gpu, True)
    except RuntimeError:  # GPU already initialized: growth can no longer change
        pass


def make(units):
    model = Sequential([Dense(units, activation='sigmoid', input_shape=(6,)), Dense(2, activation='softmax')])
    model.compile(optimizer='adam', loss='categorical_crossentropy')
    onehot = np.eye(2, dtype='float32')[np.arange(16) % 2]
    model.fit(np.ones((16, 6), dtype='float32'), onehot, epochs=1, verbose=0)
    return model


first = make(3)
print('first:', [layer.name for layer in first.layers])
K.clear_session()
second = make(5)
print('second:', [layer.name for layer in second.layers], second.count_params())
