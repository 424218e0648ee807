"""A prediction service: graph and session captured when the model loads.

Request handlers run in other threads, so each one re-enters the captured
graph and session, re-binds the session for Keras, and predicts with a model
whose predict function was built ahead of time.
"""
import threading

import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

model = Sequential([Dense(3, activation='relu', input_shape=(4,)), Dense(2, activation='softmax')])
model.compile(optimizer='adam', loss='categorical_crossentropy')


def predict(payload, answers):
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
