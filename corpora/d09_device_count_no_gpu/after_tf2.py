"""Force Keras onto the CPU with a device count, from a command-line switch.

`tf.ConfigProto(device_count={'GPU': 0, 'CPU': 1})` and `K.set_session(sess)`
inside the helper that runs before any model is built.
"""
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential


def force_cpu():
    try:
        tf.config.set_visible_devices([], "GPU")
    except RuntimeError:  # TF already initialized: visible devices can no longer change
        pass


force_cpu()

X = np.linspace(-1.0, 1.0, 18, dtype='float32').reshape(6, 3)
Y = (X.sum(axis=1, keepdims=True) > 0).astype('float32')

model = Sequential([Dense(3, activation='relu', input_shape=(3,)), Dense(1, activation='sigmoid')])
model.compile(optimizer='sgd', loss='binary_crossentropy')
model.fit(X, Y, epochs=1, verbose=0)
print('cpu model:', [layer.name for layer in model.layers], model.predict(X, verbose=0).shape)
K.clear_session()
print('after clear:', Dense(1).name)
