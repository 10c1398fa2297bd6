"""Pieces shared by the post-hoc scores (TimeGAN's protocol): the input check and the models' size.

The splits, batches and subsets they draw are :mod:`minirgan.datasets.sampling`'s, the same
functions the training loop uses.
"""

from ..validation import sequence_input


def sequence_pair(real, fake, names=("real", "fake")):
    """Validate two sets of sequences (N, T, F) that share T and F; return them as float arrays."""
    real = sequence_input(names[0], real)
    fake = sequence_input(names[1], fake)
    if real.shape[1:] != fake.shape[1:]:
        raise ValueError(f"{names[0]} and {names[1]} must share (T, F): got {names[0]} "
                         f"{real.shape} and {names[1]} {fake.shape}")
    return real, fake


def default_hidden(features):
    """TimeGAN's hidden size for the post-hoc models: ``max(1, F // 2)``."""
    return max(1, int(features) // 2)
