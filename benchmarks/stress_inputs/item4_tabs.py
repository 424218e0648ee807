# issue 12, item 4: tab-indented file with the allow_growth idiom inside a function
import tensorflow as tf
from keras import backend as K


def setup():
	K.clear_session()
	config = tf.ConfigProto()
	config.gpu_options.allow_growth = True
	K.set_session(tf.Session(config=config))
