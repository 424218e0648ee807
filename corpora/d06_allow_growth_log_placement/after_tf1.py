"""GPU setup that also logs where each op runs.

`config = tf.ConfigProto(log_device_placement=True)` then
`config.gpu_options.allow_growth = True`, a named session, `set_session(sess)`.
"""
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.backend import set_session
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

config = tf.ConfigProto(log_device_placement=True)
config.gpu_options.allow_growth = True
sess = tf.Session(config=config)
set_session(sess)

X = np.linspace(0.0, 1.0, 12, dtype='float32').reshape(6, 2)
Y = X.prod(axis=1, keepdims=True)

model = Sequential([Dense(2, activation='relu', input_shape=(2,)), Dense(1)])
model.compile(optimizer='sgd', loss='mse')
model.fit(X, Y, epochs=1, verbose=0)
print('placed and trained:', [layer.name for layer in model.layers], model.predict(X, verbose=0).shape)
K.clear_session()
print('after clear:', Dense(1).name)
