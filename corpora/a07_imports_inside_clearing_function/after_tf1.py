"""Keras is imported only inside the functions that use it (the original ran them in worker processes)."""
import numpy as np


def release_keras():
    try:
        from tensorflow.keras import backend as K
    except ImportError:
        return False
    K.clear_session()
    return True


def train_job(seed):
    from tensorflow.keras import backend as kb
    from tensorflow.keras.models import Sequential
    from tensorflow.keras.layers import Dense
    rng = np.random.RandomState(seed)
    x = rng.rand(16, 3).astype('float32')
    y = (x[:, 0] > 0.5).astype('float32')
    model = Sequential([Dense(2, activation='relu', input_shape=(3,)), Dense(1, activation='sigmoid')])
    model.compile(optimizer='adam', loss='binary_crossentropy')
    model.fit(x, y, epochs=1, verbose=0)
    name = model.layers[0].name
    kb.clear_session()
    return name


def names_without_release(n):
    from tensorflow.keras.layers import Dense
    return [Dense(1).name for _ in range(n)]


print('keras bound at module level:', 'K' in globals() or 'kb' in globals() or 'Dense' in globals())
print('job names:', [train_job(seed) for seed in range(3)])
print('layers made after the jobs:', names_without_release(2))
print('released:', release_keras())
print('layers made after release:', names_without_release(2))
