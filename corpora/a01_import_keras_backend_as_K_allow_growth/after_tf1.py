"""Script start: throw away whatever a previous cell built, then ask TF to grow GPU memory."""
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

X = np.linspace(-1.0, 1.0, 48, dtype='float32').reshape(16, 3)
Y = (np.arange(16) % 3 == 0).astype('float32')


def small_net():
    net = Sequential([
        Dense(6, activation='tanh', input_shape=(3,)),
        Dense(1, activation='sigmoid'),
    ])
    net.compile(optimizer='sgd', loss='binary_crossentropy')
    return net


# left over from an earlier cell in the original notebook
scratch = small_net()
print('scratch model:', scratch.layers[0].name)

K.clear_session()

config = tf.ConfigProto()
config.gpu_options.allow_growth = True
K.set_session(tf.Session(config=config))

net = small_net()
net.fit(X, Y, epochs=1, batch_size=4, verbose=0)
print('model after reset:', net.layers[0].name, net.layers[1].name)
print('output shape:', net.predict(X, verbose=0).shape)
