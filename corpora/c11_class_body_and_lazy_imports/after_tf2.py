"""Imports in a class body (they become class attributes) and inside methods; none at module level."""
import numpy as np


class Trainer(object):
    from tensorflow.keras import backend as K
    from tensorflow.keras.layers import Dense

    def __init__(self, width):
        self.width = width

    def build(self):
        from tensorflow.keras.models import Sequential
        model = Sequential([self.Dense(self.width, input_shape=(2,)), self.Dense(1)])
        model.compile(optimizer='sgd', loss='mse')
        return model

    def run(self, rounds):
        names = []
        for _ in range(rounds):
            self.K.clear_session()
            model = self.build()
            model.fit(np.ones((16, 2), 'float32'), np.ones((16, 1), 'float32'), epochs=1, verbose=0)
            names.append(model.layers[-1].name)
        return names

    @staticmethod
    def tidy():
        from tensorflow import keras
        keras.backend.clear_session()
        return 'tidied'


print('class attributes:', sorted(k for k in vars(Trainer) if k in ('K', 'Dense')))
print('module level names:', [n for n in ('K', 'Dense', 'Sequential', 'keras') if n in globals()])
trainer = Trainer(3)
print('run:', trainer.run(2))
loose = [trainer.build().layers[0].name for _ in range(2)]
print('built without clearing:', loose)
print(Trainer.tidy(), trainer.build().layers[0].name)
