"""Hyper-parameter search objectives, shaped like hyperopt and Optuna ones.

No search library is installed: a tiny deterministic random search stands in
for fmin/study.optimize. The hyperopt-style objective clears on success and
in its error path; the Optuna-style one clears as its first statement; a
third one takes a ``clear_session`` flag.
"""
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

STATUS_OK = 'ok'
STATUS_FAIL = 'fail'

X = (np.arange(16 * 4, dtype='float32').reshape(16, 4) % 5) / 5.0
Y = (X.sum(axis=1) > 1.6).astype('float32')

SPACE = {
    'units': [3, 6],
    'activation': ['relu', 'sigmoid', 'not_an_activation'],
    'optimizer': ['adam', 'sgd'],
}


def fit_model(units, activation, optimizer):
    model = Sequential()
    model.add(Dense(units, activation=activation, input_shape=(4,)))
    model.add(Dense(1, activation='sigmoid'))
    model.compile(optimizer=optimizer, loss='binary_crossentropy')
    model.fit(X, Y, epochs=1, batch_size=8, verbose=0)
    return model


def hyperopt_objective(params):
    try:
        model = fit_model(params['units'], params['activation'], params['optimizer'])
        names = [layer.name for layer in model.layers]
        loss = float(model.evaluate(X, Y, verbose=0))
        K.clear_session()
        return {'loss': loss, 'status': STATUS_OK, 'names': names}
    except Exception as exc:
        K.clear_session()
        return {'loss': None, 'status': STATUS_FAIL, 'error': type(exc).__name__}


def fmin(fn, space, max_evals, seed=3):
    rng = np.random.RandomState(seed)
    trials = []
    for _ in range(max_evals):
        params = {key: values[rng.randint(len(values))] for key, values in sorted(space.items())}
        trials.append((params, fn(params)))
    return trials


class FakeTrial(object):
    def __init__(self, number):
        self.number = number

    def suggest_int(self, name, low, high):
        return low + self.number % (high - low + 1)

    def suggest_categorical(self, name, choices):
        return choices[self.number % len(choices)]


def optuna_objective(trial):
    K.clear_session()
    units = trial.suggest_int('units', 2, 4)
    activation = trial.suggest_categorical('activation', ['tanh', 'relu'])
    model = fit_model(units, activation, 'adam')
    return model.layers[0].name, model.count_params()


def flagged_objective(units, clear_session=True):
    if clear_session:
        K.clear_session()
    model = fit_model(units, 'relu', 'sgd')
    return model.layers[-1].name


for params, outcome in fmin(hyperopt_objective, SPACE, max_evals=5):
    detail = outcome.get('names') or outcome.get('error')
    print('hyperopt', params['units'], params['activation'], params['optimizer'], outcome['status'], detail)

for number in range(3):
    print('optuna trial', number, *optuna_objective(FakeTrial(number)))

print('flag on :', flagged_objective(2, clear_session=True))
print('flag off:', flagged_objective(2, clear_session=False))
