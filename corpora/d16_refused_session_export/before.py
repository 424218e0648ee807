"""Export a Keras model's variables with a TF 1 Saver through Keras' session.

`K.set_learning_phase(0)`, build, then `sess = K.get_session()` is handed to
`tf.train.Saver().save(...)`: the session is read, not just configured.
"""
import os
import tempfile

import numpy as np
import tensorflow as tf
from keras import backend as K
from keras.layers import Dense
from keras.models import Sequential

K.set_learning_phase(0)
model = Sequential([Dense(2, input_shape=(3,)), Dense(1)])
model.compile(optimizer='sgd', loss='mse')
print('predict:', model.predict(np.ones((2, 3), dtype='float32'), verbose=0).shape)

saver = tf.train.Saver()
sess = K.get_session()
with tempfile.TemporaryDirectory() as folder:
    saved = saver.save(sess, os.path.join(folder, 'tf_model'))
    print('checkpoint written:', os.path.basename(saved), os.path.exists(saved + '.index'))
K.clear_session()
print('after clear:', Dense(1).name)
