"""Keras 1 spellings that Keras 2.2.4 still converts on the fly (keras.legacy.interfaces):
Convolution2D(filters, rows, cols), border_mode=, output_dim=, init=, p=, nb_epoch=.
The output shape and the trained weights show whether each was understood.
The convolution is frozen: TF 1.12 may update a kernel while the gradient of an
earlier layer still reads it, which would make the printed digits vary."""
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Convolution2D, Dense, Dropout, Flatten
from tensorflow.keras.models import Sequential

K.clear_session()
model = Sequential()
model.add(Convolution2D(2, (3, 3), padding='same', input_shape=(5, 5, 1),
                        trainable=False))
model.add(Flatten())
model.add(Dropout(rate=0.0))
model.add(Dense(units=1, kernel_initializer='zero'))
print('conv output shape', K.int_shape(model.layers[0].output))
model.set_weights([np.full(w.shape, 0.05, dtype='float32') for w in model.get_weights()])
model.compile(optimizer='sgd', loss='mse')
x = np.linspace(0.0, 1.0, 50, dtype='float32').reshape(2, 5, 5, 1)
history = model.fit(x, np.array([[1.0], [0.0]], dtype='float32'), epochs=3, batch_size=2, verbose=0)
print('epochs', len(history.history['loss']), 'loss', [round(float(v), 4) for v in history.history['loss']])
print('dense kernel sum', round(float(model.get_weights()[2].sum()), 4))
