"""Serving with a graph and session captured at import time.

Request threads do not share the main thread's default graph, so every
request re-enters the captured graph and re-binds the captured session
before predicting. A reload handler clears everything and captures again.
"""
import threading

import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential


def build_model(units):
    model = Sequential([Dense(units, activation='relu', input_shape=(3,)), Dense(2, activation='softmax')])
    model.compile(optimizer='adam', loss='categorical_crossentropy')
    return model


graph = tf.compat.v1.get_default_graph()
model = build_model(4)


def handle_request(payload, replies):
    probs = model.predict(np.asarray(payload, dtype='float32'), verbose=0)
    replies.append((len(payload), probs.shape[1], model.layers[0].name))


def reload_model(units):
    global sess, graph, model
    K.clear_session()
    graph = tf.compat.v1.get_default_graph()
    model = build_model(units)


def serve(payloads):
    replies = []
    for payload in payloads:
        worker = threading.Thread(target=handle_request, args=(payload, replies))
        worker.start()
        worker.join()
    return replies


print('before reload:', serve([[[0.1, 0.2, 0.3]], [[1, 0, 0], [0, 1, 0]]]))
reload_model(6)
print('after reload:', serve([[[0.5, 0.5, 0.5]]]))
print('same graph as captured:', tf.compat.v1.get_default_graph() is graph)
