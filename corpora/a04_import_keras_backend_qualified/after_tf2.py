"""Only the backend submodule is imported as a package path; layers come by from-imports."""
import numpy as np
from tensorflow import keras
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

series = np.sin(np.arange(64, dtype='float32') / 4.0).reshape(16, 4)
nxt = series[:, -1:]


def forecaster():
    model = Sequential([Dense(8, activation='relu', input_shape=(4,)), Dense(1)])
    model.compile(optimizer='adam', loss='mse')
    return model


for window in range(2):
    model = forecaster()
    model.fit(series, nxt, epochs=1, verbose=0)
    print('window', window, 'layers', [layer.name for layer in model.layers])
    keras.backend.clear_session()

model = forecaster()
print('after the loop:', model.layers[0].name)
print('epsilon set:', keras.backend.epsilon() > 0)
