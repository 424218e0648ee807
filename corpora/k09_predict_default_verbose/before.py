"""model.predict(x) without verbose=: silent in Keras 2.2.4 (default 0), a progress
bar on stdout in TF 2 (default 'auto'). Only the printed predictions should appear."""
import numpy as np
from keras import backend as K
from keras.layers import Dense
from keras.models import Sequential

K.clear_session()
model = Sequential([Dense(2, input_shape=(3,), kernel_initializer='ones', bias_initializer='zeros')])
prediction = model.predict(np.arange(6, dtype='float32').reshape(2, 3))
print('prediction', prediction.ravel().tolist())
print('batch of one', model.predict(np.ones((1, 3), dtype='float32'), batch_size=1).ravel().tolist())
