"""A predictor that caches the Keras session and runs the graph itself.

Dropout is switched off by feeding ``K.learning_phase(): 0``; MC-dropout
sampling feeds 1. After a clear, the predictor must be rebuilt because the
cached session and tensors belong to the old graph.
"""
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense, Dropout
from tensorflow.keras.models import Sequential
import tensorflow as tf


class CachedPredictor(object):
    def __init__(self, units):
        self.model = Sequential([Dense(units, activation='relu', input_shape=(3,)), Dropout(0.5), Dense(1)])
        self.model.compile(optimizer='sgd', loss='mse')
        self.sess = tf.compat.v1.keras.backend.get_session()

    def predict(self, rows, training=False):
        feed = {self.model.input: rows, K.learning_phase(): 1 if training else 0}
        return self.sess.run(self.model.output, feed_dict=feed)


rows = np.ones((16, 3), dtype='float32')
predictor = CachedPredictor(8)
print('inference shape:', predictor.predict(rows).shape)
print('sampling shape:', predictor.predict(rows, training=True).shape)
print('same session:', predictor.sess is tf.compat.v1.keras.backend.get_session())
print('names:', [layer.name for layer in predictor.model.layers])

K.clear_session()
print('cached session still current:', predictor.sess is tf.compat.v1.keras.backend.get_session())
predictor = CachedPredictor(4)
print('rebuilt names:', [layer.name for layer in predictor.model.layers])
print('rebuilt inference shape:', predictor.predict(rows).shape)
