"""An exponential moving average of a model's weights, to sample from (not from the seeds).

A GAN's generator does not settle at the end of training: G and D keep circling each other, so
the weights of the last step are one point of an oscillation, and which point a run stops at
decides much of its score (docs/benchmarks.md: five seeds of the same default differ by a factor
of six on the stocks). Averaging the generator's recent weights smooths that oscillation out:

    θ̄_t = β_t θ̄_{t−1} + (1 − β_t) θ_t,    θ̄_0 = θ_0,    β_t = min(β, (1 + t) / (10 + t))

(Yazıcı et al. 2019, "The Unusual Effectiveness of Averaging in GAN Training", ICLR; the
warm-up β_t, which lets a short run average over its own few steps instead of keeping the
initial weights, is TensorFlow's ``ExponentialMovingAverage(num_updates=t)``). The average
only reads the trajectory: training, and so every step's gradients, are unchanged. There is
nothing to differentiate; tests/test_averaging.py checks the update against its closed form.
"""

import numpy as np


def average_decay(decay, step):
    """β_t = min(β, (1 + t) / (10 + t)) for the average's update after step t (t ≥ 1)."""
    return min(decay, (1.0 + step) / (10.0 + step))


class WeightAverage:
    """θ̄, an exponential moving average of the arrays of a flat parameter dict.

    ``average`` ({name: array}) holds θ̄_0 on entry and θ̄_t after each update: its arrays are
    updated in place, so they may be a second model's own parameters (that model then samples
    with the averaged weights). ``decay`` is β in [0, 1). ``update(params, step)`` folds in the
    weights ``params`` (the same keys and shapes) after step t.
    """

    def __init__(self, average, decay):
        if not 0.0 <= decay < 1.0:
            raise ValueError(f"the average's decay must be in [0, 1), got {decay!r}")
        self.decay = decay
        self.average = average

    def update(self, params, step):
        """θ̄ ← β_t θ̄ + (1 − β_t) θ, for the weights θ = ``params`` after step ``step``."""
        beta = average_decay(self.decay, step)
        for k, mean in self.average.items():
            mean *= beta
            mean += (1.0 - beta) * params[k]
