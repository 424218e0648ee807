"""clear_session passed around as a value, next to text that merely mentions it.

The references are real calls-to-be; the comment, docstring and strings are only text.
"""
import atexit
import gc

import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

# K.clear_session()   <- disabled in the original project, kept as a comment
atexit.register(K.clear_session)

CLEANUPS = [K.clear_session, gc.collect]
REMOTE_SNIPPET = "from keras import backend as K\nK.clear_session()\n"
HELP = 'call K.clear_session() or keras.backend.clear_session() between runs'


def build():
    m = Sequential([Dense(2, input_shape=(2,))])
    m.compile(optimizer='sgd', loss='mse')
    m.fit(np.ones((16, 2), 'float32'), np.ones((16, 2), 'float32'), epochs=1, verbose=0)
    return m


def run_cleanups(steps):
    done = []
    for step in steps:
        step()
        done.append(step.__name__)
    return done


build()
print('without cleanup:', build().layers[0].name)
print('ran:', run_cleanups(CLEANUPS))
print('after cleanup:', build().layers[0].name)
reset = K.clear_session
reset()
print('after alias call:', build().layers[0].name)
print(REMOTE_SNIPPET.splitlines()[1])
print(HELP)
print('snippet length:', len(REMOTE_SNIPPET))
