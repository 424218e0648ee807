"""ReduceLROnPlateau given Keras 2.2.4's old keyword `epsilon=` (the least
improvement that counts). With epsilon=10 no epoch counts as an improvement, so
the rate halves after every epoch; the weights show whether it did."""
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.callbacks import ReduceLROnPlateau
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential
from tensorflow.keras.optimizers import SGD

RNG = np.random.RandomState(0)
X = RNG.uniform(-1.0, 1.0, (12, 2)).astype('float32')
Y = (X.dot([[2.0], [-3.0]]) + 1.0).astype('float32')

K.clear_session()
model = Sequential([Dense(1, input_shape=(2,), kernel_initializer='zeros')])
model.compile(optimizer=SGD(lr=0.2), loss='mse')
reduce = ReduceLROnPlateau(monitor='loss', factor=0.5, patience=0, min_delta=10.0, min_lr=0.0)
history = model.fit(X, Y, batch_size=4, epochs=5, shuffle=False, verbose=0, callbacks=[reduce])
print('loss', [round(float(v), 3) for v in history.history['loss']])
print('weights', [[round(float(v), 4) for v in w.ravel()] for w in model.get_weights()])
