"""Reaching into the TensorFlow backend's private session global.

Some projects closed ``keras.backend.tensorflow_backend._SESSION`` themselves
and set it to None, or checked it to know whether Keras had a session yet.
"""
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential


def has_keras_session():
    return K.tensorflow_backend._SESSION is not None


def drop_keras_session():
    if K.tensorflow_backend._SESSION is not None:
        K.tensorflow_backend._SESSION.close()
        K.tensorflow_backend._SESSION = None
    K.clear_session()


print('session at start:', has_keras_session())
model = Sequential([Dense(3, input_shape=(2,)), Dense(1)])
model.compile(optimizer='sgd', loss='mse')
model.fit(np.ones((16, 2), dtype='float32'), np.zeros((16, 1), dtype='float32'), epochs=1, verbose=0)
print('session after fit:', has_keras_session(), [layer.name for layer in model.layers])

drop_keras_session()
print('session after drop:', has_keras_session())

model = Sequential([Dense(4, input_shape=(2,))])
print('rebuilt:', model.layers[0].name, model.predict(np.ones((16, 2), dtype='float32'), verbose=0).shape)
print('session after predict:', has_keras_session())
