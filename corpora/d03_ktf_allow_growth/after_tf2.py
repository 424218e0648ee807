"""A package __init__ asks for GPU memory growth through keras.backend.tensorflow_backend.

`import keras.backend.tensorflow_backend as KTF`, a ConfigProto with
`gpu_options.allow_growth`, a named session handed to `KTF.set_session`.
The models built later clear between experiments.
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

X = np.arange(18, dtype='float32').reshape(6, 3) / 18.0
Y = X.mean(axis=1, keepdims=True)

for width in (3, 5):
    net = Sequential([Dense(width, activation='relu', input_shape=(3,)), Dense(1)])
    net.compile(optimizer='adam', loss='mse')
    net.fit(X, Y, epochs=1, verbose=0)
    print('width', width, [layer.name for layer in net.layers], net.predict(X, verbose=0).shape)
    K.clear_session()
