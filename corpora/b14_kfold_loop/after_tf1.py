"""Four-fold cross-validation written by hand; every fold starts from a clean state."""
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

N_FOLDS = 4

data = np.stack([np.arange(16) / 16.0, (np.arange(16) % 4) / 4.0, np.ones(16)], axis=1).astype('float32')
target = (data[:, 0] + data[:, 1] > 0.8).astype('float32')
folds = np.array_split(np.arange(len(data)), N_FOLDS)

fold_summaries = []
for fold, held_out in enumerate(folds):
    K.clear_session()
    train_idx = np.setdiff1d(np.arange(len(data)), held_out)

    model = Sequential()
    model.add(Dense(5, activation='relu', input_shape=(3,)))
    model.add(Dense(1, activation='sigmoid'))
    model.compile(optimizer='rmsprop', loss='binary_crossentropy', metrics=['accuracy'])
    model.fit(data[train_idx], target[train_idx], epochs=1, batch_size=4, verbose=0)
    scores = model.evaluate(data[held_out], target[held_out], verbose=0)

    fold_summaries.append((fold, len(train_idx), len(held_out), model.layers[0].name, len(scores)))

for summary in fold_summaries:
    print('fold %d: train=%d test=%d first=%s metrics=%d' % summary)
