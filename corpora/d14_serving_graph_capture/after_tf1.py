"""A prediction service: graph and session captured when the model loads.

Request handlers run in other threads, so each one re-enters the captured
graph and session, re-binds the session for Keras, and predicts with a model
whose predict function was built ahead of time.
"""
import threading

import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.backend import set_session
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

sess = tf.Session()
set_session(sess)
model = Sequential([Dense(3, activation='relu', input_shape=(4,)), Dense(2, activation='softmax')])
model.compile(optimizer='adam', loss='categorical_crossentropy')
model._make_predict_function()
graph = tf.get_default_graph()


def predict(payload, answers):
    with graph.as_default():
        with sess.as_default():
            set_session(sess)
            probabilities = model.predict(np.asarray(payload, dtype='float32'), verbose=0)
    answers.append((len(payload), probabilities.shape[1], round(float(probabilities.sum()), 3)))


def serve(requests):
    answers = []
    for payload in requests:
        worker = threading.Thread(target=predict, args=(payload, answers))
        worker.start()
        worker.join()
    return answers


print('answers:', serve([[[0, 1, 2, 3]], [[1, 1, 1, 1], [0, 0, 0, 0]]]))
print('model:', [layer.name for layer in model.layers])
K.clear_session()
print('after shutdown clear:', Dense(1).name)
