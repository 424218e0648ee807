"""The pasted `reset_keras()` helper between experiments, names from tensorflow_backend.

Get the session, clear, close it, get a fresh one, delete the model, collect,
and install a session on GPU 0 with the whole memory fraction.
"""
import gc

import numpy as np
import tensorflow
from tensorflow.keras.backend import clear_session
from tensorflow.keras.backend import get_session
from tensorflow.keras.backend import set_session
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

model = None


def reset_keras():
    global model
    sess = get_session()
    clear_session()
    sess.close()
    sess = get_session()

    try:
        del model
    except NameError:
        pass

    gc.collect()

    config = tensorflow.ConfigProto()
    config.gpu_options.per_process_gpu_memory_fraction = 1
    config.gpu_options.visible_device_list = "0"
    set_session(tensorflow.Session(config=config))


inputs = np.linspace(-1.0, 1.0, 20, dtype='float32').reshape(10, 2)
targets = inputs.sum(axis=1, keepdims=True)

for hidden in (2, 4, 8):
    model = Sequential([Dense(hidden, activation='relu', input_shape=(2,)), Dense(1)])
    model.compile(optimizer='adam', loss='mse')
    model.fit(inputs, targets, epochs=1, verbose=0)
    print('hidden', hidden, [layer.name for layer in model.layers])
    reset_keras()

print('model deleted:', 'model' not in globals())
print('after reset:', Dense(2).name)
