"""Train, then save the weights beside the architecture, as Keras 2.2-era scripts did.

Keras 2.2.4's `model.save_weights('model.hdf5')` wrote HDF5 whatever the name ended with
(keras-js's README and many training scripts name the file `.hdf5`).
"""
import os
import tempfile

import h5py
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

os.chdir(tempfile.mkdtemp())
X = np.linspace(0.0, 1.0, 32, dtype='float32').reshape(16, 2)
Y = X.sum(axis=1, keepdims=True)

model = Sequential([Dense(3, activation='relu', input_shape=(2,)), Dense(1)])
model.compile(optimizer='sgd', loss='mse')
model.fit(X, Y, epochs=1, verbose=0)
model.save_weights('model.hdf5')
with open('model.json', 'w') as f:
    f.write(model.to_json())
print('weights written as HDF5:', h5py.is_hdf5('model.hdf5'))

K.clear_session()
restored = Sequential([Dense(3, activation='relu', input_shape=(2,)), Dense(1)])
restored.load_weights('model.hdf5')
print('restored:', [layer.name for layer in restored.layers], restored.predict(X[:1], verbose=0).shape)
