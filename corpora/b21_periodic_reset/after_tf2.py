"""Online training that starts over every few chunks to keep the graph small.

Every RESET_EVERY chunks the loop clears Keras, installs a fresh
single-threaded session and rebuilds the model before continuing.
"""
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

RESET_EVERY = 3
N_CHUNKS = 7


def fresh_session():
    try:
        tf.config.threading.set_intra_op_parallelism_threads(1)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    except RuntimeError:  # TF already initialized: thread pools can no longer change
        pass


def build():
    model = Sequential([Dense(4, activation='relu', input_shape=(3,)), Dense(1)])
    model.compile(optimizer='adam', loss='mse')
    return model


def chunk(index):
    base = np.arange(16 * 3, dtype='float32').reshape(16, 3) + index
    return base / 64.0, base.sum(axis=1, keepdims=True) / 192.0


model = None
log = []
for step in range(N_CHUNKS):
    if step % RESET_EVERY == 0:
        K.clear_session()
        fresh_session()
        model = build()
        log.append('reset at %d' % step)
    x, y = chunk(step)
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    log.append('chunk %d -> %s' % (step, model.layers[0].name))
    extra = Dense(1)
    log.append('  scratch layer %s' % extra.name)

print('\n'.join(log))
