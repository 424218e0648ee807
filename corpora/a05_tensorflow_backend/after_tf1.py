"""Session helpers taken from keras.backend.tensorflow_backend, by import and by attribute path."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras.backend import set_session, clear_session
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

samples = (np.arange(48, dtype='float32') % 5).reshape(16, 3) / 5.0
flags = (samples[:, 0] > 0.3).astype('float32')


def detector():
    net = Sequential([Dense(4, activation='relu', input_shape=(3,)), Dense(1, activation='sigmoid')])
    net.compile(optimizer='adam', loss='binary_crossentropy')
    net.fit(samples, flags, epochs=1, verbose=0)
    return net


warmup = detector()
print('warm-up model:', warmup.layers[0].name)

keras.backend.clear_session()
first = detector()
print('after attribute-path clear:', first.layers[0].name, first.layers[1].name)

clear_session()
config = tf.ConfigProto()
config.gpu_options.allow_growth = True
set_session(tf.Session(config=config))

second = detector()
print('after imported clear + allow_growth session:', second.layers[0].name)
print('prediction rows:', len(second.predict(samples, verbose=0)))
