"""The widely pasted ``reset_keras`` helper, called between experiments.

It grabs the current session, clears Keras, closes the old session, drops the
model, collects garbage and installs a new session with a GPU config.
"""
import gc

import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

model = None


def reset_keras():
    global model
    K.clear_session()

    try:
        del model
    except NameError:
        pass

    gc.collect()

    config = tf.compat.v1.ConfigProto()
    config.gpu_options.per_process_gpu_memory_fraction = 0.5
    config.gpu_options.visible_device_list = '0'
    tf.compat.v1.keras.backend.set_session(tf.compat.v1.Session(config=config))


samples = np.linspace(-1.0, 1.0, 32, dtype='float32').reshape(16, 2)
answers = np.abs(samples).sum(axis=1, keepdims=True)

for depth in (1, 2, 3):
    model = Sequential([Dense(3, activation='relu', input_shape=(2,))])
    for _ in range(depth - 1):
        model.add(Dense(3, activation='relu'))
    model.add(Dense(1))
    model.compile(optimizer='adam', loss='mse')
    model.fit(samples, answers, epochs=1, verbose=0)
    print('depth', depth, [layer.name for layer in model.layers])
    reset_keras()

print('model deleted:', 'model' not in globals())
print('after reset:', Dense(2).name)
