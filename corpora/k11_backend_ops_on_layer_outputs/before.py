"""A variational autoencoder's loss terms computed from layer outputs with backend functions.

Keras 2.2.4 builds them in graph mode and evaluates them with K.function; TF 2.15's tf.keras
wraps each backend call on a layer's output as a layer, so the migrated code computes the same
there. Keras 3 (TF >= 2.16) refuses a backend function of a symbolic tensor: the tool reports
it (MS114) and leaves it as is. Inside the Lambda the same functions get real tensors: nothing
is said there."""
import numpy as np
from keras import backend as K
from keras.layers import Dense, Input, Lambda

X = (np.arange(16, dtype='float32').reshape(4, 4) % 5) / 5.0

K.clear_session()
x = Input((4,))
z_mean = Dense(2, kernel_initializer='ones', bias_initializer='zeros')(x)
z_log_var = Dense(2, kernel_initializer='zeros', bias_initializer='ones')(x)
z = Lambda(lambda t: t[0] + K.exp(0.5 * t[1]))([z_mean, z_log_var])  # the sample, without noise
decoded = Dense(4, kernel_initializer='ones', bias_initializer='zeros')(z)

reconstruction = K.sum(K.square(x - decoded), axis=-1)
kl = -0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)
terms = K.function([x], [reconstruction, kl])
for name, values in zip(('reconstruction', 'kl'), terms([X])):
    print(name, [round(float(v), 4) for v in values])
