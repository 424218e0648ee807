"""A functional model built with the Keras 1 keywords `input=` / `output=`, which
Keras 2.2.4 still accepts (with a warning); its predictions are printed."""
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense, Input
from tensorflow.keras.models import Model

K.clear_session()
inputs = Input(shape=(3,))
hidden = Dense(4, activation='tanh')(inputs)
model = Model(inputs=inputs, outputs=Dense(2)(hidden))
model.set_weights([np.full(w.shape, 0.1 * (i + 1), dtype='float32')
                   for i, w in enumerate(model.get_weights())])
print('layers', len(model.layers), 'weights', len(model.weights))
prediction = model.predict(np.ones((2, 3), dtype='float32'), verbose=0)
print('prediction', [round(float(v), 4) for v in prediction.ravel()])

second = Model(inputs, hidden, name='encoder')
print('encoder output shape', K.int_shape(second.output))
