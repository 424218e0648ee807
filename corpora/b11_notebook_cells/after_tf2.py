"""Exported notebook: each cell starts from a clean Keras state.

Cells that were re-run while exploring a layer size start with a clear;
some lines join several statements with ';' the way quick notebook edits do.
"""
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense, Dropout

K.clear_session()

# In[1]:
features = np.linspace(0.0, 1.0, 16 * 4, dtype='float32').reshape(16, 4)
labels = (features[:, :1] > 0.5).astype('float32')
print('data:', features.shape, labels.shape)

# In[2]:
K.clear_session()
net = Sequential()
net.add(Dense(8, activation='relu', input_shape=(4,)))
net.add(Dropout(0.25))
net.add(Dense(1, activation='sigmoid'))
net.compile(optimizer='adam', loss='binary_crossentropy')
net.fit(features, labels, epochs=1, batch_size=8, verbose=0)
print('cell 2:', [layer.name for layer in net.layers])

# In[3]: same cell again with fewer units
K.clear_session(); net = Sequential(); net.add(Dense(6, activation='relu', input_shape=(4,)))
net.add(Dense(1, activation='sigmoid')); net.compile(optimizer='adam', loss='binary_crossentropy')
net.fit(features, labels, epochs=1, batch_size=8, verbose=0)
print('cell 3:', [layer.name for layer in net.layers])

# In[4]: no clear here, so the counters keep going
extra = Sequential([Dense(2, input_shape=(4,))])
print('cell 4:', extra.layers[0].name, net.count_params(), extra.count_params())
