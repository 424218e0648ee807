"""Model tests that reset Keras around every test method.

Run with ``unittest.main(exit=False)``; unittest's own report goes to stderr,
the tests print the structural facts they check to stdout.
"""
import unittest

import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense, Flatten
from tensorflow.keras.models import Sequential


class AutoencoderShapes(unittest.TestCase):
    def setUp(self):
        K.clear_session()
        self.batch = np.ones((16, 2, 3), dtype='float32')

    def tearDown(self):
        K.clear_session()

    def test_a_encoder_names(self):
        model = Sequential([Flatten(input_shape=(2, 3)), Dense(2), Dense(6)])
        model.compile(optimizer='sgd', loss='mse')
        names = [layer.name for layer in model.layers]
        print('encoder names:', names)
        self.assertEqual(len(names), 3)

    def test_b_fit_output_shape(self):
        model = Sequential([Flatten(input_shape=(2, 3)), Dense(4), Dense(6)])
        model.compile(optimizer='sgd', loss='mse')
        model.fit(self.batch, self.batch.reshape(16, 6), epochs=1, verbose=0)
        out = model.predict(self.batch, verbose=0)
        print('fit output:', out.shape, model.layers[1].name)
        self.assertEqual(out.shape, (16, 6))

    def test_c_counter_starts_over(self):
        first = Dense(1)
        print('first dense in test:', first.name)
        self.assertTrue(first.name.startswith('dense'))


if __name__ == '__main__':
    result = unittest.main(argv=['b22'], exit=False, verbosity=0).result
    print('tests run:', result.testsRun, 'failures:', len(result.failures), 'errors:', len(result.errors))
