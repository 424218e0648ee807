"""Optimizers given positionally in Keras 2.2.4's parameter order, and by name
with Keras 2.2.4's default rates; each trains the same linear model from the same
start and the weights are printed. (No Adam, Adamax, Nadam or decay here: those
read the iteration count, which TF 1.12 may read before or after its increment.)"""
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential
from tensorflow.keras.optimizers import SGD, Adagrad, RMSprop
import tensorflow as tf

RNG = np.random.RandomState(0)
X = RNG.uniform(-1.0, 1.0, (12, 2)).astype('float32')
Y = (X.dot([[2.0], [-3.0]]) + 1.0).astype('float32')
START = [RNG.uniform(-0.5, 0.5, shape).astype('float32') for shape in [(2, 1), (1,)]]


def new_model():
    K.clear_session()
    model = Sequential()
    model.add(Dense(1, input_shape=(2,)))
    model.set_weights(START)
    return model


def train(name, model):
    model.fit(X, Y, batch_size=4, epochs=3, shuffle=False, verbose=0)
    print(name, 'weights', [[round(float(v), 4) for v in w.ravel()] for w in model.get_weights()])


model = new_model()
model.compile(optimizer=SGD(0.1, 0.9, nesterov=True), loss='mse')
train('sgd positional', model)
model = new_model()
model.compile(optimizer=RMSprop(0.01, 0.9), loss='mse')
train('rmsprop positional', model)
model = new_model()
model.compile(optimizer=Adagrad(0.05, initial_accumulator_value=0.0), loss='mse')
train('adagrad positional', model)
model = new_model()
model.compile(optimizer=tf.keras.optimizers.Adagrad(learning_rate=0.01, initial_accumulator_value=0.0), loss='mse')
train('adagrad by name', model)
model = new_model()
model.compile(optimizer=tf.keras.optimizers.Adadelta(learning_rate=1.0), loss='mse')
train('adadelta by name', model)
model = new_model()
model.compile(optimizer='sgd', loss='mse')
train('sgd by name', model)
