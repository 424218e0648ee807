"""One flag picks the Keras implementation; this copy of the project runs standalone Keras."""
import numpy as np

USE_TF_KERAS = False

if USE_TF_KERAS:
    from tensorflow import keras
else:
    from tensorflow import keras

K = keras.backend
Dense = keras.layers.Dense
Sequential = keras.models.Sequential

xy = np.random.RandomState(7).rand(16, 2).astype('float32')
target = (xy[:, :1] > xy[:, 1:]).astype('float32')


def model_for(layer_sizes):
    model = Sequential()
    model.add(Dense(layer_sizes[0], activation='relu', input_shape=(2,)))
    for size in layer_sizes[1:]:
        model.add(Dense(size, activation='relu'))
    model.add(Dense(1, activation='sigmoid'))
    model.compile(optimizer='adam', loss='binary_crossentropy')
    return model


for sizes in ([4], [4, 4], [8, 4, 2]):
    K.clear_session()
    model = model_for(sizes)
    model.fit(xy, target, epochs=1, verbose=0)
    print(len(sizes), 'hidden:', [layer.name for layer in model.layers])

print('backend name:', K.backend())
