"""Callbacks that clear the Keras state when an epoch ends.

People added these to "free memory" during long runs. In graph mode this
throws away the graph of the model being trained, so it only works for the
last epoch; the script therefore trains one epoch per fit call and rebuilds.
"""
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.callbacks import Callback, LambdaCallback
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

EVENTS = []


class ClearAtEpochEnd(Callback):
    def on_epoch_end(self, epoch, logs=None):
        EVENTS.append('subclass cleared after epoch %d' % epoch)
        K.clear_session()


clear_lambda = LambdaCallback(on_epoch_end=lambda epoch, logs: K.clear_session())


def build(units):
    model = Sequential([Dense(units, activation='relu', input_shape=(4,)), Dense(2, activation='softmax')])
    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
    return model


inputs = np.tile(np.eye(4, dtype='float32'), (4, 1))
labels = np.arange(16) % 2

for round_number, callback in enumerate([ClearAtEpochEnd(), clear_lambda, ClearAtEpochEnd()]):
    model = build(3 + round_number)
    history = model.fit(inputs, labels, epochs=1, batch_size=8, verbose=0, callbacks=[callback])
    print('round', round_number, type(callback).__name__, model.layers[0].name,
          'epochs run:', len(history.history['loss']), 'next name:', Dense(1).name)

print('\n'.join(EVENTS))
