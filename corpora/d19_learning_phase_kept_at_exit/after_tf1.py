"""Inference script: fix the learning phase to 0 before building the model; no clear after.

`K.set_learning_phase(0)` first, then a model with BatchNormalization and
Dropout gets known weights and predicts; only `predict` calls the model.
"""
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.layers import BatchNormalization, Dense, Dropout
from tensorflow.keras.models import Sequential

K.set_learning_phase(0)

model = Sequential([
    Dense(4, kernel_initializer='ones', bias_initializer='zeros', input_shape=(3,)),
    BatchNormalization(),
    Dropout(0.5),
    Dense(1, kernel_initializer='ones', bias_initializer='zeros'),
])
model.compile(optimizer='sgd', loss='mse')

X = np.arange(12, dtype='float32').reshape(4, 3) / 10.0
print('predictions:', np.round(model.predict(X, verbose=0).ravel(), 3).tolist())
print('layers:', [layer.name for layer in model.layers])
