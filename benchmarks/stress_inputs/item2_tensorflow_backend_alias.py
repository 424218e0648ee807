# issue 12, item 2: the import must not go while KTF.clear_session() stays
from keras.backend import tensorflow_backend as KTF

KTF.clear_session()
