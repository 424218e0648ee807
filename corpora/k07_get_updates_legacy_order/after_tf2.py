"""A hand-written training step, as Keras 1-era code wrote it: the optimizer's
updates requested in the old order get_updates(params, constraints, loss)."""
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential
from tensorflow.keras.optimizers import SGD

K.clear_session()
model = Sequential([Dense(1, input_shape=(2,), kernel_initializer='ones', bias_initializer='zeros')])
target = K.placeholder(shape=(None, 1))
loss = K.mean(K.square(model.output - target))
optimizer = SGD(learning_rate=0.1, momentum=0.5)
updates = optimizer.get_updates(model.trainable_weights, [], loss)
train_step = K.function([model.input, target], [loss], updates=updates)

x = np.array([[1.0, 2.0], [0.5, -1.0], [-1.0, 0.0], [2.0, 1.0]], dtype='float32')
y = np.array([[1.0], [0.0], [-1.0], [2.0]], dtype='float32')
for step in range(3):
    value, = train_step([x, y])
    print('step', step, 'loss', round(float(value), 4))
print('kernel', [round(float(v), 4) for v in K.get_value(model.trainable_weights[0]).ravel()])
