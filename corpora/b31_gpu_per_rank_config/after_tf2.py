"""Per-process GPU settings for data-parallel workers, set at import time.

Each worker pins itself to the GPU matching its local rank and caps its
memory share; the rank comes from the environment (0 when run alone).
The session is built only when Keras runs on TensorFlow.
"""
import os

import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

LOCAL_RANK = int(os.environ.get('LOCAL_RANK', '0'))
WORLD_SIZE = int(os.environ.get('WORLD_SIZE', '1'))

gpu_config = tf.compat.v1.ConfigProto(allow_soft_placement=True)
gpu_config.gpu_options.allow_growth = True
gpu_config.gpu_options.per_process_gpu_memory_fraction = 0.4
gpu_config.gpu_options.visible_device_list = str(LOCAL_RANK)
tf.compat.v1.keras.backend.set_session(tf.compat.v1.Session(config=gpu_config))

print('rank', LOCAL_RANK, 'configured session:', tf.compat.v1.keras.backend.get_session() is not None)

shard = np.arange(16 * 2, dtype='float32').reshape(16, 2)[LOCAL_RANK::WORLD_SIZE] / 32.0
model = Sequential([Dense(4, input_shape=(2,), activation='relu'), Dense(1)])
model.compile(optimizer='sgd', loss='mse')
model.fit(shard, shard[:, 1:], epochs=1, batch_size=8, verbose=0)
print('worker model:', [layer.name for layer in model.layers], len(shard))

K.clear_session()
print('after clear:', Dense(1).name)
