"""Per-fold restart: close Keras' session, install a new one, initialize, clear.

`K.get_session().close()`, `K.set_session(tf.Session())`,
`K.get_session().run(tf.global_variables_initializer())` and the same for
local variables, then `K.clear_session()` before the fold's model is built.
"""
import numpy as np
import tensorflow as tf
from keras import backend as K
from keras.layers import Dense
from keras.models import Sequential

X = np.linspace(-1.0, 1.0, 24, dtype='float32').reshape(12, 2)
Y = (X[:, :1] * X[:, 1:] > 0).astype('float32')

for fold in range(3):
    print('starting fold', fold)
    K.get_session().close()
    K.set_session(tf.Session())
    K.get_session().run(tf.global_variables_initializer())
    K.get_session().run(tf.local_variables_initializer())
    K.clear_session()
    model = Sequential([Dense(3, activation='tanh', input_shape=(2,)), Dense(1, activation='sigmoid')])
    model.compile(optimizer='adam', loss='binary_crossentropy')
    model.fit(X[fold::3], Y[fold::3], epochs=1, verbose=0)
    print('fold', fold, [layer.name for layer in model.layers], model.predict(X, verbose=0).shape)
