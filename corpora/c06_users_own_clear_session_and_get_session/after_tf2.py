"""The project has its own `clear_session` and `get_session`, and a `clear_session=` keyword.

None of them is Keras's; Keras's clear is only ever reached as K.clear_session().
"""
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

_registry = {'runs': 0, 'clears': 0}


def get_session():
    """Project helper: the bookkeeping record of the current run (not a TF session)."""
    return _registry


def clear_session(note=''):
    """Project wrapper around Keras's clear that also counts the clears."""
    K.clear_session()
    get_session()['clears'] += 1
    return 'cleared ' + note


def train(width, clear_session=True):
    if clear_session:
        print(globals()['clear_session'](note='before width %d' % width))
    model = Sequential([Dense(width, activation='relu', input_shape=(2,)), Dense(1)])
    model.compile(optimizer='adam', loss='mse')
    model.fit(np.ones((16, 2), 'float32'), np.zeros((16, 1), 'float32'), epochs=1, verbose=0)
    get_session()['runs'] += 1
    return model.layers[0].name


print('run 1:', train(3))
print('run 2 (no clear):', train(3, clear_session=False))
print('run 3:', train(5, clear_session=True))
print(clear_session('at the end'))
print('bookkeeping:', sorted(get_session().items()))
