"""The whole package imported under a short alias; everything reached through it."""
import numpy as np
from tensorflow import keras as k

features = np.tile(np.array([[0.0, 1.0, 0.5, 0.25]], dtype='float32'), (16, 1))
labels = k.utils.to_categorical(np.arange(16) % 3, num_classes=3)


def classifier():
    clf = k.models.Sequential()
    clf.add(k.layers.Dense(5, activation='relu', input_shape=(4,)))
    clf.add(k.layers.Dense(3, activation='softmax'))
    clf.compile(optimizer=k.optimizers.SGD(), loss='categorical_crossentropy')
    return clf


for trial in range(3):
    k.backend.clear_session()
    clf = classifier()
    clf.fit(features, labels, batch_size=8, epochs=1, verbose=0)
    print('trial', trial, clf.layers[0].name, clf.layers[1].name, clf.output_shape)

extra = classifier()
print('extra model without clear:', extra.layers[0].name)
