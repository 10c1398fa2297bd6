"""A mode-collapse indicator: how spread out are the generated samples compared with real ones?

    diversity = mean pairwise distance among generated samples / mean pairwise distance among real

with each sequence flattened to a vector of T·F numbers (Euclidean distance). About 1 is
healthy; well below 1 (say < 0.5) means the generator covers a small part of the data (mode
collapse, C3: in the extreme every sample is the same and the ratio is 0); above 1 means the
samples are more spread out than the data (often noise).
"""

import numpy as np

from ..datasets.sampling import random_subset
from .mmd import _flat, _squared_distances
from .protocol import sequence_pair
from ..validation import sequence_input


def mean_pairwise_distance(x, max_samples=1000, rng=None):
    """Mean Euclidean distance between distinct pairs of (flattened) sequences of x (N, T, F).

    At most ``max_samples`` distinct sequences (``random_subset`` with ``rng``) are used.
    """
    x = sequence_input("x", x)
    if len(x) < 2:
        raise ValueError(f"x must hold at least 2 sequences to have pairs, got {len(x)}")
    a = _flat(random_subset(x, max_samples, np.random.default_rng(rng)))
    d = np.sqrt(_squared_distances(a, a)[np.triu_indices(len(a), k=1)])
    return float(d.mean())


def diversity_ratio(real, fake, max_samples=1000, rng=None):
    """Mean pairwise distance of ``fake`` over that of ``real`` (≈ 1 healthy, ≪ 1 collapsed)."""
    real, fake = sequence_pair(real, fake)
    rng = np.random.default_rng(rng)
    spread_real = mean_pairwise_distance(real, max_samples, rng)
    if spread_real == 0.0:
        raise ValueError("every real sequence is identical: the diversity ratio is undefined")
    return mean_pairwise_distance(fake, max_samples, rng) / spread_real
