"""A linear model trained from the same start by optimizers given Keras 2.2.4
arguments (lr=, decay=); the loss per epoch and the weights after 9 steps are printed.

One Dense layer on purpose: with two, TF 1.12 may update the second kernel while
the first one's gradient still reads it, and the printed digits vary between runs."""
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential
from tensorflow.keras.optimizers import SGD, Adam, RMSprop
import tensorflow as tf

RNG = np.random.RandomState(0)
X = RNG.uniform(-1.0, 1.0, (12, 2)).astype('float32')
Y = (X.dot([[2.0], [-3.0]]) + 1.0).astype('float32')
START = [RNG.uniform(-0.5, 0.5, shape).astype('float32') for shape in [(2, 1), (1,)]]


def train(name, make_optimizer):
    K.clear_session()
    model = Sequential()
    model.add(Dense(1, input_shape=(2,)))
    model.set_weights(START)
    model.compile(optimizer=make_optimizer(), loss='mse')
    history = model.fit(X, Y, batch_size=4, epochs=3, shuffle=False, verbose=0)
    print(name, 'loss', [round(float(v), 3) for v in history.history['loss']])
    print(name, 'weights', [[round(float(v), 4) for v in w.ravel()] for w in model.get_weights()])


train('sgd', lambda: SGD(learning_rate=tf.keras.optimizers.schedules.InverseTimeDecay(0.1, decay_steps=1, decay_rate=0.05), momentum=0.9, nesterov=True))
train('adam', lambda: Adam(learning_rate=tf.keras.optimizers.schedules.InverseTimeDecay(0.2, decay_steps=1, decay_rate=0.1)))
train('rmsprop', lambda: RMSprop(learning_rate=tf.keras.optimizers.schedules.InverseTimeDecay(0.05, decay_steps=1, decay_rate=0.2)))
train('adam-decay-0', lambda: Adam(learning_rate=0.1))
