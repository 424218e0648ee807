"""Nested grid search; the model factory clears the Keras state on its first line."""
import itertools

import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense, Input
from tensorflow.keras.models import Model
from tensorflow.keras.optimizers import SGD


def make_classifier(hidden_units, activation, n_inputs=6, n_classes=3):
    K.clear_session()
    inputs = Input(shape=(n_inputs,))
    hidden = Dense(hidden_units, activation=activation)(inputs)
    outputs = Dense(n_classes, activation='softmax')(hidden)
    model = Model(inputs=inputs, outputs=outputs)
    model.compile(optimizer=SGD(0.05), loss='sparse_categorical_crossentropy')
    return model


samples = (np.arange(16 * 6, dtype='float32').reshape(16, 6) % 7) / 7.0
classes = np.arange(16) % 3

results = []
for hidden_units in (4, 8):
    for activation in ('relu', 'tanh'):
        for batch_size in (4, 8):
            model = make_classifier(hidden_units, activation)
            model.fit(samples, classes, epochs=1, batch_size=batch_size, verbose=0)
            dense_names = [layer.name for layer in model.layers if isinstance(layer, Dense)]
            results.append((hidden_units, activation, batch_size, dense_names, model.count_params()))

for row in results:
    print(*row)

# the cartesian product of the same grid, for the record
print('grid size:', len(list(itertools.product((4, 8), ('relu', 'tanh'), (4, 8)))))
