"""Three spellings of the Keras backend picked up from three different snippets."""
import numpy as np
from tensorflow.keras import backend as k
from tensorflow.keras import backend as KTF
from tensorflow.keras import backend as backendK
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense

data = np.ones((16, 5), dtype='float32')
target = np.zeros((16, 1), dtype='float32')


def regressor(hidden):
    reg = Sequential([Dense(hidden, input_shape=(5,)), Dense(1)])
    reg.compile(optimizer='rmsprop', loss='mse')
    reg.fit(data, target, epochs=1, verbose=0)
    return reg


print('backend:', k.backend(), 'floatx:', k.floatx())

a = regressor(3)
b = regressor(3)
print('before any clear:', a.layers[0].name, b.layers[0].name)

k.clear_session()
c = regressor(3)
print('after k.clear_session:', c.layers[0].name)

KTF.clear_session()
d = regressor(3)
print('after KTF.clear_session:', d.layers[0].name)

backendK.clear_session()
e = regressor(3)
print('after backendK.clear_session:', e.layers[0].name, e.layers[-1].name)
