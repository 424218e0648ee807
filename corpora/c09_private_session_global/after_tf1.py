"""Reset by editing Keras's private session global instead of calling clear_session."""
import numpy as np
from tensorflow import keras
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential
import tensorflow as tf


def hard_reset():
    tfb = tf.keras.backend
    if tfb._SESSION is not None:
        tfb._SESSION.close()
        tfb._SESSION = None
        return True
    return False


def net():
    m = Sequential([Dense(2, input_shape=(3,))])
    m.compile(optimizer='sgd', loss='mse')
    m.fit(np.ones((16, 3), 'float32'), np.ones((16, 2), 'float32'), epochs=1, verbose=0)
    return m


print('private session before any model:', keras.backend.tensorflow_backend._SESSION is None)
a = net()
print('closed the private session:', hard_reset())
print('closed it again:', hard_reset())
b = net()
print('names keep counting without clear_session:', a.layers[0].name, b.layers[0].name)
K.clear_session()
print('after clear_session:', net().layers[0].name)
