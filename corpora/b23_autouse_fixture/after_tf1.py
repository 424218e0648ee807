"""A pytest-style autouse fixture that yields, then clears Keras.

The fixture is itself called ``clear_session`` (a name many conftest.py files
use), so it must keep calling the *Keras* function, not itself. pytest is not
needed: a few lines below drive the fixture generators by hand.
"""
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential


def fixture(autouse=False):
    def mark(func):
        func.autouse = autouse
        return func
    return mark


@fixture(autouse=True)
def clear_session():
    yield
    K.clear_session()


@fixture(autouse=True)
def sample_rows():
    yield np.full((16, 3), 0.5, dtype='float32')


def test_regressor_names(rows):
    model = Sequential([Dense(2, input_shape=(3,)), Dense(1)])
    model.compile(optimizer='adam', loss='mse')
    model.fit(rows, rows[:, :1], epochs=1, verbose=0)
    return [layer.name for layer in model.layers]


def test_single_layer(rows):
    model = Sequential([Dense(3, input_shape=(3,))])
    return [layer.name for layer in model.layers] + [str(model.predict(rows, verbose=0).shape)]


def run_with_fixtures(test):
    fixtures = [clear_session(), sample_rows()]
    values = [next(gen) for gen in fixtures]
    try:
        return test(values[1])
    finally:
        for gen in reversed(fixtures):
            next(gen, None)


for test in (test_regressor_names, test_single_layer, test_regressor_names):
    print(test.__name__, run_with_fixtures(test))

print('fixture', clear_session.__name__, 'autouse:', clear_session.autouse)
