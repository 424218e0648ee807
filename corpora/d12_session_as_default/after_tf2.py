"""Predict inside Keras' own session and graph, made default by hand.

`sess = K.get_session()` is used only as a context: `with sess.as_default():`
and `with sess.graph.as_default():` around predict; the session is closed
at the end, after a clear.
"""
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

X = np.linspace(0.0, 3.0, 12, dtype='float32').reshape(6, 2)
Y = X[:, :1] + 1.0

model = Sequential([Dense(4, activation='relu', input_shape=(2,)), Dense(1)])
model.compile(optimizer='sgd', loss='mse')
model.fit(X, Y, epochs=1, verbose=0)

print('inside the session:', model.predict(X, verbose=0).shape)
print('model:', [layer.name for layer in model.layers])
K.clear_session()
print('after clear:', Dense(2).name)
