"""RMSprop on small gradients and Nadam train one linear model from a fixed start.

TF 2 computes both steps otherwise than Keras 2.2.4 (RMSprop's epsilon sits inside the
square root, Nadam follows another momentum schedule): the tool rewrites the arguments and
reports the difference (MS111); the weights it prints differ by more than their rounding."""
import numpy as np
from keras import backend as K
from keras.layers import Dense
from keras.models import Sequential
from keras.optimizers import Nadam, RMSprop

X = np.arange(8, dtype='float32').reshape(4, 2) / 1000.0
Y = np.zeros((4, 1), dtype='float32')
START = [np.full((2, 1), 0.01, dtype='float32'), np.zeros((1,), dtype='float32')]


def train(name, make_optimizer):
    K.clear_session()
    model = Sequential([Dense(1, input_shape=(2,))])
    model.set_weights(START)
    model.compile(optimizer=make_optimizer(), loss='mse')
    model.fit(X, Y, batch_size=4, epochs=3, shuffle=False, verbose=0)
    print(name, [[round(float(v), 6) for v in w.ravel()] for w in model.get_weights()])


train('rmsprop', lambda: RMSprop(lr=0.001))
train('nadam', lambda: Nadam(lr=0.002))
