"""Cheap quality numbers for the training log: MMD², autocorrelation distance, diversity.

The discriminative and predictive scores train networks for thousands of steps; these three
take a fraction of a second on a few hundred samples, so the training loop can call
``quick_metrics`` every few hundred iterations and ``metrics.jsonl`` shows quality over time.
"""

import numpy as np

from ..datasets.sampling import random_subset
from .autocorrelation import autocorrelation_distance
from .diversity import diversity_ratio
from .mmd import mmd2
from .protocol import sequence_pair


def quick_metrics(real, fake, n=500, rng=None):
    """{"mmd2", "acf_distance", "diversity"} on at most ``n`` sequences of each set.

    Inputs: real (N_r, T, F), fake (N_f, T, F), in the same scale; at most n distinct sequences
    of each (``random_subset``) drawn with ``rng``. Returns a dict of floats (see ``docs/metrics.md``).
    """
    real, fake = sequence_pair(real, fake)
    rng = np.random.default_rng(rng)
    real, fake = random_subset(real, n, rng), random_subset(fake, n, rng)
    return {"mmd2": mmd2(real, fake),
            "acf_distance": autocorrelation_distance(real, fake),
            "diversity": diversity_ratio(real, fake, max_samples=n, rng=rng)}


def common_prefix(x, lengths, steps):
    """The first ``steps`` steps of the sequences of a padded batch x (N, T, F) that have at
    least that many real steps: (M, steps, F), real steps only."""
    return x[np.asarray(lengths) >= steps, :steps]


def training_quick_metrics(G, data, seed, step, n=500, conditions=None, lengths=None):
    """``quick_metrics`` of ``n`` fresh samples of the generator ``G`` against ``data`` (N, T, F).

    A conditional G (``conditions`` (N, C), those of the training data) generates for the
    conditions of n training sequences drawn at random, so its samples follow the data's mix.

    A padded data set (``lengths`` (N,)): G generates with the lengths of the n drawn training
    sequences, and the metrics compare real steps only — the first T₀ steps (T₀ the median
    length) of the real and generated sequences at least T₀ long (``common_prefix``).

    Called by the training loop every ``metrics_every`` steps. Its randomness comes from its own
    stream, seeded by (seed, step), never from the run's generator: logging quality does not
    change the run, so a resumed run still equals an uninterrupted one.
    """
    rng = np.random.default_rng([seed, step])
    m = min(n, len(data))
    if lengths is None:
        c = None if conditions is None else conditions[rng.integers(0, len(conditions), size=m)]
        fake = G.sample(m, rng, condition=c)
        return quick_metrics(data, fake, n=n, rng=rng)
    pick = rng.integers(0, len(data), size=m)
    c = None if conditions is None else conditions[pick]
    fake = G.sample(m, rng, condition=c, lengths=lengths[pick])
    steps = max(2, int(np.median(lengths)))
    return quick_metrics(common_prefix(data, lengths, steps), common_prefix(fake, lengths[pick], steps),
                         n=n, rng=rng)
