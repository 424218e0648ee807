"""Data-parallel worker: pin one GPU per local rank, grow its memory.

The Horovod-for-Keras recipe for TF 1: a ConfigProto with allow_growth and
`visible_device_list = str(local_rank)`, then `K.set_session(...)`. The rank
comes from the environment here (0 when run alone).
"""
import os

import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

local_rank = int(os.environ.get('LOCAL_RANK', '0'))

for gpu in tf.config.list_physical_devices("GPU"):
    try:
        tf.config.experimental.set_memory_growth(gpu, True)
    except RuntimeError:  # GPU already initialized: growth can no longer change
        pass
gpus = tf.config.list_physical_devices("GPU")
if gpus:
    tf.config.set_visible_devices(gpus[local_rank], "GPU")

X = np.arange(20, dtype='float32').reshape(10, 2) / 20.0
Y = X[:, :1] - X[:, 1:]

model = Sequential([Dense(4, activation='relu', input_shape=(2,)), Dense(1)])
model.compile(optimizer='adam', loss='mse')
model.fit(X, Y, epochs=1, batch_size=5, verbose=0)
print('rank', local_rank, [layer.name for layer in model.layers], model.predict(X, verbose=0).shape)
K.clear_session()
print('after clear:', Dense(1).name)
