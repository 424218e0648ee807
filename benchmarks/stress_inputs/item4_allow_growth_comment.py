# issue 12, item 4: a comment inside the allow_growth block must survive its replacement
import tensorflow as tf
from keras import backend as K

K.clear_session()
config = tf.ConfigProto()
# grow GPU memory as needed
config.gpu_options.allow_growth = True
K.set_session(tf.Session(config=config))
