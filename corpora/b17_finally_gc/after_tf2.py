"""Training jobs that always release the model in ``finally``.

Each job deletes its model, runs the garbage collector and clears the Keras
session whether the job succeeded or raised.
"""
import gc

import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

JOBS = [
    {'name': 'small', 'units': 2, 'crash': False},
    {'name': 'broken', 'units': 4, 'crash': True},
    {'name': 'wide', 'units': 9, 'crash': False},
]


def run_job(job):
    points = np.tile(np.array([[0.0, 1.0], [1.0, 0.0]], dtype='float32'), (8, 1))
    values = points[:, :1] * 2.0
    model = None
    try:
        model = Sequential([Dense(job['units'], activation='relu', input_shape=(2,)), Dense(1)])
        model.compile(optimizer='adam', loss='mae')
        if job['crash']:
            raise RuntimeError('simulated failure in job %s' % job['name'])
        model.fit(points, values, epochs=1, batch_size=16, verbose=0)
        return [layer.name for layer in model.layers]
    finally:
        del model
        gc.collect()
        K.clear_session()


for job in JOBS:
    try:
        print(job['name'], 'ok', run_job(job))
    except RuntimeError as exc:
        print(job['name'], 'failed:', exc)

print('after all jobs:', Dense(1).name)
