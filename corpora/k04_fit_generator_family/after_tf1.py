"""Training, evaluation and prediction fed by a Python generator and by a Sequence
through the Keras 2 `*_generator` methods (arguments passed positionally too).

The training generator cycles through six batches and is never restarted, so a
batch skipped, repeated or prefetched and dropped between epochs changes the
losses. Validation data is an array pair or a Sequence: a never-restarted
validation *generator* gives other batches per epoch in every later Keras."""
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential
from tensorflow.keras.optimizers import SGD
from tensorflow.keras.utils import Sequence

RNG = np.random.RandomState(0)
X = RNG.uniform(-1.0, 1.0, (12, 2)).astype('float32')
Y = (X.dot([[2.0], [-3.0]]) + 1.0).astype('float32')
START = [RNG.uniform(-0.5, 0.5, shape).astype('float32') for shape in [(2, 1), (1,)]]


def batches(first):
    step = first
    while True:
        i = step % 6
        yield X[2 * i:2 * i + 2], Y[2 * i:2 * i + 2]
        step += 1


def pairs():
    for i in range(6):
        yield X[2 * i:2 * i + 2], Y[2 * i:2 * i + 2]


class Batches(Sequence):
    def __len__(self):
        return 6

    def __getitem__(self, i):
        return X[2 * i:2 * i + 2], Y[2 * i:2 * i + 2]


def new_model():
    K.clear_session()
    model = Sequential()
    model.add(Dense(1, input_shape=(2,)))
    model.set_weights(START)
    model.compile(optimizer=SGD(lr=0.05), loss='mse')
    return model


def rounded(values):
    return [round(float(v), 4) for v in np.ravel(values)]


model = new_model()
history = model.fit_generator(batches(2), 4, 3, verbose=0,
                              validation_data=(X[:4], Y[:4]))
print('generator loss', rounded(history.history['loss']))
print('generator val_loss', rounded(history.history['val_loss']))
print('evaluate_generator', rounded(model.evaluate_generator(batches(1), 3)))
print('predict_generator', rounded(model.predict_generator(pairs(), steps=3)))

model = new_model()
history = model.fit_generator(Batches(), epochs=2, verbose=0, shuffle=False,
                              validation_data=Batches(), max_queue_size=4, workers=1,
                              use_multiprocessing=False)
print('sequence loss', rounded(history.history['loss']))
print('sequence val_loss', rounded(history.history['val_loss']))
print('evaluate_generator', rounded(model.evaluate_generator(Batches())))
print('predict_generator', rounded(model.predict_generator(pairs(), 6)))
