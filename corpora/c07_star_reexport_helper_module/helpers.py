"""Shared helpers that the scripts star-import: they re-export K and the layer classes."""
import numpy as np
from keras import backend as K
from keras.layers import *
from keras.models import Sequential

HELPERS_VERSION = '0.3'


def cleanup():
    """Forget every model built so far."""
    K.clear_session()


def toy_data(n=16, dim=3):
    x = (np.arange(n * dim, dtype='float32').reshape(n, dim) % 5) / 5.0
    y = (x[:, 0] > 0.4).astype('float32')
    return x, y


def toy_model(dim=3):
    model = Sequential([Dense(4, activation='relu', input_shape=(dim,)), Dropout(0.1), Dense(1, activation='sigmoid')])
    model.compile(optimizer='adam', loss='binary_crossentropy')
    return model
