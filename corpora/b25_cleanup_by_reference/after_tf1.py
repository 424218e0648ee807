"""Cleanup handed around by reference instead of being called in place.

* nose/pytest module-level hooks assigned by name (``teardown = cleanup``),
* a list of cleanup callables run between experiments,
* ``atexit.register(K.clear_session)`` for the end of the process.
"""
import atexit
import gc

import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential


def prepare():
    np.random.seed(0)


def cleanup():
    K.clear_session()


setup = prepare
teardown = cleanup

CLEANUP_STEPS = [gc.collect, K.clear_session]
HOOKS = {'between_experiments': K.clear_session, 'log': print}

atexit.register(K.clear_session)


def experiment(width):
    model = Sequential([Dense(width, input_shape=(3,), activation='relu'), Dense(1)])
    model.compile(optimizer='adam', loss='mse')
    model.fit(np.ones((16, 3), dtype='float32'), np.ones((16, 1), dtype='float32'), epochs=1, verbose=0)
    return model.layers[0].name, model.count_params()


def run_module_tests(namespace):
    namespace['setup']()
    results = [experiment(2), experiment(3)]
    namespace['teardown']()
    return results


print('module tests:', run_module_tests(globals()))
print('after teardown:', experiment(1))

for width in (4, 5):
    for step in CLEANUP_STEPS:
        step()
    print('after cleanup steps:', experiment(width))

HOOKS['between_experiments']()
HOOKS['log']('after hook:', experiment(6))
print('teardown is cleanup:', teardown is cleanup)
