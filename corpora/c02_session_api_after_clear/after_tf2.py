"""Per-fold reset that re-creates a growing-memory session and then inspects it with get_session."""
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

folds = np.array_split(np.arange(16), 2)
X = (np.arange(32, dtype='float32').reshape(16, 2) % 7) / 7.0
Y = (X.sum(axis=1) > 0.8).astype('float32')

previous = None
for fold, held_out in enumerate(folds):
    K.clear_session()
    for gpu in tf.config.list_physical_devices("GPU"):
        try:
            tf.config.experimental.set_memory_growth(gpu, True)
        except RuntimeError:  # GPU already initialized: growth can no longer change
            pass

    sess = tf.compat.v1.keras.backend.get_session()
    print('fold', fold, 'new session:', sess is not previous)
    print('fold', fold, 'session is on the default graph:', sess.graph is tf.compat.v1.get_default_graph())
    previous = sess

    train_idx = np.setdiff1d(np.arange(16), held_out)
    model = Sequential([Dense(3, activation='relu', input_shape=(2,)), Dense(1, activation='sigmoid')])
    model.compile(optimizer='adam', loss='binary_crossentropy')
    model.fit(X[train_idx], Y[train_idx], epochs=1, verbose=0)
    print('fold', fold, 'layers:', [layer.name for layer in model.layers])
    print('fold', fold, 'still the same session:', tf.compat.v1.keras.backend.get_session() is sess)
