"""Parallelism settings for a CPU box, set once at import.

Thread pools, soft placement and a CPU device count in one ConfigProto,
then `K.set_session(session)`; the experiments clear between models.
"""
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

NUM_PARALLEL_EXEC_UNITS = 2
config = tf.ConfigProto(intra_op_parallelism_threads=NUM_PARALLEL_EXEC_UNITS, inter_op_parallelism_threads=2,
                        allow_soft_placement=True, device_count={'CPU': NUM_PARALLEL_EXEC_UNITS})
session = tf.Session(config=config)
K.set_session(session)

X = np.linspace(-1.0, 1.0, 40, dtype='float32').reshape(10, 4)
Y = X.max(axis=1, keepdims=True)

for units in (3, 6):
    model = Sequential([Dense(units, activation='relu', input_shape=(4,)), Dense(1)])
    model.compile(optimizer='adam', loss='mse')
    model.fit(X, Y, epochs=1, batch_size=5, verbose=0)
    print('units', units, [layer.name for layer in model.layers], model.predict(X, verbose=0).shape)
    K.clear_session()
