"""A module whose models, layers, optimizers and callbacks all come from standalone Keras.

Only the clear is the 'interesting' line, but its effect depends on every other Keras import
in the module: clearing one Keras does not drop the other's session.
"""
import numpy as np
from tensorflow import keras
from tensorflow.keras import backend as K
from tensorflow.keras import layers, regularizers
from tensorflow.keras.callbacks import EarlyStopping
from tensorflow.keras.models import Model, Sequential
from tensorflow.keras.optimizers import Adam
from tensorflow.keras.utils import to_categorical

x_train = np.linspace(0.0, 1.0, 64, dtype='float32').reshape(16, 4)
y_train = to_categorical(np.arange(16) % 2, num_classes=2)


def functional_net():
    inp = layers.Input(shape=(4,))
    h = layers.Dense(6, activation='relu', kernel_regularizer=regularizers.l2(1e-4))(inp)
    h = layers.Dropout(0.2)(h)
    out = layers.Dense(2, activation='softmax')(h)
    net = Model(inp, out)
    net.compile(optimizer=Adam(), loss='categorical_crossentropy')
    return net


def sequential_net():
    net = Sequential()
    net.add(keras.layers.Dense(5, activation='relu', input_shape=(4,)))
    net.add(keras.layers.Dense(2, activation='softmax'))
    net.compile(optimizer='sgd', loss='categorical_crossentropy')
    return net


def dense_names(net):
    return [layer.name for layer in net.layers if isinstance(layer, layers.Dense)]


stop = EarlyStopping(monitor='loss', patience=1)
for round_no, factory in enumerate([functional_net, sequential_net, functional_net]):
    K.clear_session()
    net = factory()
    net.fit(x_train, y_train, epochs=1, batch_size=8, verbose=0, callbacks=[stop])
    print('round', round_no, factory.__name__, dense_names(net))

leftover = sequential_net()
print('without a clear:', dense_names(leftover))
K.clear_session()
print('clear again:', dense_names(functional_net()))
