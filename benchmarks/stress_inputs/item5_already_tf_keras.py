# issue 12, item 5: code already on tf.keras should stay byte-identical
import tensorflow as tf
from tensorflow.python.keras.backend import set_session

set_session(tf.Session())
print(tf.keras.utils.load_img)
