"""A project-wide config module: one nested call sets Keras' session.

Everything is written inline as keywords: soft placement, and GPU options
built in place with allow_growth and a memory fraction of 1.0 (the whole GPU).
"""
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

K.set_session(
    tf.Session(
        config=tf.ConfigProto(
            allow_soft_placement=True,
            gpu_options=tf.GPUOptions(
                per_process_gpu_memory_fraction=1.0,
                allow_growth=True,))))

X = np.linspace(0.0, 2.0, 16, dtype='float32').reshape(8, 2)
Y = X[:, :1] * 2.0 - X[:, 1:]

model = Sequential([Dense(3, input_shape=(2,)), Dense(1)])
model.compile(optimizer='sgd', loss='mse')
model.fit(X, Y, epochs=1, batch_size=4, verbose=0)
print('trained:', [layer.name for layer in model.layers], model.predict(X, verbose=0).shape)
K.clear_session()
print('after clear:', Dense(1).name)
