"""Fully qualified names after a plain `import keras`."""
import numpy as np
from tensorflow import keras

grid = np.stack([np.arange(16) / 16.0, np.arange(16)[::-1] / 16.0], axis=1).astype('float32')
score = grid.sum(axis=1, keepdims=True)


def fresh_model(units):
    keras.backend.clear_session()
    inp = keras.layers.Input(shape=(2,))
    hidden = keras.layers.Dense(units, activation='relu')(inp)
    out = keras.layers.Dense(1)(hidden)
    model = keras.models.Model(inputs=inp, outputs=out)
    model.compile(optimizer='adam', loss='mse')
    return model


results = []
for units in (2, 4, 8):
    model = fresh_model(units)
    model.fit(grid, score, epochs=1, batch_size=16, verbose=0)
    results.append((units, model.layers[1].name, model.layers[2].name, model.count_params()))

for row in results:
    print(row)
print('float type:', keras.backend.floatx())
