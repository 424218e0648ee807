"""Mentions of clear_session that are not calls.

The clear below was commented out long ago; ``K.clear_session()`` also shows
up in this docstring, in a help message and in a code snippet that is
written out for another runtime. None of these may change, and the script
prints them so any edit shows up in its output.
"""
import numpy as np
from tensorflow.keras import backend as K  # noqa: F401  unused, kept for the snippet
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

# K.clear_session()
# K.set_session(tf.Session(config=tf.ConfigProto()))

HELP = "Out of memory? Call K.clear_session() between models (keras.backend.clear_session)."

REMOTE_SNIPPET = '''
from keras import backend as K
import tensorflow as tf
K.clear_session()
tf.reset_default_graph()
'''

CALL_NAMES = ['clear_session', 'get_session', 'set_session']


def build():
    # K.clear_session()  <- disabled: it broke the caller's models
    model = Sequential([Dense(3, input_shape=(2,)), Dense(1)])
    model.compile(optimizer='sgd', loss='mse')
    model.fit(np.ones((16, 2), dtype='float32'), np.ones((16, 1), dtype='float32'), epochs=1, verbose=0)
    return [layer.name for layer in model.layers]


print(HELP)
print(REMOTE_SNIPPET.strip())
print('names in the docs:', CALL_NAMES, len(__doc__.splitlines()))
print('first build:', build())
print('second build (no clear):', build())
