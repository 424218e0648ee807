"""Command-line training script that clears the Keras session on its way out.

TensorFlow 1.x could print errors while the session object was destroyed at
interpreter shutdown, so the script clears explicitly and swallows any error.
"""
import sys

import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential


def main():
    rng = np.random.RandomState(7)
    inputs = rng.rand(16, 5).astype('float32')
    targets = inputs.mean(axis=1, keepdims=True)
    model = Sequential([Dense(3, activation='tanh', input_shape=(5,)), Dense(1)])
    model.compile(optimizer='sgd', loss='mse')
    model.fit(inputs, targets, epochs=1, batch_size=4, verbose=0)
    print('prediction shape:', model.predict(inputs, verbose=0).shape)
    print('layers:', [layer.name for layer in model.layers])
    return 0


if __name__ == '__main__':
    status = main()
    try:
        K.clear_session()
        print('session cleared')
    except Exception as exc:  # destroy-at-exit problems are not worth a traceback
        print('could not clear session:', type(exc).__name__)
    probe_layer = Dense(2)
    print('next auto name:', probe_layer.name)
    sys.exit(status)
