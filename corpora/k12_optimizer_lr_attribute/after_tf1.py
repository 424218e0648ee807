"""A callback that halves the learning rate each epoch through the optimizer's `lr` attribute.

Keras 2.2.4 keeps the rate in `optimizer.lr` and callbacks set it with K.set_value. TF 2.15
has `lr` and `learning_rate` for the same variable; Keras 3 only `learning_rate`, which its
K.set_value refuses: under tf2 the tool writes `learning_rate` and `.assign(...)` (MS017),
and the rates and weights printed stay the same in every environment."""
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.callbacks import Callback
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential
from tensorflow.keras.optimizers import SGD

X = np.arange(8, dtype='float32').reshape(4, 2) / 8.0
Y = X.sum(axis=1, keepdims=True)


class Halve(Callback):
    def on_epoch_end(self, epoch, logs=None):
        rate = K.get_value(self.model.optimizer.lr)
        K.set_value(self.model.optimizer.lr, rate / 2)
        print('epoch', epoch, 'rate', round(float(rate), 6))


K.clear_session()
model = Sequential([Dense(1, input_shape=(2,), kernel_initializer='zeros', bias_initializer='zeros')])
optimizer = SGD(lr=0.1)
model.compile(optimizer=optimizer, loss='mse')
model.fit(X, Y, batch_size=4, epochs=3, shuffle=False, verbose=0, callbacks=[Halve()])
print('final rate', round(float(K.get_value(optimizer.lr)), 6))
print('weights', [[round(float(v), 5) for v in w.ravel()] for w in model.get_weights()])
