# issue 12, item 3: a module that keeps one standalone import, with session calls
import tensorflow as tf
from keras import backend as K
from keras.layers import merge

K.clear_session()
sess = K.get_session()
K.set_session(tf.Session())
print(merge)
