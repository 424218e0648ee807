"""A callback frees Keras state at the end of each epoch, while the model is still in use.

In graph mode the clear pulls the graph out from under the live model; in eager mode it does not.
"""
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.callbacks import Callback
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential


class FreeAtEpochEnd(Callback):
    def __init__(self):
        super(FreeAtEpochEnd, self).__init__()
        self.cleared = 0

    def on_epoch_end(self, epoch, logs=None):
        K.clear_session()
        self.cleared += 1


X = np.linspace(0.0, 1.0, 48, dtype='float32').reshape(16, 3)
Y = (np.arange(16) < 8).astype('float32')

model = Sequential([Dense(4, activation='relu', input_shape=(3,)), Dense(1, activation='sigmoid')])
model.compile(optimizer='adam', loss='binary_crossentropy')
freer = FreeAtEpochEnd()
model.fit(X, Y, epochs=1, batch_size=8, verbose=0, callbacks=[freer])
print('clears done by the callback:', freer.cleared)
print('trained model:', model.layers[0].name)

try:
    model.predict(X, verbose=0)
    usable = True
except Exception:
    usable = False
print('model still usable after the clear:', usable)

rebuilt = Sequential([Dense(4, activation='relu', input_shape=(3,)), Dense(1, activation='sigmoid')])
print('model built after the clear:', rebuilt.layers[0].name)
