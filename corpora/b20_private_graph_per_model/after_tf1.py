"""An ensemble where every member owns a private tf.Graph and tf.Session.

There is no clear_session anywhere: members are isolated by construction and
must keep working (and keep their own name counters) after migration.
"""
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential


class IsolatedMember(object):
    def __init__(self, units, activation):
        self.graph = tf.Graph()
        with self.graph.as_default():
            self.session = tf.Session(graph=self.graph)
            with self.session.as_default():
                self.model = Sequential()
                self.model.add(Dense(units, activation=activation, input_shape=(2,)))
                self.model.add(Dense(1, activation='sigmoid'))
                self.model.compile(optimizer='sgd', loss='binary_crossentropy')

    def fit(self, x, y):
        with self.graph.as_default():
            with self.session.as_default():
                self.model.fit(x, y, epochs=1, batch_size=4, verbose=0)

    def predict(self, x):
        with self.graph.as_default():
            with self.session.as_default():
                return self.model.predict(x, verbose=0)

    def close(self):
        self.session.close()


grid = np.array([[a, b] for a in range(4) for b in range(4)], dtype='float32') / 3.0
truth = (grid[:, 0] > grid[:, 1]).astype('float32')

members = [IsolatedMember(3, 'relu'), IsolatedMember(5, 'tanh'), IsolatedMember(2, 'sigmoid')]
for member in members:
    member.fit(grid, truth)

votes = np.stack([member.predict(grid) for member in members])
print('votes shape:', votes.shape)
for member in members:
    print([layer.name for layer in member.model.layers], member.model.count_params())
print('graphs distinct:', len(set(id(member.graph) for member in members)) == len(members))
for member in members:
    member.close()
