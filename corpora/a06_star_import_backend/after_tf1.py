"""Everything from the backend pulled in with a star: bare clear_session, floatx, and even `tf`."""
import numpy as np
from tensorflow.keras.backend import *
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential
import tensorflow as tf

print('dtype from the star import:', floatx())
print('tf came along:', tf.zeros((2, 3)).shape.as_list())

points = np.linspace(0.0, 1.0, 16, dtype=floatx()).reshape(16, 1)
values = 3.0 * points


def line_fit():
    model = Sequential([Dense(1, input_shape=(1,))])
    model.compile(optimizer='sgd', loss='mse')
    model.fit(points, values, epochs=1, verbose=0)
    return model


before = [line_fit().layers[0].name for _ in range(3)]
print('without clearing:', before)

after = []
for _ in range(3):
    clear_session()
    after.append(line_fit().layers[0].name)
print('clearing each time:', after)
