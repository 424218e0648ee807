"""Two small experiments in one script; Keras state is wiped between them."""
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense, Dropout

X = np.linspace(0.0, 1.0, 32, dtype='float32').reshape(16, 2)
Y = (np.arange(16) % 2).astype('float32')


def make_model(width):
    model = Sequential()
    model.add(Dense(width, activation='relu', input_shape=(2,)))
    model.add(Dropout(0.1))
    model.add(Dense(1, activation='sigmoid'))
    model.compile(optimizer='adam', loss='binary_crossentropy')
    return model


def run_experiment(width):
    K.clear_session()
    model = make_model(width)
    model.fit(X, Y, batch_size=8, epochs=1, verbose=0)
    return model


first = run_experiment(4)
print('experiment 1 first layer:', first.layers[0].name)
print('experiment 1 layers:', [layer.name for layer in first.layers])

second = run_experiment(8)
print('experiment 2 first layer:', second.layers[0].name)
print('experiment 2 units:', second.layers[0].units)

# without a clear the counters keep going
third = make_model(2)
print('no clear first layer:', third.layers[0].name)
K.clear_session()
print('cleared')
