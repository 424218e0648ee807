"""MS113 (warning): a Keras 1 argument Keras 2.2.4 converted at run time that cannot be
converted here.

MS013 writes Keras 1 arguments as Keras 2.2.4 converted them. Some conversions depend on a
value the code does not show (``dim_ordering=ordering``: only ``'tf'``, ``'th'`` and
``'default'`` were converted; ``samples_per_epoch=`` was divided by the generator's batch size)
or on a preprocessor this tool does not reproduce; and some Keras 1 forms made Keras 2.2.4
raise, where tf.keras now runs them with another meaning (``Conv2D(4, 3, 3, padding='same')``:
ValueError there, strides 3 here). Those are left as written and reported at the call.
"""

from __future__ import annotations

import libcst as cst

from migrate_session.rule import WARNING, Example, Rule
from migrate_session.rules.keras1_arguments import METHODS, plan_for

EXAMPLES = (
    Example(
        title="conversions that depend on a value the code does not show",
        before="""
            from keras.layers import Conv2D
            layer = Conv2D(32, (3, 3), dim_ordering=ordering)
            model.fit_generator(batches, samples_per_epoch=1000, nb_epoch=5)
        """,
        tf1="""
            from tensorflow.keras.layers import Conv2D
            layer = Conv2D(32, (3, 3), dim_ordering=ordering)
            model.fit_generator(batches, samples_per_epoch=1000, epochs=5)
        """,
        tf2="""
            from tensorflow.keras.layers import Conv2D
            layer = Conv2D(32, (3, 3), dim_ordering=ordering)
            model.fit(batches, samples_per_epoch=1000, epochs=5, verbose=1)
        """,
        findings="1:MS001 2:MS113 3:MS013 3:MS113",
        findings_tf2="1:MS001 2:MS113 3:MS009 3:MS013 3:MS113",
    ),
    Example(
        title="a Keras 1 form Keras 2.2.4 itself refused",
        before="""
            from keras.layers import Conv2D
            layer = Conv2D(32, 3, 3, padding='same')
        """,
        after="""
            from tensorflow.keras.layers import Conv2D
            layer = Conv2D(32, 3, 3, padding='same')
        """,
        findings="1:MS001 2:MS113",
    ),
)


class Keras1Unconverted(Rule):
    id = "MS113"
    name = "keras1-unconverted"
    severity = WARNING
    summary = "a Keras 1 argument Keras 2.2.4 converted that cannot be converted here: reported, left as is"
    examples = EXAMPLES
    ATTRIBUTES = METHODS

    def visit_Call(self, node: cst.Call) -> None:
        plan = plan_for(self.context, node)
        if plan is not None and plan.unconverted:
            self.report(node, "Keras 1 arguments tf.keras does not take, left as written: " + "; ".join(plan.unconverted))
