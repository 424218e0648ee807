"""The session is configured first and cleared afterwards, which silently drops the configuration."""
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

config = tf.compat.v1.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=1)
configured = tf.compat.v1.Session(config=config)
tf.compat.v1.keras.backend.set_session(configured)
print('configured session in use:', tf.compat.v1.keras.backend.get_session() is configured)

# the original project cleared "to start fresh" right after configuring
K.clear_session()

current = tf.compat.v1.keras.backend.get_session()
print('configured session still in use:', current is configured)
print('fresh session created on demand:', current is tf.compat.v1.keras.backend.get_session())

model = Sequential([Dense(2, input_shape=(3,)), Dense(1)])
model.compile(optimizer='sgd', loss='mse')
model.fit(np.zeros((16, 3), 'float32'), np.zeros((16, 1), 'float32'), epochs=1, verbose=0)
print('model after clear:', model.layers[0].name)
