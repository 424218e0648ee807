"""The `limit_mem` helper from old course notebooks: TF reached through the backend module as K.tf."""
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential
import tensorflow as tf


def limit_mem():
    tf.compat.v1.keras.backend.get_session().close()
    for gpu in tf.config.list_physical_devices("GPU"):
        try:
            tf.config.experimental.set_memory_growth(gpu, True)
        except RuntimeError:  # GPU already initialized: growth can no longer change
            pass


def net():
    m = Sequential([Dense(3, activation='relu', input_shape=(2,)), Dense(1)])
    m.compile(optimizer='adam', loss='mse')
    m.fit(np.ones((16, 2), 'float32'), np.zeros((16, 1), 'float32'), epochs=1, verbose=0)
    return m


print('K.tf is TensorFlow:', tf.__name__)
old = tf.compat.v1.keras.backend.get_session()
limit_mem()
print('session replaced by limit_mem:', tf.compat.v1.keras.backend.get_session() is not old)
print('growth option set:', tf.compat.v1.keras.backend.get_session()._config.gpu_options.allow_growth)

first = net()
K.clear_session()
limit_mem()
second = net()
print('models:', first.layers[0].name, second.layers[0].name)
print('constant via K.tf:', tf.constant([1, 2, 3]).shape.as_list())
