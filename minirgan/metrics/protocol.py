"""Pieces shared by the post-hoc scores (TimeGAN's protocol): the input check, the models' size,
and running a trained model over a whole data set in chunks.

The splits, batches and subsets they draw are :mod:`minirgan.datasets.sampling`'s, the same
functions the training loop uses.
"""

import numpy as np

from ..validation import sequence_input

# Sequences per forward pass when a trained post-hoc model reads a whole data set: the arrays of
# one pass over 10,000 sequences (hundreds of MB at H = 32) leave the caches and are faulted in
# fresh; in chunks of 512 the context-FID's embedding took 0.14 s instead of 1.24 s (measured,
# docs/performance.md). Each sequence's outputs are its own, so chunking changes no value.
CHUNK = 512


def in_chunks(fn, x, size=CHUNK):
    """``fn`` applied to successive chunks of ``size`` sequences of x (N, ...), the results
    (each (chunk, ...)) concatenated along the first axis; fn(x[:0]) when x is empty."""
    if len(x) == 0:
        return fn(x)
    return np.concatenate([fn(x[a:a + size]) for a in range(0, len(x), size)])


def outputs_in_chunks(model, x, lengths=None):
    """A trained model's outputs (its forward's first result) on every sequence of x, in chunks.
    ``lengths`` (N,): x is a padded batch, and the model reads each row's real steps only."""
    if lengths is None:
        return in_chunks(lambda part: model.forward(part)[0], x)
    return in_chunks(lambda rows: model.forward(x[rows], lengths=lengths[rows])[0], np.arange(len(x)))


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
