"""Names imported from Keras 2.2.4's per-file modules (keras.layers.core,
keras.layers.convolutional, keras.engine.topology, keras.objectives, ...), as
old scripts and custom layers do; a small two-input model is built from them with
fixed weights and its output printed."""
import numpy as np
from keras import backend as K
from keras.constraints import maxnorm
from keras.engine import Layer as EngineLayer
from keras.engine.topology import Input, Layer
from keras.layers.advanced_activations import LeakyReLU
from keras.layers.convolutional import Conv2D, MaxPooling2D
from keras.layers.convolutional_recurrent import ConvLSTM2D
from keras.layers.core import Dense, Flatten
from keras.layers.embeddings import Embedding
from keras.layers.merge import concatenate
from keras import objectives
from keras.models import Model
from keras.objectives import mean_squared_error
from keras.optimizers import rmsprop
from keras.utils.data_utils import get_file


class Scale(Layer):
    """A custom layer on the old base class: multiplies by one learned scalar."""

    def build(self, input_shape):
        self.scale = self.add_weight(name='scale', shape=(1,), initializer='ones')
        super(Scale, self).build(input_shape)

    def call(self, inputs):
        return inputs * self.scale

    def compute_output_shape(self, input_shape):
        return input_shape


K.clear_session()
image = Input(shape=(2, 4, 4, 1))
tokens = Input(shape=(3,))
frames = ConvLSTM2D(2, (2, 2))(image)
features = Flatten()(MaxPooling2D((2, 2))(Conv2D(2, (2, 2), padding='same')(frames)))
words = Flatten()(Embedding(5, 2)(tokens))
joined = concatenate([features, words])
hidden = LeakyReLU(alpha=0.2)(Dense(3, kernel_constraint=maxnorm(2.0))(joined))
model = Model(inputs=[image, tokens], outputs=Scale()(Dense(1)(hidden)))
model.compile(optimizer=rmsprop(lr=0.01), loss=mean_squared_error)

model.set_weights([np.linspace(-0.5, 0.5, w.size, dtype='float32').reshape(w.shape)
                   for w in model.get_weights()])
x_image = np.linspace(0.0, 1.0, 2 * 2 * 4 * 4, dtype='float32').reshape(2, 2, 4, 4, 1)
x_tokens = np.array([[0, 1, 2], [3, 4, 0]], dtype='float32')
prediction = model.predict([x_image, x_tokens], verbose=0)
print('weights', len(model.get_weights()), 'parameters', model.count_params())
print('prediction', [round(float(v), 4) for v in prediction.ravel()])
print('loss', round(float(model.evaluate([x_image, x_tokens], np.ones((2, 1)), verbose=0)), 4))
print('optimizer', type(model.optimizer).__name__, 'custom layer on Layer:', issubclass(Scale, EngineLayer))
print('get_file is callable:', callable(get_file))
print('objectives is the losses module:', objectives.mean_squared_error is mean_squared_error)
