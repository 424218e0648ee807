# issue 12, item 1: a backend if/elif chain (keras-contrib's and keras-vis's backend/__init__.py)
from keras import backend as K

if K.backend() == 'theano':
    x = 1
elif K.backend() == 'tensorflow':
    x = 2
K.clear_session()
