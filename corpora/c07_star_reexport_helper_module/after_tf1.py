"""A script that gets K, Dense and cleanup() only through `from helpers import *`."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from helpers import *  # noqa: E402,F403  (K, Dense, cleanup, toy_data, toy_model)

x, y = toy_data()

first = toy_model()
first.fit(x, y, epochs=1, verbose=0)
print('first:', [layer.name for layer in first.layers])

K.clear_session()
second = toy_model()
print('after K.clear_session():', [layer.name for layer in second.layers])

extra = Dense(2)
print('loose layer before cleanup():', extra.name)
cleanup()
print('loose layer after cleanup():', Dense(2).name)
print('helpers version:', HELPERS_VERSION)
