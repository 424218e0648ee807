"""A TF 1 streaming AUC used as a Keras metric.

The metric creates local variables through `tf.metrics.auc` and initializes
them with `K.get_session().run(tf.local_variables_initializer())`.
"""
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential


def auc_roc(y_true, y_pred):
    value = tf.metrics.auc(y_true, y_pred, curve='ROC')[1]
    K.get_session().run(tf.local_variables_initializer())
    return value


X = np.linspace(-1.0, 1.0, 32, dtype='float32').reshape(16, 2)
Y = (X[:, :1] > 0).astype('float32')

model = Sequential([Dense(3, activation='relu', input_shape=(2,)), Dense(1, activation='sigmoid')])
model.compile(optimizer='sgd', loss='binary_crossentropy', metrics=[auc_roc])
history = model.fit(X, Y, epochs=1, batch_size=8, verbose=0)
print('metrics logged:', sorted(history.history))
K.clear_session()
print('after clear:', Dense(1).name)
