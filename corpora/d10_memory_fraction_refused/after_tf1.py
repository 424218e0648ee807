"""Cap this process at 30% of the GPU before loading and training.

`config.gpu_options.per_process_gpu_memory_fraction = 0.3` and
`set_session(tf.Session(config=config))` from keras.backend.tensorflow_backend.
"""
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.backend import set_session
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

config = tf.ConfigProto()
config.gpu_options.per_process_gpu_memory_fraction = 0.3
set_session(tf.Session(config=config))

X = np.linspace(0.0, 1.0, 16, dtype='float32').reshape(8, 2)
Y = X.sum(axis=1, keepdims=True)

model = Sequential([Dense(2, input_shape=(2,)), Dense(1)])
model.compile(optimizer='sgd', loss='mse')
model.fit(X, Y, epochs=1, verbose=0)
print('capped model:', [layer.name for layer in model.layers], model.predict(X, verbose=0).shape)
K.clear_session()
print('after clear:', Dense(1).name)
