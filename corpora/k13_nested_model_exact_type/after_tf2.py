"""A model nested in another, found by its exact class, as NVIDIA's TAO inferencer does.

In Keras 2.2.4 and TF 1.12 a functional model's class is `Model`; in TF 2 it is `Functional`,
so `type(layer) == Model` quietly turns False and the nested model is not found. The tool
cannot rewrite the test (isinstance would also match a Sequential): it reports it (MS117)."""
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense, Input
from tensorflow.keras.models import Model

K.clear_session()
inner_input = Input((2,))
inner = Model(inner_input, Dense(1, kernel_initializer='ones')(inner_input), name='inner')
outer_input = Input((2,))
outer = Model(outer_input, inner(outer_input), name='outer')

nested = [layer for layer in outer.layers if type(layer) == Model]
print('nested models found:', [layer.name for layer in nested])
model = nested[0] if nested else outer
print('layers of the model used:', len(model.layers))
print('prediction:', model.predict(np.ones((1, 2), dtype='float32')).tolist())
